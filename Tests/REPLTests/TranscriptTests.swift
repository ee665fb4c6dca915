import Foundation
@testable import REPL
import Terminal
import Testing

/// Golden transcripts: each `Transcripts/NAME.rnn` is run with `rnnlab run NAME.rnn` and its
/// stdout compared with `NAME.out`, its stderr with `NAME.err` (none expected when absent; the
/// exit status must then be 1) and, for a few, `--format json` with `NAME.jsonl` (and, for those,
/// its stderr with `NAME.json.err`).
/// `RNNLAB_UPDATE_TRANSCRIPTS=1 swift test --filter Transcript` rewrites the expected files.
@Suite("Transcripts of rnnlab run")
struct TranscriptTests {
    static let scripts: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: BuiltBinary.transcripts.path)) ?? []
        return names.filter { $0.hasSuffix(".rnn") }.map { String($0.dropLast(4)) }.sorted()
    }()

    static var updating: Bool { ProcessInfo.processInfo.environment["RNNLAB_UPDATE_TRANSCRIPTS"] == "1" }

    func expected(_ name: String, _ ext: String) -> String? {
        try? String(contentsOf: BuiltBinary.transcripts.appendingPathComponent(name + "." + ext), encoding: .utf8)
    }

    func store(_ name: String, _ ext: String, _ text: String) throws {
        let url = BuiltBinary.transcripts.appendingPathComponent(name + "." + ext)
        if text.isEmpty && ext != "out" { try? FileManager.default.removeItem(at: url); return }
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func thereAreTranscripts() { #expect(TranscriptTests.scripts.count >= 4) }

    @Test(arguments: TranscriptTests.scripts)
    func binaryMatchesTranscript(_ name: String) throws {
        let binary = try requireBinary()
        let result = try runProcess(binary, ["run", name + ".rnn"], directory: BuiltBinary.transcripts)
        if TranscriptTests.updating {
            try store(name, "out", result.stdout)
            try store(name, "err", result.stderr)
        }
        #expect(result.stdout == expected(name, "out"))
        #expect(result.stderr == (expected(name, "err") ?? ""))
        #expect(result.status == (expected(name, "err") == nil ? 0 : 1))
    }

    /// JSON keeps all 17 digits, so only scripts whose arithmetic is exact on every CPU (no
    /// BLAS or vectorised kernels whose last bits could differ) have a JSON transcript.
    static let jsonScripts = ["arithmetic", "figures", "shape_error", "parse_error", "commands"]

    @Test(arguments: TranscriptTests.jsonScripts)
    func jsonMatchesTranscript(_ name: String) throws {
        let binary = try requireBinary()
        let result = try runProcess(binary, ["run", name + ".rnn", "--format", "json"], directory: BuiltBinary.transcripts)
        if TranscriptTests.updating {
            try store(name, "jsonl", result.stdout)
            try store(name, "json.err", result.stderr)
        }
        #expect(result.stdout == expected(name, "jsonl"))
        #expect(result.stderr == (expected(name, "json.err") ?? ""))
        #expect(result.status == (expected(name, "json.err") == nil ? 0 : 1))
        for line in result.stdout.split(separator: "\n") {
            #expect((try? JSONSerialization.jsonObject(with: Data(line.utf8))) != nil, "not JSON: \(line)")
        }
    }

    /// The same scripts in-process through `Runner` (what the binary calls), so a failure here
    /// points at the logic rather than at process plumbing.
    @Test(arguments: TranscriptTests.scripts)
    func runnerMatchesTranscript(_ name: String) throws {
        let source = try String(contentsOf: BuiltBinary.transcripts.appendingPathComponent(name + ".rnn"), encoding: .utf8)
        var out = "", err = ""
        let status = Runner.run(source: source, file: name + ".rnn", format: .text,
                                options: RenderOptions(width: 80, color: false),
                                write: { out += $0 }, writeError: { err += $0 })
        guard !TranscriptTests.updating else { return }
        #expect(out == expected(name, "out"))
        #expect(err == (expected(name, "err") ?? ""))
        #expect(status == (expected(name, "err") == nil ? 0 : 1))
    }
}

@Suite("The rnnlab command")
struct CommandLineTests {
    @Test func incompleteInputFromAPipeIsACaretErrorWithStatus1() throws {
        let result = try runProcess(try requireBinary(), [], stdin: "1 +\n")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first?.hasPrefix("<stdin>:1:") == true)
        #expect(lines.count >= 3)
        #expect(lines[1] == "1 +")
        #expect(lines[2].contains("^"))
    }

    @Test func pipedStdinIsTheSameAsRunDash() throws {
        let binary = try requireBinary()
        let script = "x = 2\nx * 3\nprint(\"done\")\n"
        let piped = try runProcess(binary, [], stdin: script)
        let dash = try runProcess(binary, ["run", "-"], stdin: script)
        #expect(piped.status == 0)
        #expect(piped.stdout == "6\ndone\n")
        #expect(piped.stdout == dash.stdout)
    }

    @Test func evalOption() throws {
        let result = try runProcess(try requireBinary(), ["-e", "1 + 2", "-e", "[1, 2] * 2"])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("3\n"))
    }

    @Test func errorInEvalGoesToStderr() throws {
        let result = try runProcess(try requireBinary(), ["-e", "nosuchname + 1"])
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("<-e>:1:1: "))
        #expect(result.stderr.contains("nosuchname"))
    }

    @Test func jsonTensorsAreNestedWithFullPrecision() throws {
        let result = try runProcess(try requireBinary(), ["-e", "[[0.1, 2], [1/3, -4]]", "--format", "json"])
        #expect(result.status == 0)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let value = try #require(object["value"] as? [String: Any])
        #expect(value["shape"] as? [Int] == [2, 2])
        let data = try #require(value["data"] as? [[Double]])
        #expect(data[1][0] == 1.0 / 3.0)
        #expect(data[0][0] == 0.1)
        #expect(object["line"] as? Int == 1)
    }

    @Test func versionAndHelp() throws {
        let binary = try requireBinary()
        let version = try runProcess(binary, ["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.trimmingCharacters(in: .whitespacesAndNewlines).first?.isNumber == true)
        let help = try runProcess(binary, ["--help"])
        #expect(help.stdout.contains("run"))
        #expect(help.stdout.contains("--format"))
    }

    @Test func missingFile() throws {
        let result = try runProcess(try requireBinary(), ["run", "/no/such.rnn"])
        #expect(result.status == 1)
        #expect(result.stderr == "rnnlab: cannot read /no/such.rnn: no such file\n")
    }
}
