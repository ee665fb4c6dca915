import Engine
import Foundation

/// Reads and writes the progress file, `${XDG_DATA_HOME:-~/.local/share}/rnnlab/progress.json`.
///
/// Writes are atomic (a temporary file in the same directory, then a rename), so a crash or a
/// full disk mid-write leaves the previous file whole. A file that cannot be read as progress is
/// never overwritten silently and never stops rnnlab: it is moved aside to
/// `progress.json.corrupt-<time>` and the learner is told where it went.
public final class ProgressStore {
    public let url: URL

    public init(url: URL) { self.url = url }

    /// The default location, from `XDG_DATA_HOME` (absolute paths only, as the spec says) or `HOME`.
    public static func defaultURL(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        dataDirectory(environment: environment).appendingPathComponent("progress.json")
    }

    /// rnnlab's folder in the user's data dir: `${XDG_DATA_HOME:-~/.local/share}/rnnlab` (the
    /// progress file, and lessons' scratch folders).
    public static func dataDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") {
            base = URL(fileURLWithPath: data, isDirectory: true)
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/share", isDirectory: true)
        }
        return base.appendingPathComponent("rnnlab", isDirectory: true)
    }

    /// Largest progress file read: far more than any number of lessons needs.
    static let readLimit = 8 << 20

    /// The saved progress (empty when there is no file yet). `notice` says what happened when the
    /// file was unreadable and was moved aside, or had values out of range — show it to the learner.
    /// Temporary files left by a run killed mid-save are removed first.
    public func load() -> (progress: ProgressFile, notice: String?) {
        let fm = FileManager.default
        SafeFile.removeStaleTemporaries(in: url.deletingLastPathComponent().path, for: url.lastPathComponent)
        // Follows links: a link to a file not made yet is no progress, and saving creates that file.
        guard fm.fileExists(atPath: url.path) else { return (ProgressFile(), nil) }
        let problem: String
        do {
            // Only a regular file, and not an endless one: a FIFO or a link to /dev/zero is named.
            let data = try SafeFile.read(url.path, limit: ProgressStore.readLimit)
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            do {
                var file = try decoder.decode(ProgressFile.self, from: data)
                if file.version <= ProgressFile.currentVersion {
                    let changes = file.clampToLimits()
                    guard !changes.isEmpty else { return (file, nil) }
                    return (file, "Your progress file \(url.path) had values out of range; they were corrected: "
                        + changes.joined(separator: "; ") + ".")
                }
                problem = "it was written by a newer rnnlab (format \(file.version))"
            } catch {
                problem = "it is not valid progress data (\(ProgressStore.describe(error)))"
            }
        } catch {
            problem = "it \(error.reason)"
        }
        let stamp = ISO8601DateFormatter().string(from: Date()).replacingOccurrences(of: ":", with: "")
        let aside = url.deletingLastPathComponent().appendingPathComponent("\(url.lastPathComponent).corrupt-\(stamp)")
        do {
            try fm.moveItem(at: url, to: aside)
            return (ProgressFile(), "Your progress file \(url.path) could not be used: \(problem). It was moved to \(aside.path); starting with fresh progress.")
        } catch {
            return (ProgressFile(), "Your progress file \(url.path) could not be used: \(problem), and it could not be moved aside (\(error.localizedDescription)). Progress will not be saved this time.")
        }
    }

    /// Saves atomically (a temporary file beside the target, then a rename), through a symbolic
    /// link to its file and never over a device or FIFO; creates the directory. Throws with a
    /// readable message on failure.
    public func save(_ progress: ProgressFile) throws {
        let dir = url.deletingLastPathComponent()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let data: Data
        do {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            data = try encoder.encode(progress)
        } catch {
            throw ProgressError("cannot save progress to \(url.path): \(error.localizedDescription)")
        }
        do { try SafeFile.write(data, to: url.path) } catch {
            throw ProgressError("cannot save progress to \(url.path): it \(error.reason)")
        }
    }

    static func describe(_ error: Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(c): return c.debugDescription
        case let DecodingError.keyNotFound(key, _): return "no \"\(key.stringValue)\""
        case let DecodingError.typeMismatch(_, c): return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        case let DecodingError.valueNotFound(_, c): return "\(c.codingPath.map(\.stringValue).joined(separator: ".")): \(c.debugDescription)"
        default: return error.localizedDescription
        }
    }
}

public struct ProgressError: Error, Equatable, CustomStringConvertible, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
