import Foundation
import Script

/// One thing a learner advances to with Enter: a block of prose, a cell (shown, then run), or a
/// question. Hidden setup cells are not steps; they run just before the step they precede.
public struct GuidedStep: Sendable {
    public enum Content: Sendable {
        case prose(String)
        case cell(Cell)
        /// `index` is the question's position among the lesson's questions (its progress key).
        case question(Question, index: Int)
    }

    public var content: Content
    /// 1-based line in the lesson file where the step starts.
    public var line: Int
    /// Setup cells to run (silently) before this step is shown.
    public var setup: [Cell]

    /// Flattens a lesson into steps. `splitProse` cuts a stretch of prose into the blocks shown one
    /// at a time (the terminal's renderer knows markdown blocks; the default cuts at blank lines
    /// outside fences). Setup cells after the last step run before the end is reached.
    public static func steps(of lesson: Lesson, splitProse: (String) -> [String] = GuidedStep.paragraphs) -> [GuidedStep] {
        var out: [GuidedStep] = []
        var pendingSetup: [Cell] = []
        var questionIndex = 0
        func append(_ content: Content, line: Int) {
            out.append(GuidedStep(content: content, line: line, setup: pendingSetup))
            pendingSetup = []
        }
        for step in lesson.steps {
            switch step {
            case let .prose(prose):
                var searchFrom = prose.text.startIndex
                for block in splitProse(prose.text) where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    // The block's line: count the newlines before where it starts in the prose.
                    var line = prose.line
                    let firstLine = block.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? block
                    if let r = prose.text.range(of: firstLine, range: searchFrom..<prose.text.endIndex) {
                        line += prose.text[prose.text.startIndex..<r.lowerBound].filter { $0 == "\n" }.count
                        searchFrom = r.upperBound
                    }
                    append(.prose(block), line: line)
                }
            case let .cell(cell):
                if cell.kind == .setup { pendingSetup.append(cell) } else { append(.cell(cell), line: cell.line) }
            case let .question(q):
                append(.question(q, index: questionIndex), line: q.line)
                questionIndex += 1
            }
        }
        if !pendingSetup.isEmpty, !out.isEmpty { out[out.count - 1].setup += pendingSetup }
        return out
    }

    /// Blocks separated by blank lines, never cutting inside a ``` fence.
    public static func paragraphs(_ text: String) -> [String] {
        var blocks: [String] = []
        var current: [Substring] = []
        var inFence = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmingCharacters(in: .whitespaces).hasPrefix("```") { inFence.toggle() }
            if !inFence && line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !current.isEmpty { blocks.append(current.joined(separator: "\n")); current = [] }
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { blocks.append(current.joined(separator: "\n")) }
        return blocks
    }
}
