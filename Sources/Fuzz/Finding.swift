import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What a fuzzer treats as a bug: how a run ended, what it cost, and where it wrote. Anything
/// else — an error message, a non-zero exit — is the product working.
struct Finding: CustomStringConvertible {
    let suite: String
    let caseIndex: Int
    let problem: String
    var description: String { "\(suite) case \(caseIndex): \(problem)" }
}

struct Judge {
    /// The budget the child is given (RNNLAB_MEMORY) and the slack allowed above it for what
    /// the budget does not count (the binary, the language's small values, allocator slack).
    let budgetBytes: Int
    let slackBytes: Int

    /// Problems with one run. `allowedWrites` says which new files (relative to the workspace
    /// root) are the case's own business; `before` is what was there before the run.
    func problems(_ outcome: ChildOutcome, workspace: Workspace, before: Set<String>,
                  allowedWrites: (String) -> Bool) -> [String] {
        var found: [String] = []
        switch outcome.ending {
        case let .crashed(signal):
            found.append("died of signal \(signal) (\(signalName(signal)))" + excerpt(outcome.stderr))
        case .ignoredInterrupt:
            found.append("still running 3 s after Ctrl-C (killed)")
        case let .memoryCeiling(bytes):
            found.append("resident memory reached \(bytes >> 20) MB (killed)")
        case let .exited(code):
            if code >= 128 && code != 130 { found.append("exited with status \(code)" + excerpt(outcome.stderr)) }
        }
        if outcome.peakBytes > budgetBytes + slackBytes {
            found.append("peak memory \(outcome.peakBytes >> 20) MB is over the \(budgetBytes >> 20) MB budget")
        }
        for marker in ["Fatal error", "Swift runtime failure", "Segmentation fault", "Illegal instruction"]
        where outcome.stderr.contains(marker) || outcome.stdout.contains(marker) {
            found.append("printed “\(marker)”" + excerpt(outcome.stderr))
        }
        let written = workspace.files().filter { !before.contains($0) && !allowedWrites($0) && !$0.hasPrefix("cwd/.fuzz-") }
        if !written.isEmpty {
            found.append("wrote outside its folders: " + written.prefix(5).joined(separator: ", "))
        }
        return found
    }

    private func excerpt(_ text: String) -> String {
        let lines = text.split(separator: "\n").suffix(3)
        return lines.isEmpty ? "" : "\n    " + lines.joined(separator: "\n    ")
    }
}

func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "SIGSEGV"
    case SIGILL: "SIGILL"
    case SIGABRT: "SIGABRT"
    case SIGBUS: "SIGBUS"
    case SIGTRAP: "SIGTRAP"
    case SIGFPE: "SIGFPE"
    case SIGKILL: "SIGKILL"
    default: "signal \(signal)"
    }
}

/// Keeps each failing case's inputs and report, so it can be replayed (`--only K`) and turned
/// into a test.
struct FindingStore {
    let directory: URL

    func keep(_ finding: Finding, workspace: Workspace, inputs: [String], outcome: ChildOutcome, command: [String]) {
        let dir = directory.appendingPathComponent("\(finding.suite)-\(finding.caseIndex)")
        try? FileManager.default.removeItem(at: dir)
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        for input in inputs {
            let source = workspace.root.appendingPathComponent(input)
            try? FileManager.default.copyItem(at: source, to: dir.appendingPathComponent(source.lastPathComponent))
        }
        let report = """
            \(finding)
            command: \(command.joined(separator: " "))
            seconds: \(String(format: "%.2f", outcome.seconds)), peak \(outcome.peakBytes >> 20) MB
            --- stdout (start)
            \(outcome.stdout.prefix(4000))
            --- stderr (start)
            \(outcome.stderr.prefix(4000))
            """
        try? report.write(to: dir.appendingPathComponent("report.txt"), atomically: true, encoding: .utf8)
    }
}
