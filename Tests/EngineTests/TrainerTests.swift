import Testing
@testable import Engine

/// The engine's training loop: the README's example, the seeded order, the stops.
@Suite struct TrainerTests {
    func data() throws -> SequenceDataset {
        let x = try Tensor.randn([4, 10, 3], seed: 1)
        let labels = Tensor((0..<10).map { Double($0 % 2) })
        return try SequenceDataset(x: x, y: labels, yBatchAxis: 0)
    }

    @Test func theReadmeExampleTrains() throws {
        let model = try SequenceClassifier(.lstm, inputSize: 3, hiddenSize: 8, outputSize: 2, seed: 0)
        let objective = TrainingClosure { batch, _ in (try Loss.crossEntropy(logits: model(batch.x), targets: batch.y), nil) }
        let trainer = Trainer(optimizer: try Adam(model.parameters, lr: 0.05), options: TrainingOptions(batchSize: 4, clip: 1))
        let history = try trainer.fit(objective, on: try data(), epochs: 10)
        #expect(history.steps == 30)
        #expect(history.stepsPerEpoch == 3)
        #expect(history.stopped == .done)
        #expect(history.losses.last! < history.losses.first!)
    }

    /// Every epoch's batches follow `Shuffling.permutation` drawn from one generator seeded once.
    @Test func batchesFollowTheSeededShuffling() throws {
        var seen: [[Double]] = []
        let d = try SequenceDataset(x: Tensor.zeros([2, 7, 1]), y: Tensor((0..<7).map(Double.init)), yBatchAxis: 0)
        let w = Tensor([1.0], requiresGrad: true)
        let objective = TrainingClosure { batch, _ in
            seen.append(batch.y.storage)
            return (try (w * w).sum(), nil)
        }
        let trainer = Trainer(optimizer: try SGD([w], lr: 0.1), options: TrainingOptions(batchSize: 3, seed: 5))
        _ = try trainer.fit(objective, on: d, epochs: 2)
        var g = RandomGenerator(seed: 5)
        let orders = [Shuffling.permutation(7, generator: &g), Shuffling.permutation(7, generator: &g)]
        let expected = try orders.flatMap { try Shuffling.batchPositions(7, size: 3, order: $0).map { $0.map(Double.init) } }
        #expect(seen == expected)
    }

    @Test func aNonFiniteLossStopsBeforeItsUpdate() throws {
        let w = Tensor([1.0], requiresGrad: true)
        var calls = 0
        let objective = TrainingClosure { _, _ in
            calls += 1
            return (calls == 3 ? try (w * Tensor(.nan)).sum() : try (w * w).sum(), nil)
        }
        let trainer = Trainer(optimizer: try SGD([w], lr: 0.1), options: TrainingOptions(batchSize: 10))
        let history = try trainer.fit(objective, on: try data(), steps: 5)
        #expect(history.stopped == .nan)
        #expect(history.steps == 2)
        #expect(history.losses.count == 3)
        #expect(abs(w.storage[0] - 0.64) < 1e-12)          // two updates w ← w − 0.1·2w
    }

    @Test func cancellationStopsAfterTheCurrentStep() throws {
        let w = Tensor([1.0], requiresGrad: true)
        let objective = TrainingClosure { _, _ in (try (w * w).sum(), nil) }
        let trainer = Trainer(optimizer: try SGD([w], lr: 0.1), options: TrainingOptions(batchSize: 2))
        var steps = 0
        trainer.afterStep = { steps = $0 }
        trainer.isCancelled = { steps >= 4 }
        let history = try trainer.fit(objective, on: try data(), steps: 100)
        #expect(history.stopped == .interrupted)
        #expect(history.steps == 4)
    }
}
