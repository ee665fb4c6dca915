import Foundation
import Engine
import Script

/// What a lesson's code may contain: the language, and not the REPL's `:commands`.
///
/// `:load`, `:export`, `:save`… read and write files the learner names, outside the file-access
/// policy that confines lesson code (`FileAccessPolicy.lesson`), and `rnnlab check` runs cells
/// in a bare interpreter where they do not exist — so a lesson that used one would behave
/// differently in guided mode and in check. The rule is applied once, when a lesson is parsed,
/// so neither mode ever runs such a lesson: the menu lists it as broken and check fails it.
public enum LessonCodeRules {
    /// The first REPL command in `source` as the prompt would see one — a statement that starts
    /// with `:` — with its 1-based line in `source`; nil when there is none.
    public static func replCommand(in source: String) -> (line: Int, command: String)? {
        let standsAlone: (String) -> Bool = { Interpreter.droppingLeadingSpace($0).first == ":" }
        for chunk in Interpreter.statementChunks(of: source, standsAlone: standsAlone) {
            let text = chunk.text.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.hasPrefix(":") { return (chunk.firstLine, String(text.prefix { !$0.isWhitespace })) }
        }
        return nil
    }

    /// The message for a REPL command found in lesson code (`what`: "a cell", "an answer key").
    public static func replCommandMessage(_ command: String, in what: String) -> String {
        "\(ControlCharacters.escaped(command)) is a REPL command, which is not allowed in \(what) of a lesson (lessons run only rnnlab code, the same in guided mode and in check)"
    }
}
