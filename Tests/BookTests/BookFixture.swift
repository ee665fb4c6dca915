import Book
import Foundation
import Script
import TestSupport
import Tutorial

/// A small lesson with every kind of step the book shows, and hostile text (`<`, `&`, quotes) in
/// its prose, its code and its outputs; run once, as `rnnlab book` runs lessons.
enum BookFixture {
    static let body = #"""
        Some *prose* with `code`, **bold** and $h_t = \tanh(W h_{t-1})$. Hostile: <script>alert("x") & 'y'</script> a < b && c > d.

        - one item with `x < y`
        - two

        | a | b & c |
        |---|--:|
        | <i>1</i> | "2" |

        ```rnn
        x = [1, 2]
        print("<b>bold</b> & \"quoted\" 'single'")
        x
        ```

        ```output
        <b>bold</b> & "quoted" 'single'
        tensor([1, 2])
        ```

        ```rnn
        bars([3, 1, 2], labels: ["<a>", "b&c", "\"q\""])
        ```

        ```output
        <figure bars>
        ```

        ```rnn error
        zeros(2) @ zeros(3)
        ```

        ```quiz
        kind: choice
        prompt: Which are recurrent? (<not> a tag & more)
        choices:
          - LSTM
          - a <linear> layer
          - GRU
        answer: [a, c]
        wrong: [a, "a, b, c"]
        hints:
          - Which ones carry a state?
        explanation: LSTM and GRU carry a hidden state.
        ```

        ```quiz
        kind: numeric
        prompt: What is x[1] / 4?
        answer: 0.5
        tolerance: 0.001
        check: x[1] / 4
        wrong: [0.25, -0.5, 50]
        ```

        ```quiz
        kind: expression
        prompt: Double x.
        answer: 2 * x
        wrong: [x + 1, x * x]
        hints: [Multiply by 2.]
        explanation: Every element twice.
        ```

        ```quiz
        kind: reflection
        prompt: Why would a <b>state</b> help?
        answer: It carries what came before & so "remembers".
        ```

        ## Recap

        - a cell's output is on the page.
        """#

    static var text: String { lessonText(id: "tiny", title: "A <tiny> & \"small\" lesson", order: 1, minutes: 3, body: body) }

    /// The lesson, parsed and run by `LessonChecker` (the plain renderer), with every mismatch but
    /// the estimate of its minutes (which depends on the machine) — none is expected.
    static func checked() throws -> (lesson: Lesson, report: CheckReport) {
        let lesson = try LessonParser.parse(text, file: "01-tiny.md")
        let report = LessonChecker.check(lesson)
        return (lesson, report)
    }

    static func page() throws -> (html: String, report: CheckReport) {
        let (lesson, report) = try checked()
        return (LessonPage.html(lesson, runs: report.runs), report)
    }
}
