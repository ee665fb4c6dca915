import Foundation
import Tutorial
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
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
    public static func prepare(_ directory: URL) throws(WriteError) {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        if fm.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            if !isDirectory.boolValue { throw WriteError(message: "\(directory.path) is a file, not a folder", written: []) }
        } else {
            do { try fm.createDirectory(at: directory, withIntermediateDirectories: true) } catch {
                throw WriteError(message: "cannot make the folder \(directory.path): \(reason(error))", written: [])
            }
        }
        let probe = directory.appendingPathComponent(".rnnlab-book-probe")
        guard fm.createFile(atPath: probe.path, contents: Data()) else {
            throw WriteError(message: "cannot write in \(directory.path): the folder is not writable", written: [])
        }
        try? fm.removeItem(at: probe)
    }

    /// Writes every file into `directory` (which `prepare` accepted), replacing files of the same
    /// name; returns the names written.
    @discardableResult
    public func write(to directory: URL) throws(WriteError) -> [String] {
        var written: [String] = []
        for file in files {
            let url = directory.appendingPathComponent(file.name)
            do { try Data(file.contents.utf8).write(to: url, options: .atomic) } catch {
                throw WriteError(message: "cannot write \(url.path): \(BookSite.reason(error))", written: written)
            }
            written.append(file.name)
        }
        return written
    }

    static func reason(_ error: Error) -> String {
        let e = error as NSError
        if let underlying = e.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
           let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        return e.localizedDescription
    }
}
