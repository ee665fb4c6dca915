import Testing
@testable import Terminal

@Suite struct ProgressBarTests {
    @Test func tqdmLineAtKnownInputs() {
        // rate = 420 / 12.2 s = 34.43 it/s; remaining = 580 / 34.43 = 16.8 s → 00:16;
        // bar: 80 − 4 (" 42%") − 47 (" 420/1000 […]") − 2 (the two "|") = 27 columns; 42% of them
        // = 11.34 → 11 full blocks and ▎ (2/8, rounded down to the eighth).
        #expect(ProgressBar.line(step: 420, total: 1000, elapsed: 12.2, postfix: [("loss", 0.12345)], width: 80)
            == " 42%|███████████▎               | 420/1000 [00:12<00:16, 34.43it/s, loss=0.1235]")
    }

    @Test func startUnknownTotalSlowAndDone() {
        #expect(ProgressBar.line(step: 0, total: 1000, elapsed: 0, width: 60)
            == "  0%|                              | 0/1000 [00:00<?, ?it/s]")
        #expect(ProgressBar.line(step: 420, total: nil, elapsed: 12.2, width: 60) == "420it [00:12, 34.43it/s]")
        // Fewer than one step per second is shown as seconds per step, as tqdm does; hours appear.
        #expect(ProgressBar.line(step: 3, total: 10, elapsed: 4000, width: 60)
            == " 30%|█████▍            | 3/10 [1:06:40<2:35:33, 1333.33s/it]")
        let done = ProgressBar.line(step: 10, total: 10, elapsed: 5, width: 60, label: "train")
        #expect(done == "train: 100%|█████████████████| 10/10 [00:05<00:00, 2.00it/s]")
        // Too narrow for a bar: the text alone, as much of it as fits (see below).
        #expect(ProgressBar.line(step: 5, total: 10, elapsed: 5, width: 36) == " 50% 5/10 [00:05<00:05, 1.00it/s]")
    }

    /// A line wider than the terminal would wrap, and every redraw would scroll the screen: the
    /// line always fits, dropping the rate, then the clock, and keeping the step and the loss.
    @Test func theLineAlwaysFitsAndKeepsTheLoss() {
        let post: [(name: String, value: Double)] = [("loss", 0.123456), ("val_loss", 0.5)]
        for width in 12...100 {
            for total in [Int?.some(448), nil] {
                let line = ProgressBar.line(step: 300, total: total, elapsed: 65, postfix: post, width: width, label: "epoch 3/8")
                #expect(line.count <= width, "width \(width): \(line)")
            }
        }
        #expect(ProgressBar.line(step: 300, total: 448, elapsed: 65, postfix: post, width: 66, label: "epoch 3/8")
            == "epoch 3/8:  67% 300/448 [01:05<00:32, loss=0.1235, val_loss=0.5]")
        #expect(ProgressBar.line(step: 300, total: 448, elapsed: 65, postfix: post, width: 49, label: "epoch 3/8")
            == "epoch 3/8:  67% 300/448 loss=0.1235, val_loss=0.5")
        #expect(ProgressBar.line(step: 300, total: 448, elapsed: 65, postfix: post, width: 20, label: "epoch 3/8")
            == "epoch 3/8:  67% 300…")
        #expect(ProgressBar.line(step: 300, total: nil, elapsed: 65, postfix: post, width: 40)
            == "300it loss=0.1235, val_loss=0.5")
    }

    @Test func explicitRateDrivesTheETA() {
        #expect(ProgressBar.line(step: 100, total: 1100, elapsed: 10, rate: 2, width: 40)
            .hasSuffix("100/1100 [00:10<08:20, 2.00it/s]"))
    }

    @Test func clock() {
        #expect(ProgressBar.clock(0) == "00:00")
        #expect(ProgressBar.clock(61.9) == "01:01")
        #expect(ProgressBar.clock(3600) == "1:00:00")
        #expect(ProgressBar.clock(.nan) == "?")
    }

    @Test func movingAverageIsBiasCorrected() {
        var ema = ExponentialMovingAverage(alpha: 0.1)
        #expect(ema.value == nil)
        ema.update(2.3)
        #expect(abs(ema.value! - 2.3) < 1e-12)  // the first report is the first value, not 0.23
        ema.update(1.3)
        // (0.9·0.23 + 0.1·1.3) / (1 − 0.9²) = 0.337 / 0.19
        #expect(abs(ema.value! - 0.337 / 0.19) < 1e-12)
        ema.update(.nan)
        #expect(abs(ema.value! - 0.337 / 0.19) < 1e-12)
    }

    @Test func terminalRedrawsInPlaceAndThrottles() {
        var tracker = ProgressTracker(total: 100, isTTY: true, width: 60)
        let first = tracker.update(step: 1, elapsed: 0.5, loss: 2)
        #expect(first?.hasPrefix("\r  1%|") == true)
        #expect(first?.hasSuffix(ANSI.clearToEnd) == true)
        #expect(tracker.update(step: 2, elapsed: 0.55, loss: 2) == nil)  // within 0.1 s
        #expect(tracker.update(step: 3, elapsed: 0.7, loss: 2) != nil)
        let last = tracker.update(step: 100, elapsed: 0.71, loss: 1)
        #expect(last?.hasSuffix(ANSI.clearToEnd + "\n") == true)  // the final line stays
        #expect(last?.contains("loss=") == true)
    }

    @Test func pipesGetAPlainLineEveryTenPercent() {
        var tracker = ProgressTracker(total: 50, isTTY: false, width: 60)
        var printed: [String] = []
        for step in 1...50 {
            if let text = tracker.update(step: step, elapsed: Double(step) * 0.2, loss: 1) { printed.append(text) }
        }
        #expect(printed.count == 11)  // the first step, then each 10%, the last at 100%
        #expect(printed.allSatisfy { $0.hasSuffix("\n") && !$0.contains("\r") && !$0.contains("\u{1B}") })
        #expect(printed.last?.hasPrefix("100%|") == true)
        #expect(tracker.finish(step: 50, elapsed: 10).hasSuffix("]\n"))

        var unknown = ProgressTracker(total: nil, isTTY: false)
        #expect(unknown.update(step: 1, elapsed: 1) != nil)
        #expect(unknown.update(step: 2, elapsed: 5) == nil)
        // The rate is smoothed over the intervals, 1/4 it/s then 1/6.5 it/s:
        // (0.7·0.3·0.25 + 0.3/6.5) / (1 − 0.7²) = 0.1934 it/s, shown as 5.17 s/it.
        #expect(unknown.update(step: 3, elapsed: 11.5) == "3it [00:11, 5.17s/it]\n")
    }
}
