import Foundation
import Testing
import TestSupport

/// A terminal session in tmux (a real pseudo-terminal): keys go in with `send-keys`, the screen
/// comes back with `capture-pane`. Each instance has its own tmux server (`-L`), so tests may run
/// in parallel and never touch a user's tmux.
final class TerminalSession {
    static let tmux: URL? = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .map(URL.init(fileURLWithPath:)).first { FileManager.default.isExecutableFile(atPath: $0.path) }

    let socket = "rnnlab-test-\(UUID().uuidString.prefix(8))"
    let name = "repl"

    @discardableResult
    func tmux(_ arguments: [String]) throws -> ProcessResult {
        try runProcess(TerminalSession.tmux!, ["-L", socket, "-f", "/dev/null"] + arguments)
    }

    /// Starts `command` (a shell command line) in a terminal `width` columns wide (100) and 30 rows. The tmux server forked here
    /// outlives the call and would inherit every open descriptor of this process — among them
    /// the ones Foundation's `Process` watches to learn that a child has exited, which then never
    /// report it. So start tmux from bash after closing every descriptor above 2, and wait for it
    /// with waitpid rather than through Foundation.
    func start(_ command: String, width: Int = 100) throws {
        func quoted(_ s: String) -> String { "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let tmuxLine = [TerminalSession.tmux!.path, "-L", socket, "-f", "/dev/null", "new-session", "-d",
                        "-s", name, "-x", String(width), "-y", "30", command].map(quoted).joined(separator: " ")
        let script = "for f in /proc/$$/fd/*; do n=${f##*/}; [ \"$n\" -gt 2 ] && eval \"exec $n>&-\"; done 2>/dev/null; exec " + tmuxLine
        let arguments = ["/bin/bash", "-c", script]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0) }
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        // Test threads may block signals; the REPL in the pane must get Ctrl-C as a person's would.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ)
        try #require(spawned == 0, "could not start tmux: error \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        try #require(status == 0, "tmux new-session failed with status \(status)")
        panePID = Int32(try tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).stdout
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// The program in the pane, killed for sure at the end.
    private var panePID: Int32?

    /// Literal text, then keys such as `Enter`, `Tab`, `Up`, `C-c`.
    func type(_ text: String, _ keys: String...) throws {
        if !text.isEmpty { try tmux(["send-keys", "-t", name, "-l", text]) }
        if !keys.isEmpty { try tmux(["send-keys", "-t", name] + keys) }
    }

    func screen() throws -> String {
        try tmux(["capture-pane", "-p", "-t", name, "-S", "-200"]).stdout
    }

    var isRunning: Bool { (try? tmux(["has-session", "-t", name]).status) == 0 }

    /// Polls the screen until `predicate` holds (the machine may be busy: generous timeout).
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if predicate(last) { return last }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what); the screen was:\n\(last)")
        return last
    }

    /// Waits until the screen shows `count` prompts (`rnnlab> `).
    @discardableResult
    func waitForPrompts(_ count: Int) throws -> String {
        try waitFor("\(count) prompts") { TerminalSession.prompts(in: $0) >= count }
    }

    static func prompts(in screen: String) -> Int {
        screen.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("rnnlab> ") || $0 == "rnnlab>" }.count
    }

    func waitForExit(timeout: Double = 20) {
        let deadline = Date().addingTimeInterval(timeout)
        while isRunning && Date() < deadline { usleep(50_000) }
    }

    deinit {
        _ = try? tmux(["kill-server"])
        if let panePID, panePID > 0 { kill(panePID, SIGKILL) }
    }
}

/// The interactive REPL as a person uses it, through a pseudo-terminal.
@Suite("Interactive REPL in a terminal", .serialized, .enabled(if: TerminalSession.tmux != nil, "tmux is not installed: the pseudo-terminal tests need it (apt-get install tmux)"))
struct InteractiveTests {
    let state: URL

    init() throws {
        state = try temporaryDirectory("state")
    }

    func command() throws -> String {
        let binary = try requireBinary()
        return "env XDG_STATE_HOME='\(state.path)' NO_COLOR=1 LANG= LC_ALL= '\(binary.path)' repl"
    }

    @Test func historySurvivesARestartAndTabCompletes() throws {
        let first = TerminalSession()
        try first.start(try command())
        try first.waitForPrompts(1)
        try first.type("velocity_1 = 42", "Enter")
        try first.waitForPrompts(2)
        try first.type(":quit", "Enter")
        first.waitForExit()
        #expect(!first.isRunning)
        let history = try String(contentsOf: state.appendingPathComponent("rnnlab/history"), encoding: .utf8)
        // libedit's own format: `_HiStOrY_V2_`, then one entry a line with spaces as \040.
        #expect(history.hasPrefix("_HiStOrY_V2_\n"))
        #expect(history.contains("velocity_1\\040=\\04042\n"))

        // A new process with the same XDG_STATE_HOME: Up twice passes :quit and finds the line.
        let second = TerminalSession()
        try second.start(try command())
        try second.waitForPrompts(1)
        try second.type("", "Up", "Up")
        try second.waitFor("the recalled line") { $0.contains("rnnlab> velocity_1 = 42") }
        try second.type("", "Enter")
        try second.waitForPrompts(2)

        // One candidate: Tab inserts it.
        try second.type("velo", "Tab")
        try second.waitFor("completion of velo") { $0.contains("rnnlab> velocity_1") }
        try second.type("", "Enter")
        try second.waitFor("the value") { $0.contains("Out[1]: 42") }

        // Several: Tab extends to the common prefix and lists them below the line.
        try second.type("velocity_2 = 7", "Enter")
        try second.waitForPrompts(4)
        try second.type("vel", "Tab")
        let listed = try second.waitFor("the candidate list") { screen in
            screen.split(separator: "\n").contains { $0.contains("velocity_1") && $0.contains("velocity_2") && !$0.contains("=") }
        }
        #expect(listed.contains("rnnlab> velocity_"))
        try second.type("2", "Enter")
        try second.waitFor("the second value") { $0.contains("Out[2]: 7") }

        // :commands complete too.
        try second.type(":pre", "Tab")
        try second.waitFor("completion of :pre") { $0.contains("rnnlab> :precision") }
        try second.type(" 2", "Enter")
        try second.waitFor("the precision") { $0.contains("precision 2") }

        // A complete name is not lengthened into a longer one: lstm<Tab> lists lstm and lstm_cell.
        try second.type("lstm", "Tab")
        let both = try second.waitFor("lstm's candidates") { screen in
            screen.split(separator: "\n").contains { $0.contains("lstm_cell") && !$0.contains("rnnlab>") }
        }
        #expect(both.split(separator: "\n").last { $0.hasPrefix("rnnlab>") }?.trimmingCharacters(in: .whitespaces) == "rnnlab> lstm")
        try second.type("", "C-u")
        try second.type("", "C-d")
        second.waitForExit()
        #expect(!second.isRunning)
    }

    @Test func ctrlCStopsALoopAndKeepsTheVariables() throws {
        let term = TerminalSession()
        try term.start(try command())
        try term.waitForPrompts(1)
        try term.type("n = 0", "Enter")
        try term.waitForPrompts(2)
        try term.type("while true { n = n + 1 }", "Enter")
        // Enter has been read once the editor has moved on past the line; then the loop runs.
        try term.waitFor("the loop to start") { $0.contains("rnnlab> while true { n = n + 1 }\n") }
        usleep(500_000)
        try term.type("", "C-c")
        try term.waitFor("the interruption") { $0.contains("interrupted at <input>:1:") }
        try term.waitForPrompts(3)
        try term.type("n > 0", "Enter")
        try term.waitFor("the variable after the interrupt") { $0.contains("Out[1]: true") }
    }

    @Test func ctrlCCancelsTheLineBeingTyped() throws {
        let term = TerminalSession()
        try term.start(try command())
        try term.waitForPrompts(1)
        try term.type("this is not finished (")
        // Ctrl-C only once the whole line is on screen: under load it could otherwise arrive
        // while libedit is still reading the typed characters.
        try term.waitFor("the typed line") { $0.contains("rnnlab> this is not finished (") }
        try term.type("", "C-c")
        try term.waitForPrompts(2)
        try term.type("1 + 1", "Enter")
        let screen = try term.waitFor("the result") { $0.contains("Out[1]: 2") }
        #expect(!screen.contains("error"))
        #expect(!screen.contains("<input>"))
    }

    @Test func multiLineInputUsesTheContinuationPromptAndUTF8Works() throws {
        let term = TerminalSession()
        try term.start(try command())
        try term.waitForPrompts(1)
        try term.type("for i in 0..<2 {", "Enter")
        try term.waitFor("the continuation prompt") { $0.contains("\n   ...>") }
        try term.type("print(i * 10)", "Enter")
        try term.type("}", "Enter")
        try term.waitFor("the loop's output") { $0.contains("\n0\n10\n") }
        try term.type("s = \"héllo → wörld\"", "Enter")
        try term.type("s", "Enter")
        try term.waitFor("the UTF-8 string") { $0.contains("Out[1]: \"héllo → wörld\"") }
    }

    @Test func errorsPrintACaretAndTheSessionGoesOn() throws {
        let term = TerminalSession()
        try term.start(try command())
        try term.waitForPrompts(1)
        try term.type("a = ones(2, 3)", "Enter")
        try term.type("a @ a", "Enter")
        try term.waitFor("the shape error") { $0.contains("(2, 3) and (2, 3)") && $0.contains("  ^") }
        try term.type("a.shape", "Enter")
        try term.waitFor("the session going on") { $0.contains("Out[1]: [2, 3]") }
    }

    /// Guided mode as a learner meets it: `rnnlab` opens the menu (the lessons next to the
    /// binary), Enter starts lesson 1, a wrong answer brings a hint, Tab completes a lesson
    /// variable, :quit leaves, and the next start offers to resume at the same step.
    @Test func theMenuALessonAndResumingInATerminal() throws {
        let binary = try requireBinary()
        let lessons = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Lessons").path
        let launch = "env XDG_STATE_HOME='\(state.path)' XDG_DATA_HOME='\(state.path)' NO_COLOR=1 LANG= LC_ALL= '\(binary.path)' lesson 1 --lessons '\(lessons)'"
        let term = TerminalSession()
        try term.start(launch)
        try term.waitFor("the first step") { $0.contains("step 1 of ") }
        // Type only once the prompt is back: keys typed while a cell runs would echo ahead of it.
        func promptIsLast(_ screen: String) -> Bool {
            screen.split(separator: "\n").last.map { $0.hasPrefix("rnnlab>") || $0.hasPrefix("answer>") } ?? false
        }
        for n in 2...3 {
            try term.type("", "Enter")
            try term.waitFor("step \(n)") { $0.contains("step \(n) of ") && promptIsLast($0) }
        }
        try term.type("s1.sha", "Tab")
        try term.waitFor("completion of a lesson variable") { $0.contains("rnnlab> s1.shape") }
        try term.type("", "Enter")
        try term.waitFor("the shape") { $0.contains("[3, 3]") }
        try term.type(":quit", "Enter")
        term.waitForExit()
        #expect(!term.isRunning)
        let again = TerminalSession()
        try again.start(launch)
        try again.waitFor("the resume offer") { $0.contains("You were at step 3 of ") }
        try again.type("", "Enter")
        // Steps 1–2 are prose, so nothing is replayed; the header of step 3 is shown again.
        try again.waitFor("the resumed step") { $0.contains("── Sequences and memory ") && $0.contains("│ s1 = stack") && promptIsLast($0) }
        try again.type("", "C-d")
        again.waitForExit()
        #expect(!again.isRunning)
    }
}
