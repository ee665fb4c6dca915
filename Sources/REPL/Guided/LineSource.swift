import CEditLine
import Foundation

/// Where guided mode and the menu read lines: libedit on a terminal, plain stdin otherwise
/// (a transcript: the prompt and what was read are echoed so a piped run reads like a session),
/// or a list of lines in tests.
public protocol LineSource: AnyObject {
    func read(prompt: String) -> LineEditor.Read
    /// Remembers an entry (history on a terminal).
    func remember(_ line: String)
    func save()
    /// Where the history is kept across sessions, or nil when it is not.
    var historyPath: String? { get }
}

extension LineSource {
    public var historyPath: String? { nil }
}

extension LineEditor: LineSource {
    public func read(prompt: String) -> Read { readLine(prompt: prompt) }
    public func remember(_ line: String) { if !line.trimmingCharacters(in: .whitespaces).isEmpty { addHistory(line) } }
}

/// Lines from stdin (not a terminal), or from an array.
public final class PlainLineSource: LineSource {
    private var lines: [String]?
    private let echo: (String) -> Void

    /// Reads stdin.
    public init(echo: @escaping (String) -> Void) { self.lines = nil; self.echo = echo }
    /// Reads `lines`, then reports the end of input.
    public init(lines: [String], echo: @escaping (String) -> Void) { self.lines = lines; self.echo = echo }

    public func read(prompt: String) -> LineEditor.Read {
        let line: String?
        if var queue = lines {
            line = queue.isEmpty ? nil : queue.removeFirst()
            lines = queue
        } else {
            line = Swift.readLine()
        }
        guard let line else { return .endOfInput }
        echo(prompt + line + "\n")
        return .line(line)
    }

    public func remember(_ line: String) {}
    public func save() {}
}
