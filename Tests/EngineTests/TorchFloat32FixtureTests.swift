import Foundation
import Testing
@testable import Engine

// Checks of the PyTorch float32 reference fixtures (scripts/make_float32_fixtures.py) and of their
// loader (Support/TorchFloat32Fixture.swift): every file parses, every value is a float32, every
// case holds the keys and shapes its config implies, the float32 state_dict .npz agrees with its
// JSON case bit for bit, and the float64 engine run on the same (float32) inputs lands within
// float32 rounding of PyTorch's float32 results. The float32 layers' own parity tests use
// `Float32RecurrentCase` and compare far more tightly.

/// The JSON files present (an empty list here is caught by `float32FolderHoldsEveryCase`).
private let float32Names: [String] = (try? TorchFloat32Fixture.allNames()) ?? []

@Test func float32FolderHoldsEveryCase() throws {
    let present = Set(try TorchFloat32Fixture.allNames())
    let expected = Set(Float32RecurrentCase.names + TorchFloat32Fixture.optimizerNames)
    #expect(present == expected,
            "missing: \(expected.subtracting(present).sorted()), unexpected: \(present.subtracting(expected).sorted())")
    #expect(FileManager.default.fileExists(atPath: TorchFloat32Fixture.stateDictNPZ.path))
    // Between them the cases cover every kind with and without h0, batch-first, and each depth/direction.
    let cases = try Float32RecurrentCase.all()
    for kind in RecurrentKind.allCases {
        let ofKind = cases.filter { $0.kind == kind }
        #expect(ofKind.contains { $0.h0 != nil } && ofKind.contains { $0.h0 == nil }, "\(kind): with and without h0")
        #expect(ofKind.contains { $0.numLayers == 2 } && ofKind.contains { $0.bidirectional }, "\(kind): depth and direction")
    }
    #expect(cases.contains { $0.batchFirst })
    #expect(cases.contains { $0.kind == .lstm && $0.numLayers == 2 && $0.bidirectional })
    #expect(cases.contains { $0.kind == .gru && $0.numLayers == 2 && $0.bidirectional })
}

/// The check the float32 tests rely on must itself tell a float32 from a float64-only value.
@Test func valuesNotFloatFindsFloat64OnlyValues() {
    #expect(TorchFloat32Fixture.valuesNotFloat([0.5, -3, 0x1p-149, Double(Float(0.1))]).isEmpty)
    #expect(TorchFloat32Fixture.valuesNotFloat([0.5, 0.1, 1 + 0x1p-30, 1e300]) == [0.1, 1 + 0x1p-30, 1e300])
    #expect(TorchFloat32Fixture.valuesNotFloat([0.1, 0.2, 0.3], limit: 2) == [0.1, 0.2])
}

@Test(arguments: float32Names)
func float32FixtureParsesAndHoldsOnlyFloat32Values(_ name: String) throws {
    let f = try TorchFloat32Fixture.load(name)
    #expect(f.name == name)
    #expect(try f.string("dtype") == "float32")
    #expect(!f.tensorNames.isEmpty)
    var total = 0, beyondSevenDigits = 0
    for key in f.tensorNames {
        let values = try f.tensor(key).storage
        let finite = values.allSatisfy(\.isFinite)
        #expect(finite, "\(name).\(key): non-finite value")
        let bad = TorchFloat32Fixture.valuesNotFloat(values)
        #expect(bad.isEmpty, "\(name).\(key): not float32 values \(bad)")
        total += values.count
        // A float32 printed as a double mostly needs more than 7 significant digits: the file
        // holds the exact values, not 7-digit approximations of them.
        beyondSevenDigits += values.filter { Double(String(format: "%.7g", $0))! != $0 }.count
    }
    #expect(beyondSevenDigits * 2 > total, "\(name): \(beyondSevenDigits) of \(total) values need more than 7 digits")
}

@Test(arguments: Float32RecurrentCase.names)
func float32CaseHasTheTensorsItsConfigImplies(_ name: String) throws {
    let c = try Float32RecurrentCase.load(name)
    let (T, B, I, H, L, D) = (c.seqLen, c.batch, c.inputSize, c.hiddenSize, c.numLayers, c.directions)
    #expect((5...7).contains(T) && B == 3 && I == 4 && H == 6)

    var expectedShapes: [String: [Int]] = [:]
    for (p, shape) in Float32RecurrentCase.parameterShapes(
        kind: c.kind, inputSize: I, hiddenSize: H, numLayers: L, bidirectional: c.bidirectional) {
        expectedShapes[p] = shape
        expectedShapes["grad.\(p)"] = shape
    }
    let xShape = c.batchFirst ? [B, T, I] : [T, B, I]
    let outShape = c.batchFirst ? [B, T, D * H] : [T, B, D * H]
    let stateShape = [L * D, B, H]
    for key in ["x", "grad.x"] { expectedShapes[key] = xShape }
    for key in ["out", "dout"] { expectedShapes[key] = outShape }
    for key in ["hn", "dhn"] { expectedShapes[key] = stateShape }
    if c.h0 != nil { for key in ["h0", "grad.h0"] { expectedShapes[key] = stateShape } }
    if c.isLSTM {
        for key in ["cn", "dcn"] { expectedShapes[key] = stateShape }
        if c.h0 != nil { for key in ["c0", "grad.c0"] { expectedShapes[key] = stateShape } }
    }
    #expect((c.c0 != nil) == (c.isLSTM && c.h0 != nil))
    let f = c.fixture
    #expect(Set(f.tensorNames) == Set(expectedShapes.keys),
            "missing \(Set(expectedShapes.keys).subtracting(f.tensorNames).sorted()), extra \(Set(f.tensorNames).subtracting(expectedShapes.keys).sorted())")
    for (key, shape) in expectedShapes where f.has(key) {
        #expect(try f.shape(key) == shape, "\(name).\(key)")
    }

    // The sorted case hands out exactly the file's tensors.
    #expect(Set(c.stateDict.keys) == Set(c.parameterNames) && c.stateDict.count == c.parameterNames.count)
    for p in c.parameterNames {
        let stored = try f.tensor(p).storage
        #expect(c.stateDict[p]?.storage == stored, "\(name).\(p)")
    }
    let (x, dout, dhn) = (try f.tensor("x").storage, try f.tensor("dout").storage, try f.tensor("dhn").storage)
    #expect(c.x.storage == x && c.x.requiresGrad)
    #expect(c.dout.storage == dout && c.dhn.storage == dhn)
    #expect(Set(c.expected.keys) == Set(f.tensorNames.filter { $0 == "out" || $0 == "hn" || $0 == "cn" || $0.hasPrefix("grad.") }))

    // hn of the top layer is out at the last step (forward) and the first step (reverse), exactly.
    let out = c.expected["out"]!.storage, hn = c.expected["hn"]!.storage
    func outRow(t: Int, b: Int) -> Int { (c.batchFirst ? b * T + t : t * B + b) * D * H }
    let top = (L - 1) * D
    for b in 0..<B {
        #expect(Array(out[outRow(t: T - 1, b: b)..<outRow(t: T - 1, b: b) + H]) == Array(hn[(top * B + b) * H..<(top * B + b + 1) * H]),
                "\(name): forward hn, batch \(b)")
        if D == 2 {
            #expect(Array(out[outRow(t: 0, b: b) + H..<outRow(t: 0, b: b) + 2 * H]) == Array(hn[((top + 1) * B + b) * H..<((top + 1) * B + b + 1) * H]),
                    "\(name): reverse hn, batch \(b)")
        }
    }
}

/// The float64 engine, given PyTorch's float32 parameters and inputs, must agree with PyTorch's
/// float32 results to within float32 rounding (about 6e-8 relative per operation, compounded over
/// a few steps and layers: PyTorch in float64 differs from these files by at most 2.4e-6, in
/// rnn_tanh_bidir), and must NOT agree to float64 precision: that would mean the fixture was
/// computed in float64.
@Test(arguments: Float32RecurrentCase.names)
func float64EngineAgreesWithFloat32FixtureToFloat32Rounding(_ name: String) throws {
    let c = try Float32RecurrentCase.load(name)
    let layer = try RecurrentLayer(c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                                   batchFirst: c.batchFirst, bidirectional: c.bidirectional)
    #expect(layer.namedParameters.map(\.name) == c.parameterNames)
    try layer.loadStateDict(c.stateDict)
    let result = try layer(c.x, h0: c.h0, c0: c.c0)
    var loss = try (result.output * c.dout).sum() + (result.hn * c.dhn).sum()
    if let cn = result.cn, let dcn = c.dcn { loss = try loss + (cn * dcn).sum() }
    try loss.backward()

    // Every expected key must be produced: a missing gradient shows up in the key comparison.
    var actual: [String: Tensor] = ["out": result.output, "hn": result.hn]
    if let cn = result.cn { actual["cn"] = cn }
    if let g = c.x.grad { actual["grad.x"] = g }
    for (p, t) in layer.namedParameters { if let g = t.grad { actual["grad.\(p)"] = g } }
    if let g = c.h0?.grad { actual["grad.h0"] = g }
    if let g = c.c0?.grad { actual["grad.c0"] = g }
    #expect(Set(actual.keys) == Set(c.expected.keys))

    var largest = 0.0
    for (key, expected) in c.expected {
        let got = try #require(actual[key])
        c.fixture.expectClose(got, to: key, tol: 2e-5)
        largest = max(largest, zip(got.storage, expected.storage).map { abs($0 - $1) }.max() ?? 0)
    }
    #expect(largest > 1e-9, "\(name): float64 results match to \(largest); the fixture looks like float64")
}

/// The `.npz` is the same state_dict as its JSON case: names in PyTorch's order, every value equal,
/// stored as `<f4` (little-endian float32) arrays as NumPy writes them for a float32 tensor.
@Test func float32StateDictNPZMatchesItsCase() throws {
    let c = try Float32RecurrentCase.load(TorchFloat32Fixture.stateDictNPZCase)
    let entries = try NPZ.read(contentsOf: TorchFloat32Fixture.stateDictNPZ)
    #expect(entries.map(\.name) == c.parameterNames)
    for (name, tensor) in entries {
        let expected = try #require(c.stateDict[name])
        #expect(tensor.shape == expected.shape, "\(name) shape")
        #expect(tensor.storage.map(\.bitPattern) == expected.storage.map(\.bitPattern), "\(name) values")
    }
    // np.savez stores members uncompressed, so each member's .npy header is in the bytes as is.
    let bytes = try Data(contentsOf: TorchFloat32Fixture.stateDictNPZ)
    let text = String(decoding: bytes, as: UTF8.self)
    #expect(text.components(separatedBy: "'descr': '<f4'").count - 1 == c.parameterNames.count)
    #expect(!text.contains("'descr': '<f8'"))
    // The float64 engine loads it into a layer of the case's shape.
    let layer = try RecurrentLayer(c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                                   batchFirst: c.batchFirst, bidirectional: c.bidirectional)
    try layer.loadWeights(npz: TorchFloat32Fixture.stateDictNPZ)
    for (name, tensor) in layer.namedParameters {
        #expect(tensor.storage == c.stateDict[name]?.storage, "\(name) after load_npz")
    }
}

/// The float32 engine against PyTorch float32: a float32 layer loads PyTorch's float32 state dict
/// as it is, runs forward and backward on float32 inputs, and every output, final state and
/// gradient is float32 and within 1e-5 of PyTorch's, relative to the largest magnitude of that
/// tensor. (Both sides round every operation to float32 but sum in different orders, so they
/// agree to a few float32 ulps per step, not bit for bit; 1e-5 is ~80 ulps of float32 at 1.)
@Test(arguments: Float32RecurrentCase.names)
func float32EngineMatchesPyTorchFloat32(_ name: String) throws {
    let c = try Float32RecurrentCase.load(name)
    let layer = try RecurrentLayer(c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                                   batchFirst: c.batchFirst, bidirectional: c.bidirectional, dtype: .float32)
    try layer.loadStateDict(c.stateDict)
    for (p, t) in layer.namedParameters {
        #expect(t.dtype == .float32 && t.storage == c.stateDict[p]!.storage, "\(name): \(p) loaded unchanged")
    }
    func leaf(_ t: Tensor?) throws -> Tensor? {
        guard let t else { return nil }
        return try Tensor(shape: t.shape, storage: t.storage, dtype: .float32, requiresGrad: true)
    }
    let x = try leaf(c.x)!, h0 = try leaf(c.h0), c0 = try leaf(c.c0)
    let result = try layer(x, h0: h0, c0: c0)
    var loss = try (result.output * c.dout.to(.float32)).sum() + (result.hn * c.dhn.to(.float32)).sum()
    if let cn = result.cn, let dcn = c.dcn { loss = try loss + (cn * dcn.to(.float32)).sum() }
    #expect(loss.dtype == .float32)
    try loss.backward()

    var actual: [String: Tensor] = ["out": result.output, "hn": result.hn]
    if let cn = result.cn { actual["cn"] = cn }
    if let g = x.grad { actual["grad.x"] = g }
    for (p, t) in layer.namedParameters { if let g = t.grad { actual["grad.\(p)"] = g } }
    if let g = h0?.grad { actual["grad.h0"] = g }
    if let g = c0?.grad { actual["grad.c0"] = g }
    #expect(Set(actual.keys) == Set(c.expected.keys))
    for (key, expected) in c.expected {
        let got = try #require(actual[key])
        #expect(got.dtype == .float32, "\(name): \(key) is \(got.dtype)")
        #expect(TorchFloat32Fixture.valuesNotFloat(got.storage).isEmpty, "\(name): \(key) holds values a float32 cannot")
        let scale = max(expected.storage.map(abs).max() ?? 0, 1e-30)
        let worst = zip(got.storage, expected.storage).map { abs($0 - $1) / scale }.max() ?? 0
        #expect(worst <= 1e-5, "\(name): \(key) differs from PyTorch float32 by \(worst) of its largest value")
    }
}

/// `load_npz` into a float32 model reads PyTorch's float32 state dict with every value unchanged.
@Test func float32ModelLoadsTheFloat32NPZUnchanged() throws {
    let c = try Float32RecurrentCase.load(TorchFloat32Fixture.stateDictNPZCase)
    let layer = try RecurrentLayer(c.kind, inputSize: c.inputSize, hiddenSize: c.hiddenSize, numLayers: c.numLayers,
                                   batchFirst: c.batchFirst, bidirectional: c.bidirectional, dtype: .float32)
    try layer.loadWeights(npz: TorchFloat32Fixture.stateDictNPZ)
    for (name, tensor) in layer.namedParameters {
        #expect(tensor.dtype == .float32)
        #expect(tensor.storage.map(\.bitPattern) == c.stateDict[name]!.storage.map(\.bitPattern), "\(name)")
    }
}
