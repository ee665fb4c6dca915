import Testing
@testable import Terminal

/// The numbers an unrolled graph writes: short enough for a wire, never rounded to a misleading 0.
@Suite struct UnrollNumberTests {
    @Test func theExponentIsWrittenShort() {
        #expect(UnrollRenderer.exponent("3.1e-09") == "3.1e-9")
        #expect(UnrollRenderer.exponent("2e+03") == "2e3")
        #expect(UnrollRenderer.exponent("1.5e+12") == "1.5e12")
        #expect(UnrollRenderer.exponent("4.9e-21") == "4.9e-21")
    }

    @Test func shortKeepsThreeDigitsInRangeAndPowersOfTenOutside() {
        #expect(UnrollRenderer.short(0.98) == "0.98")
        #expect(UnrollRenderer.short(3.14159) == "3.14")
        #expect(UnrollRenderer.short(3.1e-9) == "3.1e-9")
        #expect(UnrollRenderer.short(-25000) == "-2.5e4")
        #expect(UnrollRenderer.short(0) == "0")
    }

    @Test(arguments: [4.9e-21, -4.9e-21, 1.234, -0.0712, 98765.0, 2.6e-9, -1e300])
    func aWireNumberFitsInSixCharacters(_ x: Double) {
        let s = UnrollRenderer.onWire(x)
        #expect(s.count <= 6, "\(x) → \(s)")
        #expect(Double(s).map { abs($0 - x) <= abs(x) * 0.5 } == true, "\(x) → \(s)")
    }
}
