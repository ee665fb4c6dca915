import Foundation
import Testing
@testable import Engine
import TestSupport

// Backward.swift and GradNode.swift: the graph walk, accumulation, no-grad scopes, detach, retainGrad.

@Suite struct BackwardTests {
    /// Like PyTorch, a second backward adds to .grad instead of replacing it, until zeroGrad().
    @Test func gradientsAccumulateAcrossBackwardCalls() throws {
        let x = try Tensor(shape: [2], storage: [1, 3], requiresGrad: true)
        let y = try (x * x).sum()  // dy/dx = 2x = [2, 6]
        try y.backward()
        #expect(x.grad?.storage == [2, 6])
        try y.backward()
        #expect(x.grad?.storage == [4, 12])
        // A freshly built graph accumulates into the same leaf too.
        try (x * 10).sum().backward()
        #expect(x.grad?.storage == [14, 22])
        x.zeroGrad()
        #expect(x.grad == nil)
        try y.backward()
        #expect(x.grad?.storage == [2, 6])
    }

    /// A tensor used several times receives the sum of the gradients of its uses.
    @Test func tensorUsedTwiceGetsTheSum() throws {
        let x = Tensor(3, requiresGrad: true)
        try (x + x).backward()
        #expect(x.grad?.storage == [2])
        x.zeroGrad()
        try (x * x).backward()  // 2x
        #expect(x.grad?.storage == [6])
        x.zeroGrad()
        // Diamond: a = 2x and b = 3x both feed y = a·b = 6x², so dy/dx = 12x = 36.
        let a = try x * 2, b = try x * 3
        try (a * b).backward()
        #expect(x.grad?.storage == [36])
        x.zeroGrad()
        // A shared weight across "time steps": h₂ = w·(w·h₀) ⇒ dh₂/dw = 2w·h₀ = 2·3·5 = 30.
        let h0 = Tensor(5)
        try (x * (x * h0)).backward()
        #expect(x.grad?.storage == [30])
    }

    @Test func onlyTensorsThatRequireGradReceiveOne() throws {
        let x = Tensor([1, 2], requiresGrad: true), c = Tensor([5, 7])
        let y = try x * c
        #expect(y.requiresGrad)
        #expect(!y.isLeaf)
        #expect(y.gradNode?.op == "multiply")
        try y.sum().backward()
        #expect(x.grad?.storage == [5, 7])
        #expect(c.grad == nil)
        #expect(y.grad == nil)  // an intermediate keeps no gradient unless asked to
    }

    /// A gradient assigned by hand is added to like any other; one of the wrong size (which
    /// used to be added out of bounds) is replaced by the next backward.
    @Test func handAssignedGradients() throws {
        let x = try Tensor(shape: [2], storage: [1, 2], requiresGrad: true)
        x.grad = Tensor([10, 20])
        try (x * 3).sum().backward()
        #expect(x.grad?.storage == [13, 23])
        x.gradStorage = [1, 1, 1, 1, 1]
        try (x * 3).sum().backward()
        #expect(x.grad?.storage == [3, 3])
    }

    @Test func backwardFromALeafItself() throws {
        let x = Tensor(2, requiresGrad: true)
        try x.backward()
        #expect(x.grad?.storage == [1])
    }

    @Test func backwardFromNonScalarThrows() throws {
        let x = try Tensor.ones([2, 3], requiresGrad: true)
        let y = try x * 2
        let error = tensorError { try y.backward() }
        #expect(error == .backwardFromNonScalar(shape: [2, 3]))
        #expect(error?.description.hasPrefix("backward: the output has shape (2, 3)") == true)
        // A one-element tensor of any rank is a valid start, as in PyTorch.
        let one = try Tensor.ones([1, 1], requiresGrad: true)
        try (one * 4).backward()
        #expect(one.grad?.storage == [4])
    }

    /// With an explicit gradient v, backward computes the vector–Jacobian product vᵀ·∂y/∂x.
    @Test func backwardWithExplicitGradient() throws {
        let x = try Tensor(shape: [2], storage: [1, 2], requiresGrad: true)
        let y = try x * x * 3  // ∂yᵢ/∂xᵢ = 6xᵢ
        try y.backward(gradient: Tensor([1, 10]))
        #expect(x.grad?.storage == [6, 120])
        let error = tensorError { try y.backward(gradient: Tensor([1, 2, 3])) }
        #expect(error == .shapeMismatch(op: "backward(gradient:)", lhs: [2], rhs: [3]))
    }

    @Test func backwardWithoutAnyGradientThrows() throws {
        let error = tensorError { try Tensor([1, 2]).sum().backward() }
        #expect(error == .noGradient(op: "backward"))
        #expect(error?.description.contains("does not require a gradient") == true)
    }

    /// 10,000 chained operations: the graph walk is iterative, and releasing the chain must not
    /// recurse either (each tensor's release would otherwise release the next, 10,000 frames deep).
    @Test func deepChainDoesNotOverflowTheStack() throws {
        let x = Tensor(1, requiresGrad: true)
        var y = x
        for _ in 0..<10_000 { y = try y * 1.0001 }
        try y.backward()
        // d(1.0001¹⁰⁰⁰⁰·x)/dx = 1.0001¹⁰⁰⁰⁰ ≈ e^0.99995.
        #expect(valuesClose(try #require(x.grad).storage, [Foundation.pow(1.0001, 10_000)], tolerance: 1e-9))
        y = Tensor(0)  // drop the only reference to the chain's head
        #expect(x.grad != nil)
    }

    @Test func deepChainOnASecondaryThreadWithASmallStack() throws {
        // Swift Testing and the REPL may run work off the main thread, where stacks are smaller.
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        let thread = Thread {
            do {
                let x = Tensor(1, requiresGrad: true)
                var y = x
                for _ in 0..<100_000 { y = try y + 1 }
                // The same tensor twice in one operation, and a diamond (y feeds two operations).
                for _ in 0..<30_000 { y = try (y + y) * 0.5 }
                for _ in 0..<30_000 { y = try y * 0.25 + y * 0.75 }
                try y.backward()
                if x.grad?.storage != [1] { failure = TensorError.noGradient(op: "deep chain") }
            } catch { failure = error }
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(failure == nil)
    }

    /// A node listing one tensor three times (and, below, a fourth time after others): releasing a
    /// long chain of them must find each repeated input once, or the chain is released recursively
    /// and overflows a small stack. Also with more inputs than the pairwise comparison takes.
    @Test func repeatedInputsOfWideNodesAreReleasedOneAtATime() throws {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var failure: Error?
        let thread = Thread {
            do {
                let x = Tensor([1], requiresGrad: true)
                var y = x
                for _ in 0..<20_000 {
                    let z = try y * 1.0
                    y = try Tensor.concat([y, y, z, y, z], axis: 0).mean(axis: 0, keepdims: true)
                }
                for _ in 0..<2_000 { y = try Tensor.concat(Array(repeating: y, count: 20), axis: 0).mean(axis: 0, keepdims: true) }
                try y.backward()
                // Every step is the mean of copies of y, so ∂y/∂x = 1 up to the rounding of 1/5 and 1/20.
                guard let g = x.grad?.storage.first, Swift.abs(g - 1) < 1e-9 else { throw TensorError.noGradient(op: "wide chain") }
            } catch { failure = error }
            done.signal()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        done.wait()
        #expect(failure == nil)
    }
}

@Suite struct GradModeTests {
    @Test func noGradScopeRecordsNothing() throws {
        let x = Tensor([1, 2], requiresGrad: true)
        let y = try GradMode.withoutGrad {
            #expect(!GradMode.isEnabled)
            return try (x * x).sum()
        }
        #expect(GradMode.isEnabled)
        #expect(!y.requiresGrad)
        #expect(y.isLeaf)
        #expect(tensorError { try y.backward() } == .noGradient(op: "backward"))
        #expect(x.grad == nil)
    }

    @Test func scopesNestAndRestoreEvenWhenTheBodyThrows() throws {
        GradMode.withoutGrad {
            GradMode.withoutGrad { #expect(!GradMode.isEnabled) }
            #expect(!GradMode.isEnabled)
        }
        #expect(GradMode.isEnabled)
        _ = tensorError { try GradMode.withoutGrad { try Tensor([1, 2]) + Tensor([1, 2, 3]) } }
        #expect(GradMode.isEnabled)
    }

    /// The switch belongs to the thread (task) that flips it: a no-grad scope held open on another
    /// thread — as every gradcheck does between its perturbations — must not stop this one recording.
    @Test func noGradOnAnotherThreadDoesNotLeakIntoThisOne() throws {
        let entered = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0), finished = DispatchSemaphore(value: 0)
        let other = Thread {
            GradMode.withoutGrad {
                entered.signal()
                release.wait()
            }
            finished.signal()
        }
        other.start()
        entered.wait()
        defer { release.signal(); finished.wait() }
        #expect(GradMode.isEnabled)
        let x = Tensor([1, 2], requiresGrad: true)
        let y = try (x * x).sum()
        #expect(y.requiresGrad)
        try y.backward()
        #expect(x.grad?.storage == [2, 4])
    }
}

@Suite struct GraphSurgeryTests {
    /// y = detach(x)·x: the detached factor is a constant, so dy/dx = x, not 2x.
    @Test func detachCutsTheGraph() throws {
        let x = try Tensor(shape: [2], storage: [3, 4], requiresGrad: true)
        let d = x.detach()
        #expect(!d.requiresGrad)
        #expect(d.isLeaf)
        try (d * x).sum().backward()
        #expect(x.grad?.storage == [3, 4])
        // Detaching a computed tensor cuts everything before it.
        let h = try x * 5
        #expect(h.detach().gradNode == nil)
        #expect(tensorError { try h.detach().sum().backward() } == .noGradient(op: "backward"))
    }

    /// h = 2x, L = Σ h²: ∂L/∂h = 2h is kept only when h.retainGrad() was called.
    @Test func retainGradKeepsAnIntermediateGradient() throws {
        let x = try Tensor(shape: [2], storage: [1, -2], requiresGrad: true)
        let h = try x * 2
        h.retainGrad()
        #expect(h.retainsGrad)
        let other = try x * 2
        try ((h * h).sum() + (other * 0).sum()).backward()
        expectTensor(try #require(h.grad), shape: [2], [4, -8])
        #expect(other.grad == nil)
        expectTensor(try #require(x.grad), shape: [2], [8, -16])  // ∂L/∂x = 2·∂L/∂h
    }
}
