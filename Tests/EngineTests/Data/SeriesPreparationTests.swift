import Testing
@testable import Engine

@Suite struct SeriesPreparationTests {
    @Test func windowsMatchAHandBuiltExample() throws {
        // Series 10, 11, …, 15; windows of 3 with horizon 2: starts 0, 1 → N = 6 − 3 − 2 + 1 = 2.
        let (x, y) = try SeriesPreparation.windows([10, 11, 12, 13, 14, 15], size: 3, horizon: 2)
        #expect(x.shape == [3, 2, 1] && y.shape == [2, 2])
        // Time-major: x[t, i] = series[i + t].
        #expect(x.storage == [10, 11, 11, 12, 12, 13])
        #expect(y.storage == [13, 14, 14, 15])
        let one = try SeriesPreparation.windows([1, 2, 3], size: 2)
        #expect(one.x.storage == [1, 2] && one.y.storage == [3])
        #expect(throws: DataError("windows: a series of 4 values is too short for windows of 3 plus a horizon of 2 (needs at least 5)")) {
            try SeriesPreparation.windows([1, 2, 3, 4], size: 3, horizon: 2)
        }
        #expect(throws: DataError.self) { try SeriesPreparation.windows([1, 2, 3], size: 0) }
    }

    @Test func splitIsChronologicalAndRoundsDown() throws {
        #expect(try SeriesPreparation.split(10, fraction: 0.8) == 8)
        #expect(try SeriesPreparation.split(309, fraction: 0.8) == 247)
        #expect(throws: DataError.self) { try SeriesPreparation.split(10, fraction: 1) }
        #expect(throws: DataError.self) { try SeriesPreparation.split(1, fraction: 0.5) }
    }

    @Test func populationStatistics() throws {
        // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, population variance 32/8 = 4 → std 2 (NumPy's np.std).
        let (mean, std) = try SeriesPreparation.meanAndStd([2, 4, 4, 4, 5, 5, 7, 9])
        #expect(mean == 5 && std == 2)
        #expect(throws: DataError.self) { try SeriesPreparation.meanAndStd([3, 3]) }
        #expect(throws: DataError.self) { try SeriesPreparation.meanAndStd([]) }
    }
}
