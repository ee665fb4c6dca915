import Foundation

/// What a session showed, kept so `:export` can write it as a notebook: each input with its
/// outputs in order, and (in a guided lesson) the prose, questions and answers around them.
///
/// Outputs are stored as plain text — values rendered without colour at a fixed width
/// (`Transcript.renderWidth`), pictures as their text drawing — so an export is the same whatever
/// terminal the session ran in.
public struct Transcript: Equatable, Sendable {
    /// One piece of what an input produced.
    public enum Output: Equatable, Sendable {
        /// Printed text (`print`, command output).
        case stdout(String)
        /// An error report.
        case stderr(String)
        /// A result: a value the prompt showed as `Out[n]` (or bare, in a lesson).
        case result(String)
    }

    /// A notebook cell.
    public enum Cell: Equatable, Sendable {
        case markdown(String)
        case code(source: String, outputs: [Output])
    }

    /// Columns values and pictures are drawn in for export: what a notebook shows unwrapped.
    public static let renderWidth = 80

    /// The lesson's title, written as the first heading (nil at the free prompt).
    public var title: String?
    /// Cells in the order they happened; consecutive markdown is one cell.
    public private(set) var entries: [Cell] = []
    /// The code cell receiving outputs, while an input runs.
    private var open: Int?

    public init(title: String? = nil) { self.title = title }

    /// The cells as written: the title as a heading first, unless the first prose already opens
    /// with a level-1 heading of its own (lessons do).
    public var cells: [Cell] {
        guard let title, !title.isEmpty else { return entries }
        if case let .markdown(text)? = entries.first, text.hasPrefix("# ") { return entries }
        if case let .markdown(text)? = entries.first { return [.markdown("# \(title)\n\n" + text)] + entries.dropFirst() }
        return [.markdown("# \(title)")] + entries
    }

    /// Opens a code cell for `source`. False (and nothing opened) when one is already open — a
    /// `:load`ed script or a lesson cell's `:command` lines belong to the cell that ran them.
    mutating func beginCode(_ source: String) -> Bool {
        guard open == nil else { return false }
        entries.append(.code(source: source, outputs: []))
        open = entries.count - 1
        return true
    }

    /// Closes the open cell; a line left mid-redraw (ending in `\r`) is ended there.
    mutating func endCode() {
        if let open, case .code(let source, var outputs) = entries[open],
           case let .stdout(text)? = outputs.last, text.hasSuffix("\r") {
            outputs[outputs.count - 1] = .stdout(String(text.dropLast()) + "\n")
            entries[open] = .code(source: source, outputs: outputs)
        }
        open = nil
    }

    /// Adds output to the open cell; consecutive text of the same stream is joined, as Jupyter does.
    /// Output while no cell is open (nothing was submitted) is not part of any input and is dropped.
    mutating func record(_ output: Output) {
        guard let open, case .code(let source, var outputs) = entries[open] else { return }
        switch (outputs.last, output) {
        case let (.stdout(a)?, .stdout(b)): outputs[outputs.count - 1] = .stdout(Transcript.overprinted(a + b))
        case let (.stderr(a)?, .stderr(b)): outputs[outputs.count - 1] = .stderr(Transcript.overprinted(a + b))
        case let (_, .stdout(b)): outputs.append(.stdout(Transcript.overprinted(b)))
        case let (_, .stderr(b)): outputs.append(.stderr(Transcript.overprinted(b)))
        default: outputs.append(output)
        }
        entries[open] = .code(source: source, outputs: outputs)
    }

    /// Text as a terminal leaves it after carriage returns: a line redrawn in place (a progress
    /// bar) keeps only what was drawn after its last `\r`, so the export holds the final state
    /// rather than every redraw.
    static func overprinted(_ text: String) -> String {
        guard text.unicodeScalars.contains("\r") else { return text }
        let lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        return lines.map { line in
            // A line still being drawn (ends in `\r`) keeps its last drawing and the `\r`, so the
            // next piece of output replaces it.
            let drawings = line.split(separator: "\r", omittingEmptySubsequences: true)
            return (drawings.last.map(String.init) ?? "") + (line.hasSuffix("\r") ? "\r" : "")
        }.joined(separator: "\n")
    }

    /// Adds prose; it joins the markdown cell before it, so a lesson's paragraphs, a question and
    /// its answers read as one stretch of text between code cells.
    mutating func markdown(_ text: String) {
        let text = text.trimmingCharacters(in: .newlines)
        guard !text.isEmpty else { return }
        if case let .markdown(previous)? = entries.last, open == nil {
            entries[entries.count - 1] = .markdown(previous + "\n\n" + text)
        } else {
            entries.append(.markdown(text))
        }
    }
}

extension Transcript.Output {
    var text: String {
        switch self {
        case let .stdout(t), let .stderr(t), let .result(t): return t
        }
    }
}
