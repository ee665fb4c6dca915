import Foundation
import Testing
@testable import Engine

/// Shapes that come from a file are checked like every other shape: an empty array whose other
/// sizes are huge (`(0, 2⁶³−1)`) is refused, because reducing over its empty axis would produce a
/// tensor whose shape promises more elements than its storage holds.
@Suite struct CraftedShapeTests {
    static let hugeEmptyShapes = ["(0, 9223372036854775807)", "(0, 4611686018427387904, 4611686018427387904)",
                                  "(9223372036854775807, 0)", "(0, 2000000000)"]

    @Test(arguments: hugeEmptyShapes)
    func npyWithHugeEmptyShapeIsRefused(_ shape: String) throws {
        let bytes = NPYFormatTests.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", payload: 0)
        let error = NPYFixture.error { _ = try NPY.read(data: bytes, source: "crafted.npy") }
        guard case let .malformedHeader(source, reason)? = error else {
            Issue.record("shape \(shape) gave \(String(describing: error))"); return
        }
        #expect(source == "crafted.npy")
        #expect(reason.contains("too large"), "\(reason)")
    }

    @Test(arguments: hugeEmptyShapes)
    func npzMemberWithHugeEmptyShapeIsRefused(_ shape: String) throws {
        let member = NPYFormatTests.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': \(shape), }", payload: 0)
        let archive = Self.storedZip(name: "w.npy", contents: member)
        let error = NPYFixture.error { _ = try NPZ.read(data: archive, source: "crafted.npz") }
        guard case let .malformedHeader(source, _)? = error else {
            Issue.record("shape \(shape) gave \(String(describing: error))"); return
        }
        #expect(source == "crafted.npz[w.npy]")
    }

    /// A modest empty shape still loads, and reducing it gives a tensor whose storage matches.
    @Test func ordinaryEmptyShapeStillLoadsAndReduces() throws {
        let bytes = NPYFormatTests.file(header: "{'descr': '<f8', 'fortran_order': False, 'shape': (0, 3), }", payload: 0)
        let x = try NPY.read(data: bytes, source: "empty.npy")
        #expect(x.shape == [0, 3] && x.count == 0)
        let s = try x.sum(axis: 0)
        #expect(s.shape == [3] && s.storage == [0, 0, 0])
        // The crafted file itself still parses: the archive helper below is sound.
        let back = try NPZ.read(data: Self.storedZip(name: "e.npy", contents: bytes), source: "e.npz")
        #expect(back.map(\.name) == ["e"] && back[0].tensor.shape == [0, 3])
    }

    /// The engine's own constructors refuse the same shapes, so no operation starts from one.
    @Test func emptyTensorsWithHugeSizesCannotBeMade() throws {
        #expect(tensorError { try Tensor.zeros([0, 1 << 62]) }
            == .invalidArgument(op: "zeros", message: "shape (0, 4611686018427387904) is too large (it holds no elements, but its other sizes multiply to more than 1000000000)"))
        #expect(tensorError { try Tensor(shape: [0, Int.max], storage: []) } != nil)
        #expect(tensorError { try Tensor.zeros([0]).reshape([0, 1 << 62]) } != nil)
        #expect(tensorError { try Tensor.zeros([0]).reshape([-1, 1 << 40, 1 << 40]) } != nil)
    }

    /// Every reduction of an empty tensor gives a result whose shape and storage agree.
    @Test(arguments: [[0, 5], [5, 0], [0, 4, 3], [2, 0, 3]])
    func reductionsOfEmptyTensorsKeepShapeAndStorageInStep(_ shape: [Int]) throws {
        let x = try Tensor.zeros(shape)
        for axis in 0..<shape.count {
            for keepdims in [false, true] {
                for r in [try x.sum(axis: axis, keepdims: keepdims), try x.mean(axis: axis, keepdims: keepdims),
                          try x.norm(axis: axis, keepdims: keepdims)] {
                    #expect(Shape.checkedCount(r.shape) == r.storage.count, "\(shape) axis \(axis)")
                }
            }
        }
    }

    /// No reader builds a tensor with the unchecked constructor: file data always goes through the
    /// checked one. (A source scan, so that a new reader cannot bring the bypass back unnoticed.)
    @Test func fileReadersDoNotUseTheUncheckedConstructor() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        var scanned = 0
        for folder in ["Engine/IO", "Engine/Data", "Script", "Tutorial", "REPL"] {
            let dir = sources.appendingPathComponent(folder)
            guard let files = FileManager.default.enumerator(atPath: dir.path) else { continue }
            for case let file as String in files where file.hasSuffix(".swift") {
                let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
                #expect(!text.contains("uncheckedShape"), "\(folder)/\(file) builds a tensor without checking its shape")
                scanned += 1
            }
        }
        #expect(scanned > 10)
    }

    // MARK: A zip archive by hand

    /// One stored (uncompressed) member in a minimal zip archive, so a test can put any bytes in an `.npz`.
    static func storedZip(name: String, contents: Data) -> Data {
        func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
        func le32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8((v >> (8 * $0)) & 0xFF) } }
        let crc = crc32(contents), size = UInt32(contents.count), nameBytes = Array(name.utf8)
        var local: [UInt8] = [0x50, 0x4B, 0x03, 0x04] + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
        local += le32(crc) + le32(size) + le32(size) + le16(nameBytes.count) + le16(0) + nameBytes
        var central: [UInt8] = [0x50, 0x4B, 0x01, 0x02] + le16(20) + le16(20) + le16(0) + le16(0) + le16(0) + le16(0x21)
        central += le32(crc) + le32(size) + le32(size) + le16(nameBytes.count) + le16(0) + le16(0) + le16(0) + le16(0)
        central += le32(0) + le32(0) + nameBytes
        let centralOffset = UInt32(local.count + contents.count)
        let end: [UInt8] = [0x50, 0x4B, 0x05, 0x06] + le16(0) + le16(0) + le16(1) + le16(1)
            + le32(UInt32(central.count)) + le32(centralOffset) + le16(0)
        var out = Data(local)
        out.append(contents)
        out.append(contentsOf: central + end)
        return out
    }

    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (crc & 1 == 1 ? 0xEDB8_8320 : 0) }
        }
        return ~crc
    }
}
