import Foundation
import Testing
import Figures
@testable import FigureSVG

/// What a reader finds written on the pictures: labels, ticks, escaped text.
@Suite struct FigureTextTests {
    @Test func markupInTitlesAndLabelsIsText() throws {
        let title = "<b>a & \"b\" 'c'</b>\u{1B}[2J"
        let document = try #require(SVGFigure.document(.bars([1], labels: ["x<y"], title: title)))
        let parsed = try #require(ParsedSVG(document))
        #expect(parsed.texts.contains("<b>a & \"b\" 'c'</b>\\u{1B}[2J"))
        #expect(parsed.texts.contains("x<y"))
        #expect(parsed.all("b").isEmpty)
    }

    @Test func aHeatmapWritesItsLabelsAndScaleTicks() throws {
        let figure = Figure.heatmap([[-2, 0, 1], [0.5, 2, -1]], rowLabels: ["r0", "r1"], columnLabels: ["a", "b", "c"],
                                    title: "W", xLabel: "input", yLabel: "output")
        let texts = try #require(ParsedSVG(SVGFigure.document(figure)!)).texts
        for label in ["W", "r0", "r1", "a", "b", "c", "input", "output"] { #expect(texts.contains(label), "\(label)") }
        // The diverging bar spans [-2, 2] with nice ticks including 0.
        #expect(["-2", "-1", "0", "1", "2"].allSatisfy { texts.contains($0) })
    }

    @Test func aHeatmapWithoutLabelsGetsIndicesAtRoundSteps() throws {
        let figure = Figure.heatmap((0..<3).map { _ in (0..<120).map(Double.init) })
        let texts = try #require(ParsedSVG(SVGFigure.document(figure)!)).texts
        // Columns every 10 (4 pixels each); the three rows, tall enough, each get their index.
        #expect(["0", "10", "110", "1", "2"].allSatisfy { texts.contains($0) })
        #expect(!texts.contains("5") && !texts.contains("119"))
    }

    @Test func aTallMatrixGetsCellsLongerThanHigh() throws {
        let figure = Figure.heatmap((0..<180).map { r in (0..<4).map { c in Double(r * c) } })
        let cells = try #require(ParsedSVG(SVGFigure.document(figure)!)).all("rect").filter { $0.attributes["height"] == "2" }
        #expect(cells.count == 180 * 4)
        #expect(cells.allSatisfy { $0.attributes["width"] == "12" })
    }

    @Test func largeMatricesAreAveragedAndSaySo() throws {
        let figure = Figure.heatmap((0..<450).map { r in [Double(r), Double(-r)] })
        let parsed = try #require(ParsedSVG(SVGFigure.document(figure)!))
        #expect(parsed.texts.contains("(rows averaged 450 → 200)"))
        #expect(parsed.all("rect").count < 200 * 2 + ScaleBar.bands + 10)
    }

    @Test func aLinePlotHasNiceTicksALegendAndAxisNames() throws {
        let figure = Figure.linePlot([[0, 0.5, 1], [1, 0.4, 0.2]], labels: ["up", "down"], x: [0, 50, 100],
                                     title: "t", xLabel: "step", yLabel: "loss")
        let texts = try #require(ParsedSVG(SVGFigure.document(figure)!)).texts
        #expect(["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"].allSatisfy { texts.contains($0) })
        #expect(["0", "20", "40", "60", "80", "100"].allSatisfy { texts.contains($0) })
        #expect(["up", "down", "step", "loss", "t"].allSatisfy { texts.contains($0) })
        // One series and no labels: no legend.
        let single = try #require(ParsedSVG(SVGFigure.document(.linePlot([[3, 1, 2]]))!)).texts
        #expect(!single.contains("series 1"))
    }

    @Test func aLogAxisIsLabelledInPowersOfTen() throws {
        let texts = try #require(ParsedSVG(SVGFigure.document(.linePlot([[1, 1e-3, 1e-6]], logScale: true))!)).texts
        #expect(["1", "0.01", "1e-04", "1e-06"].allSatisfy { texts.contains($0) })
        #expect(texts.contains("(log scale)"))
    }

    @Test func aSparklineWritesItsRange() throws {
        let texts = try #require(ParsedSVG(SVGFigure.document(.sparkline([3, 1, 4, 1, 5], title: "pi"))!)).texts
        #expect(texts == ["pi", "1 … 5"])
    }
}
