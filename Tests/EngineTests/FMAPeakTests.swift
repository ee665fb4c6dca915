import CSupport
import Testing

/// `make bench` sets its product-bound figures against the core's FMA throughput, measured by
/// rnnlab_fma_peak_gflops; these tests hold the probe to what it must be to serve as a ceiling.
@Suite struct FMAPeakTests {
    /// Positive and finite in both precisions, and a float vector does twice the work of a double
    /// one per instruction: on a vector path float's peak is about twice double's, on the scalar
    /// path about the same. Each figure is the best of several runs, and the bounds are wide, so
    /// that a shared machine's load does not decide the outcome; a probe that counted lanes or
    /// chains wrongly lands outside them.
    @Test func floatIsTwiceDoubleOnAVectorPath() {
        // Interleaved and the best of three each, so that a burst of load meets both precisions.
        var single = 0.0, double = 0.0
        for _ in 0..<3 {
            single = Swift.max(single, rnnlab_fma_peak_gflops(1, 0.05))
            double = Swift.max(double, rnnlab_fma_peak_gflops(0, 0.05))
        }
        #expect(single.isFinite && single > 0 && double.isFinite && double > 0)
        // Vector FMAs a second (GFLOP/s ÷ 2 ÷ lanes): a clock of 0.05–6 GHz times 1–4 pipes. A
        // probe that miscounted its chains or lanes in both precisions alike would leave this range.
        let lanes: Double = rnnlab_gemm_vector_path() == 2 ? 8 : rnnlab_gemm_vector_path() == 1 ? 4 : 1
        let vectorRate = double / 2 / lanes
        #expect(vectorRate > 0.05 && vectorRate < 24, "\(vectorRate) G vector FMAs a second in double")
        let ratio = single / double
        if rnnlab_gemm_vector_path() > 0 {
            #expect(ratio > 1.2 && ratio < 3.5, "float \(single) against double \(double) GFLOP/s")
        } else {
            #expect(ratio > 0.5 && ratio < 2, "float \(single) against double \(double) GFLOP/s")
        }
    }
}
