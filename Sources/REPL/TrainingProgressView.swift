import Foundation
import Script
import Terminal

/// How the REPL shows `train(…)`'s progress updates (``Emission/progress(_:)``).
///
/// On a terminal: one tqdm-style line — ` 42%|████▍     | 126/300 [00:01<00:01, 120.00it/s, loss=0.1234]`
/// — redrawn in place (`\r`, the line, clear to the end) at most ten times a second. Anywhere else
/// (a pipe, a log file) a carriage return would pile up, so a whole line is written each time
/// another tenth of the run is done. Either way the run ends with a summary line:
/// `trained 300 steps in 2.1 s, loss 0.012`.
struct TrainingProgressView {
    let terminal: Bool
    var width: Int
    /// Least time between two redraws on a terminal.
    var minInterval = 0.1
    private var lastDrawn: Double?
    private var lastTenth = 0
    /// A bar is on screen, not yet ended by a newline.
    private var open = false
    /// The update the bar on screen shows, to draw it once more when the run stops early.
    private var shown: TrainingProgress?

    init(terminal: Bool, width: Int) {
        self.terminal = terminal
        self.width = width
    }

    /// The text to write for `p`, or nil for nothing now. After the final update the caller
    /// writes the run's summary line (`p.summary`).
    mutating func render(_ p: TrainingProgress) -> String? {
        if p.final {
            // The bar's last state, ended by a newline; the caller writes `p.summary` after it.
            let text = terminal ? "\r" + line(p) + ANSI.clearToEnd + "\n" : nil
            self = TrainingProgressView(terminal: terminal, width: width)
            return text
        }
        if terminal {
            if let last = lastDrawn, p.elapsed - last < minInterval { return nil }
            lastDrawn = p.elapsed
            open = true
            shown = p
            return "\r" + line(p) + ANSI.clearToEnd
        }
        let tenth = p.total > 0 ? p.step * 10 / p.total : 0
        guard tenth > lastTenth, p.step < p.total else { return nil }
        lastTenth = tenth
        return line(p) + "\n"
    }

    /// Other text must not be written into the middle of a redrawn bar: end it with a newline first.
    mutating func closeLine() -> String? {
        guard open else { return nil }
        open = false
        return "\n"
    }

    /// After a statement (a run that failed or was interrupted has sent no final update): the
    /// bar is drawn once more over whatever the terminal put on its line meanwhile (a `^C`, keys
    /// typed ahead) and ended, so what follows starts on a clean line. Then start afresh.
    mutating func reset() -> String? {
        var text = closeLine()
        if text != nil, terminal, let shown { text = "\r" + line(shown) + ANSI.clearToEnd + "\n" }
        self = TrainingProgressView(terminal: terminal, width: width)
        return text
    }

    /// One column short of the terminal: a line that fills the last column leaves the cursor in
    /// the terminal's pending-wrap state, and the next redraw then lands on a new line.
    func line(_ p: TrainingProgress) -> String {
        var postfix: [(name: String, value: Double)] = p.loss.isFinite ? [("loss", p.loss)] : []
        if let v = p.valLoss { postfix.append(("val_loss", v)) }
        let label = p.epochs > 1 ? "epoch \(p.epoch)/\(p.epochs)" : nil
        return ProgressBar.line(step: p.step, total: p.total, elapsed: p.elapsed, rate: p.rate > 0 ? p.rate : nil,
                                postfix: postfix, width: max(20, width - 1), label: label)
    }
}
