import Figures
import Testing
@testable import Terminal

/// Titles, labels and prose come from data and lesson files: their control characters are shown
/// as escapes, and the only ESC in the output is the renderer's own colour.
@Suite struct ControlCharacterTests {
    static let clear = "\u{1b}[2J"

    /// Every ESC in `text` starts one of the renderer's SGR colour sequences (`ESC[…m`).
    func onlyColourEscapes(_ text: String) -> Bool {
        ANSI.strip(text).unicodeScalars.allSatisfy { $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }
            && !text.contains("\u{1b}[2J")
    }

    @Test(arguments: FigureKind.allCases, [false, true])
    func aFigureTitledWithAnEscapeShowsIt(_ kind: FigureKind, _ color: Bool) {
        let c = Self.clear
        let figure = Figure(kind: kind, title: c, series: [[1, 2, 3]], seriesLabels: [c], xLabel: c, yLabel: c,
                            matrix: [[1, 2], [3, 4]], rowLabels: [c, "b"], columnLabels: [c, "d"],
                            values: [1, 2], labels: [c, "\u{9b}2J"])
        let text = render(figure, options: RenderOptions(width: 80, color: color))
        #expect(text.contains("\\u{1b}[2J"))
        #expect(onlyColourEscapes(text))
        if !color { #expect(!text.contains("\u{1b}")) }
    }

    @Test func proseShowsControlCharactersAsEscapes() {
        for color in [false, true] {
            let text = ProseRenderer(options: RenderOptions(width: 60, color: color))
                .render("# Title \(Self.clear)\n\nA *word*\u{7} and `code\u{1b}]0;x\u{7}`.\r\n\n- item \u{8}")
            #expect(text.contains("\\u{1b}[2J"))
            #expect(text.contains("\\u{7}"))
            #expect(text.contains("\\u{8}"))
            #expect(onlyColourEscapes(text))
        }
    }
}
