import Foundation
import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files the code running in an interpreter may read and write.
///
/// The learner's own typing (the prompt, `rnnlab run`, `-e`) is `.unrestricted`: it is their
/// machine. Code that comes with a lesson — which a learner may have downloaded from a stranger —
/// runs under `.lesson`, so that opening a lesson can never read the learner's files or write
/// anywhere but the lesson's own scratch folder. Every builtin that touches a file asks the
/// interpreter's policy for the path first (`readURL` / `writeURL`); that is the one gate.
public enum FileAccessPolicy: Sendable {
    case unrestricted
    case lesson(LessonFileAccess)

    /// Nothing may be read or written: the strictest policy, for code with no lesson around it.
    public static let noFiles = FileAccessPolicy.lesson(LessonFileAccess(readRoots: [], writeRoot: nil, relativeBases: []))

    /// The file to read for `path`, as the builtin `builtin` asked for it. `locate` is how the
    /// builtin finds a path without a policy (the data builtins also look in the rnnlab checkout);
    /// a lesson's relative paths are instead looked up in its own bases, never the current directory.
    public func readURL(_ path: String, builtin: String,
                        locate: (String) -> URL = FileAccessPolicy.plainURL) throws(ScriptError) -> URL {
        guard case let .lesson(access) = self else { return locate(path) }
        let expanded = FileAccessPolicy.expanded(path)
        var candidate = URL(fileURLWithPath: expanded)
        if !expanded.hasPrefix("/") {
            let bases = access.relativeBases
            let found = bases.lazy.map { $0.appendingPathComponent(expanded) }
                .first { FileManager.default.fileExists(atPath: $0.path) }
            guard let chosen = found ?? bases.first.map({ $0.appendingPathComponent(expanded) }) else {
                throw access.readRefusal(path, builtin: builtin)
            }
            candidate = chosen
        }
        let real = FileAccessPolicy.canonical(candidate.path)
        let roots = access.readRoots + (access.writeRoot.map { [$0] } ?? [])
        guard roots.contains(where: { FileAccessPolicy.isInside(real, $0) }) else {
            throw access.readRefusal(path, builtin: builtin)
        }
        return candidate
    }

    /// The file to write for `path`. A lesson's relative paths are inside its scratch folder
    /// (created on the first write); links are followed to where the write would really land.
    public func writeURL(_ path: String, builtin: String) throws(ScriptError) -> URL {
        guard case let .lesson(access) = self else { return FileAccessPolicy.plainURL(path) }
        guard let root = access.writeRoot else {
            throw ScriptError(.access, "\(builtin): \(access.role) may not write files; \"\(FileAccessPolicy.shown(path))\" was not written")
        }
        let expanded = FileAccessPolicy.expanded(path)
        let candidate = expanded.hasPrefix("/") ? URL(fileURLWithPath: expanded) : root.appendingPathComponent(expanded)
        // Where the bytes would go: SafeFile writes through a link to the file it names.
        let target = (try? SafeFile.writableTarget(candidate.path)) ?? candidate.path
        guard FileAccessPolicy.isInside(FileAccessPolicy.canonical(target), root) else {
            throw ScriptError(.access, "\(builtin): \(access.role) may only write inside its scratch folder (\(FileAccessPolicy.shown(root.path))); \"\(FileAccessPolicy.shown(path))\" is outside it")
        }
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return candidate
    }

    /// `~` expanded; nothing else changes (the learner's paths mean what they say).
    public static func plainURL(_ path: String) -> URL { URL(fileURLWithPath: expanded(path)) }

    static func expanded(_ path: String) -> String { (path as NSString).expandingTildeInPath }

    // MARK: - Paths

    /// Whether the canonical path `real` is `root` or under it (the root canonicalised too).
    static func isInside(_ real: String, _ root: URL) -> Bool {
        let base = canonical(root.path)
        return real == base || real.hasPrefix(base == "/" ? "/" : base + "/")
    }

    /// `path` made absolute with every `.`, `..` and symbolic link resolved, as the kernel would
    /// resolve it — also when the file (or the folders above it) does not exist yet, and also for
    /// a link that points at nothing yet (a write would create its target). Lexical clean-up
    /// alone is not enough: `scratch/link/..` is wherever `link` points, not `scratch`.
    public static func canonical(_ path: String, depth: Int = 0) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var resolved = ""  // "" is the root
        for part in absolute.split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                resolved = (resolved as NSString).deletingLastPathComponent
                if resolved == "/" { resolved = "" }
                continue
            }
            let candidate = resolved + "/" + part
            if let real = realpath(candidate, nil) {
                resolved = String(cString: real)
                free(real)
            } else if depth < 40, let destination = linkDestination(candidate) {
                resolved = canonical(destination.hasPrefix("/") ? destination : resolved + "/" + destination, depth: depth + 1)
            } else {
                resolved = candidate  // does not exist: nothing below it can be a link
            }
            if resolved == "/" { resolved = "" }
        }
        return resolved.isEmpty ? "/" : resolved
    }

    /// What a symbolic link at `path` points to, or nil when `path` is not a link.
    static func linkDestination(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, buffer.count - 1)
        guard n >= 0 else { return nil }
        return String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A path as a learner should see it in a message: the home folder as `~`, control
    /// characters escaped (the path may come from a lesson).
    public static func shown(_ path: String) -> String {
        let home = NSHomeDirectory()
        var text = path
        if !home.isEmpty, home != "/", path == home || path.hasPrefix(home + "/") { text = "~" + path.dropFirst(home.count) }
        return ControlCharacters.escaped(text)
    }
}

/// The folders a lesson's code may use (see `FileAccessPolicy.lesson`).
public struct LessonFileAccess: Sendable {
    /// Folders whose files may be read, with everything under them (the lesson's own folder, Datasets/).
    public var readRoots: [URL]
    /// The one folder that may be written under (and read back); nil: nothing may be written.
    public var writeRoot: URL?
    /// Where a relative path to read is looked for, in order (the first that holds it wins).
    public var relativeBases: [URL]
    /// Who is confined, as messages say it: "a lesson", "an answer key".
    public var role: String

    public init(readRoots: [URL], writeRoot: URL?, relativeBases: [URL], role: String = "a lesson") {
        self.readRoots = readRoots
        self.writeRoot = writeRoot
        self.relativeBases = relativeBases
        self.role = role
    }

    func readRefusal(_ path: String, builtin: String) -> ScriptError {
        let places = readRoots.map { FileAccessPolicy.shown($0.path) } + (writeRoot.map { [FileAccessPolicy.shown($0.path)] } ?? [])
        let quoted = "\"\(FileAccessPolicy.shown(path))\""
        if places.isEmpty { return ScriptError(.access, "\(builtin): \(role) may not read files; \(quoted) was not read") }
        let them = places.count == 1 ? "it" : "them"
        return ScriptError(.access, "\(builtin): \(role) may only read files in \(places.joined(separator: ", ")); \(quoted) is outside \(them)")
    }
}

extension Interpreter {
    /// The current policy when it confines, else nil: what a function defined now keeps.
    var confinedFileAccess: FileAccessPolicy? {
        if case .unrestricted = fileAccess { return nil }
        return fileAccess
    }

    /// Runs `body` with `policy` as the interpreter's file access, then puts the previous one back.
    /// Lesson code is run through this; the learner's own input never is.
    public func withFileAccess<T>(_ policy: FileAccessPolicy, _ body: () throws -> T) rethrows -> T {
        let saved = fileAccess
        fileAccess = policy
        defer { fileAccess = saved }
        return try body()
    }
}
