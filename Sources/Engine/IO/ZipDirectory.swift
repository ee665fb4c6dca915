import Foundation

/// The structure of a zip archive checked against its bytes before any reader trusts it.
///
/// A zip is read from its end: the end record says where the central directory is, each
/// directory entry says where its member's local header and data are. Every one of those numbers
/// comes from the file, and the zip reader rnnlab uses (ZIPFoundation, over the bytes in memory)
/// seeks and copies where they point — a flipped byte in an offset made it trap on an out-of-range
/// copy, which is a crash a downloaded file must never cause. So every offset and length is
/// checked here first, with the arithmetic done so that no sum can overflow, and a damaged
/// archive gets a message that says which record is wrong. Zip64 records (which `np.savez` writes
/// for its members) are followed the same way.
enum ZipDirectory {
    static let endSignature: UInt32 = 0x0605_4b50
    static let zip64EndSignature: UInt32 = 0x0606_4b50
    static let zip64LocatorSignature: UInt32 = 0x0706_4b50
    static let entrySignature: UInt32 = 0x0201_4b50
    static let localSignature: UInt32 = 0x0403_4b50

    /// Nil when every record of `data` is where it says and inside the file; otherwise what is wrong.
    static func problem(in data: Data) -> String? {
        let bytes = [UInt8](data)
        let n = bytes.count
        func u16(_ at: Int) -> Int? { at >= 0 && at <= n - 2 ? Int(bytes[at]) | Int(bytes[at + 1]) << 8 : nil }
        func u32(_ at: Int) -> Int? {
            guard at >= 0 && at <= n - 4 else { return nil }
            return (0..<4).reduce(0) { $0 | Int(bytes[at + $1]) << (8 * $1) }
        }
        func u64(_ at: Int) -> UInt64? {
            guard at >= 0 && at <= n - 8 else { return nil }
            return (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[at + $1]) << (8 * UInt64($1)) }
        }
        /// `value` as an offset or length inside the file, or nil when it cannot be one.
        func within(_ value: UInt64) -> Int? { value <= UInt64(n) ? Int(value) : nil }

        // The end record: 22 bytes and a comment of up to 65535, so it is in the last 65557 bytes.
        var end: Int? = nil
        var at = n - 22
        while at >= max(0, n - 22 - 65535) {
            if u32(at) == Int(endSignature), let comment = u16(at + 20), at + 22 + comment == n { end = at; break }
            at -= 1
        }
        guard let end else { return "no end-of-archive record (the file is cut short, or not a zip)" }
        guard var entries = u16(end + 10), let size32 = u32(end + 12), let offset32 = u32(end + 16) else { return "the end record is cut short" }
        var directorySize = UInt64(size32), directoryOffset = UInt64(offset32)
        var directoryEnd = end
        if entries == 0xFFFF || size32 == 0xFFFF_FFFF || offset32 == 0xFFFF_FFFF {
            // Zip64: a locator just before the end record points at the zip64 end record.
            guard u32(end - 20) == Int(zip64LocatorSignature), let where64 = u64(end - 12).flatMap(within),
                  u32(where64) == Int(zip64EndSignature), where64 + 56 <= end,
                  let count = u64(where64 + 32), let size = u64(where64 + 40), let offset = u64(where64 + 48) else {
                return "the zip64 end record is missing or points outside the file"
            }
            guard count <= UInt64(n / 46) else { return "the end record claims \(count) members, more than the file can hold" }
            entries = Int(count); directorySize = size; directoryOffset = offset; directoryEnd = where64
        }
        guard let start = within(directoryOffset), let length = within(directorySize), length <= directoryEnd - start, start <= directoryEnd else {
            return "the central directory (offset \(directoryOffset), \(directorySize) bytes) lies outside the file"
        }
        var p = start
        for k in 1...max(1, entries) where entries > 0 {
            guard p + 46 <= start + length, u32(p) == Int(entrySignature),
                  let nameLength = u16(p + 28), let extraLength = u16(p + 30), let commentLength = u16(p + 32),
                  let compressed32 = u32(p + 20), let uncompressed32 = u32(p + 24), let local32 = u32(p + 42),
                  p + 46 + nameLength + extraLength + commentLength <= start + length else {
                return "directory entry \(k) of \(entries) is damaged"
            }
            var compressed = UInt64(compressed32), local = UInt64(local32)
            // Zip64 extra field (id 1): 8-byte values, present for each 32-bit field that is 0xFFFFFFFF,
            // in the order uncompressed size, compressed size, local header offset.
            var e = p + 46 + nameLength
            let extraEnd = e + extraLength
            while e + 4 <= extraEnd, let id = u16(e), let size = u16(e + 2), e + 4 + size <= extraEnd {
                if id == 1 {
                    var field = e + 4
                    for (value, isCompressed, isLocal) in [(uncompressed32, false, false), (compressed32, true, false), (local32, false, true)]
                    where value == 0xFFFF_FFFF {
                        guard field + 8 <= e + 4 + size, let v = u64(field) else { return "directory entry \(k)'s zip64 sizes are cut short" }
                        if isCompressed { compressed = v }
                        if isLocal { local = v }
                        field += 8
                    }
                }
                e += 4 + size
            }
            guard let localAt = within(local), localAt + 30 <= start, u32(localAt) == Int(localSignature),
                  let localName = u16(localAt + 26), let localExtra = u16(localAt + 28) else {
                return "member \(k)'s local header (at \(local)) is missing or outside the file"
            }
            let dataAt = localAt + 30 + localName + localExtra
            guard let dataLength = within(compressed), dataAt <= start, dataLength <= start - dataAt else {
                return "member \(k)'s data (\(compressed) bytes at \(dataAt)) runs past the start of the central directory"
            }
            p += 46 + nameLength + extraLength + commentLength
        }
        return nil
    }
}
