import Foundation
import ZIPFoundation

/// What an `.npz` must show before rnnlab spends time or memory on it.
///
/// Two hostile shapes of file motivate this: a large file that is not a zip at all (the zip
/// library looks for the archive's directory by stepping back from the end one byte at a time,
/// 0.28 s per megabyte — minutes for a 2 GB file), and a zip bomb (a few megabytes that inflate to
/// gigabytes, whatever the member names). So a file is recognised as a zip from its two ends in
/// constant time, and every member is checked against the session's ``MemoryBudget`` — by the size
/// its directory entry declares before inflating, by the shape its `.npy` header declares as soon
/// as that header is out, and by never inflating past the declared size.
enum NPZGuards {
    /// "PK\u{3}\u{4}": every zip with a member starts with a local file header.
    static let localFileHeader: [UInt8] = [0x50, 0x4B, 0x03, 0x04]
    /// "PK\u{5}\u{6}": the end-of-central-directory record; an empty zip is just this record.
    static let endOfDirectory: [UInt8] = [0x50, 0x4B, 0x05, 0x06]
    /// The record is 22 bytes plus a comment of at most 65535: it starts within this many bytes
    /// of the end, so nothing before them need be read to find it.
    static let tailLength = 0xFFFF + 22

    /// Throws ``NPYError/notZip(source:reason:)`` unless `head` (the file's first bytes) starts a
    /// zip archive and `tail` (its last ``tailLength`` bytes) holds the end-of-directory record.
    static func checkZip(head: Data, tail: Data, size: Int, source: String) throws(NPYError) {
        if size == 0 { throw .notZip(source: source, reason: "the file is empty") }
        if head.starts(with: NPYHeader.magic) {
            throw .notZip(source: source, reason: "it is a single .npy array; load it with load_npy")
        }
        guard head.starts(with: localFileHeader) || head.starts(with: endOfDirectory) else {
            throw .notZip(source: source, reason: "it does not start like a zip file (the first bytes are not PK\\x03\\x04)")
        }
        guard contains(tail, endOfDirectory) else {
            throw .notZip(source: source, reason: "no zip directory found at its end (not a zip file, or truncated)")
        }
    }

    /// ``checkZip(head:tail:size:source:)`` for the file at `url`, reading only its two ends.
    static func checkZip(at url: URL) throws(NPYError) {
        let ends: (head: Data, tail: Data, size: Int)
        do { ends = try SafeFile.peek(url.path, head: 8, tail: tailLength) } catch {
            throw .fileAccess(path: url.path, reason: error.reason)
        }
        try checkZip(head: ends.head, tail: ends.tail, size: ends.size, source: url.path)
    }

    /// ``checkZip(head:tail:size:source:)`` for bytes already in memory.
    static func checkZip(_ data: Data, source: String) throws(NPYError) {
        try checkZip(head: data.prefix(8), tail: data.suffix(tailLength), size: data.count, source: source)
    }

    /// The bytes of `entry`, inflated under the budget (see the type's comment). `member` is the
    /// source named in errors (`w.npz[x.npy]`).
    static func extract(_ entry: Entry, from archive: Archive, member: String, source: String, path: String) throws(NPYError) -> Data {
        guard entry.uncompressedSize <= UInt64(Int.max / 2) else {
            throw .overMemoryBudget(source: member, needed: .max, budget: MemoryBudget.limit, inUse: MemoryBudget.inUse)
        }
        let declared = Int(entry.uncompressedSize)
        try NPY.checkBudget(bytes: declared, source: member)
        var bytes = Data()
        bytes.reserveCapacity(declared)
        var shapeChecked = false
        do {
            let checksum = try archive.extract(entry, skipCRC32: false) { chunk in
                guard chunk.count <= declared - bytes.count else {
                    throw NPYError.badMember(source: source, member: path,
                        reason: "inflates to more than the \(declared) bytes its directory entry declares: the archive is corrupted or crafted")
                }
                bytes.append(chunk)
                // The header's shape says how many doubles this member becomes; a header longer
                // than a megabyte is malformed anyway, and NPY.read will say so.
                if !shapeChecked, let header = try? NPYHeader.parse(bytes, source: member) {
                    shapeChecked = true
                    if let count = Shape.checkedCount(header.shape) {
                        try NPY.checkBudget(bytes: count * 8 + declared, source: member)
                    }
                } else if bytes.count >= 1 << 20 {
                    shapeChecked = true
                }
            }
            guard checksum == entry.checksum else {
                throw NPYError.badMember(source: source, member: path, reason: "checksum mismatch: the archive is corrupted")
            }
        } catch let error as NPYError {
            throw error
        } catch {
            throw .badMember(source: source, member: path, reason: "cannot be extracted (\(NPZ.describe(error)))")
        }
        return bytes
    }

    private static func contains(_ data: Data, _ pattern: [UInt8]) -> Bool {
        data.withUnsafeBytes { raw in
            guard raw.count >= pattern.count else { return false }
            for i in stride(from: raw.count - pattern.count, through: 0, by: -1)
            where raw[i] == pattern[0] && raw[i + 1] == pattern[1] && raw[i + 2] == pattern[2] && raw[i + 3] == pattern[3] {
                return true
            }
            return false
        }
    }
}
