/// What one direction of one recurrent layer remembers from its forward pass.
///
/// Backpropagation through time needs, for every step, the activated gates and the states that
/// went in and came out; traces show learners exactly the same numbers. So the forward pass
/// writes them once, here, time-indexed (row `t·B + b` is step t of sequence b, also for the
/// reverse direction), and both the backward pass and ``RecurrentTrace`` read them. Keeping the
/// tape costs no extra work when nobody asks for it: the gate buffer is the workspace the input
/// projection is written into anyway.
///
/// The buffers are raw memory rather than arrays because the per-step kernels walk them with
/// pointer arithmetic in the hot loop, and class-held arrays would pay exclusivity checks. They
/// are carved out of one allocation, each at a multiple of 64 bytes from its start: a tape is made on
/// every forward call, and one block instead of up to five spares the allocator as many requests
/// of a few kilobytes each (for a single short sequence, about 1 % of a training step). They hold
/// `Scalar`, the precision the layer computes in (see ``KernelScalar``).
final class SequenceTape<Scalar: KernelScalar> {
    /// Steps T, batch B, input size I, hidden size H, gate blocks G (1 RNN, 4 LSTM, 3 GRU).
    let steps: Int, batch: Int, inputSize: Int, hiddenSize: Int, gateCount: Int
    /// True for the backward direction of a bidirectional layer (processes t = T−1 … 0).
    let reverse: Bool

    /// Inputs xₜ, (T·B) × I.
    let x: UnsafeMutablePointer<Scalar>
    /// (T·B) × (G·H): first xₜ·W_ihᵀ + biases, then per cell: RNN keeps the pre-activation aₜ,
    /// LSTM the activated gates [iₜ fₜ gₜ oₜ], GRU the activated gates [rₜ zₜ nₜ].
    let gates: UnsafeMutablePointer<Scalar>
    /// hₜ₋₁ that entered step t and hₜ that left it, (T·B) × H each.
    ///
    /// The state leaving one step is the state entering the next, so both are views of one buffer
    /// of T + 1 slots (the initial state and T outputs) shifted by one slot: the forward pass writes
    /// each state once and the backward pass still reads hₜ₋₁ for all steps as one matrix (the
    /// right operand of ∂L/∂W_hh). Forwards slot 0 is h₀ and slot t + 1 is hₜ; for the reverse
    /// direction, which enters time t from time t + 1, slot t is hₜ and slot T is h₀.
    let hPrev: UnsafeMutablePointer<Scalar>
    let h: UnsafeMutablePointer<Scalar>
    /// LSTM only: cₜ₋₁ and cₜ (views of one buffer, as for h) and tanh(cₜ), (T·B) × H each.
    let cPrev: UnsafeMutablePointer<Scalar>?
    let c: UnsafeMutablePointer<Scalar>?
    let tanhC: UnsafeMutablePointer<Scalar>?
    /// Where the initial states h₀ (and c₀) go, B × H.
    let initialHidden: UnsafeMutablePointer<Scalar>
    let initialCell: UnsafeMutablePointer<Scalar>?
    /// GRU only: W_hn·hₜ₋₁ + b_hn, the part of the candidate that the reset gate scales, (T·B) × H.
    let hiddenCandidate: UnsafeMutablePointer<Scalar>?
    /// The one block every buffer above lies in, and its size in scalars.
    private let block: UnsafeMutablePointer<Scalar>
    private let blockCount: Int

    init(steps: Int, batch: Int, inputSize: Int, hiddenSize: Int, gateCount: Int, reverse: Bool,
         keepsCell: Bool, keepsHiddenCandidate: Bool) {
        Allocator.keepFreedMemory()
        self.steps = steps; self.batch = batch; self.inputSize = inputSize
        self.hiddenSize = hiddenSize; self.gateCount = gateCount; self.reverse = reverse
        let rows = steps * batch, slot = batch * hiddenSize
        // Each buffer's size rounded up to a multiple of 64 bytes, so that all of them start as
        // the block does relative to a cache line.
        let line = 64 / MemoryLayout<Scalar>.stride
        func lines(_ n: Int) -> Int { (n + line - 1) / line * line }
        let xSize = lines(rows * inputSize), gateSize = lines(rows * gateCount * hiddenSize)
        let stateSize = lines(rows * hiddenSize + slot)
        let cellSize = keepsCell ? lines(rows * hiddenSize + slot) : 0, tanhSize = keepsCell ? lines(rows * hiddenSize) : 0
        let candidateSize = keepsHiddenCandidate ? lines(rows * hiddenSize) : 0
        blockCount = xSize + gateSize + stateSize + cellSize + tanhSize + candidateSize
        // Not zero-filled: the forward pass writes every element before anything reads it.
        block = Allocator.scalars(blockCount)
        x = block
        gates = x + xSize
        let hiddenSlots = gates + gateSize
        hPrev = reverse ? hiddenSlots + slot : hiddenSlots
        h = reverse ? hiddenSlots : hiddenSlots + slot
        initialHidden = reverse ? hiddenSlots + rows * hiddenSize : hiddenSlots
        let cellSlots = keepsCell ? hiddenSlots + stateSize : nil
        cPrev = cellSlots.map { reverse ? $0 + slot : $0 }
        c = cellSlots.map { reverse ? $0 : $0 + slot }
        initialCell = cellSlots.map { reverse ? $0 + rows * hiddenSize : $0 }
        tanhC = keepsCell ? hiddenSlots + stateSize + cellSize : nil
        hiddenCandidate = keepsHiddenCandidate ? hiddenSlots + stateSize + cellSize + tanhSize : nil
    }

    deinit { Allocator.release(scalars: block, count: blockCount) }

    /// Time index processed at step s: s forwards, T−1−s backwards.
    @inline(__always) func time(atStep s: Int) -> Int { reverse ? steps - 1 - s : s }

    /// Offset of step t's block in a (T·B) × width buffer.
    @inline(__always) func row(_ t: Int, width: Int) -> Int { t * batch * width }
}
