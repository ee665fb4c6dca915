import Foundation
import Testing
@testable import Engine

@Suite struct NPZArchiveTests {
    // MARK: NumPy → rnnlab

    /// `np.savez` (stored, zip64 members) and `np.savez_compressed` (deflated) of an LSTM state_dict.
    @Test(arguments: ["weights.npz", "weights_compressed.npz"])
    func readsNumPyArchiveInOrderExactly(_ file: String) throws {
        let expected = try #require(try NPYFixture.expected().archives[file])
        let entries = try NPZ.read(contentsOf: NPYFixture.url(file))
        #expect(entries.map(\.name) == ["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"])
        #expect(entries.map(\.name) == expected.compactMap(\.name))
        for (entry, want) in zip(entries, expected) {
            #expect(entry.tensor.shape == want.shape, "\(entry.name)")
            #expect(NPYFixture.sameBits(entry.tensor.storage, try want.doubles()), "\(entry.name)")
        }
    }

    // MARK: Round trips

    /// A fresh set each time (tensors are shared mutable objects, so no static instance).
    static var entries: [(name: String, tensor: Tensor)] {
        func make(_ shape: [Int], _ seed: Double) -> Tensor {
            // Shapes are fixed literals here, so construction cannot fail.
            (try? Tensor(shape: shape, storage: (0..<Shape.count(shape)).map { sin(Double($0) * seed) })) ?? Tensor(0)
        }
        return [("weight_ih_l0", make([16, 3], 1.1)), ("rnn.bias_hh_l0", make([16], 0.7)), ("enc/scalar", make([], 0.3)),
                ("empty", make([0, 3], 1)), ("rank4", make([2, 1, 3, 2], 2.9))]
    }

    @Test(arguments: [false, true])
    func roundTripsThroughAFile(_ compressed: Bool) throws {
        let dir = try NPYFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("w.npz")
        try NPZ.write(Self.entries, to: url, compressed: compressed)
        try NPZ.write(Self.entries, to: url, compressed: compressed)  // replaces, as np.savez does
        let back = try NPZ.read(contentsOf: url)
        #expect(back.map(\.name) == Self.entries.map(\.name))
        for (got, want) in zip(back, Self.entries) {
            #expect(got.tensor.shape == want.tensor.shape && NPYFixture.sameBits(got.tensor.storage, want.tensor.storage), "\(got.name)")
        }
    }

    @Test(arguments: [NPYDType.float32, .int64])
    func writesOtherDTypes(_ dtype: NPYDType) throws {
        let data = try NPZ.encode([("a", Tensor([1, 2, -3]))], dtype: dtype)
        let back = try NPZ.read(data: data, source: "t.npz")
        #expect(back.count == 1 && back[0].tensor.storage == [1, 2, -3])
    }

    @Test func encodingIsDeterministic() throws {
        #expect(try NPZ.encode(Self.entries) == NPZ.encode(Self.entries))
        #expect(try NPZ.encode(Self.entries, compressed: true) == NPZ.encode(Self.entries, compressed: true))
    }

    @Test func emptyArchiveRoundTrips() throws {
        #expect(try NPZ.read(data: NPZ.encode([]), source: "none.npz").isEmpty)
    }

    // MARK: Archives rnnlab refuses

    @Test func memberThatIsNotAnArrayIsNamed() throws {
        let url = NPYFixture.url("odd_member.npz")
        let error = NPYFixture.error { _ = try NPZ.read(contentsOf: url) }
        guard case let .badMember(source, member, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(source == url.path && member == "notes.txt" && reason.hasPrefix("is not an .npy array"))
    }

    @Test func duplicateMemberIsRefused() throws {
        let url = NPYFixture.url("duplicate.npz")
        #expect(NPYFixture.error { _ = try NPZ.read(contentsOf: url) }
            == .badMember(source: url.path, member: "bias.npy", reason: "appears twice in the archive"))
    }

    @Test func memberErrorsNameArchiveAndMember() throws {
        let data = try NPZ.encode([("ok", Tensor([1])), ("bad", Tensor([2]))])
        // Rewrite the second member's descr in place ('<f8' → '>f8'); the CRC check must catch it first.
        var bytes = [UInt8](data)
        let descr = Array("'<f8'".utf8)
        let positions = (0...(bytes.count - descr.count)).filter { Array(bytes[$0..<$0 + descr.count]) == descr }
        #expect(positions.count == 2)
        bytes[positions[1] + 1] = UInt8(ascii: ">")
        let error = NPYFixture.error { _ = try NPZ.read(data: Data(bytes), source: "w.npz") }
        #expect(error == .badMember(source: "w.npz", member: "bad.npy", reason: "checksum mismatch: the archive is corrupted"))
    }

    @Test func memberContentErrorsNameArchiveAndMember() throws {
        let url = NPYFixture.url("bigendian_member.npz")
        let error = NPYFixture.error { _ = try NPZ.read(contentsOf: url) }
        #expect(error == .unsupportedDType(source: "\(url.path)[x.npy]", descr: "'>f8'"))
    }

    @Test func notAZipIsReported() throws {
        let npy = try Data(contentsOf: NPYFixture.url("f8_2x3.npy"))
        #expect(NPYFixture.error { _ = try NPZ.read(data: npy, source: "a.npz") }
            == .notZip(source: "a.npz", reason: "it is a single .npy array; load it with load_npy"))
        #expect(NPYFixture.error { _ = try NPZ.read(data: Data(), source: "e.npz") } == .notZip(source: "e.npz", reason: "the file is empty"))
        let text = NPYFixture.error { _ = try NPZ.read(data: Data("just some text, long enough to look for a zip directory".utf8), source: "t.npz") }
        guard case .notZip? = text else { Issue.record("got \(String(describing: text))"); return }
    }

    /// Offsets and sizes in the zip records that point outside the file are refused with the
    /// record named, before the zip reader follows them (it trapped on such a file).
    @Test func damagedZipRecordsAreRefusedBeforeTheyAreFollowed() throws {
        let whole = [UInt8](try Data(contentsOf: NPYFixture.url("weights.npz")))
        #expect(ZipDirectory.problem(in: Data(whole)) == nil)
        func isEndRecord(_ i: Int) -> Bool {
            let signature: [UInt8] = [0x50, 0x4b, 5, 6]
            return Array(whole[i..<(i + 4)]) == signature
        }
        let found: Int? = (0...(whole.count - 22)).last(where: isEndRecord)
        let end = try #require(found)
        // The end record's sizes set to 0xFFFFFFFF (a zip64 marker with no zip64 record).
        var zip64 = whole
        for i in (end + 12)..<(end + 20) { zip64[i] = 0xFF }
        // The directory's offset past the end of the file.
        var farDirectory = whole
        farDirectory[end + 19] = 0x7F
        // The first entry's local header offset moved (the directory starts where the end record says).
        let directory = Int(whole[end + 16]) | Int(whole[end + 17]) << 8 | Int(whole[end + 18]) << 16 | Int(whole[end + 19]) << 24
        var farLocal = whole
        farLocal[directory + 42 + 2] = 0x7F
        // The first entry's compressed size made huge.
        var longData = whole
        for i in (directory + 20)..<(directory + 24) { longData[i] = 0xFE }
        for (bytes, expected) in [(zip64, "zip64 end record"), (farDirectory, "central directory"), (farLocal, "local header"), (longData, "data")] {
            switch NPYFixture.error({ _ = try NPZ.read(data: Data(bytes), source: "bad.npz") }) {
            case let .notZip(_, reason)?: #expect(reason.contains(expected), "\(reason)")
            case let other: Issue.record("expected a damaged-zip error naming the \(expected), got \(String(describing: other))")
            }
        }
    }

    @Test func everyTruncationFailsCleanly() throws {
        let whole = try Data(contentsOf: NPYFixture.url("weights.npz"))
        for length in stride(from: 0, to: whole.count, by: 7) {
            switch NPYFixture.error({ _ = try NPZ.read(data: whole.prefix(length), source: "cut.npz") }) {
            case .notZip?, .badMember?, .truncated?: break
            case let other: Issue.record("\(length) of \(whole.count) bytes: \(String(describing: other))")
            }
        }
    }

    @Test func badNamesAreRefusedWhenWriting() throws {
        #expect(NPYFixture.error { _ = try NPZ.encode([("a", Tensor(1)), ("a", Tensor(2))], source: "w.npz") }
            == .badMember(source: "w.npz", member: "a", reason: "two arrays have this name"))
        #expect(NPYFixture.error { _ = try NPZ.encode([("", Tensor(1))], source: "w.npz") }
            == .badMember(source: "w.npz", member: "", reason: "an array needs a non-empty name"))
        let error = NPYFixture.error { _ = try NPZ.encode([("w", Tensor(0.5))], dtype: .int64, source: "w.npz") }
        #expect(error == .unrepresentable(source: "w.npz[w.npy]", dtype: "int64 '<i8'", index: [], value: "0.5", reason: "not an integer"))
    }

    @Test func missingFileIsReported() throws {
        let url = NPYFixture.directory.appendingPathComponent("no_such.npz")
        #expect(NPYFixture.error { _ = try NPZ.read(contentsOf: url) } == .fileAccess(path: url.path, reason: "no such file"))
    }
}

// MARK: - Loading weights into a Module

/// Two named parameters, like a `Linear` layer.
private final class TinyModule: Module {
    let weight: Tensor
    let bias: Tensor
    init() throws {
        weight = try Tensor(shape: [2, 3], storage: [0, 0, 0, 0, 0, 0], requiresGrad: true)
        bias = try Tensor(shape: [3], storage: [0, 0, 0], requiresGrad: true)
    }
    var namedParameters: [(name: String, tensor: Tensor)] { [("weight", weight), ("bias", bias)] }
}

/// The parameter layout of `torch.nn.LSTM(input_size=3, hidden_size=4)`.
private final class LSTMShapedModule: Module {
    let params: [(name: String, tensor: Tensor)]
    init() throws {
        params = try [("weight_ih_l0", [16, 3]), ("weight_hh_l0", [16, 4]), ("bias_ih_l0", [16]), ("bias_hh_l0", [16])].map {
            ($0.0, try Tensor(shape: $0.1, storage: [Double](repeating: 0, count: Shape.count($0.1))))
        }
    }
    var namedParameters: [(name: String, tensor: Tensor)] { params }
}

@Suite struct ModuleNPZTests {
    @Test(arguments: ["weights.npz", "weights_compressed.npz"])
    func loadsNumPyStateDict(_ file: String) throws {
        let model = try LSTMShapedModule()
        try model.loadWeights(npz: NPYFixture.url(file))
        let expected = try #require(try NPYFixture.expected().archives[file])
        for (param, want) in zip(model.namedParameters, expected) {
            #expect(param.name == want.name)
            #expect(NPYFixture.sameBits(param.tensor.storage, try want.doubles()), "\(param.name)")
        }
    }

    @Test func savesAndLoadsByName() throws {
        let dir = try NPYFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("tiny.npz")
        let source = try TinyModule()
        source.weight.storage = [1, 2, 3, 4, 5, 6]
        source.bias.storage = [-1, 0.5, 0.25]
        try source.saveWeights(npz: url)
        #expect(try NPZ.read(contentsOf: url).map(\.name) == ["weight", "bias"])
        let target = try TinyModule()
        try target.loadWeights(npz: url)
        #expect(target.weight.storage == [1, 2, 3, 4, 5, 6] && target.bias.storage == [-1, 0.5, 0.25])
        #expect(target.weight.requiresGrad, "loading replaces values, not the parameter")
    }

    /// Writes `entries` to a temporary `.npz`, tries to load it into a fresh TinyModule and returns
    /// the error, checking that nothing was loaded.
    private func loadError(_ entries: [(name: String, tensor: Tensor)]) throws -> (NPYError?, String) {
        let dir = try NPYFixture.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("w.npz")
        try NPZ.write(entries, to: url)
        let model = try TinyModule()
        let error = NPYFixture.error { try model.loadWeights(npz: url) }
        #expect(model.weight.storage == [0, 0, 0, 0, 0, 0] && model.bias.storage == [0, 0, 0], "a failed load must change nothing")
        return (error, url.path)
    }

    private static var weight: Tensor { (try? Tensor(shape: [2, 3], storage: [1, 2, 3, 4, 5, 6])) ?? Tensor(0) }
    private static var bias: Tensor { Tensor([7, 8, 9]) }

    @Test func wrongShapeIsReported() throws {
        let (error, path) = try loadError([("weight", Self.weight), ("bias", Tensor([7, 8]))])
        #expect(error == .stateDictMismatch(source: path, missing: [], unexpected: [],
                                            wrongShapes: [ParameterShapeMismatch(name: "bias", expected: [3], found: [2])]))
        #expect(error?.description == "\(path): weights do not match the model (nothing was loaded): bias is (2,) in the file but (3,) in the model")
    }

    @Test func missingNameIsReported() throws {
        let (error, path) = try loadError([("weight", Self.weight)])
        #expect(error == .stateDictMismatch(source: path, missing: ["bias"], unexpected: [], wrongShapes: []))
        #expect(error?.description.hasSuffix("missing from the file: bias") == true)
    }

    @Test func extraNameIsReported() throws {
        let (error, path) = try loadError([("weight", Self.weight), ("bias", Self.bias), ("running_mean", Tensor([0]))])
        #expect(error == .stateDictMismatch(source: path, missing: [], unexpected: ["running_mean"], wrongShapes: []))
        #expect(error?.description.hasSuffix("not parameters of the model: running_mean") == true)
    }

    @Test func submodulePrefixGetsAHint() throws {
        let (error, path) = try loadError([("lstm.weight", Self.weight), ("lstm.bias", Self.bias)])
        #expect(error == .stateDictMismatch(source: path, missing: ["weight", "bias"], unexpected: ["lstm.weight", "lstm.bias"], wrongShapes: []))
        #expect(error?.description.contains("the file's names all start with 'lstm.'") == true)
    }
}
