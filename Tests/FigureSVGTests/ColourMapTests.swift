import Testing
import Figures
@testable import FigureSVG

/// The two colour maps against their published values, and the heatmap's choice between them.
@Suite struct ColourMapTests {
    /// `a` and `b` within `tolerance` in every channel.
    func close(_ a: RGB, _ b: RGB, _ tolerance: Double) -> Bool {
        abs(a.red - b.red) <= tolerance && abs(a.green - b.green) <= tolerance && abs(a.blue - b.blue) <= tolerance
    }

    @Test func viridisEndsAndMiddleAreMatplotlibs() {
        // matplotlib: viridis(0) = #440154, viridis(1) = #fde725, viridis(0.5) = #21918c.
        #expect(ColourMap.viridis.colour(at: 0).hex == "#440154")
        #expect(ColourMap.viridis.colour(at: 1).hex == "#fde725")
        #expect(ColourMap.viridis.colour(at: 128.0 / 255).hex == "#21918c")
        // Clamped outside 0…1, the middle for NaN.
        #expect(ColourMap.viridis.colour(at: -3) == ColourMap.viridis.colour(at: 0))
        #expect(ColourMap.viridis.colour(at: 7) == ColourMap.viridis.colour(at: 1))
    }

    /// Entries of matplotlib's 256-entry table that are not control points (most halfway between
    /// two): the interpolation stays within 2/255 of them.
    @Test func viridisBetweenControlPointsIsCloseToTheFullTable() {
        let published: [(index: Int, rgb: RGB)] = [
            (8, RGB(0.277018, 0.050344, 0.375715)),
            (24, RGB(0.282884, 0.135920, 0.453427)),
            (56, RGB(0.244972, 0.287675, 0.537260)),
            (88, RGB(0.185556, 0.418570, 0.556753)),
            (100, RGB(0.166617, 0.463708, 0.558119)),
            (127, RGB(0.128729, 0.563265, 0.551229)),
            (136, RGB(0.120565, 0.596422, 0.543611)),
            (152, RGB(0.132268, 0.655014, 0.519661)),
            (184, RGB(0.304148, 0.764704, 0.419943)),
            (200, RGB(0.440137, 0.811138, 0.340967)),
            (216, RGB(0.595839, 0.848717, 0.243329)),
            (232, RGB(0.762373, 0.876424, 0.137064)),
            (250, RGB(0.945636, 0.899815, 0.112838)),
            (252, RGB(0.964894, 0.902323, 0.123941)),
        ]
        for entry in published {
            let got = ColourMap.viridis.colour(at: Double(entry.index) / 255)
            #expect(close(got, entry.rgb, 2 / 255), "entry \(entry.index): \(got) vs \(entry.rgb)")
        }
    }

    @Test func viridisGetsLighterAllTheWay() {
        // Perceived lightness (Rec. 709 luma) rises monotonically: equal steps read as order.
        let luma = (0...50).map { k -> Double in
            let c = ColourMap.viridis.colour(at: Double(k) / 50)
            return 0.2126 * c.red + 0.7152 * c.green + 0.0722 * c.blue
        }
        #expect(zip(luma, luma.dropFirst()).allSatisfy { $0 < $1 })
    }

    @Test func theDivergingMapIsNeutralInTheMiddleAndBlueBelowRedAbove() {
        #expect(ColourMap.diverging.colour(at: 0.5).hex == "#f7f7f7")
        #expect(ColourMap.diverging.colour(at: 0).hex == "#053061")
        #expect(ColourMap.diverging.colour(at: 1).hex == "#67001f")
        let low = ColourMap.diverging.colour(at: 0.2), high = ColourMap.diverging.colour(at: 0.8)
        #expect(low.blue > low.red && high.red > high.blue)
    }

    @Test func signedDataIsCentredOnZero() {
        let c = HeatmapColouring(values: [-0.5, 2, .nan], scale: .auto)
        #expect(c.diverging)
        #expect(c.range == DataRange(lo: -2, hi: 2))
        #expect(c.colour(0)?.hex == "#f7f7f7")
        #expect(c.colour(2)?.hex == "#67001f" && c.colour(-2)?.hex == "#053061")
        // Equal magnitudes, equal distance from the neutral middle.
        #expect(c.range.fraction(0.5) - 0.5 == 0.5 - c.range.fraction(-0.5))
        #expect(c.colour(.nan) == nil && c.colour(.infinity) == nil)
    }

    @Test func nonNegativeDataIsSequentialFromItsMinimum() {
        let c = HeatmapColouring(values: [0.2, 0.6, 1.0], scale: .auto)
        #expect(!c.diverging)
        #expect(c.colour(0.2)?.hex == "#440154" && c.colour(1.0)?.hex == "#fde725")
        // The figure's choice wins over the data's sign.
        #expect(HeatmapColouring(values: [0.2, 0.6], scale: .diverging).colour(0)?.hex == "#f7f7f7")
        #expect(!HeatmapColouring(values: [-1, 1], scale: .sequential).diverging)
        // A flat matrix: the low end of viridis (the terminal's level 0), the middle of RdBu.
        #expect(HeatmapColouring(values: [3, 3], scale: .auto).colour(3)?.hex == "#440154")
        #expect(HeatmapColouring(values: [0, 0], scale: .diverging).colour(0)?.hex == "#f7f7f7")
    }

    @Test func hexRoundsAndClamps() {
        #expect(RGB(0, 0.5, 1).hex == "#0080ff")
        #expect(RGB(-1, 2, .nan).hex == "#00ff00")
    }
}
