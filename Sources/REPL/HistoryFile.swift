import Engine
import Foundation

/// What the prompt does with its history file, apart from libedit so it can be tested without a
/// terminal.
///
/// The file is libedit's (`_HiStOrY_V2_` on the first line), and only such a file is loaded or
/// replaced: any other file at that path is the learner's, so it is moved aside to
/// `history.foreign-<time>` — never overwritten — and they are told once. A path that is not a
/// regular file (a FIFO, a device, a link to `/dev/zero`) is neither read, which could block or
/// never end, nor written; history is then kept for the session only. Saving writes the whole
/// history to a temporary file beside the real one and renames it over, so a `kill -9` right
/// after Enter leaves the old file or the new one, never half of one.
public enum HistoryFile {
    /// libedit's first line.
    public static let header = "_HiStOrY_V2_"
    /// Larger than 1000 entries of any sensible length; a larger file is not a history.
    public static let sizeLimit = 8 << 20

    /// What to do at start: load the file (it is libedit's), save over it later (history can be
    /// kept there), and a message for the learner when something was moved aside or is refused.
    public struct Plan: Equatable, Sendable {
        public var load: Bool
        public var save: Bool
        public var notice: String?
    }

    /// Looks at the file at `url` (creating nothing but its folder) and decides; moves a foreign
    /// or unreadable file aside.
    public static func prepare(_ url: URL, now: Date = Date()) -> Plan {
        let path = url.path
        let folder = url.deletingLastPathComponent()
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        SafeFile.removeStaleTemporaries(in: folder.path, for: url.lastPathComponent)
        // Follows links: a link to a file not made yet starts an empty history there.
        guard FileManager.default.fileExists(atPath: path) else { return Plan(load: false, save: true) }
        let data: Data
        do { data = try SafeFile.read(path, limit: sizeLimit) } catch {
            if (try? SafeFile.writableTarget(path)) == nil {
                // A FIFO, a device, a directory: nothing to move aside, nothing to write.
                return Plan(load: false, save: false,
                            notice: "History is kept for this session only: \(path) \(error.reason).")
            }
            return moveAside(url, because: "it \(error.reason)", now: now)
        }
        if data.isEmpty { return Plan(load: false, save: true) }
        let firstLine = data.prefix { $0 != 0x0A }
        guard firstLine.elementsEqual(header.utf8) else {
            return moveAside(url, because: "it is not rnnlab's history file (its first line is not \(header))", now: now)
        }
        return Plan(load: true, save: true)
    }

    /// Renames the file to `history.foreign-<time>` beside it, so that it is kept, not replaced.
    static func moveAside(_ url: URL, because problem: String, now: Date) -> Plan {
        let stamp = ISO8601DateFormatter().string(from: now).replacingOccurrences(of: ":", with: "")
        let aside = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).foreign-\(stamp)")
        if rename(url.path, aside.path) == 0 {
            return Plan(load: false, save: true,
                        notice: "Your history file \(url.path) was not loaded: \(problem). It was moved to \(aside.path); a new history starts.")
        }
        return Plan(load: false, save: false,
                    notice: "Your history file \(url.path) was not loaded: \(problem), and it could not be moved aside; history is kept for this session only.")
    }

    /// Replaces the file with `data` (libedit's format) atomically, readable by its owner only as
    /// libedit makes it. Returns why not, for the learner, or nil when it was saved.
    public static func save(_ data: Data, to url: URL) -> String? {
        do { try SafeFile.write(data, to: url.path, permissions: 0o600) } catch {
            return "History cannot be saved: \(url.path) \(error.reason). It is kept for this session only."
        }
        return nil
    }
}
