import Foundation

/// One progress update of a training run (`train(…)`), carried by ``Emission/progress(_:)``.
///
/// The language does not know the terminal: it reports numbers, and the host decides how they
/// look (the REPL draws a tqdm-style bar, a lesson check drops them, since they depend on time).
public struct TrainingProgress: Sendable, Equatable {
    /// Optimizer steps done so far, of `total` planned (a step whose loss was NaN is not done).
    public var step: Int
    public var total: Int
    /// The epoch the run is in (1-based) and how many are planned (`steps:` may end mid-epoch).
    public var epoch: Int
    public var epochs: Int
    /// The training loss smoothed over recent steps (bias-corrected exponential moving average,
    /// weight 0.1 on the newest step), and the last step's raw loss.
    public var loss: Double
    public var lastLoss: Double
    /// The latest validation loss, if validation has run.
    public var valLoss: Double?
    /// Steps per second, averaged over the run so far.
    public var rate: Double
    /// Seconds since the run started, and the estimated seconds left.
    public var elapsed: Double
    public var eta: Double?
    /// The last update of the run.
    public var final: Bool
    /// On the final update: why the run ended — "done", "interrupted" or "nan".
    public var stopped: String?

    public init(step: Int, total: Int, epoch: Int, epochs: Int, loss: Double, lastLoss: Double, valLoss: Double? = nil,
                rate: Double, elapsed: Double, eta: Double?, final: Bool, stopped: String? = nil) {
        self.step = step; self.total = total; self.epoch = epoch; self.epochs = epochs
        self.loss = loss; self.lastLoss = lastLoss; self.valLoss = valLoss
        self.rate = rate; self.elapsed = elapsed; self.eta = eta; self.final = final; self.stopped = stopped
    }

    /// The closing line a host prints when the run ends, e.g.
    /// `trained 300 steps in 2.1 s, loss 0.012, val_loss 0.02`.
    public var summary: String {
        let seconds = elapsed < 10 ? String(format: "%.1f", elapsed) : String(format: "%.0f", elapsed)
        var tail = ", loss \(TrainingProgress.compact(loss))"
        if let valLoss { tail += ", val_loss \(TrainingProgress.compact(valLoss))" }
        switch stopped {
        case "interrupted": return "interrupted after \(step) of \(total) steps in \(seconds) s\(tail) (the model keeps its weights)"
        case "nan": return "stopped at step \(step + 1) of \(total) after \(seconds) s: the loss is \(TrainingProgress.compact(lastLoss))"
        default: return "trained \(step) step\(step == 1 ? "" : "s") in \(seconds) s\(tail)"
        }
    }

    /// Four significant digits: `0.01234`, `2.303`, `1.2e-05`.
    static func compact(_ x: Double) -> String {
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        if x != 0 && Swift.abs(x) < 1e-3 { return String(format: "%.3g", x) }
        return String(format: "%.4g", x)
    }
}

/// The smoothed loss of the progress bar: m ← (1 − α)·m + α·x, reported as m / (1 − (1 − α)ⁿ) so
/// the first report is the first loss (no pull towards the initial 0). Non-finite losses are skipped.
struct SmoothedLoss {
    let alpha = 0.1
    private var mean = 0.0
    private var updates = 0

    mutating func update(_ x: Double) {
        guard x.isFinite else { return }
        mean = (1 - alpha) * mean + alpha * x
        updates += 1
    }

    var value: Double {
        guard updates > 0 else { return .nan }
        return mean / (1 - pow(1 - alpha, Double(updates)))
    }
}
