import Foundation
import ZIPFoundation

/// Reading and writing `.npz` archives: a zip of `name.npy` members, one per array.
///
/// This is how PyTorch weights reach rnnlab without pickle:
///
///     np.savez("w.npz", **{k: v.detach().double().numpy() for k, v in model.state_dict().items()})
///
/// `np.savez` stores members uncompressed (with zip64 extra fields), `np.savez_compressed`
/// deflates them; both read here. Entries come back in archive order, which for `np.savez` of a
/// `state_dict` is PyTorch's parameter order, with the `.npy` suffix dropped — the same names
/// `np.load(...).files` shows. Each member is checked against its CRC and read with
/// ``NPY/read(data:source:)``, so its errors name the archive and the member (`w.npz[bias_ih_l0.npy]`).
public enum NPZ {
    /// Reads every array of the `.npz` at `url`, in archive order.
    public static func read(contentsOf url: URL) throws(NPYError) -> [(name: String, tensor: Tensor)] {
        try NPZGuards.checkZip(at: url)  // before reading: a large non-zip is refused from its ends
        return try read(data: NPY.readFile(url), source: url.path)
    }

    /// Reads every array of `.npz` bytes, in archive order; `source` names them in errors.
    public static func read(data: Data, source: String) throws(NPYError) -> [(name: String, tensor: Tensor)] {
        try NPZGuards.checkZip(data, source: source)
        // Every offset and length in the zip's records is checked before the zip reader follows it.
        if let problem = ZipDirectory.problem(in: data) { throw .notZip(source: source, reason: problem) }
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch {
            throw .notZip(source: source, reason: describe(error))
        }
        var result: [(name: String, tensor: Tensor)] = []
        var seen = Set<String>()
        for entry in archive {
            let path = entry.path
            switch entry.type {
            case .directory: continue  // zip tools add these; NumPy never does and they hold no array
            case .symlink: throw .badMember(source: source, member: path, reason: "is a symbolic link, not an .npy array")
            case .file: break
            }
            guard path.hasSuffix(".npy") else {
                throw .badMember(source: source, member: path, reason: "is not an .npy array (rnnlab loads only name.npy members, as np.savez writes them)")
            }
            let name = String(path.dropLast(4))
            guard seen.insert(name).inserted else {
                throw .badMember(source: source, member: path, reason: "appears twice in the archive")
            }
            let member = "\(source)[\(path)]"
            let bytes = try NPZGuards.extract(entry, from: archive, member: member, source: source, path: path)
            result.append((name, try NPY.read(data: bytes, source: member)))
        }
        return result
    }

    /// Writes `entries` to `url` as an `.npz` (replacing any file there): one `name.npy` member
    /// each, in order, stored like `np.savez` or deflated like `np.savez_compressed`.
    public static func write(_ entries: [(name: String, tensor: Tensor)], to url: URL,
                             dtype: NPYDType = .float64, compressed: Bool = false) throws(NPYError) {
        try NPY.writeFile(encode(entries, dtype: dtype, compressed: compressed, source: url.path), to: url)
    }

    /// The `.npz` bytes for `entries`. Member timestamps are fixed at 1980-01-01 (the zip epoch),
    /// as NumPy does, so the same weights always give the same bytes.
    public static func encode(_ entries: [(name: String, tensor: Tensor)], dtype: NPYDType = .float64,
                              compressed: Bool = false, source: String = "archive") throws(NPYError) -> Data {
        var seen = Set<String>()
        for (name, _) in entries {
            guard !name.isEmpty else { throw .badMember(source: source, member: name, reason: "an array needs a non-empty name") }
            guard seen.insert(name).inserted else { throw .badMember(source: source, member: name, reason: "two arrays have this name") }
        }
        do {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (name, tensor) in entries {
                let member = name + ".npy"
                let bytes = try NPY.encode(tensor, dtype: dtype, source: "\(source)[\(member)]")
                try archive.addEntry(with: member, type: .file, uncompressedSize: Int64(bytes.count),
                                     modificationDate: zipEpoch, compressionMethod: compressed ? .deflate : .none) { position, size in
                    let start = bytes.startIndex + Int(position)
                    return bytes.subdata(in: start..<min(start + size, bytes.endIndex))
                }
            }
            guard let data = archive.data else { throw NPYError.notZip(source: source, reason: "the zip library returned no data") }
            return data
        } catch let error as NPYError {
            throw error
        } catch {
            throw .notZip(source: source, reason: "cannot be created (\(describe(error)))")
        }
    }

    /// 1980-01-01 00:00 local time: the earliest date a zip entry can carry.
    private static let zipEpoch: Date = Calendar.current.date(from: DateComponents(year: 1980, month: 1, day: 1))
        ?? Date(timeIntervalSince1970: 315_532_800)

    /// ZIPFoundation's errors in words (its enum cases are terse: `unreadableArchive`).
    static func describe(_ error: any Error) -> String {
        switch error {
        case Archive.ArchiveError.missingEndOfCentralDirectoryRecord:
            return "no zip directory found (not a zip file, or truncated)"
        case Archive.ArchiveError.unreadableArchive:
            return "damaged or unreadable zip structure"
        case Archive.ArchiveError.invalidCRC32:
            return "checksum mismatch: the archive is corrupted"
        case Archive.ArchiveError.invalidCompressionMethod:
            return "compressed with a method other than deflate"
        case let error as Archive.ArchiveError:
            return "zip error: \(error)"
        default:
            return "\(error)"
        }
    }
}
