import Foundation
import Markdown
import Testing
@testable import Terminal

/// Plain layout at a fixed width, the way guided mode shows prose with colour off.
private func plain(_ markdown: String, width: Int = 40) -> String {
    ProseRenderer(options: RenderOptions(width: width, color: false)).render(markdown)
}

private func colored(_ markdown: String, width: Int = 40) -> String {
    ProseRenderer(options: RenderOptions(width: width, color: true)).render(markdown)
}

/// Lesson prose as guided mode sees it: no front matter and no cells, outputs or questions.
private func lessonProse(_ text: String) -> String {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.first == "---", let close = lines.dropFirst().firstIndex(of: "---") {
        lines.removeSubrange(0...close)
    }
    var out: [String] = []
    var skipping = false
    for line in lines {
        if skipping {
            if line.hasPrefix("```") && line.allSatisfy({ $0 == "`" }) { skipping = false }
            continue
        }
        if line.hasPrefix("```rnn") || line == "```output" || line == "```quiz" { skipping = true; continue }
        out.append(line)
    }
    return out.joined(separator: "\n")
}

/// Whether every SGR opened on a line is closed by a reset before the line ends.
private func endsReset(_ line: String) -> Bool {
    var open = false
    var rest = Substring(line)
    while let start = rest.range(of: "\u{1B}[") {
        let tail = rest[start.upperBound...]
        guard let final = tail.firstIndex(where: { $0.isLetter }) else { return false }
        let code = tail[..<final]
        open = !(tail[final] == "m" && (code == "0" || code.isEmpty))
        rest = tail[tail.index(after: final)...]
    }
    return !open
}

@Suite struct ProseRendererTests {
    // MARK: Headings and paragraphs

    /// A short code span is one word: its spaces never become line breaks, in plain text or colour;
    /// a span wider than `unbrokenCode` still breaks at its spaces rather than overflowing.
    @Test func shortCodeSpansAreNotBrokenAtTheirSpaces() {
        let text = "The weight gradient is one product, `dys.T @ Hs`, summed over the steps."
        for width in 20...60 {
            for rendered in [plain(text, width: width), colored(text, width: width)] {
                let lines = rendered.split(separator: "\n").map { ANSI.strip(String($0)) }
                #expect(lines.contains { $0.contains("dys.T @ Hs") }, "width \(width): \(lines)")
                #expect(lines.allSatisfy { $0.count <= width })
            }
        }
        let long = "Run `train(m, x, y, epochs: 3, batch_size: 16, lr: 0.05)` once."
        let lines = plain(long, width: 30).split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.count <= 30 } && lines.count >= 3, "\(lines)")
    }

    @Test func headings() {
        #expect(plain("# The RNN equations\n\nText.") == "The RNN equations\n═════════════════\n\nText.")
        #expect(plain("## Step 1 by hand") == "Step 1 by hand\n──────────────")
        #expect(plain("### Aside\nText.") == "Aside\n\nText.")
        #expect(plain("## A **bold** `move`") == "A bold `move`\n─────────────")
        // The underline is as wide as the heading looks: wide characters count two, hₜ one each.
        #expect(plain("# 循环 hₜ") == "循环 hₜ\n═══════")
        // Setext headings and closing hashes.
        #expect(plain("Title\n=====\n\nSub\n---") == "Title\n═════\n\nSub\n───")
        #expect(plain("## Closed ##") == "Closed\n──────")
        // A heading longer than the line wraps; the underline never exceeds the width.
        #expect(plain("# one two three four five six", width: 14) == "one two three\nfour five six\n═════════════")
    }

    @Test func paragraphsWrapGreedilyAtTheWidth() {
        let text = """
        An Elman RNN is two equations,
        applied at every step t: the state update and the output, computed by hand.
        """
        #expect(plain(text) == """
        An Elman RNN is two equations, applied
        at every step t: the state update and
        the output, computed by hand.
        """)
        // A word that fits exactly; a word longer than the width gets its own lines, cut there only.
        #expect(plain("1234567890 abc", width: 10) == "1234567890\nabc")
        #expect(plain("see https://example.org/a/very/long/path/to/a/page/about/rnns now", width: 20) == """
        see
        https://example.org/
        a/very/long/path/to/
        a/page/about/rnns
        now
        """)
        let x50 = String(repeating: "x", count: 50)
        #expect(plain("A word \(x50) ends.") == "A word\n\(x50.prefix(40))\n\(x50.suffix(10)) ends.")
        #expect(plain("a\n\nb") == "a\n\nb")
        #expect(plain("hard  \nbreak and\\\nanother") == "hard\nbreak and\nanother")
    }

    // MARK: ProseInline

    @Test func inlineStylesInPlainText() {
        #expect(plain("*em* and _em_, **strong**, __strong__, ***both***") == "em and em, strong, strong, both")
        #expect(plain("call `rnn(input: 3)` now", width: 80) == "call `rnn(input: 3)` now")
        #expect(plain("``a ` b``") == "`` a ` b ``")
        #expect(plain("[the docs](https://example.org) and <https://x.org>", width: 80)
                == "the docs (https://example.org) and https://x.org")
        #expect(plain("[https://x.org](https://x.org)") == "https://x.org")
        // Underscores inside words, lone stars and unmatched delimiters stay as written.
        #expect(plain("W_y, b_y and rnn_cell; 2 * 3 * 4; *open and **open", width: 80)
                == "W_y, b_y and rnn_cell; 2 * 3 * 4; *open and **open")
        #expect(plain("`unclosed code and \\*escaped\\* stars", width: 80) == "`unclosed code and *escaped* stars")
        #expect(plain("*a **b** c*") == "a b c")
        #expect(plain("`*not emphasis*` *but `this`*") == "`*not emphasis*` but `this`")
        #expect(plain("costs $5 and $6 today") == "costs $5 and $6 today")
    }

    @Test func mathBecomesUnicode() {
        #expect(ProseMath.unicode("h_t = \\tanh(W_h h_{t-1} + W_x x_t + b)") == "hₜ = tanh(Wₕ hₜ₋₁ + Wₓ xₜ + b)")
        #expect(ProseMath.unicode("x^2 + y^{-1} + W^T + W^\\top") == "x² + y⁻¹ + Wᵀ + Wᵀ")
        #expect(ProseMath.unicode("\\sigma \\odot \\cdot \\partial \\sum \\prod \\|x\\| \\to \\approx \\le \\ge \\times")
                == "σ ⊙ · ∂ Σ Π ‖x‖ → ≈ ≤ ≥ ×")
        // No Unicode subscript y, b, g: kept as written rather than half converted.
        #expect(ProseMath.unicode("W_y + b_{y} + W_{hy}") == "W_y + b_{y} + W_{hy}")
        #expect(ProseMath.unicode("\\frac{\\partial L}{\\partial h_t}") == "(∂ L)/(∂ hₜ)")
        #expect(ProseMath.unicode("\\mathbf{x}_i \\in \\mathbb{R}^n, \\unknown") == "xᵢ ∈ Rⁿ, \\unknown")
        #expect(ProseMath.unicode("_ ^ x_ \\") == "_ ^ x_ \\")
        #expect(plain("The gate $f_t = \\sigma(a_t)$ scales $c_{t-1}$ by $\\odot$.", width: 80)
                == "The gate fₜ = σ(aₜ) scales cₜ₋₁ by ⊙.")
        #expect(plain("$$\\|h_t\\|^2$$") == "‖hₜ‖²")
    }

    // MARK: Lists, quotes, code, tables

    @Test func listsHangAndNest() {
        let md = """
        - A recurrent network keeps a hidden state and updates it at every step.
        - Short.
          - nested item that is long enough to wrap here
          - second
        * star
        """
        #expect(plain(md) == """
        • A recurrent network keeps a hidden
          state and updates it at every step.
        • Short.
          ◦ nested item that is long enough to
            wrap here
          ◦ second

        • star
        """)
        let ordered = (1...10).map { "\($0). item \($0)" }.joined(separator: "\n")
        #expect(plain(ordered).split(separator: "\n").map(String.init) == (1...10).map {
            ($0 < 10 ? " " : "") + "\($0). item \($0)"
        })
        #expect(plain("3. three\n4. a longer fourth item that wraps", width: 20) == "3. three\n4. a longer fourth\n   item that wraps")
        // Blank lines between items make a loose list: items stay apart.
        #expect(plain("- a\n\n- b\n\n  more b") == "• a\n\n• b\n\n  more b")
        // A lazy continuation line belongs to the item.
        #expect(plain("- first line\nlazy continuation") == "• first line lazy continuation")
        #expect(plain("-") == "•")
    }

    @Test func quotesGetABar() {
        #expect(plain("> A quote that is long enough to be wrapped inside the bar.\n> Still quoted.") == """
        │ A quote that is long enough to be
        │ wrapped inside the bar. Still quoted.
        """)
        #expect(plain("> one\n>\n> two\n>> deeper") == "│ one\n│\n│ two\n│\n│ │ deeper")
    }

    @Test func codeIsIndentedAndNeverRewrapped() {
        let md = """
        Before.

        ```python
        def f(x):

            return  x  *  2
        ```

        ~~~
        bare
        ~~~

            indented code
            keeps   spacing
        """
        #expect(plain(md) == """
        Before.

            def f(x):

                return  x  *  2

            bare

            indented code
            keeps   spacing
        """)
        // Too long for the terminal: folded at a space, the continuation marked.
        #expect(plain("```\nx = [1, 2, 3, 4, 5, 6]  # a comment\n```", width: 24) == """
            x = [1, 2, 3, 4, 5,
           ↪6]  # a comment
        """)
        #expect(plain("```\n" + String(repeating: "a", count: 25) + "\n```", width: 14) == """
            aaaaaaaaaa
           ↪aaaaaaaaaa
           ↪aaaaa
        """)
        #expect(plain("```text\nunclosed\n\nfence") == "    unclosed\n\n    fence")
    }

    @Test func tablesAlignByDisplayWidth() {
        let md = """
        | kind | shape | params |
        |:-----|:-----:|-------:|
        | rnn | (T, B, H) | 14 |
        | `lstm` | hₜ, cₜ | 1024 |
        | 循环 | — | 7 |
        """
        #expect(plain(md) == """
        kind   │   shape   │ params
        ───────┼───────────┼───────
        rnn    │ (T, B, H) │     14
        `lstm` │  hₜ, cₜ   │   1024
        循环   │     —     │      7
        """)
        // Too wide: columns shrink to their longest word, cells wrap, rows are ruled apart.
        let wide = """
        | architecture | example task |
        |---|---|
        | many-to-one | sentiment of a review |
        | one-to-many | image captioning, text generation |
        """
        #expect(plain(wide, width: 30) == """
        architecture │ example task
        ─────────────┼────────────────
        many-to-one  │ sentiment of a
                     │ review
        ─────────────┼────────────────
        one-to-many  │ image
                     │ captioning,
                     │ text generation
        """)
        #expect(plain("| a \\| b | c |\n|---|---|\n| 1 |") == "a | b │ c\n──────┼──\n1     │")
        // Without a pipe in the underline it is a setext heading, not a table.
        #expect(plain("a | b\n---") == "a | b\n─────")
    }

    // MARK: Width

    @Test func displayWidthCountsColumns() {
        #expect(DisplayWidth.columns("hₜ₋₁ ‖∂σ⊙") == 9)
        #expect(DisplayWidth.columns("x\u{302}ₜ") == 2)  // x̂ is one column, its accent none
        #expect(DisplayWidth.columns("日本語") == 6)
        #expect(DisplayWidth.columns("👍🏽 👨‍👩‍👧") == 5)
        #expect(DisplayWidth.columns("❤️ ❤") == 4)
        #expect(DisplayWidth.columns("\u{1B}[1mbold\u{1B}[0m") == 4)
        #expect(DisplayWidth.columns("") == 0)
    }

    @Test func subscriptHeavyMathsWrapsAtTheRightColumn() {
        // Each term is 10 columns but 11 scalars (x̂ is x and a combining circumflex): counting
        // scalars would wrap after two terms.
        let term = "Wₕ·hₜ₋₁+x\u{302}ₜ"
        #expect(DisplayWidth.columns(term) == 10)
        #expect(term.unicodeScalars.count == 11)
        let line = Array(repeating: term, count: 5).joined(separator: " ")
        let lines = plain(line, width: 33).split(separator: "\n").map(String.init)
        #expect(lines == [Array(repeating: term, count: 2).joined(separator: " ") + " " + term,
                          Array(repeating: term, count: 2).joined(separator: " ")])
        #expect(lines.map(DisplayWidth.columns) == [32, 21])
        // Wide characters: words of 4 columns, 14 columns hold three (4+1+4+1+4); a 5-column line one 日本.
        #expect(plain("日本 日本 日本 日本", width: 14) == "日本 日本 日本\n日本")
        #expect(plain("日本日本日本日本", width: 5) == "日本\n日本\n日本\n日本")
    }

    // MARK: Colour

    @Test func colourLinesAreClosed() {
        let md = """
        # Heading with `code` and *emphasis* over several words to wrap

        Some **strong text that wraps across lines** with *italic spanning words too* and
        `code spans that are long` and [a link](https://example.org/a/long/path/that/wraps).

        > quoted **bold** text

        - item with `code`

        | a | b |
        |---|---|
        | **x** | y |

        ```
        code
        ```
        """
        let out = colored(md, width: 30)
        #expect(out.contains("\u{1B}[3m"))
        #expect(out.contains(ANSI.bold))
        for line in out.split(separator: "\n") {
            #expect(endsReset(String(line)), "style left open: \(line.debugDescription)")
            #expect(DisplayWidth.columns(String(line)) <= 30)
        }
        // Colour changes the look, never the layout: without code spans (which keep backticks
        // in plain text) and headings (underlined in plain text), stripping escapes gives the plain text.
        let prose = "Some **strong text that wraps** with *italic words* and [a link](https://x.org) here."
        #expect(ANSI.strip(colored(prose, width: 25)) == plain(prose, width: 25))
        #expect(!plain(md).contains("\u{1B}"))
    }

    // MARK: Blocks

    @Test func blocksFollowTheLearnersSteps() {
        let md = """
        # Title

        First paragraph
        on two lines.

        ## Section
        Paragraph under the section.

        - one

        - two
          continued

        > quote
        > more

        ```python
        a = 1

        b = 2
        ```

        | a | b |
        |---|---|
        | 1 | 2 |

        Intro:
        - x
        - y


        Last.
        """
        #expect(MarkdownSteps.steps(md) == [
            "# Title\n\nFirst paragraph\non two lines.",
            "## Section\nParagraph under the section.",
            "- one\n\n- two\n  continued",
            "> quote\n> more",
            "```python\na = 1\n\nb = 2\n```",
            "| a | b |\n|---|---|\n| 1 | 2 |",
            "Intro:\n- x\n- y",
            "Last.",
        ])
        #expect(MarkdownSteps.steps("") == [])
        #expect(MarkdownSteps.steps("\n\n  \n") == [])
        #expect(MarkdownSteps.steps("```\nnever\n\nclosed") == ["```\nnever\n\nclosed"])
        #expect(MarkdownSteps.steps("# A\n## B\n\ntext\n\n# End") == ["# A\n## B\n\ntext", "# End"])
        #expect(MarkdownSteps.steps("a\r\n\r\nb") == ["a", "b"])
        #expect(MarkdownSteps.steps("text\n## Next\nmore") == ["text", "## Next\nmore"])
    }

    // MARK: Real lessons and hostile input

    @Test(arguments: [60, 80])
    func lessonsFitTheWidth(width: Int) throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Lessons")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.path)
            .filter { $0.first?.isNumber == true && $0.hasSuffix(".md") }.sorted()
        #expect(files.count >= 13)
        for file in files {
            let prose = lessonProse(try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8))
            for color in [false, true] {
                let out = ProseRenderer(options: RenderOptions(width: width, color: color)).render(prose)
                #expect(!out.isEmpty)
                for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
                    #expect(DisplayWidth.columns(String(line)) <= width, "\(file): \(line)")
                    #expect(!line.hasSuffix(" "), "\(file): trailing space in \(line.debugDescription)")
                }
            }
            // Rendering block by block shows the same lines as rendering the whole.
            let r = ProseRenderer(options: RenderOptions(width: width))
            #expect(MarkdownSteps.steps(prose).map(r.render).joined(separator: "\n\n") == r.render(prose), "\(file)")
        }
    }

    @Test func hostileInputRendersWithoutCrashing() {
        let long = String(repeating: "x", count: 10_000)
        let inputs = [
            "", "\n", "*", "**", "_", "`", "``", "$", "$$", "[", "](", "<", ">", "#", "|", "-", "1.", "```",
            String(repeating: "*", count: 10_000), String(repeating: "`", count: 5_000),
            String(repeating: "[", count: 5_000), String(repeating: "$a ", count: 3_000),
            String(repeating: "*a ", count: 3_000), String(repeating: "_a_b ", count: 2_000),
            String(repeating: ">", count: 2_000) + " deep", String(repeating: "  - ", count: 500) + "x",
            String(repeating: "*_", count: 2_000) + "x" + String(repeating: "_*", count: 2_000),
            "| a |\n|---|\n" + String(repeating: "| b | c | d |\n", count: 100),
            "|" + String(repeating: "a|", count: 200) + "\n|" + String(repeating: "-|", count: 200),
            "$" + String(repeating: "\\sqrt{", count: 3_000) + "$", "$" + String(repeating: "x_{", count: 3_000) + "$",
            String(repeating: "[", count: 3_000) + "a" + String(repeating: "](b)", count: 3_000),
            "$\\frac{", "$x^{$", "$\\$", "\t\ttabs\tinside", "a\r\nb\rc", "\u{301}\u{301} lone marks",
            long, "[" + long + "](" + long + ")",
        ]
        for input in inputs {
            for width in [1, 2, 5, 40] {
                _ = plain(input, width: width)
                _ = colored(input, width: width)
            }
            _ = MarkdownSteps.steps(input)
        }
        #expect(plain(long, width: 40).split(separator: "\n").count == 250)
        #expect(plain("") == "")
        #expect(ProseRenderer(options: RenderOptions(width: 0)).render("a b") == "a\nb")
    }
}
