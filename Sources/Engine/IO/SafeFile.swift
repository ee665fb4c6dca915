import Foundation
#if canImport(Glibc)
import Glibc
private let systemRead = Glibc.read, systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemRead = Darwin.read, systemWrite = Darwin.write
#endif

/// Why a file could not be read or written: `path` names it, `reason` says why in plain words
/// ("is a FIFO (named pipe), not a file", "no such file", "permission denied").
public struct FileAccessError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String
    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
    public var description: String { "\(path): \(reason)" }
}

/// Reading and writing the files rnnlab keeps or is given (weights, exports, progress, history)
/// so that a path which is not an ordinary file can never hang, exhaust memory or be destroyed.
///
/// Paths come from the learner (`save_npy(x, "/dev/stdout")`) or from the environment (a history
/// path that someone made a FIFO or a link to `/dev/zero`). Reading opens without blocking, looks
/// at what was opened and reads only regular files, up to a limit. Writing never replaces a link
/// or a special file: a symbolic link is followed to the regular file it names, and the new
/// contents go to a temporary file beside that target which is then renamed over it — so a kill
/// or a full disk mid-write leaves the previous file whole, and the link stays a link. Devices,
/// FIFOs, sockets and directories are refused, saying what they are.
public enum SafeFile {
    /// Reads the regular file at `path`, refusing anything else and anything over `limit` bytes.
    ///
    /// Before anything is read, the file's size times `memoryPerByte` — what the caller will hold
    /// for each byte of the file, the bytes themselves included (2 for text that becomes a string)
    /// — is checked against the session's ``MemoryBudget``.
    public static func read(_ path: String, limit: Int, memoryPerByte: Double = 1) throws(FileAccessError) -> Data {
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        guard size <= limit else {
            throw FileAccessError(path: path, reason: "is \(size) bytes, more than the \(limit) it may have")
        }
        if let refusal = MemoryBudget.refusal(bytes: MemoryBudget.scaled(size, by: memoryPerByte), subject: "reading it") {
            throw FileAccessError(path: path, reason: "is \(MemoryBudget.describe(bytes: size)); \(refusal)")
        }
        var data = Data(count: size)
        var filled = 0
        var interrupted = false
        let failure: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
            while filled < raw.count {
                // 16 MB at a time, looking for Ctrl-C in between (see Cancellation): a large file on a
                // slow disk stops within one piece.
                if Cancellation.isRequested { interrupted = true; return nil }
                let n = systemRead(fd, raw.baseAddress! + filled, Swift.min(raw.count - filled, 16 << 20))
                if n < 0 { if errno == EINTR { continue }; return errno }
                if n == 0 { break }  // the file shrank while being read
                filled += n
            }
            return nil
        }
        if let failure { throw FileAccessError(path: path, reason: "cannot be read (\(describe(failure)))") }
        if interrupted { throw FileAccessError(path: path, reason: "was not read: interrupted") }
        return data.prefix(filled)
    }

    /// The first `head` and the last `tail` bytes of the regular file at `path` (fewer when it is
    /// shorter; they overlap for a short file), and its size: enough to recognise a format by its
    /// ends without reading a large file that is not one.
    public static func peek(_ path: String, head: Int, tail: Int) throws(FileAccessError) -> (head: Data, tail: Data, size: Int) {
        let (fd, size) = try openRegular(path)
        defer { close(fd) }
        func bytes(at offset: Int, count: Int) throws(FileAccessError) -> Data {
            var data = Data(count: count)
            var filled = 0
            let failure: Int32? = data.withUnsafeMutableBytes { raw -> Int32? in
                while filled < raw.count {
                    let n = pread(fd, raw.baseAddress! + filled, raw.count - filled, off_t(offset + filled))
                    if n < 0 { if errno == EINTR { continue }; return errno }
                    if n == 0 { break }
                    filled += n
                }
                return nil
            }
            if let failure { throw FileAccessError(path: path, reason: "cannot be read (\(describe(failure)))") }
            return data.prefix(filled)
        }
        let headCount = Swift.min(head, size), tailCount = Swift.min(tail, size)
        return (try bytes(at: 0, count: headCount), try bytes(at: size - tailCount, count: tailCount), size)
    }

    /// Opens `path` for reading and returns the descriptor and the file's size, refusing anything
    /// but a regular file. O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
    /// writer forever (it is refused right after, by what fstat says it is).
    private static func openRegular(_ path: String) throws(FileAccessError) -> (fd: Int32, size: Int) {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw FileAccessError(path: path, reason: openFailure(errno, reading: true)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            close(fd)
            throw FileAccessError(path: path, reason: "cannot be read (\(describe(code)))")
        }
        guard isRegular(info.st_mode) else { close(fd); throw FileAccessError(path: path, reason: notAFile(info.st_mode)) }
        return (fd, Int(info.st_size))
    }

    /// Writes `data` to `path` atomically, never replacing a link or a non-regular file (see above).
    /// A new file gets `permissions` (less the umask); an existing one keeps its own.
    public static func write(_ data: Data, to path: String, permissions: mode_t = 0o666) throws(FileAccessError) {
        let target = try writableTarget(path)
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/" + temporaryName(for: (target as NSString).lastPathComponent)
        var existing = stat()
        let keepMode: mode_t? = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : nil
        unlink(temporary)  // a leftover of this process id from an earlier, killed run
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, keepMode ?? permissions)
        guard fd >= 0 else {
            let code = errno
            let reason = code == ENOENT ? "cannot be written: the folder \(directory) does not exist"
                : "cannot be written (\(describe(code)) in \(directory))"
            throw FileAccessError(path: path, reason: reason)
        }
        if let keepMode { fchmod(fd, keepMode) }
        var failure: Int32? = data.withUnsafeBytes { raw -> Int32? in
            var done = 0
            while done < raw.count {
                let n = systemWrite(fd, raw.baseAddress! + done, raw.count - done)
                if n < 0 { if errno == EINTR { continue }; return errno }
                done += n
            }
            return nil
        }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == nil { failure = errno }
        if failure == nil, rename(temporary, target) != 0 { failure = errno }
        if let failure {
            unlink(temporary)
            throw FileAccessError(path: path, reason: "cannot be written (\(describe(failure)))")
        }
    }

    /// The regular file a write to `path` should replace: `path` itself, or the file its chain of
    /// symbolic links ends at (which need not exist yet). Throws when that is not a regular file.
    public static func writableTarget(_ path: String) throws(FileAccessError) -> String {
        // What the path finally leads to, first: the kernel resolves links the chain below cannot
        // (`/dev/stdout` → `/proc/self/fd/1` → `pipe:[…]`), and those lead to special files.
        var followed = stat(), own = stat()
        if stat(path, &followed) == 0, !isRegular(followed.st_mode) {
            let viaLink = lstat(path, &own) == 0 && own.st_mode & S_IFMT == S_IFLNK
            let what = viaLink ? "is a link to \(noun(followed.st_mode)), not to a file" : notAFile(followed.st_mode)
            throw FileAccessError(path: path, reason: "\(what); nothing was written")
        }
        var current = path
        for _ in 0..<40 {
            // `/dev/stdout` → `/proc/self/fd/1` → whatever file stdout was redirected to: a stream
            // of this process, not a place to save to — replacing it would swap the file under
            // whoever reads that output.
            if isOpenStream(current) {
                throw FileAccessError(path: path, reason: "is an open stream of this process (like standard output), not a file; nothing was written")
            }
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT { return current }  // a new file (its folder is checked on writing)
                throw FileAccessError(path: path, reason: "cannot be written (\(describe(errno)))")
            }
            if info.st_mode & S_IFMT == S_IFLNK {
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n >= 0 else { throw FileAccessError(path: path, reason: "cannot be written (\(describe(errno)))") }
                let destination = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = destination.hasPrefix("/") ? destination
                    : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
                continue
            }
            guard isRegular(info.st_mode) else {  // replaced since the check above
                throw FileAccessError(path: path, reason: "\(notAFile(info.st_mode)); nothing was written")
            }
            return current
        }
        throw FileAccessError(path: path, reason: "has too many levels of symbolic links")
    }

    /// `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/1`, `/proc/1234/fd/1`: names of open descriptors.
    static func isOpenStream(_ path: String) -> Bool {
        if ["/dev/stdin", "/dev/stdout", "/dev/stderr"].contains(path) || path.hasPrefix("/dev/fd/") { return true }
        let parts = path.split(separator: "/")
        return parts.count >= 4 && parts[0] == "proc" && parts[2] == "fd"
    }

    // MARK: - Temporary files

    /// `.progress.json.<pid>.tmp`: hidden, beside its target, and naming the process that wrote it.
    public static func temporaryName(for name: String, pid: Int32 = getpid()) -> String { ".\(name).\(pid).tmp" }

    /// Removes temporary files for `name` in `directory` left by processes that were killed
    /// mid-write: those whose process is gone, or (a reused process id) older than `maxAge`
    /// seconds — a write takes milliseconds. Returns the names removed.
    @discardableResult
    public static func removeStaleTemporaries(in directory: String, for name: String, maxAge: TimeInterval = 600,
                                              now: Date = Date()) -> [String] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [] }
        let prefix = ".\(name).", own = getpid()
        var removed: [String] = []
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            guard let pid = Int32(entry.dropFirst(prefix.count).dropLast(4)), pid > 0, pid != own else { continue }
            let path = directory + "/" + entry
            var info = stat()
            guard lstat(path, &info) == 0, isRegular(info.st_mode) else { continue }
            #if os(Linux)
            let modified = Double(info.st_mtim.tv_sec)
            #else
            let modified = Double(info.st_mtimespec.tv_sec)
            #endif
            let age = now.timeIntervalSince1970 - modified
            if !isAlive(pid) || age > maxAge, unlink(path) == 0 { removed.append(entry) }
        }
        return removed
    }

    /// Whether a process with this id exists (one owned by another user counts).
    static func isAlive(_ pid: Int32) -> Bool { kill(pid, 0) == 0 || errno == EPERM }

    // MARK: - Words

    static func isRegular(_ mode: mode_t) -> Bool { mode & S_IFMT == S_IFREG }

    /// "is a FIFO (named pipe), not a file", and so on for each kind of non-regular file.
    static func notAFile(_ mode: mode_t) -> String { "is \(noun(mode)), not a file" }

    /// What a non-regular file is, in words.
    static func noun(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    static func openFailure(_ code: Int32, reading: Bool) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EACCES, EPERM: return "cannot be \(reading ? "read" : "written"): permission denied"
        case ELOOP: return "has too many levels of symbolic links"
        default: return "cannot be \(reading ? "read" : "written") (\(describe(code)))"
        }
    }

    /// strerror's text, lower-cased as it appears mid-sentence: "permission denied".
    static func describe(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}
