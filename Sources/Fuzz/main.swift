// `Fuzz [programs|numpy|lessons|all] [--quick] [--count N] [--seed S] [--only K] [--binary PATH]`
// `Fuzz messages DIR` scans the error messages a run recorded (see MessageScan.swift).
//
// Runs generated and mutated inputs against the release binary and fails on what must never
// happen to a learner: a crash (death by signal), a run that Ctrl-C cannot stop, memory past the
// budget, or a file written outside the folders the input may touch. `make test` runs a short
// seeded pass (`--quick`); `make fuzz` a long one. Failing cases are kept under
// .build/fuzz-findings/SUITE-K with a report, and `--only K --seed S` replays one.
import Foundation
#if canImport(Glibc)
import Glibc
#endif

struct Options {
    var suites: [String] = []
    var quick = false
    var count: Int? = nil
    var seed: UInt64 = 1
    var only: Int? = nil
    var binary = ".build/release/rnnlab"
    var findings = ".build/fuzz-findings"
    var budget = "1G"
    var budgetBytes = 1 << 30
    /// Print each case's input and output (to see what the generators make).
    var show = false
}

let usage = "usage: Fuzz [programs|numpy|lessons|all] [--quick] [--count N] [--seed S] [--only K] [--binary PATH] [--findings DIR] [--show]"
func parseOptions() -> Options {
var options = Options()
var arguments = CommandLine.arguments.dropFirst()[...]
func value(_ flag: String) -> String {
    guard let v = arguments.popFirst() else { print("Fuzz: \(flag) needs a value\n\(usage)"); exit(2) }
    return v
}
while let arg = arguments.popFirst() {
    switch arg {
    case "programs", "numpy", "lessons": options.suites.append(arg)
    case "all": options.suites += ["programs", "numpy", "lessons"]
    case "--quick": options.quick = true
    case "--show": options.show = true
    case "--count": options.count = Int(value(arg))
    case "--seed": options.seed = UInt64(value(arg)) ?? 1
    case "--only": options.only = Int(value(arg))
    case "--binary": options.binary = value(arg)
    case "--findings": options.findings = value(arg)
    case "-h", "--help": print(usage); exit(0)
    default: print("Fuzz: unknown argument '\(arg)'\n\(usage)"); exit(2)
    }
}
if options.suites.isEmpty { options.suites = ["programs", "numpy", "lessons"] }
return options
}
if CommandLine.arguments.dropFirst().first == "messages" {
    exit(scanMessages(directory: CommandLine.arguments.dropFirst(2).first ?? ".build/error-audit"))
}
let options = parseOptions()

guard FileManager.default.isExecutableFile(atPath: options.binary) else {
    print("Fuzz: no executable at \(options.binary); build it with `swift build -c release --product rnnlab`")
    exit(2)
}
let binary = URL(fileURLWithPath: options.binary).standardizedFileURL.path
let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("rnnlab-fuzz-\(getpid())")
let store = FindingStore(directory: URL(fileURLWithPath: options.findings))
// The budget's slack covers what it does not count: the binary and its libraries (~60 MB), the
// language's own small values, and allocator slack.
let judge = Judge(budgetBytes: options.budgetBytes, slackBytes: 400 << 20)
// Ctrl-C goes to any run still going after 2 s (quick) or 6 s: that it stops is part of the test.
let limits = ChildLimits(seconds: options.quick ? 2 : 6, ceilingBytes: 3 << 30)

/// The run's tally, shared by every case.
final class Tally {
    var findings: [Finding] = []
    var worstLatency = 0.0, worstPeak = 0, interrupts = 0
}
let tally = Tally()

/// Runs one case in a fresh workspace; `prepare` writes its inputs and returns the command line
/// and the input files to keep; `allowed` says which new files are the case's own.
func runCase(options: Options, binary: String, base: URL, store: FindingStore, judge: Judge, limits: ChildLimits, tally: Tally, suite: String, index: Int, prepare: (Workspace) throws -> (args: [String], inputs: [String], stdin: String?),
             allowed: @escaping (String) -> Bool) {
    do {
        let ws = try Workspace(base: base, name: "\(suite)-\(index)")
        defer { ws.remove() }
        let (args, inputs, stdin) = try prepare(ws)
        let before = Set(ws.files())
        let outcome = try ChildProcess.run(binary, args, directory: ws.cwd.path,
                                           environment: ws.environment(memoryBudget: options.budget),
                                           stdinFile: stdin, limits: limits)
        tally.worstPeak = max(tally.worstPeak, outcome.peakBytes)
        if options.show {
            let shown = inputs.compactMap { try? String(contentsOf: ws.root.appendingPathComponent($0), encoding: .utf8) }
            print("== \(suite) \(index): \(args.joined(separator: " ")) — \(outcome.ending), \(String(format: "%.2f", outcome.seconds)) s, \(outcome.peakBytes >> 20) MB")
            print(shown.joined(separator: "\n--\n").prefix(1500))
            print("-- out:\n\(outcome.stdout.prefix(600))\n-- err:\n\(outcome.stderr.prefix(400))")
        }
        if let latency = outcome.interruptLatency { tally.interrupts += 1; tally.worstLatency = max(tally.worstLatency, latency) }
        for problem in judge.problems(outcome, workspace: ws, before: before, allowedWrites: allowed) {
            let finding = Finding(suite: suite, caseIndex: index, problem: problem)
            tally.findings.append(finding)
            print("FINDING \(finding)")
            store.keep(finding, workspace: ws, inputs: inputs, outcome: outcome, command: [binary] + args)
        }
    } catch {
        print("Fuzz: \(suite) case \(index) could not run: \(error)")
        exit(2)
    }
}

func indices(_ options: Options, _ quick: Int, _ long: Int) -> [Int] {
    if let only = options.only { return [only] }
    return Array(0..<(options.count ?? (options.quick ? quick : long)))
}

let started = Date()
var ran: [(String, Int, Double)] = []
for suite in options.suites {
    let suiteStart = Date()
    var cases = 0
    switch suite {
    case "programs":
        let guide = try? String(contentsOf: repository.appendingPathComponent("docs/language.md"), encoding: .utf8)
        let generator = ProgramGenerator(languageGuide: guide)
        for i in indices(options, 100, 3000) {
            var r = SeededRandom(seed: options.seed, case: i)
            let program = r.chance(0.6) ? generator.program(&r) : generator.mutant(&r)
            let json = r.chance(0.2)
            runCase(options: options, binary: binary, base: base, store: store, judge: judge, limits: limits, tally: tally, suite: suite, index: i, prepare: { ws in
                try program.write(to: ws.cwd.appendingPathComponent("program.rnn"), atomically: true, encoding: .utf8)
                return (["run", "program.rnn"] + (json ? ["--format", "json"] : []), ["cwd/program.rnn"], nil)
            }, allowed: { $0.hasPrefix("cwd/") || $0.hasPrefix("data/rnnlab/") })
            cases += 1
        }
    case "numpy":
        for i in indices(options, 30, 1000) {
            var r = SeededRandom(seed: options.seed, case: i)
            let zip = r.chance(0.4)
            runCase(options: options, binary: binary, base: base, store: store, judge: judge, limits: limits, tally: tally, suite: suite, index: i, prepare: { ws in
                if zip {
                    try NumPyFileMutator.writeMutantNPZ(&r, to: ws.cwd.appendingPathComponent("f.npz"))
                    let program = "m = lstm(input: 2, hidden: 3)\nload_npz(m, \"f.npz\")\nm.weight_ih_l0.sum()\nr = load_npz(\"f.npz\")\nr\n"
                    try program.write(to: ws.cwd.appendingPathComponent("program.rnn"), atomically: true, encoding: .utf8)
                    return (["run", "program.rnn"], ["cwd/f.npz", "cwd/program.rnn"], nil)
                }
                try Data(NumPyFileMutator.mutantNPY(&r)).write(to: ws.cwd.appendingPathComponent("f.npy"))
                let program = "x = load_npy(\"f.npy\")\nx.shape\nsum(x)\nx[0]\nx.T @ x\nsave_npy(x + 1, \"g.npy\")\nload_npy(\"g.npy\") - x\n"
                try program.write(to: ws.cwd.appendingPathComponent("program.rnn"), atomically: true, encoding: .utf8)
                return (["run", "program.rnn"], ["cwd/f.npy", "cwd/program.rnn"], nil)
            }, allowed: { $0.hasPrefix("cwd/") || $0.hasPrefix("data/rnnlab/") })
            cases += 1
        }
    case "lessons":
        let real = ["01-sequences.md", "02-rnn-equations.md"].compactMap {
            try? String(contentsOf: repository.appendingPathComponent("Lessons/\($0)"), encoding: .utf8)
        }
        for i in indices(options, 16, 300) {
            var r = SeededRandom(seed: options.seed, case: i)
            let useReal = !real.isEmpty && r.chance(0.25)
            let guided = r.chance(0.4)
            let typed = (0..<r.int(5..<40)).map { _ in r.pick(["", "", "", "a", "b", "2", "h * 2", "h", ":hint", ":skip", ":back", ":run", "because"]) }
            runCase(options: options, binary: binary, base: base, store: store, judge: judge, limits: limits, tally: tally, suite: suite, index: i, prepare: { ws in
                let lessons = ws.root.appendingPathComponent("lessons")
                try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
                var text = LessonMutator.mutant(of: useReal ? r.pick(real) : LessonMutator.template, root: ws.root.path, &r)
                // A real lesson becomes lesson 1 of the folder, with a short cell limit.
                if useReal { text = text.replacingOccurrences(of: "order: 2\n", with: "order: 1\n") }
                let id = text.range(of: "id: ").map { String(text[$0.upperBound...].prefix { $0 != "\n" }) } ?? "tiny"
                let name = "01-\(id.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } ? id : "tiny").md"
                try text.write(to: lessons.appendingPathComponent(name), atomically: true, encoding: .utf8)
                if guided {
                    let input = ws.root.appendingPathComponent("typed.txt")
                    try (typed.joined(separator: "\n") + "\n:quit\n").write(to: input, atomically: true, encoding: .utf8)
                    return (["lesson", "1", "--lessons", lessons.path], ["lessons/\(name)", "typed.txt"], input.path)
                }
                return (["check", "--lessons", lessons.path], ["lessons/\(name)"], nil)
            }, allowed: { $0.hasPrefix("data/rnnlab/") || $0.hasPrefix("lessons/") && !$0.dropFirst(8).contains("/") && $0.hasSuffix(".md") })
            cases += 1
        }
    default: break
    }
    ran.append((suite, cases, Date().timeIntervalSince(suiteStart)))
}
try? FileManager.default.removeItem(at: base)

let total = Date().timeIntervalSince(started)
print("\n# rnnlab fuzz (seed \(options.seed)\(options.quick ? ", quick" : ""))")
for (suite, cases, seconds) in ran { print("- \(suite): \(cases) cases in \(String(format: "%.1f", seconds)) s") }
print("- peak memory of any run: \(tally.worstPeak >> 20) MB (budget \(options.budgetBytes >> 20) MB)")
print("- Ctrl-C sent to \(tally.interrupts) runs past \(Int(limits.seconds)) s; slowest stop: \(String(format: "%.2f", tally.worstLatency)) s")
print("- total \(String(format: "%.1f", total)) s")
if tally.findings.isEmpty {
    print("no findings")
} else {
    print("\(tally.findings.count) finding(s); inputs and reports in \(options.findings)/")
    exit(1)
}
