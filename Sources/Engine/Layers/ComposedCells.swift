/// The three cells written with ordinary tensor operations, one equation per line.
///
/// These are what a learner can type at the prompt. They are slower than the fused kernels
/// (a graph node per operation instead of one per sequence) but compute the same numbers, and
/// the tests hold the fused forward *and* backward to them.
public enum ComposedCells {
    /// hₜ = φ(xₜ·W_ihᵀ + b_ih + hₜ₋₁·W_hhᵀ + b_hh).
    public static func rnnStep(x: Tensor, h: Tensor, weightIH: Tensor, weightHH: Tensor, biasIH: Tensor, biasHH: Tensor,
                               relu: Bool = false) throws -> Tensor {
        let a = try x.matmul(weightIH.T) + biasIH + h.matmul(weightHH.T) + biasHH
        return relu ? a.relu() : a.tanh()
    }

    /// One LSTM step; gate blocks i, f, g, o in PyTorch's order. Returns (hₜ, cₜ).
    public static func lstmStep(x: Tensor, h: Tensor, c: Tensor, weightIH: Tensor, weightHH: Tensor,
                                biasIH: Tensor, biasHH: Tensor) throws -> (h: Tensor, c: Tensor) {
        let pre = try x.matmul(weightIH.T) + biasIH + h.matmul(weightHH.T) + biasHH
        let blocks = try pre.split(parts: 4, axis: -1)
        let inputGate = blocks[0].sigmoid()
        let forgetGate = blocks[1].sigmoid()
        let candidate = blocks[2].tanh()
        let outputGate = blocks[3].sigmoid()
        let cell = try forgetGate * c + inputGate * candidate
        return (try outputGate * cell.tanh(), cell)
    }

    /// One GRU step; gate blocks r, z, n. The reset gate scales W_hn·h + b_hn, as in PyTorch.
    public static func gruStep(x: Tensor, h: Tensor, weightIH: Tensor, weightHH: Tensor,
                               biasIH: Tensor, biasHH: Tensor) throws -> Tensor {
        let inputSide = try (x.matmul(weightIH.T) + biasIH).split(parts: 3, axis: -1)
        let hiddenSide = try (h.matmul(weightHH.T) + biasHH).split(parts: 3, axis: -1)
        let resetGate = try (inputSide[0] + hiddenSide[0]).sigmoid()
        let updateGate = try (inputSide[1] + hiddenSide[1]).sigmoid()
        let candidate = try (inputSide[2] + resetGate * hiddenSide[2]).tanh()
        return try (1 - updateGate) * candidate + updateGate * h
    }
}
