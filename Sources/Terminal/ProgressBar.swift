import Foundation

/// A training progress line in tqdm's format, so it reads like what learners know from PyTorch:
///
/// ` 42%|████████▍           | 420/1000 [00:12<00:16, 34.50it/s, loss=0.1234]`
///
/// `line(...)` is a pure function of its inputs (testable to the character); `ProgressTracker`
/// holds the little state around it (smoothing, throttling) and says what to write when.
public enum ProgressBar {
    static let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]

    /// The line for `step` of `total` (nil: unknown, tqdm's `420it [00:12, 34.50it/s]` form) after
    /// `elapsed` seconds. `rate` is steps per second (default: the average `step / elapsed`); the
    /// remaining time is `(total − step) / rate`, shown `?` until there is a rate. The bar takes
    /// whatever of `width` the text leaves, and is dropped when fewer than 4 columns remain.
    public static func line(
        step: Int, total: Int?, elapsed: Double, rate: Double? = nil,
        postfix: [(name: String, value: Double)] = [], width: Int = 80, label: String? = nil
    ) -> String {
        let rate = rate ?? (elapsed > 0 && step > 0 ? Double(step) / elapsed : nil)
        var rateText = "?it/s"
        if let r = rate, r.isFinite, r > 0 {
            rateText = r >= 1 ? String(format: "%.2fit/s", r) : String(format: "%.2fs/it", 1 / r)
        }
        let post = postfix.map { ", \($0.name)=\(compactNumber($0.value))" }.joined()
        let prefix = label.map { $0 + ": " } ?? ""
        guard let total, total > 0 else {
            let full = "\(prefix)\(step)it [\(clock(elapsed)), \(rateText)\(post)]"
            let short = "\(prefix)\(step)it" + (postfix.isEmpty ? "" : " " + post.dropFirst(2))
            if full.count <= width { return full }
            return short.count <= width ? short : String(short.prefix(max(1, width - 1))) + "…"
        }
        let fraction = min(1, max(0, Double(step) / Double(total)))
        var remaining = "?"
        if let r = rate, r > 0, r.isFinite { remaining = clock(Double(max(0, total - step)) / r) }
        let left = prefix + String(format: "%3.0f%%", fraction * 100)
        let right = " \(step)/\(total) [\(clock(elapsed))<\(remaining), \(rateText)\(post)]"
        let barWidth = width - left.count - right.count - 2
        if barWidth >= 4 { return left + "|" + bar(fraction, width: barWidth) + "|" + right }
        // Narrower than the full text: the line must still fit, or a terminal wraps it and every
        // redraw (a carriage return goes back only to the start of the last row) scrolls the screen.
        // Less important parts go first — the rate, then the clock — and the step and the loss stay.
        let withClock = " \(step)/\(total) [\(clock(elapsed))<\(remaining)\(post)]"
        let bare = " \(step)/\(total)" + (postfix.isEmpty ? "" : " " + post.dropFirst(2))
        for candidate in [left + right, left + withClock, left + bare] where candidate.count <= width {
            return candidate
        }
        return String((left + bare).prefix(max(1, width - 1))) + "…"
    }

    /// `fraction` of `width` columns in full blocks and one eighth block, padded with spaces.
    static func bar(_ fraction: Double, width: Int) -> String {
        let total = Int((fraction * Double(width) * 8).rounded(.down))
        var s = String(repeating: "█", count: total / 8)
        if total % 8 > 0, s.count < width { s.append(eighths[total % 8 - 1]) }
        return s + String(repeating: " ", count: max(0, width - s.count))
    }

    /// `mm:ss`, or `h:mm:ss` from one hour (tqdm's `format_interval`).
    public static func clock(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let s = Int(seconds.rounded(.down))
        let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60)
        return h > 0 ? String(format: "%d:%02d:%02d", h, m, sec) : String(format: "%02d:%02d", m, sec)
    }
}

/// An exponential moving average with bias correction, as tqdm smooths its rate.
///
/// `m ← β·m + (1 − β)·x`, reported as `m / (1 − βⁿ)` after n updates. Without the correction the
/// first values would be pulled towards the initial 0 (a loss of 2.3 would show as 0.7 after one
/// step); with it the first report is exactly the first value and early reports are the plain
/// weighted average of what has been seen. `alpha = 1 − β` is the weight of the newest value:
/// 0.1 remembers about the last 10 updates, enough to see a trend through mini-batch noise.
public struct ExponentialMovingAverage: Sendable, Equatable {
    public let alpha: Double
    private var mean = 0.0
    private var updates = 0

    public init(alpha: Double) { self.alpha = min(1, max(0, alpha)) }

    public mutating func update(_ x: Double) {
        guard x.isFinite else { return }  // a NaN loss is shown as it is, not averaged into history
        mean = (1 - alpha) * mean + alpha * x
        updates += 1
    }

    /// The bias-corrected average, nil before the first finite value.
    public var value: Double? {
        guard updates > 0 else { return nil }
        let correction = 1 - pow(1 - alpha, Double(updates))
        return correction > 0 ? mean / correction : mean
    }
}

/// What to write, and when, for a progress bar during a training loop.
///
/// On a terminal the line is redrawn in place — `\r`, the line, then clear-to-end so a shorter line
/// leaves no remnant — at most every `minInterval` seconds (redrawing faster only costs time).
/// Anywhere else (a pipe, a log file, CI) a carriage return would pile up or garble, so a complete
/// line ending in `\n` is written each time another 10% of `total` is done (every `plainInterval`
/// seconds when the total is unknown), and at the end.
///
/// The loss shown is smoothed (`lossAlpha`, 0.1) and the rate is smoothed over the intervals
/// between updates (`rateAlpha`, 0.3 — tqdm's `smoothing`), so the ETA follows a change of speed
/// without jumping at every step.
public struct ProgressTracker: Sendable {
    public let total: Int?
    public let isTTY: Bool
    public var width: Int
    public var label: String?
    public var minInterval = 0.1
    public var plainInterval = 10.0
    public private(set) var loss: ExponentialMovingAverage
    private var rate: ExponentialMovingAverage
    private var last: (step: Int, elapsed: Double)?
    private var lastPrinted: (step: Int, elapsed: Double)?

    public init(total: Int?, isTTY: Bool, width: Int = 80, label: String? = nil,
                lossAlpha: Double = 0.1, rateAlpha: Double = 0.3) {
        self.total = total
        self.isTTY = isTTY
        self.width = width
        self.label = label
        self.loss = ExponentialMovingAverage(alpha: lossAlpha)
        self.rate = ExponentialMovingAverage(alpha: rateAlpha)
    }

    /// Records that `step` steps are done after `elapsed` seconds (with this step's loss), and
    /// returns the text to write now, or nil when nothing should be written.
    public mutating func update(step: Int, elapsed: Double, loss value: Double? = nil) -> String? {
        if let value { loss.update(value) }
        if let last, step > last.step, elapsed > last.elapsed {
            rate.update(Double(step - last.step) / (elapsed - last.elapsed))
        }
        last = (step, elapsed)
        let done = total.map { step >= $0 } ?? false
        if isTTY {
            if !done, let p = lastPrinted, elapsed - p.elapsed < minInterval { return nil }
        } else if !done, let p = lastPrinted {
            if let total, total > 0 {
                if step * 10 / total == p.step * 10 / total { return nil }
            } else if elapsed - p.elapsed < plainInterval {
                return nil
            }
        }
        lastPrinted = (step, elapsed)
        return render(step: step, elapsed: elapsed, final: done)
    }

    /// The closing line (always written, ending in a newline) for a loop that stops, finished or not.
    public mutating func finish(step: Int, elapsed: Double) -> String {
        lastPrinted = (step, elapsed)
        return render(step: step, elapsed: elapsed, final: true)
    }

    private func render(step: Int, elapsed: Double, final: Bool) -> String {
        let postfix: [(name: String, value: Double)] = loss.value.map { [("loss", $0)] } ?? []
        let text = ProgressBar.line(step: step, total: total, elapsed: elapsed, rate: rate.value,
                                    postfix: postfix, width: width, label: label)
        if isTTY { return "\r" + text + ANSI.clearToEnd + (final ? "\n" : "") }
        return text + "\n"
    }
}
