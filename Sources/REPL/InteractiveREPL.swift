import CEditLine
import Engine
import Foundation
import Script
import Terminal

/// The interactive prompt: a `LineEditor` feeding a `Session`. Only for a terminal on stdin;
/// otherwise use `Runner` (the CLI decides).
public enum InteractiveREPL {
    public static let prompt = "rnnlab> "
    /// The continuation prompt, as wide as the first so code lines up.
    public static let continuationPrompt = "   ...> "

    /// Runs until `:quit` or Ctrl-D; returns the exit status.
    public static func run(noColor: Bool, historyFile: URL? = defaultHistoryFile()) -> Int32 {
        var options = RenderOptions.current(noColorFlag: noColor)
        let session = Session(options: options, numbered: true,
                              write: { text in print(text, terminator: ""); rl_shim_flush_stdout() },
                              writeError: { text in rl_shim_flush_stdout(); FileHandle.standardError.write(Data(text.utf8)) })
        let editor = LineEditor(historyFile: historyFile, completer: { session.complete($0) })
        let color = options.color
        func styled(_ prompt: String) -> String {
            guard color else { return prompt }
            // \u{1} brackets the escapes so libedit does not count them as columns.
            let body = prompt.dropLast()
            return "\u{1}\(ANSI.bold)\(ANSI.foreground(71))\u{1}\(body)\u{1}\(ANSI.reset)\u{1} "
        }
        let banner = "rnnlab \(EngineInfo.version) — :help lists the commands, Tab completes, Ctrl-D leaves."
        print(ANSI.style(WordWrap.wrap(banner, width: TerminalSize.current()), ANSI.dim, enabled: color))

        var buffer = ""
        while true {
            let read = editor.readLine(prompt: styled(buffer.isEmpty ? prompt : continuationPrompt))
            switch read {
            case .interrupted:
                // libedit has echoed ^C on the line; start afresh below it.
                print("")
                buffer = ""
                continue
            case .endOfInput:
                if buffer.isEmpty {
                    print("")
                    return leave(editor, color: color)
                }
                print("")
                buffer = ""
                continue
            case let .line(line):
                buffer += buffer.isEmpty ? line : "\n" + line
            }
            guard session.isComplete(buffer) else { continue }
            // The whole input is one entry: Up brings a block back with all its lines.
            editor.addHistory(buffer)
            options = session.options
            options.width = TerminalSize.current()
            session.options = options
            let input = buffer
            buffer = ""
            if session.submit(input) == .quit { return leave(editor, color: color) }
        }
    }

    /// `:quit` and Ctrl-D: saves the history and says where.
    static func leave(_ editor: LineEditor, color: Bool) -> Int32 {
        editor.save()
        if let path = editor.historyPath {
            let text = WordWrap.wrap(ControlCharacters.escaped("Your history is saved in \(path)."), width: TerminalSize.current())
            print(ANSI.style(text, ANSI.dim, enabled: color))
        }
        return 0
    }
}
