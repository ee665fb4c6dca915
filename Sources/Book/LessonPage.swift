import Figures
import Foundation
import Tutorial

/// One lesson as a page of the book: the steps a learner advances through in guided mode, in the
/// same order and cut by the same splitter (`GuidedStep.steps`), with each cell's code followed by
/// what it printed when `rnnlab check` ran the lesson.
public enum LessonPage {
    /// The file name of a lesson's page: `NN-id.html`, beside `index.html`.
    public static func fileName(_ meta: LessonMeta) -> String {
        String(format: "%02ld-%@.html", meta.order, meta.id)
    }

    /// The page of `lesson`; `runs` are the cells' runs from its check (`CheckReport.runs`);
    /// `previous` and `next` are the neighbouring lessons, for the links at the foot.
    public static func html(_ lesson: Lesson, runs: [(cell: Cell, run: LessonSession.CellRun)],
                            previous: LessonMeta? = nil, next: LessonMeta? = nil) -> String {
        let meta = lesson.meta
        var byLine: [Int: LessonSession.CellRun] = [:]
        for r in runs { byLine[r.cell.line] = r.run }
        let header = "<header class=\"lesson-meta\">\n<p class=\"kicker\">Lesson \(meta.order) · about \(meta.minutes) minutes</p>\n"
            + objectives(meta.objectives) + "</header>"
        var body: [String] = []
        var questionNumber = 0
        // The minutes and objectives go under the lesson's own title (its first heading), or first.
        var headerPlaced = false
        for step in GuidedStep.steps(of: lesson) {
            if !headerPlaced, case let .prose(text) = step.content, case .heading(1, _)? = BookProse.parse(text).first {
                let blocks = BookProse.parse(text)
                body.append(BookProse.block(blocks[0], tight: false))
                body.append(header)
                body.append(BookProse.blocks(Array(blocks.dropFirst()), tight: false))
                headerPlaced = true
                continue
            }
            if !headerPlaced { body.append(header); headerPlaced = true }
            switch step.content {
            case let .prose(text):
                body.append(BookProse.html(text))
            case let .cell(cell):
                body.append(cellHTML(cell, run: byLine[cell.line]))
            case let .question(q, _):
                questionNumber += 1
                body.append(BookQuestion.html(q, number: questionNumber))
            case let .exercise(e, index):
                body.append(exerciseHTML(e, number: index + 1, lesson: meta.order))
            }
        }
        if !headerPlaced { body.append(header) }
        let nav = navigation(previous: previous, next: next)
        return document(title: "\(meta.order). \(meta.title)",
                        body: nav + "\n<main>\n" + body.joined(separator: "\n") + "\n</main>\n" + nav)
    }

    static func objectives(_ list: [String]) -> String {
        guard !list.isEmpty else { return "" }
        return "<p>You will be able to:</p>\n<ul class=\"objectives\">\n"
            + list.map { "<li>\(BookProse.inline($0))</li>" }.joined(separator: "\n") + "\n</ul>\n"
    }

    static func navigation(previous: LessonMeta?, next: LessonMeta?) -> String {
        var links = ["<a href=\"index.html\">All lessons</a>"]
        if let previous { links.append("<a rel=\"prev\" href=\"\(HTMLText.attribute(fileName(previous)))\">← \(HTMLText.text(previous.title))</a>") }
        if let next { links.append("<a rel=\"next\" href=\"\(HTMLText.attribute(fileName(next)))\">\(HTMLText.text(next.title)) →</a>") }
        return "<nav class=\"lessons\">" + links.joined(separator: " ") + "</nav>"
    }

    /// A cell: its code, then its output — text as printed, each figure through `BookFigure` — and,
    /// for an `rnn error` cell, the message it fails with.
    static func cellHTML(_ cell: Cell, run: LessonSession.CellRun?) -> String {
        let kind = cell.kind == .error ? "cell error" : "cell"
        var out = "<div class=\"\(kind)\">\n<pre class=\"code\"><code>\(code(cell.source))</code></pre>\n"
        if let run {
            var pieces: [String] = []
            for piece in run.pieces {
                switch piece {
                case let .text(text):
                    let trimmed = text.hasSuffix("\n") ? String(text.dropLast()) : text
                    pieces.append("<pre class=\"output\">\(HTMLText.text(trimmed))</pre>")
                case let .figure(figure, _):
                    pieces.append(BookFigure.html(figure))
                }
            }
            if let error = run.error {
                pieces.append("<pre class=\"output failure\">\(HTMLText.text(error.message))</pre>")
            }
            if !pieces.isEmpty { out += "<div class=\"outputs\">\n" + pieces.joined(separator: "\n") + "\n</div>\n" }
        }
        return out + "</div>"
    }

    /// An exercise: the task and the template to start from, the hints, and the worked solution
    /// with why it is written so behind "show answer". Passing it is checked by rnnlab itself.
    static func exerciseHTML(_ e: Exercise, number: Int, lesson: Int) -> String {
        "<section class=\"exercise\" id=\"e\(number)\">\n<h3 class=\"question-label\">Exercise \(number): write <code>\(HTMLText.text(e.function))</code></h3>\n"
            + "<div class=\"prompt\">\(BookProse.html(e.prompt))</div>\n"
            + "<p>Start from:</p>\n<pre class=\"code\"><code>\(code(e.template))</code></pre>\n"
            + BookQuestion.hintsDetails(e.hints)
            + "<details class=\"answer\"><summary>show answer</summary>\n<pre class=\"code\"><code>\(code(e.solution))</code></pre>\n"
            + "<div class=\"explanation\">\(BookProse.html(e.why))</div>\n</details>\n"
            + "<p class=\"how\">In rnnlab, <code>rnnlab lesson \(lesson)</code> checks the function you write against every case (<code>rnnlab exercise \(lesson) \(HTMLText.text(e.function))</code> checks the file you saved).</p>\n"
            + "</section>"
    }

    /// Code as written, escaped, without the blank lines a YAML block leaves at its end.
    static func code(_ source: String) -> String {
        var s = Substring(source)
        while let last = s.last, last == "\n" || last == " " { s = s.dropLast() }
        return HTMLText.text(String(s))
    }

    /// A whole XHTML page: the book's one style sheet and one script, nothing fetched from elsewhere.
    static func document(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en" xml:lang="en">
        <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>\(HTMLText.text(title)) — rnnlab</title>
        <link rel="stylesheet" href="\(BookAssets.styleSheet)" />
        <script src="\(BookAssets.script)" defer="defer"></script>
        </head>
        <body>
        \(body)
        </body>
        </html>

        """
    }
}
