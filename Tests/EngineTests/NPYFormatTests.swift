import Foundation
import Testing
@testable import Engine
import TestSupport

/// The NumPy-written files in `Tests/EngineTests/Fixtures/npy/` and the exact values they hold.
///
/// Written by `python3 scripts/make_npy_fixtures.py`; `expected.json` stores every value as
/// Python's repr, which `Double(String)` parses back to the identical bits.
enum NPYFixture {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures").appendingPathComponent("npy")

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    struct Array: Decodable {
        let descr: String
        let shape: [Int]
        let values: [String]
        var name: String?

        func doubles() throws -> [Double] {
            try values.map { text in
                guard let value = Double(text) else { throw FixtureError("expected.json: '\(text)' is not a number") }
                return value
            }
        }
    }

    struct Expected: Decodable {
        let arrays: [String: Array]
        let archives: [String: [Array]]
    }

    struct FixtureError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    static func expected() throws -> Expected {
        try JSONDecoder().decode(Expected.self, from: Data(contentsOf: url("expected.json")))
    }

    static func array(_ name: String) throws -> Array {
        guard let array = try expected().arrays[name] else { throw FixtureError("expected.json has no entry \(name)") }
        return array
    }

    /// Bit-for-bit equality (so -0.0 ≠ 0.0 and NaN == NaN), as "read back exactly" means.
    static func sameBits(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    /// A fresh empty directory for files a test writes.
    static func temporaryDirectory() throws -> URL {
        try TestSupport.temporaryDirectory("npy")
    }

    /// The error `body` throws, for checking its case and wording.
    static func error(_ body: () throws -> Void) -> NPYError? {
        do { try body() } catch let error as NPYError { return error } catch {
            Issue.record("expected an NPYError, got \(type(of: error)): \(error)")
        }
        return nil
    }
}

@Suite struct NPYFormatTests {
    static let readable = ["f8_2x3.npy", "f4_2x3.npy", "i8_3x2.npy", "i4_4.npy", "u1_5.npy", "b1_2x2.npy", "scalar_f8.npy",
                           "empty_0x3.npy", "rank4_f8.npy", "v2_f8_3x4.npy", "v3_f8_2.npy"]

    // MARK: NumPy → rnnlab

    @Test(arguments: readable)
    func readsNumPyFixtureExactly(_ name: String) throws {
        let expected = try NPYFixture.array(name)
        let tensor = try NPY.read(contentsOf: NPYFixture.url(name))
        #expect(tensor.shape == expected.shape)
        #expect(NPYFixture.sameBits(tensor.storage, try expected.doubles()), "\(name): \(tensor.storage)")
    }

    @Test func headerOfVersion2File() throws {
        let header = try NPYHeader.parse(Data(contentsOf: NPYFixture.url("v2_f8_3x4.npy")), source: "v2")
        #expect(header == NPYHeader(major: 2, minor: 0, descr: "'<f8'", fortranOrder: false, shape: [3, 4], dataOffset: 128))
    }

    /// rnnlab's writer reproduces NumPy's bytes exactly (header, padding, spare growth spaces, data).
    @Test(arguments: readable)
    func encodesTheSameBytesAsNumPy(_ name: String) throws {
        let original = try Data(contentsOf: NPYFixture.url(name))
        let header = try NPYHeader.parse(original, source: name)
        let dtype = try #require(NPYDType(descr: NPY.unquote(header.descr)))
        let tensor = try NPY.read(data: original, source: name)
        var encoded = NPYHeader.encode(descr: dtype.descr, shape: tensor.shape, version: header.major)
        encoded.append(try dtype.encode(tensor.storage, source: name, shape: tensor.shape))
        #expect(encoded == original)
        if header.major == 1 { #expect(try NPY.encode(tensor, dtype: dtype) == original) }
    }

    @Test func headerIsPaddedTo64BytesAndEndsInNewline() throws {
        for shape in [[], [1], [123_456_789_012], [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]] {
            let header = NPYHeader.encode(descr: "<f8", shape: shape)
            #expect(header.count % 64 == 0)
            #expect(header.last == 0x0A)
            #expect(try NPYHeader.parse(header, source: "h").shape == shape)
        }
    }

    // MARK: Round trips

    static let shapes: [[Int]] = [[], [0], [5], [0, 3], [3, 0], [2, 3], [3, 0, 2], [2, 3, 4], [2, 1, 3, 2], [1, 0, 1, 1]]

    /// Values every dtype can hold exactly, so the round trip must be lossless.
    static func sampleValues(_ count: Int, for dtype: NPYDType) -> [Double] {
        (0..<count).map { i in
            switch dtype {
            case .bool: Double(i % 2)
            case .uint8, .uint16, .uint32, .uint64: Double((i * 37) % 256)
            case .int8, .int16, .int32, .int64: Double((i * 37) % 256 - 128)
            case .float32: Double(i) * 0.375 - 3
            case .float64: sin(Double(i) + 0.5) * 1e-3 + Double(i)
            }
        }
    }

    @Test(arguments: NPYDType.allCases, shapes)
    func roundTripsThroughBytes(_ dtype: NPYDType, _ shape: [Int]) throws {
        let tensor = try Tensor(shape: shape, storage: Self.sampleValues(Shape.count(shape), for: dtype))
        let back = try NPY.read(data: NPY.encode(tensor, dtype: dtype), source: "round trip")
        #expect(back.shape == shape)
        #expect(NPYFixture.sameBits(back.storage, tensor.storage))
    }

    @Test(arguments: [NPYDType.float64, .float32, .int64])
    func roundTripsThroughAFile(_ dtype: NPYDType) throws {
        let dir = try NPYFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("t.npy")
        let tensor = try Tensor(shape: [2, 3], storage: [1, -2, 3, -4, 5, -6])
        try NPY.write(tensor, to: url, dtype: dtype)
        try NPY.write(tensor, to: url, dtype: dtype)  // overwrites, as np.save does
        let back = try NPY.read(contentsOf: url)
        #expect(back.shape == [2, 3] && back.storage == tensor.storage)
    }

    @Test func float64KeepsSpecialValuesBitForBit() throws {
        let values = [0.0, -0.0, .nan, .infinity, -.infinity, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1]
        let back = try NPY.read(data: NPY.encode(Tensor(values)), source: "special")
        #expect(NPYFixture.sameBits(back.storage, values))
    }

    @Test func float32RoundsToNearestAndKeepsInfinityAndNaN() throws {
        let back = try NPY.read(data: NPY.encode(Tensor([0.1, .infinity, .nan, 1e-50]), dtype: .float32), source: "f4")
        #expect(back.storage[0] == Double(Float(0.1)))
        #expect(back.storage[1] == .infinity && back.storage[2].isNaN && back.storage[3] == 0)
    }

    @Test func fortranOrderIsAcceptedWhereTheLayoutIsTheSame() throws {
        var bytes = NPYHeader.encode(descr: "<f8", fortranOrder: true, shape: [1, 3])
        bytes.append(try NPYDType.float64.encode([1, 2, 3], source: "", shape: [3]))
        #expect(try NPY.read(data: bytes, source: "f").storage == [1, 2, 3])
    }

    // MARK: Files rnnlab refuses

    @Test func fortranOrderFileIsRefused() throws {
        let url = NPYFixture.url("fortran_f8_2x3.npy")
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .fortranOrder(source: url.path, shape: [2, 3]))
        #expect(error?.description.contains("np.ascontiguousarray") == true)
    }

    @Test func bigEndianFileIsRefusedWithTheFix() throws {
        let url = NPYFixture.url("bigendian_f8_2x3.npy")
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .unsupportedDType(source: url.path, descr: "'>f8'"))
        #expect(error?.description == "\(url.path): dtype '>f8' (big-endian float64) is not supported; rnnlab reads "
            + "<f8, <f4, <i8, <i4, <i2, |i1, <u8, <u4, <u2, |u1, |b1 in C order — convert it with a.astype('<f8') before saving")
    }

    @Test(arguments: [("complex_c16_2.npy", "'<c16'", "little-endian complex128"),
                      ("object_O.npy", "'|O'", "Python objects, stored with pickle")])
    func unsupportedDTypeIsNamed(_ file: String, _ descr: String, _ meaning: String) throws {
        let url = NPYFixture.url(file)
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .unsupportedDType(source: url.path, descr: descr))
        #expect(error?.description.hasPrefix("\(url.path): dtype \(descr) (\(meaning)) is not supported") == true)
    }

    @Test func truncatedDataIsReported() throws {
        let url = NPYFixture.url("truncated_f8_2x3.npy")
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .truncated(source: url.path, part: "data for shape (2, 3) of float64", needed: 48, available: 43))
        #expect(error?.description.contains("truncated") == true)
    }

    @Test func truncatedHeaderIsReported() throws {
        let url = NPYFixture.url("truncated_header.npy")
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .truncated(source: url.path, part: "header", needed: 118, available: 10))
    }

    @Test func int64BeyondDoublePrecisionIsRefused() throws {
        let url = NPYFixture.url("i8_inexact.npy")
        let error = NPYFixture.error { _ = try NPY.read(contentsOf: url) }
        #expect(error == .inexactInteger(source: url.path, dtype: "int64 '<i8'", index: [0], value: "9007199254740993"))
        #expect(error?.description == "\(url.path): element [0] = 9007199254740993 (int64 '<i8') has no exact Double: "
            + "integers beyond ±2^53 do not fit, and rnnlab tensors hold Doubles")
    }

    @Test func everyPrefixOfAValidFileFailsCleanly() throws {
        let whole = try Data(contentsOf: NPYFixture.url("f8_2x3.npy"))
        for length in 0..<whole.count {
            let error = NPYFixture.error { _ = try NPY.read(data: whole.prefix(length), source: "cut") }
            switch error {
            case .truncated?: break
            default: Issue.record("prefix of \(length) bytes gave \(String(describing: error))")
            }
        }
    }

    @Test func trailingBytesAreReported() throws {
        var bytes = try Data(contentsOf: NPYFixture.url("f8_2x3.npy"))
        bytes.append(bytes)  // two np.save calls into one file
        #expect(NPYFixture.error { _ = try NPY.read(data: bytes, source: "two") } == .trailingBytes(source: "two", count: 176))
    }

    @Test func otherFilesAreNotNPY() throws {
        let zip = try Data(contentsOf: NPYFixture.url("weights.npz"))
        let error = NPYFixture.error { _ = try NPY.read(data: zip, source: "w.npz") }
        #expect(error == .notNPY(source: "w.npz", found: "b'PK\\x03\\x04-\\x00'"))
        #expect(error?.description.hasSuffix("read it with NPZ.read") == true)
        #expect(NPYFixture.error { _ = try NPY.read(data: Data(), source: "e") } == .truncated(source: "e", part: "magic string", needed: 6, available: 0))
        #expect(NPYFixture.error { _ = try NPY.read(data: Data("hello, world".utf8), source: "t") } == .notNPY(source: "t", found: "b'hello,'"))
    }

    @Test func unknownVersionIsReported() throws {
        var bytes = NPYHeader.encode(descr: "<f8", shape: [0])
        bytes[6] = 4
        #expect(NPYFixture.error { _ = try NPY.read(data: bytes, source: "v4") } == .unsupportedVersion(source: "v4", major: 4, minor: 0))
    }

    @Test func missingFileAndDirectoryAreReported() throws {
        let dir = try NPYFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("nope.npy")
        #expect(NPYFixture.error { _ = try NPY.read(contentsOf: missing) } == .fileAccess(path: missing.path, reason: "no such file"))
        #expect(NPYFixture.error { _ = try NPY.read(contentsOf: dir) } == .fileAccess(path: dir.path, reason: "is a directory, not a file"))
        let unwritable = dir.appendingPathComponent("no/such/dir/t.npy")
        guard case .fileAccess? = NPYFixture.error({ try NPY.write(Tensor(1), to: unwritable) }) else {
            Issue.record("writing into a missing directory should fail with fileAccess"); return
        }
    }

    /// A header dict and the start of the reason it is refused.
    static let malformedHeaders: [(String, String)] = [
        ("{'descr': '<f8', 'fortran_order': False}", "keys are 'descr', 'fortran_order'; expected"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "keys are 'descr', 'extra', 'fortran_order', 'shape'"),
        ("{'descr': '<f8', 'fortran_order': 0, 'shape': (2,)}", "'fortran_order' is 0, not True or False"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': [2]}", "'shape' is [2], not a tuple"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -1)}", "'shape' (2, -1) has -1, not a non-negative integer"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2.5,)}", "expected an integer, found a float"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}", "integer at character"),
        ("{'descr': 8, 'fortran_order': False, 'shape': (2,)}", "'descr' is 8, not a dtype string"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)", "missing '}' before the end of header"),
        ("{'descr': '<f8, 'fortran_order': False, 'shape': (2,)}", "expected ',' or '}', found 'fortran_orde"),
        ("['descr', '<f8']", "expected a dict, found ['descr', '<f8']"),
        ("{'descr': '<f8', 'fortran_order': False, 'shape': (2,)} junk", "unexpected 'junk"),
        ("{1: '<f8'}", "dict key 1 is not a string"),
        ("", "unexpected end of header"),
        (String(repeating: "(", count: 100), "nested more than 32 levels deep"),
    ]

    @Test(arguments: malformedHeaders)
    func malformedHeaderIsReported(_ dict: String, _ reason: String) throws {
        let bytes = Self.file(header: dict, payload: 16)
        let error = NPYFixture.error { _ = try NPY.read(data: bytes, source: "bad.npy") }
        guard case let .malformedHeader(source, found)? = error else {
            Issue.record("expected malformedHeader, got \(String(describing: error))"); return
        }
        #expect(source == "bad.npy")
        #expect(found.hasPrefix(reason), "\(found)")
    }

    /// A shape whose element or byte count overflows is an error before anything is allocated.
    @Test(arguments: ["(4611686018427387904, 4)", "(2305843009213693952,)", "(9223372036854775807, 0, 5)"])
    func hugeShapeIsRefusedWithoutAllocating(_ shape: String) throws {
        let bytes = Self.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", payload: 8)
        let error = NPYFixture.error { _ = try NPY.read(data: bytes, source: "huge") }
        switch error {
        case .malformedHeader?, .truncated?, .trailingBytes?: break
        default: Issue.record("shape \(shape) gave \(String(describing: error))")
        }
    }

    @Test func lenientWhereNumPyIs() throws {
        // Double quotes, no trailing comma, Python 2 longs, 16-byte alignment of old NumPy versions.
        let bytes = Self.file(header: "{\"descr\": \"<i8\", \"shape\": (2L, 1L), \"fortran_order\": False}", payload: 0, extra: [7, -7])
        let tensor = try NPY.read(data: bytes, source: "py2")
        #expect(tensor.shape == [2, 1] && tensor.storage == [7, -7])
    }

    /// `.npy` bytes with a hand-written header dict (no padding rules) and `payload` zero bytes
    /// or the int64 values of `extra`.
    static func file(header: String, payload: Int, extra: [Int64] = []) -> Data {
        let text = Swift.Array((header + "\n").utf8)
        var out = Data(NPYHeader.magic + [1, 0, UInt8(text.count & 0xFF), UInt8(text.count >> 8)] + text)
        out.append(Data(count: payload))
        for v in extra { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    // MARK: Writing checks

    @Test func int64RefusesNonIntegersNamingTheElement() throws {
        let t = try Tensor(shape: [2, 2], storage: [1, 2, 2.5, 4])
        let error = NPYFixture.error { _ = try NPY.encode(t, dtype: .int64, source: "w.npy") }
        #expect(error == .unrepresentable(source: "w.npy", dtype: "int64 '<i8'", index: [1, 0], value: "2.5", reason: "not an integer"))
        #expect(error?.description == "w.npy: element [1, 0] = 2.5 cannot be stored as int64 '<i8': not an integer")
    }

    @Test(arguments: [
        (NPYDType.int64, Double.nan, "int64 has no NaN"),
        (.int64, .infinity, "int64 has no infinity"),
        (.int64, 9_223_372_036_854_775_808.0, "outside int64's range -9223372036854775808…9223372036854775807"),
        (.uint64, 18_446_744_073_709_551_616.0, "outside uint64's range 0…18446744073709551615"),
        (.uint8, -1, "outside uint8's range 0…255"),
        (.int8, 128, "outside int8's range -128…127"),
        (.bool, 2, "a bool must be 0 or 1"),
        (.float32, 1e39, "outside float32's range (about ±3.4028235e38)"),
    ])
    func unrepresentableValueIsRefused(_ dtype: NPYDType, _ value: Double, _ reason: String) throws {
        let error = NPYFixture.error { _ = try NPY.encode(Tensor(value), dtype: dtype, source: "s.npy") }
        #expect(error == .unrepresentable(source: "s.npy", dtype: "\(dtype.name) '\(dtype.descr)'", index: [], value: String(value), reason: reason))
    }

    @Test func integerExtremesRoundTrip() throws {
        let values = [-9_223_372_036_854_775_808.0, 9_223_372_036_854_775_807.0.nextDown, -0.0, 9_007_199_254_740_992]
        let back = try NPY.read(data: NPY.encode(Tensor(values), dtype: .int64), source: "ext")
        #expect(back.storage == values)
    }

    // MARK: The header parser

    @Test func pythonLiteralsParseLikePython() throws {
        #expect(try PythonLiteral.parse("(3,)") == .tuple([.int(3)]))
        #expect(try PythonLiteral.parse("(3)") == .int(3))
        #expect(try PythonLiteral.parse(" () ") == .tuple([]))
        #expect(try PythonLiteral.parse("(1, 2, )") == .tuple([.int(1), .int(2)]))
        #expect(try PythonLiteral.parse("[('a', '<f8')]") == .list([.tuple([.string("a"), .string("<f8")])]))
        #expect(try PythonLiteral.parse("{'k': None, \"q\": True}") == .dict([(.string("k"), .none), (.string("q"), .bool(true))]))
        #expect(try PythonLiteral.parse("'it\\'s'") == .string("it's"))
        #expect(try PythonLiteral.parse("12L") == .int(12))
        #expect(PythonLiteral.tuple([.int(3)]).repr == "(3,)")
    }

    // MARK: The reverse direction, checked by hand with NumPy

    /// Writes rnnlab files for `python3 scripts/make_npy_fixtures.py --check DIR`; runs only when
    /// `RNNLAB_NPY_CHECK_DIR=DIR` is set, since the tests themselves need no Python.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["RNNLAB_NPY_CHECK_DIR"] != nil))
    func writesFilesForNumPyCheck() throws {
        let dir = URL(fileURLWithPath: try #require(ProcessInfo.processInfo.environment["RNNLAB_NPY_CHECK_DIR"]))
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        func record(_ dtype: NPYDType, _ t: Tensor) -> [String: Any] {
            ["descr": dtype.descr, "shape": t.shape, "values": t.storage.map { "\($0)" }]
        }
        var npy: [String: Any] = [:]
        for dtype in NPYDType.allCases {
            for (k, shape) in Self.shapes.enumerated() {
                let t = try Tensor(shape: shape, storage: Self.sampleValues(Shape.count(shape), for: dtype))
                let name = "\(dtype.name)_\(k).npy"
                try NPY.write(t, to: dir.appendingPathComponent(name), dtype: dtype)
                npy[name] = record(dtype, t)
            }
        }
        let a = try Tensor(shape: [16, 3], storage: (0..<48).map { sin(Double($0)) })
        let b = try Tensor(shape: [16], storage: (0..<16).map { cos(Double($0)) / 3 })
        let entries: [(name: String, tensor: Tensor)] = [("weight_ih_l0", a), ("lstm.bias_ih_l0", b), ("scalar", Tensor(2.5))]
        var npz: [String: Any] = [:]
        for compressed in [false, true] {
            let name = compressed ? "compressed.npz" : "stored.npz"
            try NPZ.write(entries, to: dir.appendingPathComponent(name), compressed: compressed)
            npz[name] = entries.map { e -> [String: Any] in var r = record(.float64, e.tensor); r["name"] = e.name; return r }
        }
        let manifest = try JSONSerialization.data(withJSONObject: ["npy": npy, "npz": npz], options: [.prettyPrinted, .sortedKeys])
        try manifest.write(to: dir.appendingPathComponent("manifest.json"))
    }
}
