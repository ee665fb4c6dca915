import Foundation
import Testing
@testable import Engine

// NPZGuards.swift: a non-zip is recognised from its ends in constant time, and archive members
// are checked against the memory budget before and while they are inflated. The hostile files
// are built here: a small real archive whose directory is then edited to declare other sizes.

/// Little-endian UInt32 at `offset`.
private func put(_ value: UInt32, at offset: Int, in data: inout Data) {
    for k in 0..<4 { data[data.startIndex + offset + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
}

/// Every offset where `signature` starts.
private func offsets(of signature: [UInt8], in data: Data) -> [Int] {
    let bytes = [UInt8](data)
    guard bytes.count >= 4 else { return [] }
    return (0...(bytes.count - 4)).filter { Array(bytes[$0..<$0 + 4]) == signature }
}

/// `.npz` bytes of one deflated member `x.npy`, with the uncompressed size its local header and
/// its directory entry declare replaced by `declared`.
private func archive(_ tensor: Tensor, dtype: NPYDType = .float64, declaring declared: UInt32) throws -> Data {
    var data = try NPZ.encode([("x", tensor)], dtype: dtype, compressed: true)
    let local = offsets(of: [0x50, 0x4B, 0x03, 0x04], in: data), central = offsets(of: [0x50, 0x4B, 0x01, 0x02], in: data)
    try #require(local.count == 1 && central.count == 1)
    put(declared, at: local[0] + 22, in: &data)
    put(declared, at: central[0] + 24, in: &data)
    return data
}

/// A one-member `.npz` written by hand: `member` as `x.npy`, deflated as stored blocks (which
/// any inflater reads), its directory declaring `declared` bytes and a zero checksum.
private func craftedNPZ(_ member: Data, declaring declared: UInt32) -> Data {
    var deflated = Data()
    var rest = member[...]
    repeat {
        let block = rest.prefix(0xFFFF)
        rest = rest.dropFirst(block.count)
        let length = UInt16(block.count)
        deflated.append(rest.isEmpty ? 1 : 0)  // BFINAL, BTYPE 00 (stored)
        deflated.append(contentsOf: [UInt8(length & 0xFF), UInt8(length >> 8), UInt8(~length & 0xFF), UInt8(~length >> 8)])
        deflated.append(block)
    } while !rest.isEmpty
    func le(_ v: UInt32, _ n: Int) -> [UInt8] { (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * $0)) } }
    let name = Array("x.npy".utf8), size = UInt32(deflated.count)
    // version 20, no flags, deflate, 1980-01-01 00:00, crc 0, sizes, name length, no extra field
    let common = le(20, 2) + le(0, 2) + le(8, 2) + le(0, 2) + le(0x21, 2) + le(0, 4) + le(size, 4) + le(declared, 4) + le(UInt32(name.count), 2) + le(0, 2)
    var zip = Data(le(0x0403_4B50, 4) + common + name)
    zip.append(deflated)
    let directoryOffset = UInt32(zip.count)
    let central = le(0x0201_4B50, 4) + le(20, 2) + common + le(0, 2) + le(0, 2) + le(0, 2) + le(0, 4) + le(0, 4) + name
    zip.append(contentsOf: central)
    zip.append(contentsOf: le(0x0605_4B50, 4) + le(0, 2) + le(0, 2) + le(1, 2) + le(1, 2) + le(UInt32(central.count), 4) + le(directoryOffset, 4) + le(0, 2))
    return zip
}

/// The error `body` throws, and how long it took to throw it.
private func timedError(_ body: () throws -> Void) -> (NPYError?, Double) {
    let start = Date()
    let error = NPYFixture.error(body)
    return (error, Date().timeIntervalSince(start))
}

/// A sparse file of `size` bytes (no disk blocks) starting with `head`; removed by the caller.
private func sparseFile(_ name: String, size: Int, head: [UInt8] = []) throws -> URL {
    let url = try NPYFixture.temporaryDirectory().appendingPathComponent(name)
    let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    try #require(fd >= 0)
    defer { close(fd) }
    if !head.isEmpty { _ = head.withUnsafeBytes { write(fd, $0.baseAddress, head.count) } }
    try #require(ftruncate(fd, off_t(size)) == 0)
    return url
}

private let budget = 64 << 20

@Suite struct NPZGuardsTests {
    /// The zip bomb: a member declaring 3.75 GB is refused before a byte is inflated.
    @Test func aMemberDeclaringMoreThanTheBudgetIsRefusedBeforeInflating() throws {
        let bomb = try archive(Tensor.zeros([1000]), declaring: 0xF000_0000)
        let (error, seconds) = MemoryBudget.withLimit(budget) { timedError { _ = try NPZ.read(data: bomb, source: "bomb.npz") } }
        guard case let .overMemoryBudget(source, needed, limit, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(source == "bomb.npz[x.npy]" && needed == 0xF000_0000 && limit == budget)
        #expect(seconds < 0.5)
        #expect(error?.description.hasPrefix("bomb.npz[x.npy]: reading it needs 3.8 GB but the memory budget is 64.0 MB") == true)
    }

    /// A member that declares little and inflates to more is stopped at its declared size.
    @Test func aMemberInflatingPastItsDeclaredSizeIsStopped() throws {
        let liar = try archive(Tensor.zeros([100_000]), declaring: 1000)
        let error = NPYFixture.error { _ = try NPZ.read(data: liar, source: "liar.npz") }
        #expect(error == .badMember(source: "liar.npz", member: "x.npy",
                                    reason: "inflates to more than the 1000 bytes its directory entry declares: the archive is corrupted or crafted"))
    }

    /// A member whose bytes fit but whose `.npy` shape, as doubles, does not: refused as soon as
    /// its header is out, before the rest is inflated (int8 grows eightfold).
    @Test func aMemberWhoseDeclaredShapeDoesNotFitIsRefusedFromItsHeader() throws {
        let count = 12_000_000
        let header = NPYHeader.encode(descr: NPYDType.int8.descr, shape: [count])
        let declared = header.count + count
        // Only the header and a little data are really there: the refusal comes before the rest.
        let data = craftedNPZ(header + Data(count: 1000), declaring: UInt32(declared))
        let error = MemoryBudget.withLimit(budget) { NPYFixture.error { _ = try NPZ.read(data: data, source: "i8.npz") } }
        guard case let .overMemoryBudget(source, needed, _, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(source == "i8.npz[x.npy]")
        #expect(needed == count * 8 + declared, "the header's shape, not only the declared size")
    }

    /// A 2 GB file that is not a zip is recognised from its two ends, not scanned (0.28 s/MB).
    @Test(arguments: [[UInt8](), [0x50, 0x4B, 0x03, 0x04]])
    func aLargeNonZipIsRefusedInConstantTime(_ head: [UInt8]) throws {
        let url = try sparseFile("big.npz", size: 2 << 30, head: head)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let (error, seconds) = timedError { _ = try NPZ.read(contentsOf: url) }
        guard case let .notZip(source, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(source == url.path)
        #expect(reason.contains(head.isEmpty ? "does not start like a zip" : "no zip directory found"))
        #expect(seconds < 0.2, "\(seconds) s")
    }

    /// A zip-looking file too big for the budget is refused before it is read.
    @Test func aFileOverTheBudgetIsRefusedBeforeReading() throws {
        let url = try sparseFile("big.npy", size: 1 << 30)
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let (error, seconds) = MemoryBudget.withLimit(budget) { timedError { _ = try NPY.read(contentsOf: url) } }
        guard case let .fileAccess(path, reason)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(path == url.path && reason.hasPrefix("is 1.0 GB; reading it needs 1.0 GB but the memory budget is 64.0 MB"))
        #expect(seconds < 0.2, "\(seconds) s")
    }

    /// A `.npy` whose data fits but whose doubles would not (int8 → 8 bytes each).
    @Test func anArrayIsCheckedAsDoublesBeforeDecoding() throws {
        let data = NPYHeader.encode(descr: NPYDType.int8.descr, shape: [10_000_000]) + Data(count: 10_000_000)
        let error = MemoryBudget.withLimit(budget) { NPYFixture.error { _ = try NPY.read(data: data, source: "i8.npy") } }
        guard case let .overMemoryBudget(source, needed, _, _)? = error else { Issue.record("got \(String(describing: error))"); return }
        #expect(source == "i8.npy" && needed == 80_000_000 + data.count)
    }

    /// Real archives still read: the checks cost nothing to honest files.
    @Test func ordinaryArchivesStillRead() throws {
        let data = try NPZ.encode([("a", Tensor.ones([3])), ("b", Tensor.zeros([2, 2]))], compressed: true)
        // Under the session's budget: a small scoped one would also count what tests running
        // alongside in this process hold at the moment.
        let back = try NPZ.read(data: data, source: "w.npz")
        #expect(back.map(\.name) == ["a", "b"])
        let empty = try NPZ.encode([])
        #expect(try NPZ.read(data: empty, source: "e.npz").isEmpty)
    }
}
