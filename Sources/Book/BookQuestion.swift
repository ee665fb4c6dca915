import Foundation
import Script
import Tutorial

/// A lesson's question as it stands on a page.
///
/// Choice and numeric questions are answered in the page: their key and the lesson's listed wrong
/// answers travel as `data-` attributes (escaped like any text), and `book.js` grades an answer
/// as `Grader` does — a choice by the exact set of letters, a number within the lesson's absolute
/// tolerance, |x − answer| ≤ tolerance — showing the next hint after each wrong try, and the
/// answer after `tries` wrong ones, as in guided mode; the explanation follows the verdict.
/// Expression questions need the language to be graded, so their key is shown behind a
/// "show answer" control; a reflection is a prompt with a model answer to compare with.
enum BookQuestion {
    /// Wrong tries before the page shows the answer (guided mode's `triesBeforeReveal`).
    static let tries = GuidedLesson.defaultTriesBeforeReveal

    /// `number`: the question's place in the lesson, 1-based (its id on the page is `qN`).
    static func html(_ q: Question, number: Int) -> String {
        let id = "q\(number)"
        let prompt = "<div class=\"prompt\">\(BookProse.html(q.prompt))</div>"
        switch q.kind {
        case let .choice(choices, correct):
            let items = choices.enumerated().map { k, choice in
                "<li><label><input type=\"checkbox\" name=\"\(id)\" value=\"\(k)\" /> <span class=\"letter\">\(Question.label(k)))</span> \(BookProse.inline(choice))</label></li>"
            }.joined(separator: "\n")
            let key = correct.sorted().map(Question.label).joined(separator: ", ")
            return form(id: id, kind: "choice", data: [
                ("correct", correct.sorted().map(String.init).joined(separator: ",")),
                ("key", key),
            ], q: q, body: prompt + "\n<p class=\"how\">Tick every right choice.</p>\n<ul class=\"choices\">\n\(items)\n</ul>",
            reveal: "The answer: \(key).")
        case let .numeric(answer, tolerance, _):
            let input = "<p class=\"answer-line\"><label>Your answer: <input type=\"text\" inputmode=\"decimal\" autocomplete=\"off\" name=\"\(id)\" /></label></p>"
            return form(id: id, kind: "numeric", data: [
                ("answer", "\(answer)"), ("tolerance", "\(tolerance)"),
            ], q: q, body: prompt + "\n" + input, reveal: "The answer: \(formatNumber(answer)) (within \(formatNumber(tolerance))).")
        case let .expression(key, _, _, _):
            return "<section class=\"question expression\" id=\"\(id)\">\n<h3 class=\"question-label\">Question \(number)</h3>\n\(prompt)\n"
                + hintsDetails(q.hints)
                + "<details class=\"answer\"><summary>show answer</summary>\n<pre class=\"code\"><code>\(LessonPage.code(key))</code></pre>\n"
                + explanation(q.explanation, hidden: false) + "</details>\n</section>"
        case let .reflection(model):
            return "<section class=\"question reflection\" id=\"\(id)\">\n<h3 class=\"question-label\">Think about it</h3>\n\(prompt)\n"
                + "<p><textarea rows=\"3\" aria-label=\"your own words (not graded, not saved)\"></textarea></p>\n"
                + "<details class=\"answer\"><summary>compare with a model answer</summary>\n\(BookProse.html(model))\n"
                + explanation(q.explanation, hidden: false) + "</details>\n</section>"
        }
    }

    /// A question the page grades: the data for `book.js`, the hints (hidden until a wrong try),
    /// the answer (hidden until the last try) and the explanation (hidden until a verdict).
    private static func form(id: String, kind: String, data: [(String, String)], q: Question, body: String, reveal: String) -> String {
        let wrong = (try? JSONEncoder.sorted.encode(q.wrong)).flatMap { String(data: $0, encoding: .utf8) } ?? "[]"
        let attributes = (data + [("wrong", wrong), ("tries", "\(tries)")])
            .map { " data-\($0.0)=\"\(HTMLText.attribute($0.1))\"" }.joined()
        let hints = q.hints.map { "<div class=\"hint\" hidden=\"hidden\"><strong>Hint.</strong> \(BookProse.html($0))</div>" }.joined(separator: "\n")
        return "<section class=\"question graded \(kind)\" id=\"\(id)\"\(attributes)>\n<h3 class=\"question-label\">Question \(id.dropFirst())</h3>\n"
            + body + "\n"
            + "<p class=\"actions\"><button type=\"button\" class=\"check\">Check</button></p>\n"
            + "<p class=\"verdict\" aria-live=\"polite\"></p>\n"
            + (hints.isEmpty ? "" : "<div class=\"hints\">\n\(hints)\n</div>\n")
            + "<p class=\"reveal\" hidden=\"hidden\">\(HTMLText.text(reveal))</p>\n"
            + explanation(q.explanation, hidden: true)
            + "</section>"
    }

    private static func explanation(_ text: String, hidden: Bool) -> String {
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return "" }
        return "<div class=\"explanation\"\(hidden ? " hidden=\"hidden\"" : "")>\(BookProse.html(text))</div>\n"
    }

    /// Hints of a question the page does not grade, one under the other behind a control.
    static func hintsDetails(_ hints: [String]) -> String {
        guard !hints.isEmpty else { return "" }
        return "<details class=\"hints\"><summary>hints</summary>\n"
            + hints.map { "<div class=\"hint\">\(BookProse.html($0))</div>" }.joined(separator: "\n") + "\n</details>\n"
    }
}

extension JSONEncoder {
    /// Same data, same bytes: keys sorted, slashes as they are.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}
