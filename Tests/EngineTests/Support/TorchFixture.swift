import Foundation
import Testing
@testable import Engine

/// One PyTorch float64 reference case written by `scripts/make_fixtures.py` into
/// `Tests/EngineTests/Fixtures/torch/<name>.json`.
///
/// ```swift
/// let f = try TorchFixture.load("lstm_1layer")
/// let hidden = try f.int("hidden_size")
/// let x = try f.tensor("x")
/// expectClose(myOut, try f.tensor("out"), "lstm_1layer out")
/// f.expectClose(myOut, to: "out")            // the same, naming the fixture and key for you
/// ```
///
/// Every number is parsed back to exactly the Double PyTorch computed (the JSON holds each float's
/// shortest round-tripping decimal). `tensor(_:)` returns a fresh `Tensor` on each call, so a test
/// may mutate it or set `requiresGrad` without affecting other tests.
struct TorchFixture {
    /// What can go wrong when loading or reading a fixture; the description says which file and key.
    enum Failure: Error, CustomStringConvertible {
        case missingFile(name: String, path: String)
        case malformed(name: String, reason: String)
        case missingTensor(fixture: String, key: String, available: [String])
        case missingConfig(fixture: String, key: String, available: [String])
        case wrongConfigType(fixture: String, key: String, expected: String, found: String)

        var description: String {
            switch self {
            case let .missingFile(name, path):
                return "torch fixture '\(name)': no file at \(path) (run `/work/venv/bin/python scripts/make_fixtures.py`)"
            case let .malformed(name, reason):
                return "torch fixture '\(name)': \(reason)"
            case let .missingTensor(fixture, key, available):
                return "torch fixture '\(fixture)': no tensor '\(key)' (has: \(available.joined(separator: ", ")))"
            case let .missingConfig(fixture, key, available):
                return "torch fixture '\(fixture)': no config key '\(key)' (has: \(available.joined(separator: ", ")))"
            case let .wrongConfigType(fixture, key, expected, found):
                return "torch fixture '\(fixture)': config '\(key)' is \(found), not \(expected)"
            }
        }
    }

    /// The case name (file stem, equal to the file's `"case"` field).
    let name: String
    /// The raw `"config"` object as parsed by `JSONSerialization`; prefer the typed accessors.
    let config: [String: Any]
    /// Shape and row-major data of every tensor, by key.
    private let entries: [String: (shape: [Int], data: [Double])]

    /// All tensor keys, sorted.
    var tensorNames: [String] { entries.keys.sorted() }
    /// All config keys, sorted.
    var configKeys: [String] { config.keys.sorted() }

    // MARK: Locating and loading

    /// `Tests/EngineTests/Fixtures/torch`, found from this source file's path.
    static var directory: URL { directory(folder: "torch") }

    /// `Tests/EngineTests/Fixtures/<folder>` (`torch` for float64, `torch32` for float32).
    static func directory(folder: String) -> URL {
        URL(fileURLWithPath: #filePath)          // …/Tests/EngineTests/Support/TorchFixture.swift
            .deletingLastPathComponent()         // …/Tests/EngineTests/Support
            .deletingLastPathComponent()         // …/Tests/EngineTests
            .appendingPathComponent("Fixtures", isDirectory: true)
            .appendingPathComponent(folder, isDirectory: true)
    }

    /// The file that holds case `name`.
    static func url(_ name: String, in directory: URL = directory) -> URL {
        directory.appendingPathComponent("\(name).json", isDirectory: false)
    }

    /// Names of every fixture in the folder, sorted.
    static func allNames(in directory: URL = directory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.path)
            .filter { $0.hasSuffix(".json") }
            .map { String($0.dropLast(".json".count)) }
            .sorted()
    }

    /// Reads and parses `Fixtures/torch/<name>.json`.
    static func load(_ name: String) throws -> TorchFixture {
        let url = url(name)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw Failure.missingFile(name: name, path: url.path)
        }
        return try parse(Data(contentsOf: url), name: name)
    }

    /// Parses fixture JSON text; `name` must equal its `"case"` field.
    static func parse(_ json: Data, name: String) throws -> TorchFixture {
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: json)
        } catch {
            throw Failure.malformed(name: name, reason: "not valid JSON (\(error))")
        }
        guard let object = root as? [String: Any] else {
            throw Failure.malformed(name: name, reason: "top level is not an object")
        }
        guard let caseName = object["case"] as? String else {
            throw Failure.malformed(name: name, reason: "no string \"case\"")
        }
        guard caseName == name else {
            throw Failure.malformed(name: name, reason: "\"case\" is '\(caseName)', not the file name")
        }
        guard let config = object["config"] as? [String: Any] else {
            throw Failure.malformed(name: name, reason: "no \"config\" object")
        }
        guard let tensors = object["tensors"] as? [String: Any] else {
            throw Failure.malformed(name: name, reason: "no \"tensors\" object")
        }
        var entries: [String: (shape: [Int], data: [Double])] = [:]
        for (key, value) in tensors {
            guard let entry = value as? [String: Any],
                  let rawShape = entry["shape"] as? [Any], let rawData = entry["data"] as? [Any]
            else {
                throw Failure.malformed(name: name, reason: "tensor '\(key)' needs \"shape\" and \"data\" arrays")
            }
            var shape: [Int] = []
            for s in rawShape {
                guard let d = number(s), let n = Int(exactly: d), n >= 0 else {
                    throw Failure.malformed(name: name, reason: "tensor '\(key)' has a bad shape entry \(s)")
                }
                shape.append(n)
            }
            var data: [Double] = []
            data.reserveCapacity(rawData.count)
            for v in rawData {
                guard let d = number(v) else {
                    throw Failure.malformed(name: name, reason: "tensor '\(key)' holds a non-number \(v)")
                }
                data.append(d)
            }
            let expected = shape.reduce(1, *)
            guard expected == data.count else {
                throw Failure.malformed(
                    name: name, reason: "tensor '\(key)' has shape \(shape) (\(expected) elements) but \(data.count) values")
            }
            entries[key] = (shape, data)
        }
        return TorchFixture(name: name, config: config, entries: entries)
    }

    /// A JSON number as a Double, exactly. Integers and floats both become Double; booleans are
    /// not numbers.
    ///
    /// On Linux, `JSONSerialization` returns most 17-significant-digit floats as `NSDecimalNumber`,
    /// whose `doubleValue` can be a few ULPs off; its `stringValue` keeps the digits, which
    /// `Double(_:)` (correctly rounded) turns into exactly the Double that Python wrote.
    static func number(_ value: Any) -> Double? {
        if let n = value as? NSNumber {
            if isBoolean(n) { return nil }
            if let decimal = n as? NSDecimalNumber {
                return Double(decimal.stringValue) ?? decimal.doubleValue
            }
            return n.doubleValue
        }
        if let d = value as? Double { return d }
        if let i = value as? Int { return Double(i) }
        return nil
    }

    private static func isBoolean(_ n: NSNumber) -> Bool {
        String(cString: n.objCType) == "c"
    }

    // MARK: Tensors

    /// Whether the fixture holds a tensor under `name`.
    func has(_ name: String) -> Bool { entries[name] != nil }

    /// The tensor stored under `name` (a fresh object each call).
    func tensor(_ name: String, requiresGrad: Bool = false) throws -> Tensor {
        guard let entry = entries[name] else {
            throw Failure.missingTensor(fixture: self.name, key: name, available: tensorNames)
        }
        return try Tensor(shape: entry.shape, storage: entry.data, requiresGrad: requiresGrad)
    }

    /// The shape stored for `name`.
    func shape(_ name: String) throws -> [Int] {
        guard let entry = entries[name] else {
            throw Failure.missingTensor(fixture: self.name, key: name, available: tensorNames)
        }
        return entry.shape
    }

    /// The single value of a one-element tensor such as `"loss"` or `"total_norm"` (shape `[]`).
    func scalar(_ name: String) throws -> Double {
        try tensor(name).item()
    }

    /// Tensor keys that start with `prefix` (e.g. `"grad."`), sorted.
    func names(withPrefix prefix: String) -> [String] {
        tensorNames.filter { $0.hasPrefix(prefix) }
    }

    // MARK: Config

    private func configValue(_ key: String) throws -> Any {
        guard let value = config[key] else {
            throw Failure.missingConfig(fixture: name, key: key, available: configKeys)
        }
        return value
    }

    private func describe(_ value: Any) -> String {
        if let n = value as? NSNumber { return Self.isBoolean(n) ? "a bool (\(n.boolValue))" : "the number \(n)" }
        if let s = value as? String { return "the string \"\(s)\"" }
        if let b = value as? Bool { return "a bool (\(b))" }
        return "\(type(of: value))"
    }

    /// An integral number (`3` or `3.0`); not a bool.
    func int(_ key: String) throws -> Int {
        let value = try configValue(key)
        guard let d = Self.number(value), let i = Int(exactly: d) else {
            throw Failure.wrongConfigType(fixture: name, key: key, expected: "an integer", found: describe(value))
        }
        return i
    }

    /// Any number, integer or float; not a bool.
    func double(_ key: String) throws -> Double {
        let value = try configValue(key)
        guard let d = Self.number(value) else {
            throw Failure.wrongConfigType(fixture: name, key: key, expected: "a number", found: describe(value))
        }
        return d
    }

    /// A JSON `true`/`false` (not a number).
    func bool(_ key: String) throws -> Bool {
        let value = try configValue(key)
        if let n = value as? NSNumber, Self.isBoolean(n) { return n.boolValue }
        if !(value is NSNumber), let b = value as? Bool { return b }
        throw Failure.wrongConfigType(fixture: name, key: key, expected: "a bool", found: describe(value))
    }

    /// A JSON string.
    func string(_ key: String) throws -> String {
        let value = try configValue(key)
        guard let s = value as? String else {
            throw Failure.wrongConfigType(fixture: name, key: key, expected: "a string", found: describe(value))
        }
        return s
    }

    // MARK: Comparing

    /// `expectClose(actual, tensor(key), …)` naming `"<fixture>.<key>"`; a missing key is an issue too.
    @discardableResult
    func expectClose(
        _ actual: Tensor, to key: String, tol: Double = 1e-10, sourceLocation: SourceLocation = #_sourceLocation
    ) -> Bool {
        let expected: Tensor
        do {
            expected = try tensor(key)
        } catch {
            Issue.record("\(error)", sourceLocation: sourceLocation)
            return false
        }
        return EngineTests.expectClose(actual, expected, tol: tol, "\(name).\(key)", sourceLocation: sourceLocation)
    }
}

/// Records an issue naming `what` unless `actual` and `expected` have the same shape and every
/// element differs by at most `tol` (absolute). The issue gives both shapes, or the largest
/// difference with its multi-index and both values there. NaN never matches. Returns whether
/// they matched.
@discardableResult
func expectClose(
    _ actual: Tensor, _ expected: Tensor, tol: Double = 1e-10, _ what: String,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Bool {
    guard actual.shape == expected.shape else {
        Issue.record(
            "\(what): shape \(formatShape(actual.shape)) differs from expected \(formatShape(expected.shape))",
            sourceLocation: sourceLocation)
        return false
    }
    var worst = 0.0
    var worstIndex = 0
    for i in 0..<actual.storage.count {
        let a = actual.storage[i], b = expected.storage[i]
        let d = a.isNaN || b.isNaN ? .infinity : (a == b ? 0 : abs(a - b))
        if d > worst {
            worst = d
            worstIndex = i
        }
    }
    guard worst > tol else { return true }
    let index = Shape.multiIndex(worstIndex, shape: actual.shape)
    Issue.record(
        """
        \(what): max |actual - expected| = \(worst) > tol \(tol) at \(index) (flat \(worstIndex)): \
        actual \(actual.storage[worstIndex]), expected \(expected.storage[worstIndex]); shape \(formatShape(actual.shape))
        """,
        sourceLocation: sourceLocation)
    return false
}
