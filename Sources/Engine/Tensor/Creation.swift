/// Ways to make a tensor: from nested literals, constants, identity, ranges.
extension Tensor {
    /// A tensor of `shape` filled with `value` (filled chunk by chunk: `zeros(1e9)` stops on Ctrl-C).
    public static func full(_ shape: [Int], _ value: Double, requiresGrad: Bool = false) throws -> Tensor {
        try filled(shape, value, requiresGrad: requiresGrad, op: "full")
    }

    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try filled(shape, 0, requiresGrad: requiresGrad, op: "zeros")
    }

    public static func ones(_ shape: [Int], requiresGrad: Bool = false) throws -> Tensor {
        try filled(shape, 1, requiresGrad: requiresGrad, op: "ones")
    }

    /// `full` under the name the learner called, so a refusal says "zeros: …" for `zeros(1e9)`.
    private static func filled(_ shape: [Int], _ value: Double, requiresGrad: Bool, op: String) throws -> Tensor {
        try checkShape(shape, op: op)
        return try Tensor(shape: shape, storage: try Cancellation.repeating(value, count: Shape.count(shape)), requiresGrad: requiresGrad)
    }

    /// The n×m identity (ones on the main diagonal); `m` defaults to `n`.
    public static func eye(_ n: Int, _ m: Int? = nil) throws -> Tensor {
        let cols = m ?? n
        try checkShape([n, cols], op: "eye")
        var data = try Cancellation.repeating(0, count: n * cols)
        for i in 0..<Swift.min(n, cols) { data[i * cols + i] = 1 }
        return Tensor(uncheckedShape: [n, cols], storage: data)
    }

    /// start, start + step, … up to but excluding `stop` (NumPy's `arange`).
    public static func arange(_ start: Double, _ stop: Double, step: Double = 1) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, stop.isFinite else {
            throw TensorError.invalidArgument(op: "arange", message: "step must be a non-zero finite number and the bounds finite")
        }
        // Counted in Double first: (stop − start)/step can be ±∞ or far beyond Int (arange(0, 1e300)),
        // and converting such a value to Int traps. An infinite count is refused either way, as NumPy does.
        let steps = ((stop - start) / step).rounded(.up)
        guard steps.isFinite, steps <= 100_000_000 else {
            throw TensorError.invalidArgument(op: "arange", message: steps.isFinite
                ? "\(steps) elements is too many (at most 10⁸)"
                : "the number of elements from \(start) to \(stop) by \(step) overflows")
        }
        let n = steps > 0 ? Int(steps) : 0
        try MemoryBudget.check(doubles: n, for: "arange")
        // NumPy fills with start + i·δ where δ = (start + step) − start, not the step itself; the two
        // differ in the last bit (arange(1, 2, 0.1)[2] is 1.2000000000000002 in NumPy), and printed
        // values must match NumPy's digit for digit.
        let delta = (start + step) - start
        return Tensor(try Cancellation.array(count: n) { p, range in for i in range { p[i] = start + Double(i) * delta } })
    }

    /// `count` evenly spaced numbers from `start` to `stop`, both included (NumPy's `linspace`).
    public static func linspace(_ start: Double, _ stop: Double, count: Int) throws -> Tensor {
        guard count >= 0, count <= 100_000_000 else {
            throw TensorError.invalidArgument(op: "linspace", message: "count must be between 0 and 10⁸, got \(count)")
        }
        try MemoryBudget.check(doubles: count, for: "linspace")
        if count == 1 { return Tensor([start]) }
        let step = (stop - start) / Double(count - 1)
        // The last point is set exactly to `stop`, as NumPy does, instead of accumulating rounding.
        return Tensor(try Cancellation.array(count: count) { p, range in
            for i in range { p[i] = i == count - 1 ? stop : start + Double(i) * step }
        })
    }

    /// A tensor from a nested literal such as `[[1, 2], [3, 4]]`; throws on ragged nesting.
    public convenience init(literal: TensorLiteral, requiresGrad: Bool = false) throws {
        var shape: [Int] = []
        var probe = literal
        while case let .list(items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var data: [Double] = []
        data.reserveCapacity(Shape.count(shape))
        func collect(_ node: TensorLiteral, depth: Int, path: [Int]) throws {
            switch node {
            case let .number(x):
                guard depth == shape.count else {
                    throw TensorError.badLiteral("ragged nesting: element \(pathString(path)) is a number where a list of \(shape[depth]) was expected")
                }
                data.append(x)
            case let .list(items):
                guard depth < shape.count else {
                    throw TensorError.badLiteral("ragged nesting: element \(pathString(path)) is a list where a number was expected")
                }
                guard items.count == shape[depth] else {
                    throw TensorError.badLiteral("ragged nesting: element \(pathString(path)) has \(items.count) entries, expected \(shape[depth]) like the first one")
                }
                for (i, item) in items.enumerated() { try collect(item, depth: depth + 1, path: path + [i]) }
            }
        }
        try collect(literal, depth: 0, path: [])
        try self.init(shape: shape, storage: data, requiresGrad: requiresGrad)
    }

    static func checkShape(_ shape: [Int], op: String) throws {
        try Shape.checkAllocatable(shape, op: op)
    }
}

private func pathString(_ path: [Int]) -> String { path.isEmpty ? "at the top" : path.map { "[\($0)]" }.joined() }

/// A nested array literal: the syntax tree of `[[1, 2], [3, 4]]`, checked for raggedness by
/// ``Tensor/init(literal:requiresGrad:)``.
public indirect enum TensorLiteral: Equatable, Sendable, ExpressibleByArrayLiteral,
    ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
    case number(Double)
    case list([TensorLiteral])

    public init(arrayLiteral elements: TensorLiteral...) { self = .list(elements) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(integerLiteral value: Int) { self = .number(Double(value)) }
}
