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
        let single = rnnlab_fma_peak_gflops(1, 0.1), double = rnnlab_fma_peak_gflops(0, 0.1)
        #expect(single.isFinite && single > 0 && double.isFinite && double > 0)
        let ratio = single / double
        if rnnlab_gemm_vector_path() > 0 {
            #expect(ratio > 1.2 && ratio < 3.5, "float \(single) against double \(double) GFLOP/s")
        } else {
            #expect(ratio > 0.5 && ratio < 2, "float \(single) against double \(double) GFLOP/s")
        }
    }
}
