import Figures

/// A colour as red, green, blue in 0…1, written as `#rrggbb`.
public struct RGB: Equatable, Sendable {
    public var red: Double, green: Double, blue: Double

    public init(_ red: Double, _ green: Double, _ blue: Double) {
        self.red = red; self.green = green; self.blue = blue
    }

    /// `#rrggbb`, each channel rounded to the nearest of 0…255 (clamped, so never out of range).
    public var hex: String {
        func byte(_ v: Double) -> String {
            let b = Int((min(1, max(0, v.isFinite ? v : 0)) * 255).rounded())
            let s = String(b, radix: 16)
            return b < 16 ? "0" + s : s
        }
        return "#" + byte(red) + byte(green) + byte(blue)
    }

    /// The colour `t` of the way from `self` to `other` (linear in sRGB, as matplotlib's
    /// `LinearSegmentedColormap` interpolates its control points).
    func mixed(with other: RGB, _ t: Double) -> RGB {
        RGB(red + (other.red - red) * t, green + (other.green - green) * t, blue + (other.blue - blue) * t)
    }
}

/// Maps a position 0…1 to a colour by linear interpolation between evenly spaced control points.
///
/// Why these two maps:
/// - **Sequential: viridis.** Its lightness rises steadily from dark purple to yellow, so equal
///   steps in value look like equal steps in colour, it stays ordered in greyscale print, and it is
///   readable with the common colour-vision deficiencies — unlike a rainbow, which invents edges.
/// - **Diverging: ColorBrewer RdBu** (reversed: blue for negative, red for positive), whose middle
///   is a near-white neutral. Signed data (weights, pre-activations) is read around zero, so zero is
///   the neutral colour and equal magnitudes get equal intensity on either side — the same rule as
///   the terminal's blue–white–red heatmap.
public struct ColourMap: Sendable {
    /// The colours at positions 0, 1/(n−1), …, 1.
    public let controlPoints: [RGB]
    /// Where each control point sits in 0…1 (evenly spaced unless given).
    let positions: [Double]

    init(_ points: [RGB], positions: [Double]? = nil) {
        controlPoints = points
        self.positions = positions ?? points.indices.map { Double($0) / Double(max(1, points.count - 1)) }
    }

    /// The colour at `t` (clamped to 0…1; NaN maps to the middle).
    public func colour(at t: Double) -> RGB {
        let t = t.isNaN ? 0.5 : min(1, max(0, t))
        guard controlPoints.count > 1 else { return controlPoints.first ?? RGB(0, 0, 0) }
        var k = 0
        while k + 2 < positions.count && positions[k + 1] < t { k += 1 }
        let (a, b) = (positions[k], positions[k + 1])
        let f = b > a ? (t - a) / (b - a) : 0
        return controlPoints[k].mixed(with: controlPoints[k + 1], min(1, max(0, f)))
    }

    /// Viridis, from 19 of the 256 entries of matplotlib's published table (`_viridis_data` in
    /// `lib/matplotlib/_cm_listed.py`, by Stéfan van der Walt and Nathaniel Smith, CC0): entries
    /// 0, 16, 32, …, 240, then 244, 248 and 255, where the blue channel turns sharply. Linear
    /// interpolation between them stays within 2/255 of the full table — less than a visible step —
    /// at the entries halfway between control points, where it is furthest off (the tests check
    /// fourteen of them; the largest difference, 1.9/255, is at entry 232).
    public static let viridis = ColourMap([
        RGB(0.267004, 0.004874, 0.329415),  // 0
        RGB(0.282327, 0.094955, 0.417331),  // 16
        RGB(0.278826, 0.175490, 0.483397),  // 32
        RGB(0.258965, 0.251537, 0.524736),  // 48
        RGB(0.229739, 0.322361, 0.545706),  // 64
        RGB(0.199430, 0.387607, 0.554642),  // 80
        RGB(0.172719, 0.448791, 0.557885),  // 96
        RGB(0.149039, 0.508051, 0.557250),  // 112
        RGB(0.127568, 0.566949, 0.550556),  // 128
        RGB(0.120638, 0.625828, 0.533488),  // 144
        RGB(0.157851, 0.683765, 0.501686),  // 160
        RGB(0.239374, 0.735588, 0.455688),  // 176
        RGB(0.369214, 0.788888, 0.382914),  // 192
        RGB(0.515992, 0.831158, 0.294279),  // 208
        RGB(0.678489, 0.863742, 0.189503),  // 224
        RGB(0.845561, 0.887322, 0.099702),  // 240
        RGB(0.886271, 0.892374, 0.095374),  // 244
        RGB(0.926106, 0.897330, 0.104071),  // 248
        RGB(0.993248, 0.906157, 0.143936),  // 255
    ], positions: (0..<16).map { Double($0 * 16) / 255 } + [244.0 / 255, 248.0 / 255, 1])

    /// ColorBrewer RdBu, 11 classes (Cynthia Brewer, colorbrewer2.org, Apache-2.0 licence),
    /// reversed so that position 0 (most negative) is dark blue, 0.5 is the neutral #f7f7f7 and
    /// 1 (most positive) is dark red.
    public static let diverging = ColourMap([
        hex(0x053061), hex(0x2166ac), hex(0x4393c3), hex(0x92c5de), hex(0xd1e5f0), hex(0xf7f7f7),
        hex(0xfddbc7), hex(0xf4a582), hex(0xd6604d), hex(0xb2182b), hex(0x67001f),
    ])

    static func hex(_ v: Int) -> RGB {
        RGB(Double((v >> 16) & 0xFF) / 255, Double((v >> 8) & 0xFF) / 255, Double(v & 0xFF) / 255)
    }
}

/// How a heatmap's values become colours: the map, and the interval it spans.
///
/// The rule is the terminal renderer's (`HeatmapScale` in Figures): `.auto` is diverging when any
/// finite value is negative; diverging spans `[-m, m]` with m the largest |v|, so 0 sits exactly
/// at the neutral middle; sequential spans the finite `[min, max]`.
public struct HeatmapColouring: Sendable {
    public let diverging: Bool
    public let range: DataRange

    public init(values: [Double], scale: HeatmapScale) {
        let finite = values.filter(\.isFinite)
        switch scale {
        case .diverging: diverging = true
        case .sequential: diverging = false
        case .auto: diverging = finite.contains { $0 < 0 }
        }
        if diverging {
            let m = finite.map(abs).max() ?? 0
            range = DataRange(lo: -m, hi: m)!
        } else {
            range = DataRange(finiteValuesOf: finite) ?? DataRange(lo: 0, hi: 0)!
        }
    }

    public var map: ColourMap { diverging ? .diverging : .viridis }

    /// The colour of a finite value; nil for NaN and ±∞, which are drawn as missing.
    public func colour(_ v: Double) -> RGB? {
        guard v.isFinite else { return nil }
        // A flat range has no direction: the middle of a diverging map (0 is neutral), the low
        // end of a sequential one, as the terminal draws it.
        if range.hi == range.lo { return map.colour(at: diverging ? 0.5 : 0) }
        return map.colour(at: range.fraction(v))
    }
}
