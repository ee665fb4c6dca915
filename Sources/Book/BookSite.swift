import Foundation
import Tutorial
#if canImport(Glibc)
import Glibc
private let systemWrite = Glibc.write
#elseif canImport(Darwin)
import Darwin
private let systemWrite = Darwin.write
#endif

/// The whole book as files: made in memory first (`make`), written only when every lesson has
/// passed its check (`write`), so a refused build leaves nothing half-done.
public struct BookSite: Sendable {
    /// File names (flat: no folders) and their contents, in the order they are written — the
    /// style sheet, the script, the lessons, and the index last, so an interrupted write never
    /// leaves an index pointing at pages that are not there.
    public var files: [(name: String, contents: String)]

    /// One checked lesson: the lesson and its cells' runs (`CheckReport.runs`).
    public typealias Checked = (lesson: Lesson, runs: [(cell: Cell, run: LessonSession.CellRun)])

    /// The book of `lessons` (in the order given). Nothing here depends on time or on the
    /// machine: the same lessons give the same bytes.
    public static func make(_ lessons: [Checked]) -> BookSite {
        var files: [(name: String, contents: String)] = [(BookAssets.styleSheet, BookAssets.css), (BookAssets.script, BookAssets.javaScript)]
        let metas = lessons.map(\.lesson.meta)
        for (k, checked) in lessons.enumerated() {
            let page = LessonPage.html(checked.lesson, runs: checked.runs,
                                       previous: k > 0 ? metas[k - 1] : nil, next: k + 1 < metas.count ? metas[k + 1] : nil)
            files.append((LessonPage.fileName(checked.lesson.meta), page))
        }
        files.append(("index.html", BookIndex.html(metas)))
        return BookSite(files: files)
    }

    /// Why a book could not be written, in the learner's words.
    public struct WriteError: Error, Sendable {
        /// What was wrong: the folder or the file, and the system's reason.
        public var message: String
        /// The files written before the failure (names inside the folder).
        public var written: [String]
    }

    /// Whether `directory` can take the book: it is made (with its parents) when missing, and a
    /// file is written in it and removed. Called before any lesson runs, so a folder that cannot
    /// take the book is refused at once, not after minutes of checking.
    /// Returns the folders it made, top first, so a refused book can take them away again
    /// (`removeFolders`).
    @discardableResult
    public static func prepare(_ directory: URL) throws(WriteError) -> [String] {
        let path = directory.standardizedFileURL.path
        var made: [String] = []
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw WriteError(message: "\(path) is a file, not a folder", written: []) }
        } else {
            // Each missing folder from the top down, so a refusal names the folder that failed.
            var missing: [String] = []
            var up = URL(fileURLWithPath: path)
            while !FileManager.default.fileExists(atPath: up.path), up.path != "/" {
                missing.insert(up.path, at: 0)
                up = up.deletingLastPathComponent()
            }
            var parentIsDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: up.path, isDirectory: &parentIsDirectory), !parentIsDirectory.boolValue {
                throw WriteError(message: "\(up.path) is a file, not a folder", written: [])
            }
            for (k, folder) in missing.enumerated() where mkdir(folder, 0o755) != 0 {
                let reason = systemReason()
                removeFolders(Array(missing[..<k]))
                throw WriteError(message: "cannot make the folder \(folder): \(reason)", written: [])
            }
            made = missing
        }
        let probe = URL(fileURLWithPath: path).appendingPathComponent(".rnnlab-book-probe")
        do { try writeFile(probe.path, Data()) } catch {
            removeFolders(made)
            throw WriteError(message: "cannot write in \(path): \(error.reason)", written: [])
        }
        unlink(probe.path)
        return made
    }

    /// Removes folders `prepare` made (deepest first), each only if it is still empty.
    public static func removeFolders(_ folders: [String]) {
        for folder in folders.reversed() { rmdir(folder) }
    }

    /// Writes every file into `directory` (which `prepare` accepted), replacing files of the same
    /// name; returns the names written.
    @discardableResult
    public func write(to directory: URL) throws(WriteError) -> [String] {
        var written: [String] = []
        for file in files {
            let path = directory.standardizedFileURL.appendingPathComponent(file.name).path
            do { try BookSite.writeFile(path, Data(file.contents.utf8)) } catch {
                throw WriteError(message: "cannot write \(path): \(error.reason)", written: written)
            }
            written.append(file.name)
        }
        return written
    }

    struct SystemError: Error { var reason: String }

    /// The system's reason for the last failed call, in words ("permission denied").
    static func systemReason() -> String {
        let code = errno
        return code == EACCES || code == EPERM ? "permission denied" : String(cString: strerror(code)).lowercased()
    }

    /// `data` into a new file beside `path`, renamed over it once complete: a page is either the
    /// old one or the whole new one.
    static func writeFile(_ path: String, _ data: Data) throws(SystemError) {
        let temporary = path + ".part"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw SystemError(reason: systemReason()) }
        var failure: String?
        data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) in
            var offset = 0
            while offset < buffer.count, let base = buffer.baseAddress {
                let n = systemWrite(fd, base + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; failure = systemReason(); return }
                offset += n
            }
        }
        if close(fd) != 0, failure == nil { failure = systemReason() }
        if failure == nil, rename(temporary, path) != 0 { failure = systemReason() }
        if let failure { unlink(temporary); throw SystemError(reason: failure) }
    }
}
