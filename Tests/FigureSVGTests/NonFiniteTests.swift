import Foundation
import Testing
import Figures
@testable import FigureSVG

/// NaN and ±∞ are legal data (a diverged loss, a masked cell): they must show as a marked cell or
/// a gap, and never reach a coordinate, where they would make the document unreadable.
@Suite struct NonFiniteTests {
    static let names = ["heatmap", "all-nan heatmap", "plot", "all-nan plot", "log plot of non-positives", "sparkline",
                        "all-nan sparkline", "bars", "all-nan bars", "huge", "huge heatmap", "huge bars", "empty",
                        "empty heatmap", "ragged heatmap", "unroll", "unroll without steps"]
    static let nan = Double.nan, inf = Double.infinity

    /// One function per case: a single literal of them all is more than the type checker takes.
    static func figure(_ name: String) -> Figure? {
        switch name {
        case "heatmap": return Figure.heatmap([[nan, 1, -inf], [inf, 0, -2]], title: "masked")
        case "all-nan heatmap": return Figure.heatmap([[nan, nan], [nan, nan]])
        case "plot": return Figure.linePlot([[1, nan, 3, inf, 2, -inf, 4]], x: [0, 1, 2, 3, nan, 5, 6])
        case "all-nan plot": return Figure.linePlot([[nan, inf]])
        case "log plot of non-positives": return Figure.linePlot([[0, -1]], logScale: true)
        case "sparkline": return Figure.sparkline([nan, 1, inf, 2, 3, nan])
        case "all-nan sparkline": return Figure.sparkline([nan, nan])
        case "bars": return Figure.bars([nan, inf, -inf, 1])
        case "all-nan bars": return Figure.bars([nan])
        case "huge": return Figure.linePlot([[-1e308, 1e308, 5e-324]])
        case "huge heatmap": return Figure.heatmap([[-1e308, 1e308], [5e-324, 0]])
        case "huge bars": return Figure.bars([1e308, -1e308])
        case "empty": return Figure.linePlot([])
        case "empty heatmap": return Figure.heatmap([])
        case "ragged heatmap": return Figure.heatmap([[1, 2, 3], [4]])
        case "unroll":
            return Figure.unroll(UnrolledGraph(cell: .gru, inputSize: 2, hiddenSize: 2, initial: nan, states: [inf, nan],
                                               outputs: [inf, nan], inputs: [-inf, 1e308], gradients: [nan, -inf]))
        case "unroll without steps":
            return Figure.unroll(UnrolledGraph(cell: .rnn, inputSize: 1, hiddenSize: 1, initial: 0, states: [], outputs: [], inputs: []))
        default: return nil
        }
    }

    @Test(arguments: names)
    func nonFiniteValuesNeverReachACoordinate(_ name: String) throws {
        let figure = try #require(NonFiniteTests.figure(name))
        let document = try #require(SVGFigure.document(figure))
        let parsed = try #require(ParsedSVG(document))
        #expect(parsed.nonFiniteAttributes.isEmpty, "\(name): \(parsed.nonFiniteAttributes)")
    }

    @Test func aNaNCellIsGreyAndCrossedAndTheKeySaysSo() throws {
        let parsed = try #require(ParsedSVG(SVGFigure.document(.heatmap([[.nan, 1], [.infinity, 0.5]]))!))
        // Two missing cells, and the key's sample square.
        #expect(parsed.all("rect").filter { $0.attributes["fill"] == Palette.missing }.count == 3)
        #expect(parsed.texts.contains("not a number"))
        let clean = try #require(ParsedSVG(SVGFigure.document(.heatmap([[0, 1]]))!))
        #expect(!clean.texts.contains("not a number"))
    }

    @Test func aNaNBreaksTheLineAndInfinitiesAreCounted() throws {
        let parsed = try #require(ParsedSVG(SVGFigure.document(.linePlot([[1, 2, .nan, 3, 4, .infinity, 5]]))!))
        // Three runs: (1, 2), (3, 4) as lines, and 5 alone as a dot.
        #expect(parsed.all("polyline").count == 2)
        #expect(parsed.all("circle").count == 1)
        #expect(parsed.texts.contains("(1 value is ±inf: left out)"))
    }

    @Test func barsWriteNonFiniteValuesAsWordsWithoutABar() throws {
        let parsed = try #require(ParsedSVG(SVGFigure.document(.bars([.nan, 2, -.infinity]))!))
        #expect(parsed.all("rect").filter { $0.attributes["fill"] == Palette.bar }.count == 1)
        #expect(parsed.texts.contains("nan") && parsed.texts.contains("-inf") && parsed.texts.contains("2"))
    }

    @Test func emptyFiguresSayWhy() throws {
        #expect(try #require(ParsedSVG(SVGFigure.document(.linePlot([[.nan]]))!)).texts == ["(nothing to plot: all 1 values are nan or ±inf)"])
        #expect(try #require(ParsedSVG(SVGFigure.document(.linePlot([[0, -2]], logScale: true))!)).texts
                == ["(nothing to plot: all 2 values are ≤ 0, which a log scale cannot show)"])
        #expect(try #require(ParsedSVG(SVGFigure.document(.heatmap([], title: "w"))!)).texts == ["w", "(empty heatmap 0×0)"])
    }
}
