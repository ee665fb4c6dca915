import Testing
import Engine
@testable import Script
import TestSupport

/// `train(…)` against the loop a learner would write by hand: same seed, same steps, the same
/// weights to 1e-12 — the independent check that the builtin is that loop and nothing else.
@Suite struct TrainingRunTests {
    /// An interpreter whose emissions are collected.
    final class Collector {
        var texts: [String] = []
        var progress: [TrainingProgress] = []
        lazy var interpreter = Interpreter { [unowned self] e in
            switch e {
            case let .text(t): self.texts.append(t)
            case .value, .result: break
            case let .progress(p): self.progress.append(p)
            }
        }
    }

    static let task = """
    x = randn(6, 40, 2, seed: 1)
    y = where(x[-1, :, 0] > 0, 1, 0)
    """

    /// The largest difference between the parameters of two models (named in the script).
    func parameterDifference(_ a: String, _ b: String, in interp: Interpreter) -> Double {
        guard case let .model(ma) = value(a, in: interp), case let .model(mb) = value(b, in: interp) else { return .infinity }
        return zip(ma.module.parameters, mb.module.parameters).map { maxDifference($0, $1) }.max() ?? .infinity
    }

    @Test func equalsTheHandWrittenLoopWithClipping() {
        let interp = Interpreter()
        run(TrainingRunTests.task + """

        m = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        h = train(m, x, y, epochs: 3, batch_size: 16, lr: 0.05, clip: 0.5, shuffle: false)
        m2 = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        opt = adam(m2, lr: 0.05)
        losses = list()
        for e in 0..<3 {
            for b in [0, 16, 32] {
                opt.zero_grad()
                loss = cross_entropy(m2(x[:, b:b + 16]), y[b:b + 16])
                loss.backward()
                clip_grad_norm(m2, max_norm: 0.5)
                opt.step()
                losses = losses + list(item(loss))
            }
        }
        """, in: interp)
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
        #expect(number("max(abs(h.loss - tensor(losses)))", in: interp) < 1e-12)
        #expect(show("h.steps", in: interp) == "9")
        #expect(show("h.epochs", in: interp) == "3")
        #expect(show("h.stopped", in: interp) == "\"done\"")
        #expect(number("h.loss[-1] - h.loss[0]", in: interp) < 0)
    }

    @Test func clippingIsApplied() {
        let interp = Interpreter()
        run(TrainingRunTests.task + """

        m = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        h = train(m, x, y, epochs: 2, batch_size: 16, optimizer: "sgd", lr: 0.5, clip: 0.05, shuffle: false)
        m2 = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        opt = sgd(m2, lr: 0.5)
        norms = list()
        for e in 0..<2 {
            for b in [0, 16, 32] {
                opt.zero_grad()
                cross_entropy(m2(x[:, b:b + 16]), y[b:b + 16]).backward()
                norms = norms + list(clip_grad_norm(m2, max_norm: 0.05))
                opt.step()
            }
        }
        m3 = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        train(m3, x, y, epochs: 2, batch_size: 16, optimizer: "sgd", lr: 0.5, shuffle: false)
        """, in: interp)
        #expect(number("min(tensor(norms))", in: interp) > 0.05)    // every step was clipped
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
        #expect(parameterDifference("m", "m3", in: interp) > 1e-3)
    }

    @Test func shuffledEpochsFollowTheDocumentedPermutation() {
        // Fisher–Yates over one generator seeded with `seed`, one permutation per epoch.
        var g = RandomGenerator(seed: 7)
        var orders: [[Int]] = []
        for _ in 0..<2 {
            var order = Array(0..<40)
            for i in stride(from: 39, to: 0, by: -1) { order.swapAt(i, g.int(below: i + 1)) }
            orders.append(order)
        }
        let interp = Interpreter()
        let literal = "list(" + orders.map { "[" + $0.map(String.init).joined(separator: ", ") + "]" }.joined(separator: ", ") + ")"
        run(TrainingRunTests.task + """

        m = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        h = train(m, x, y, epochs: 2, batch_size: 16, optimizer: "sgd", lr: 0.3, seed: 7)
        m2 = classifier(input: 2, hidden: 8, out: 2, seed: 0)
        opt = sgd(m2, lr: 0.3)
        orders = \(literal)
        for order in orders {
            for b in [0, 16, 32] {
                idx = order[b:b + 16]
                opt.zero_grad()
                cross_entropy(m2(select(x, idx, axis: 1)), select(y, idx)).backward()
                opt.step()
            }
        }
        """, in: interp)
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
    }

    @Test func epochsAndStepsCount() {
        let interp = Interpreter()
        run(TrainingRunTests.task + "\nm = classifier(input: 2, hidden: 4, out: 2, seed: 0)", in: interp)
        #expect(show("train(m, x, y, epochs: 2, batch_size: 16).steps", in: interp) == "6")
        #expect(show("train(m, x, y, epochs: 1, batch_size: 40).loss.shape", in: interp) == "[1]")
        #expect(show("h = train(m, x, y, steps: 5, batch_size: 16)\nh.loss.shape", in: interp) == "[5]")
        #expect(number("h.epochs", in: interp) == 5.0 / 3.0)
        #expect(failure("train(m, x, y)", in: interp).message.contains("give epochs: (passes over the data) or steps:"))
        // A misspelt epochs: is named as the typo it is, not reported as missing.
        #expect(failure("train(m, x, y, epoch: 1)", in: interp).message.hasPrefix("train: unknown argument 'epoch' — did you mean 'epochs'?"))
        #expect(failure("train(m, x, y, step: 3)", in: interp).message.hasPrefix("train: unknown argument 'step' — did you mean 'steps'?"))
        #expect(failure("train(m, x, y, epochs: 1, steps: 2)", in: interp).message.contains("not both"))
    }

    /// A class id out of range is named by its place in y (or val.y) as typed, not by its row in a
    /// shuffled batch; padded steps of a tagger are not checked, since the loss never reads them.
    @Test func aClassIdOutOfRangeIsNamedByItsPlaceInY() {
        let interp = Interpreter()
        run(TrainingRunTests.task + "\nm = classifier(input: 2, hidden: 4, out: 2, seed: 0)", in: interp)
        #expect(failure("y[37] = 3\ntrain(m, x, y, epochs: 1, batch_size: 8)", in: interp).message
            == "train: y[37] is 3, which is not a class of this classifier: its output has 2 classes, so the class ids are 0 to 1")
        run("y[37] = 1", in: interp)
        #expect(failure("train(m, x, y, epochs: 1, val: record(x: x[:, 0:3], y: [0, 0.5, 1]))", in: interp).message
            .hasPrefix("train: val.y[1] is 0.5, which is not a class of this classifier"))
        // A tagger: y is (T, N); the padded steps past each length may hold anything.
        run("""
        tx = randn(4, 3, 2, seed: 3)
        ty = [[0, 1, 2], [1, 2, -1], [2, -1, -1], [7, -1, -1]]
        tg = tagger(input: 2, hidden: 4, out: 3, seed: 0)
        """, in: interp)
        #expect(show("train(tg, tx, ty, epochs: 1, lengths: [3, 2, 1]).steps", in: interp) == "1")
        #expect(failure("train(tg, tx, ty, epochs: 1, lengths: [4, 2, 1])", in: interp).message
            .hasPrefix("train: y[3, 0] is 7, which is not a class of this tagger: its output has 3 classes"))
    }

    @Test func validationEveryEpochOrEveryKSteps() {
        let interp = Interpreter()
        run(TrainingRunTests.task + """

        vx = randn(6, 10, 2, seed: 2)
        vy = where(vx[-1, :, 0] > 0, 1, 0)
        m = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        h = train(m, x, y, epochs: 3, batch_size: 16, val: record(x: vx, y: vy), metric: "accuracy")
        """, in: interp)
        #expect(show("h.val_steps", in: interp) == "tensor([3, 6, 9])")
        #expect(show("h.val_loss.shape", in: interp) == "[3]")
        // The last validation is the model as trained: the same loss and accuracy by hand.
        #expect(Swift.abs(number("h.val_loss[-1] - item(no_grad(fn() { return cross_entropy(m(vx), vy) }))", in: interp)) < 1e-12)
        #expect(Swift.abs(number("h.val_metric[-1] - mean(argmax(m(vx), axis: 1) == vy)", in: interp)) < 1e-12)
        #expect(show("train(m, x, y, steps: 9, batch_size: 16, val: record(x: vx, y: vy), every: 2).val_steps", in: interp)
                == "tensor([2, 4, 6, 8, 9])")
        #expect(failure("train(m, x, y, epochs: 1, metric: \"accuracy\")", in: interp).message.contains("give val: record(x:, y:) too"))
        #expect(failure("train(m, x, y, epochs: 1, val: record(x: vx, y: vx))", in: interp).message.contains("val.y must be shaped like y"))
    }

    @Test func truncatedBPTTEqualsTheHandLoop() {
        let interp = Interpreter()
        run("""
        x = randn(10, 8, 1, seed: 3)
        y = x * 0.5
        l = lstm(input: 1, hidden: 4, seed: 1); hd = linear(in: 4, out: 1, seed: 2)
        h = train([l, hd], x, y, epochs: 2, batch_size: 8, bptt: 4, optimizer: "sgd", lr: 0.1, shuffle: false)
        l2 = lstm(input: 1, hidden: 4, seed: 1); hd2 = linear(in: 4, out: 1, seed: 2)
        opt = sgd(list(l2, hd2), lr: 0.1)
        for e in 0..<2 {
            truncated_bptt(l2, x, 4, fn(c) { opt.zero_grad(); mse(hd2(c.output), y[c.start:c.stop]).backward(); opt.step() })
        }
        """, in: interp)
        #expect(show("h.steps", in: interp) == "6")
        #expect(parameterDifference("l", "l2", in: interp) < 1e-12)
        #expect(parameterDifference("hd", "hd2", in: interp) < 1e-12)
        #expect(failure("train(classifier(input: 1, hidden: 2, out: 2), x, [0, 1, 0, 1, 0, 1, 0, 1], epochs: 1, bptt: 4)", in: interp)
                .message.contains("a classifier answers once"))
    }

    @Test func generatorsTrainOnShiftedTargets() {
        let interp = Interpreter()
        run("""
        ids = reshape(arange(40) - floor(arange(40) / 5) * 5, 20, 2)
        lm = generator(vocab: 5, embed: 4, hidden: 16, seed: 0)
        h = train(lm, ids[:-1], ids[1:], epochs: 30, batch_size: 2, lr: 0.05)
        s = sin(linspace(0, 12, 41))
        g = generator(kind: "gru", features: 1, hidden: 8, seed: 0)
        hs = train(g, reshape(s[:-1], 40, 1, 1), reshape(s[1:], 40, 1, 1), steps: 40, bptt: 10)
        """, in: interp)
        #expect(number("h.loss[-1]", in: interp) < 0.1 * number("h.loss[0]", in: interp))
        #expect(show("hs.steps", in: interp) == "40")
        #expect(number("hs.loss[-1]", in: interp) < number("hs.loss[0]", in: interp))
        #expect(failure("train(lm, ids[:-1], ids[1:, 0], epochs: 1)", in: interp).message.contains("y must be time-major like x"))
    }

    @Test func taggerWithLengthsIgnoresPadding() {
        let interp = Interpreter()
        run("""
        x = randn(5, 4, 3, seed: 0)
        y = tensor([[0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
        t = tagger(input: 3, hidden: 6, out: 2, seed: 1)
        lengths = [5, 3, 2, 5]
        h = train(t, x, y, steps: 3, lengths: lengths, shuffle: false, batch_size: 4, val: record(x: x, y: y, lengths: lengths), metric: "accuracy")
        t2 = tagger(input: 3, hidden: 6, out: 2, seed: 1)
        opt = adam(t2, lr: 0.01)
        keep = mask(lengths, 5)
        target = where(keep > 0, y, -100)
        for k in 0..<3 { opt.zero_grad(); cross_entropy(t2(x, lengths: lengths), target, ignore_index: -100).backward(); opt.step() }
        p = argmax(t2(x, lengths: lengths), axis: 2)
        """, in: interp)
        #expect(parameterDifference("t", "t2", in: interp) < 1e-12)
        #expect(Swift.abs(number("h.val_metric[-1] - sum((p == y) * keep) / sum(keep)", in: interp)) < 1e-12)
    }

    @Test func ctrlCStopsAfterTheCurrentStepAndKeepsTheWeights() {
        let interp = Interpreter()
        var stop = false
        interp.trainingStepHook = { if $0 == 4 { stop = true } }
        interp.isCancelled = { stop }
        run(TrainingRunTests.task + "\nm = classifier(input: 2, hidden: 4, out: 2, seed: 0)\nh = train(m, x, y, epochs: 5, batch_size: 8, shuffle: false)", in: interp)
        stop = false
        #expect(show("h.stopped", in: interp) == "\"interrupted\"")
        #expect(show("h.steps", in: interp) == "4")
        #expect(show("h.loss.shape", in: interp) == "[4]")
        run("""
        m2 = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        opt = adam(m2, lr: 0.01)
        for b in [0, 8, 16, 24] { opt.zero_grad(); cross_entropy(m2(x[:, b:b + 8]), y[b:b + 8]).backward(); opt.step() }
        """, in: interp)
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
    }

    @Test func aNaNLossStopsWithAdvice() {
        let c = Collector()
        run("""
        x = randn(5, 8, 2, seed: 0)
        l = rnn(input: 2, hidden: 3, nonlinearity: "relu", seed: 0); hd = linear(in: 3, out: 1, seed: 1)
        h = train([l, hd], x, x[:, :, 0:1] * 1e3, steps: 50, optimizer: "sgd", lr: 1e6)
        """, in: c.interpreter)
        #expect(show("h.stopped", in: c.interpreter) == "\"nan\"")
        let steps = Int(number("h.steps", in: c.interpreter))
        #expect(steps < 50)
        #expect(show("h.loss.shape", in: c.interpreter) == "[\(steps + 1)]")
        #expect(c.texts.last?.contains("lower learning rate") == true)
        #expect(c.texts.last?.contains("clip: 1") == true)
        #expect(c.progress.last?.stopped == "nan")
    }

    @Test func progressIsEmittedThrottled() {
        let c = Collector()
        c.interpreter.progressInterval = 0
        run(TrainingRunTests.task + "\nm = classifier(input: 2, hidden: 4, out: 2, seed: 0)\nh = train(m, x, y, epochs: 2, batch_size: 16)", in: c.interpreter)
        #expect(c.progress.count == 7)              // every step, then the final update
        #expect(c.progress.map(\.step) == [1, 2, 3, 4, 5, 6, 6])
        #expect(c.progress.filter(\.final).count == 1 && c.progress.last?.final == true)
        #expect(c.progress.last?.stopped == "done" && c.progress.last?.total == 6)
        #expect(c.progress.map(\.epoch) == [1, 1, 1, 2, 2, 2, 2])
        #expect(Swift.abs(c.progress[0].loss - c.progress[0].lastLoss) < 1e-12)    // the smoothed loss starts at the first loss
        c.progress = []
        c.interpreter.progressInterval = 1e9
        run("train(m, x, y, epochs: 2, batch_size: 16)", in: c.interpreter)
        #expect(c.progress.map(\.step) == [1, 6])    // the first and the final update only
    }

    @Test func clearErrors() {
        let interp = Interpreter()
        run(TrainingRunTests.task + "\nm = classifier(input: 2, hidden: 4, out: 2, seed: 0)", in: interp)
        #expect(failure("train(m, x[0], y, epochs: 1)", in: interp).message.contains("x must be (T, N, 2)"))
        #expect(failure("train(m, x, y[0:5], epochs: 1)", in: interp).message.contains("y must be one row per sequence, (N, …) with N = 40"))
        #expect(failure("train(m, x, y, epochs: 1, optimizer: \"rmsprop\")", in: interp).message.contains("optimizer must be"))
        #expect(failure("train(m, x, y, epochs: 1, loss: 3)", in: interp).message.contains("loss must be"))
        #expect(failure("train(linear(in: 2, out: 1), x, y, epochs: 1)", in: interp).message.contains("got a linear"))
        #expect(failure("train(m, x, y, epochs: 1, optimizer: adam(m), lr: 0.1)", in: interp).message.contains("opt.lr"))
        // train(m) alone is still the training-mode switch.
        #expect(show("train(m).training", in: interp) == "true")
    }

    @Test func lossFunctionsAndOptimizerValues() {
        let interp = Interpreter()
        run(TrainingRunTests.task + """

        m = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        opt = sgd(m, lr: 0.1)
        h = train(m, x, y, epochs: 1, batch_size: 40, optimizer: opt, loss: fn(out, target) { return cross_entropy(out, target) * 2 })
        m2 = classifier(input: 2, hidden: 4, out: 2, seed: 0)
        opt2 = sgd(m2, lr: 0.1)
        opt2.zero_grad(); (cross_entropy(m2(x), y) * 2).backward(); opt2.step()
        """, in: interp)
        #expect(parameterDifference("m", "m2", in: interp) < 1e-12)
        #expect(show("h.optimizer.lr", in: interp) == "0.1")
    }

    @Test func seq2seqTrainsWithTeacherForcing() {
        let interp = Interpreter()
        run("""
        src = randint(2, 8, 5, 12, seed: 0)
        tgt = src[::-1]
        s = seq2seq(source_vocab: 8, target_vocab: 8, embed: 4, hidden: 12, seed: 0)
        h = train(s, src, tgt, start: 1, epochs: 2, batch_size: 6, shuffle: false, val: record(x: src, y: tgt), metric: "accuracy")
        s2 = seq2seq(source_vocab: 8, target_vocab: 8, embed: 4, hidden: 12, seed: 0)
        opt = adam(s2, lr: 0.01)
        for e in 0..<2 { for b in [0, 6] { opt.zero_grad(); cross_entropy(s2(src[:, b:b + 6], tgt[:, b:b + 6], start: 1), tgt[:, b:b + 6]).backward(); opt.step() } }
        """, in: interp)
        #expect(parameterDifference("s", "s2", in: interp) < 1e-12)
        #expect(show("h.val_metric.shape", in: interp) == "[2]")
        #expect(failure("train(s, src, tgt, epochs: 1)", in: interp).message.contains("needs start:"))
        #expect(failure("predict(s, src)", in: interp).message.contains("use translate"))
        #expect(show("inspect(s, src).h.shape", in: interp) == "[5, 12, 12]")
    }

    @Test func aWindowModelReadsTheLastStep() {
        let interp = Interpreter()
        run("""
        x = randn(8, 20, 1, seed: 0)
        y = x[-1] * 0.5 + x[-2] * 0.25
        l = lstm(input: 1, hidden: 5, seed: 1); hd = linear(in: 5, out: 1, seed: 2)
        h = train([l, hd], x, y, epochs: 2, batch_size: 10, shuffle: false)
        l2 = lstm(input: 1, hidden: 5, seed: 1); hd2 = linear(in: 5, out: 1, seed: 2)
        opt = adam(list(l2, hd2), lr: 0.01)
        for e in 0..<2 { for b in [0, 10] { opt.zero_grad(); mse(hd2(l2(x[:, b:b + 10]).output[-1]), y[b:b + 10]).backward(); opt.step() } }
        """, in: interp)
        #expect(parameterDifference("l", "l2", in: interp) < 1e-12)
        #expect(parameterDifference("hd", "hd2", in: interp) < 1e-12)
        #expect(show("h.steps", in: interp) == "4")
    }
}
