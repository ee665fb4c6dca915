import Foundation
import Figures

/// What a session showed, kept so `:export` can write it as a notebook: each input with its
/// outputs in order, and (in a guided lesson) the prose, questions and answers around them.
///
/// Outputs are stored as plain text — values rendered without colour at a fixed width
/// (`Transcript.renderWidth`), pictures as their text drawing — so an export is the same whatever
/// terminal the session ran in. A picture that can also be drawn as SVG keeps its `Figure` too,
/// so a notebook gets the SVG beside the text and a markdown export a linked .svg file.
public struct Transcript: Equatable, Sendable {
    /// One piece of what an input produced.
    public enum Output: Equatable, Sendable {
        /// Printed text (`print`, command output).
        case stdout(String)
        /// An error report.
        case stderr(String)
        /// A result: a value the prompt showed as `Out[n]` (or bare, in a lesson).
        case result(String)
        /// A picture with an SVG drawing: its text drawing, the figure itself, and whether it was
        /// the input's result (`Out[n]`) rather than printed.
        case figure(String, Figure, isResult: Bool)
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
    public var entries: [Cell] {
        guard let open, case let .code(source, _) = stored[open] else { return stored }
        var all = stored
        all[open] = .code(source: source, outputs: openOutputs)
        return all
    }
    /// `entries`, except that the open cell's outputs are kept apart in `openOutputs`, where
    /// output is appended in place: recording costs the size of what is added, not of the cell.
    private var stored: [Cell] = []
    /// The code cell receiving outputs (an index in `stored`), while an input runs.
    private var open: Int?
    private var openOutputs: [Output] = []

    public init(title: String? = nil) { self.title = title }

    /// The cells as written: the title as a heading first, unless the first prose already opens
    /// with a level-1 heading of its own (lessons do).
    public var cells: [Cell] {
        let entries = entries
        guard let title, !title.isEmpty else { return entries }
        if case let .markdown(text)? = entries.first, text.hasPrefix("# ") { return entries }
        if case let .markdown(text)? = entries.first { return [.markdown("# \(title)\n\n" + text)] + entries.dropFirst() }
        return [.markdown("# \(title)")] + entries
    }

    /// Opens a code cell for `source`. False (and nothing opened) when one is already open — a
    /// `:load`ed script or a lesson cell's `:command` lines belong to the cell that ran them.
    mutating func beginCode(_ source: String) -> Bool {
        guard open == nil else { return false }
        stored.append(.code(source: source, outputs: []))
        open = stored.count - 1
        openOutputs = []
        return true
    }

    /// Closes the open cell; a line left mid-redraw (ending in `\r`) is ended there.
    mutating func endCode() {
        guard let open, case let .code(source, _) = stored[open] else { self.open = nil; return }
        if case let .stdout(text)? = openOutputs.last, text.hasSuffix("\r") {
            openOutputs[openOutputs.count - 1] = .stdout(String(text.dropLast()) + "\n")
        }
        stored[open] = .code(source: source, outputs: openOutputs)
        openOutputs = []
        self.open = nil
    }

    /// Adds output to the open cell; consecutive text of the same stream is joined, as Jupyter does.
    /// Output while no cell is open (nothing was submitted) is not part of any input and is dropped.
    mutating func record(_ output: Output) {
        guard open != nil else { return }
        let last = openOutputs.count - 1
        switch (last >= 0 ? openOutputs[last] : nil, output) {
        case let (.stdout?, .stdout(b)):
            guard case var .stdout(a) = openOutputs[last] else { return }
            openOutputs[last] = .result("")  // drop the array's reference, so `a` grows in place
            Transcript.appendOverprinted(&a, b)
            openOutputs[last] = .stdout(a)
        case let (.stderr?, .stderr(b)):
            guard case var .stderr(a) = openOutputs[last] else { return }
            openOutputs[last] = .result("")
            Transcript.appendOverprinted(&a, b)
            openOutputs[last] = .stderr(a)
        case let (_, .stdout(b)): openOutputs.append(.stdout(Transcript.overprinted(b)))
        case let (_, .stderr(b)): openOutputs.append(.stderr(Transcript.overprinted(b)))
        default: openOutputs.append(output)
        }
    }

    /// `text = overprinted(text + more)` for `text` already overprinted: only its last line can be
    /// redrawn by what follows, so only that line is looked at again.
    static func appendOverprinted(_ text: inout String, _ more: String) {
        if !text.hasSuffix("\r") && !more.unicodeScalars.contains("\r") {
            text += more
            return
        }
        let scalars = text.unicodeScalars
        let cut = scalars.lastIndex(of: "\n").map { scalars.index(after: $0) } ?? scalars.startIndex
        let tail = String(text[cut...]) + more
        text.removeSubrange(cut...)
        text += overprinted(tail)
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
        if case let .markdown(previous)? = stored.last, open == nil {
            stored[stored.count - 1] = .markdown(previous + "\n\n" + text)
        } else {
            stored.append(.markdown(text))
        }
    }
}

extension Transcript.Output {
    var text: String {
        switch self {
        case let .stdout(t), let .stderr(t), let .result(t), let .figure(t, _, _): return t
        }
    }
}
