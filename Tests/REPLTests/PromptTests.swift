import Foundation
import Testing

/// What a learner sees at the prompt, through a real terminal (tmux): history of whole blocks
/// and by prefix, where history is saved, a clean line after Ctrl-C in `train`, and text
/// wrapped at spaces at 60 columns.
@Suite("The prompt in a terminal", .serialized, .enabled(if: TerminalSession.tmux != nil, "tmux is not installed: the pseudo-terminal tests need it (apt-get install tmux)"))
struct PromptTests {
    let state: URL

    init() throws {
        state = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-prompt-\(UUID())")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    }

    /// `keepingThePane`: the pane stays after rnnlab exits, so its last words can be read.
    func command(keepingThePane: Bool = false) throws -> String {
        let binary = try requireBinary()
        return "env XDG_STATE_HOME='\(state.path)' NO_COLOR=1 LANG= LC_ALL= '\(binary.path)' repl" + (keepingThePane ? "; sleep 60" : "")
    }

    /// The lines after the last prompt that starts with `rnnlab> ` (the line being edited and
    /// its continuation lines).
    static func editedLines(_ screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.lastIndex(where: { $0.hasPrefix("rnnlab>") }) else { return [] }
        var edited = Array(lines[start...])
        while edited.last?.trimmingCharacters(in: .whitespaces).isEmpty == true { edited.removeLast() }
        return edited
    }

    @Test func upBringsBackWholeBlocksAndSearchesByWhatIsTyped() throws {
        let term = TerminalSession()
        try term.start(try command(keepingThePane: true))
        try term.waitForPrompts(1)
        try term.type("alpha = 1", "Enter")
        try term.waitForPrompts(2)
        try term.type("beta = 2", "Enter")
        try term.waitForPrompts(3)
        try term.type("for i in 0..<2 {", "Enter")
        try term.type("print(i + 100)", "Enter")
        try term.type("}", "Enter")
        try term.waitFor("the block's output") { $0.contains("100\n101\n") }
        try term.waitForPrompts(4)

        // Up on an empty line: the whole block, all three lines, on the line being edited.
        try term.type("", "Up")
        let block = try term.waitFor("the recalled block") { PromptTests.editedLines($0).count == 3 }
        #expect(PromptTests.editedLines(block) == ["rnnlab> for i in 0..<2 {", "print(i + 100)", "}"])
        try term.type("", "Enter")
        try term.waitFor("the block again") { $0.components(separatedBy: "101\n").count == 3 }
        try term.waitForPrompts(5)

        // Text typed first: Up finds the newest entry that starts with it, skipping the others.
        try term.type("al", "Up")
        try term.waitFor("the entry starting with al") { PromptTests.editedLines($0) == ["rnnlab> alpha = 1"] }
        // Down past the newest gives back what was typed.
        try term.type("", "Down")
        try term.waitFor("the typed text back") { PromptTests.editedLines($0) == ["rnnlab> al"] }
        try term.type("", "Up")
        try term.waitFor("the entry again") { PromptTests.editedLines($0) == ["rnnlab> alpha = 1"] }
        try term.type("", "Enter")
        try term.waitForPrompts(6)

        // :quit says where the history went; the block is one entry of the file.
        try term.type(":quit", "Enter")
        let history = state.appendingPathComponent("rnnlab/history").path
        try term.waitFor("the farewell") { $0.replacingOccurrences(of: "\n", with: " ").contains("Your history is saved in \(history).") }
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        let entries = saved.split(separator: "\n").dropFirst()
        #expect(entries.count == 5, "\(entries)")  // alpha, beta, the block, alpha again, :quit
        #expect(entries.contains { $0.hasPrefix("for") && $0.contains("print") })
        #expect(!entries.contains { $0.hasPrefix("print") || $0 == "}" })
    }

    @Test func ctrlDSaysWhereTheHistoryIsSaved() throws {
        let term = TerminalSession()
        try term.start(try command(keepingThePane: true))
        try term.waitForPrompts(1)
        try term.type("", "C-d")
        let history = state.appendingPathComponent("rnnlab/history").path
        try term.waitFor("the farewell") { $0.replacingOccurrences(of: "\n", with: " ").contains("Your history is saved in \(history).") }
    }

    /// Ctrl-C while `train` draws its bar: the bar is redrawn over the `^C` the terminal would
    /// echo and ended, then "interrupted" starts on a line of its own.
    @Test func ctrlCDuringTrainingLeavesACleanProgressLine() throws {
        let term = TerminalSession()
        try term.start(try command())
        try term.waitForPrompts(1)
        try term.type("x = randn(20, 64, 8, seed: 1); y = randn(20, 64, 16, seed: 2); m = lstm(input: 8, hidden: 16, seed: 0)", "Enter")
        try term.waitForPrompts(2)
        try term.type("h = train(m, x, y, steps: 100000, batch_size: 64)", "Enter")
        try term.waitFor("the progress bar") { $0.contains("it/s") }
        usleep(300_000)
        try term.type("", "C-c")
        let screen = try term.waitFor("the interruption") { $0.contains("interrupted") && TerminalSession.prompts(in: $0) >= 3 }
        // Not even the `^` of `^C` (at the last column the `C` wraps away), and one bar: a `^C`
        // pushed onto the next line would make the final redraw a second bar line.
        #expect(!screen.contains("^"), "\(screen)")
        let bars = screen.split(separator: "\n").filter { $0.contains("it/s") }
        #expect(bars.count == 1, "\(bars)")
        #expect(bars.allSatisfy { $0.hasSuffix("]") }, "\(bars)")
        try term.type("m.weight_ih_l0.shape", "Enter")
        try term.waitFor("the model after the interrupt") { $0.contains("Out[1]: [64, 8]") }
    }

    /// At 60 columns help signatures, `:vars` and error messages break at spaces, not where
    /// the terminal runs out.
    @Test func longLinesWrapAtSpacesAtSixtyColumns() throws {
        let term = TerminalSession()
        try term.start(try command(), width: 60)
        try term.waitForPrompts(1)
        try term.type("help(lstm)", "Enter")
        let help = try term.waitFor("lstm's help") { $0.contains("Example:") && TerminalSession.prompts(in: $0) >= 2 }
        let helpLines = help.split(separator: "\n").map(String.init)
        #expect(helpLines.contains("lstm(input:, hidden:, layers: 1, bidirectional: false,"), "\(help)")
        #expect(helpLines.contains { $0.hasPrefix("     batch_first: false,") })
        try term.type("clear_enough = lstm(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true, dropout: 0.5)", "Enter")
        try term.waitForPrompts(3)
        try term.type(":vars", "Enter")
        let vars = try term.waitFor(":vars") { TerminalSession.prompts(in: $0) >= 4 }
        let varsLines = PromptTests.after("rnnlab> :vars", in: vars)
        #expect(varsLines.first?.hasPrefix("clear_enough  model  lstm(input: 3, hidden: 4, layers: 2,") == true, "\(varsLines)")
        #expect(varsLines.dropFirst().first?.hasPrefix("                     ") == true, "\(varsLines)")
        try term.type("lstm(input: 3, hidden: 4)(randn(5, 1, 2))", "Enter")
        let error = try term.waitFor("the error") { TerminalSession.prompts(in: $0) >= 5 }
        let errorLines = PromptTests.after("rnnlab> lstm(input: 3", in: error)
        // The message breaks at a space and goes on indented; the source line and caret follow.
        #expect(errorLines.count == 4, "\(errorLines)")
        if errorLines.count == 4 {
            #expect(errorLines[0].hasPrefix("<input>:1:1: ") && errorLines[0].count <= 60 && errorLines[0].last != " ")
            #expect(errorLines[1].hasPrefix("  ") && !errorLines[1].hasPrefix("   "))
            #expect(errorLines[2] == "lstm(input: 3, hidden: 4)(randn(5, 1, 2))")
            #expect(errorLines[3] == "^")
        }
    }

    static func after(_ prefix: String, in screen: String) -> [String] {
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.lastIndex(where: { $0.hasPrefix(prefix) }) else { return [] }
        return Array(lines[(start + 1)...].prefix { !$0.hasPrefix("rnnlab>") })
    }
}
