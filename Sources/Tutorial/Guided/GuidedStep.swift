import Foundation
import Markdown
import Script

/// One thing a learner advances to with Enter: a block of prose, a cell (shown, then run), or a
/// question. Hidden setup cells are not steps; they run just before the step they precede.
public struct GuidedStep: Sendable {
    public enum Content: Sendable {
        case prose(String)
        case cell(Cell)
        /// `index` is the question's position among the lesson's questions (its progress key).
        case question(Question, index: Int)
        /// `index` is the exercise's position among the lesson's exercises (its progress key).
        case exercise(Exercise, index: Int)
    }

    public var content: Content
    /// 1-based line in the lesson file where the step starts.
    public var line: Int
    /// Setup cells to run (silently) before this step is shown.
    public var setup: [Cell]

    /// Flattens a lesson into steps: the one splitter, used by guided mode on screen and by
    /// `rnnlab check` alike, so "step N of M" and what check proves about a step are the same.
    /// Prose is cut by ``proseSteps(_:)``. Setup cells after the last step run before the end is
    /// reached.
    public static func steps(of lesson: Lesson) -> [GuidedStep] {
        var out: [GuidedStep] = []
        var pendingSetup: [Cell] = []
        var questionIndex = 0
        var exerciseIndex = 0
        func append(_ content: Content, line: Int) {
            out.append(GuidedStep(content: content, line: line, setup: pendingSetup))
            pendingSetup = []
        }
        for step in lesson.steps {
            switch step {
            case let .prose(prose):
                var searchFrom = prose.text.startIndex
                for block in proseSteps(prose.text) where !block.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
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
            case let .exercise(e):
                append(.exercise(e, index: exerciseIndex), line: e.line)
                exerciseIndex += 1
            }
        }
        if !pendingSetup.isEmpty, !out.isEmpty { out[out.count - 1].setup += pendingSetup }
        return out
    }

    /// A stretch of prose as the steps a learner reads one at a time: markdown's blocks (a heading
    /// with what follows it, a whole list, table or quote; see `MarkdownSteps`), with a block that
    /// ends in a colon kept together with the one it introduces ("…applied at every step t:" and
    /// its equations).
    public static func proseSteps(_ text: String) -> [String] {
        var out: [String] = []
        for block in MarkdownSteps.steps(text) {
            if let last = out.last, last.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(":") {
                out[out.count - 1] = last + "\n\n" + block
            } else {
                out.append(block)
            }
        }
        return out
    }
}
