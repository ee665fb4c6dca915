import Foundation
@testable import REPL
import Script
import Terminal
import Testing

/// train(…)'s progress as the REPL draws it: in place on a terminal, as lines elsewhere.
@Suite struct TrainingProgressViewTests {
    func update(_ step: Int, of total: Int = 100, at elapsed: Double, final: Bool = false, stopped: String? = nil) -> TrainingProgress {
        TrainingProgress(step: step, total: total, epoch: 1, epochs: 1, loss: 0.5, lastLoss: 0.5, rate: Double(step) / max(elapsed, 1e-9),
                         elapsed: elapsed, eta: nil, final: final, stopped: stopped)
    }

    @Test func onATerminalTheBarIsRedrawnInPlaceAtMostTenTimesASecond() {
        var view = TrainingProgressView(terminal: true, width: 80)
        let first = view.render(update(1, at: 0.01))
        #expect(first?.hasPrefix("\r") == true && first?.hasSuffix(ANSI.clearToEnd) == true)
        #expect(first?.contains("1/100") == true && first?.contains("loss=0.5") == true)
        #expect(view.render(update(2, at: 0.05)) == nil)         // 0.04 s later: throttled
        #expect(view.render(update(5, at: 0.12))?.contains("5/100") == true)
        let last = view.render(update(100, at: 2.1, final: true, stopped: "done"))
        #expect(last == "\r" + view.line(update(100, at: 2.1, final: true)) + ANSI.clearToEnd + "\n")
        #expect(update(100, at: 2.1, final: true, stopped: "done").summary == "trained 100 steps in 2.1 s, loss 0.5")
    }

    @Test func elsewhereALineForEveryTenthThenTheSummary() {
        var view = TrainingProgressView(terminal: false, width: 80)
        var lines: [String] = []
        for step in 1...100 {
            if let text = view.render(update(step, at: Double(step) * 0.01)) { lines.append(text) }
        }
        #expect(lines.count == 9)                                  // 10%, 20%, …, 90%; 100% is the summary
        #expect(lines.allSatisfy { !$0.contains("\r") && $0.hasSuffix("\n") })
        #expect(lines[0].contains(" 10%") && lines[0].contains("10/100"))
        #expect(view.render(update(100, at: 1, final: true, stopped: "done")) == nil)     // the session writes the summary
        #expect(update(100, at: 1, final: true, stopped: "done").summary == "trained 100 steps in 1.0 s, loss 0.5")
        #expect(update(40, at: 1, final: true, stopped: "interrupted").summary.hasPrefix("interrupted after 40 of 100 steps in 1.0 s"))
        var nan = update(3, at: 0.2, final: true, stopped: "nan")
        nan.lastLoss = .infinity
        #expect(nan.summary == "stopped at step 4 of 100 after 0.2 s: the loss is inf")
    }

    final class Harness {
        var out = "", err = ""
        lazy var session = Session(options: RenderOptions(width: 80, color: false, terminal: terminal), numbered: false,
                                   write: { [unowned self] in self.out += $0 },
                                   writeError: { [unowned self] in self.err += $0 })
        let terminal: Bool
        init(terminal: Bool) { self.terminal = terminal }
    }

    static let training = """
    x = randn(6, 40, 2, seed: 1)
    y = where(x[-1, :, 0] > 0, 1, 0)
    h = train(classifier(input: 2, hidden: 4, out: 2, seed: 0), x, y, epochs: 2, batch_size: 16)
    """

    @Test func theSessionDrawsProgressForATerminalOrAPipe() {
        let tty = Harness(terminal: true)
        tty.session.runScript(TrainingProgressViewTests.training, file: "t.rnn")
        #expect(tty.out.contains("\r"))
        #expect(tty.out.hasSuffix("\n") && tty.out.contains("trained 6 steps in "))
        let pipe = Harness(terminal: false)
        pipe.session.runScript(TrainingProgressViewTests.training, file: "t.rnn")
        #expect(!pipe.out.contains("\r"))
        #expect(pipe.out.contains("trained 6 steps in "))
        #expect(pipe.err.isEmpty && tty.err.isEmpty)
        // :export keeps the summary line, not the bar.
        let recorded = "\(tty.session.transcript)"
        #expect(recorded.contains("trained 6 steps in ") && !recorded.contains("it/s"))
    }
}
