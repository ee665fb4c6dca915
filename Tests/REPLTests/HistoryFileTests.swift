import CEditLine
import Foundation
import Testing
@testable import REPL
#if canImport(Glibc)
import Glibc
#endif
import TestSupport

/// The history file: only libedit's format is loaded or replaced, anything else is kept aside,
/// special files are never read or written, and saving is atomic.
@Suite struct HistoryFileTests {
    static func folder() throws -> URL {
        let dir = try temporaryDirectory("history")
        return dir
    }

    static let libedit = "_HiStOrY_V2_\nx\\040=\\0401\n"

    @Test func missingFileStartsAnEmptyHistoryInANewFolder() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("state/rnnlab/history")
        #expect(HistoryFile.prepare(url) == HistoryFile.Plan(load: false, save: true, notice: nil))
        #expect(FileManager.default.fileExists(atPath: url.deletingLastPathComponent().path))
    }

    @Test func libeditHistoryIsLoaded() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("history")
        try Data(Self.libedit.utf8).write(to: url)
        #expect(HistoryFile.prepare(url) == HistoryFile.Plan(load: true, save: true, notice: nil))
    }

    @Test func foreignFileIsKeptAsideNotReplaced() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("history")
        try Data("my notes, not a history\n".utf8).write(to: url)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let plan = HistoryFile.prepare(url, now: now)
        let aside = dir.appendingPathComponent("history.foreign-2027-01-15T080000Z")
        #expect(plan.load == false && plan.save == true)
        #expect(plan.notice == "Your history file \(url.path) was not loaded: it is not rnnlab's history file (its first line is not _HiStOrY_V2_). It was moved to \(aside.path); a new history starts.")
        #expect(try String(contentsOf: aside, encoding: .utf8) == "my notes, not a history\n")
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }

    @Test func oversizedFileIsKeptAside() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("history")
        try Data(Self.libedit.utf8).write(to: url)
        #expect(truncate(url.path, off_t(HistoryFile.sizeLimit + 1)) == 0)  // sparse: no disk used
        let plan = HistoryFile.prepare(url)
        #expect(plan.load == false && plan.save == true)
        #expect(plan.notice?.contains("more than the \(HistoryFile.sizeLimit) it may have. It was moved to") == true, "\(plan.notice ?? "")")
    }

    /// A FIFO would block the read, a link to /dev/zero would never end: neither is read or written.
    @Test func specialFilesAreNeitherReadNorWritten() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pipe = dir.appendingPathComponent("history")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        #expect(HistoryFile.prepare(pipe) == HistoryFile.Plan(load: false, save: false,
            notice: "History is kept for this session only: \(pipe.path) is a FIFO (named pipe), not a file."))
        #expect(HistoryFile.save(Data(Self.libedit.utf8), to: pipe)
            == "History cannot be saved: \(pipe.path) is a FIFO (named pipe), not a file; nothing was written. It is kept for this session only.")
        let zero = dir.appendingPathComponent("zero")
        try FileManager.default.createSymbolicLink(atPath: zero.path, withDestinationPath: "/dev/zero")
        #expect(HistoryFile.prepare(zero) == HistoryFile.Plan(load: false, save: false,
            notice: "History is kept for this session only: \(zero.path) is a device, not a file."))
        var info = stat()
        #expect(lstat(pipe.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: zero.path) == "/dev/zero")
    }

    /// Saving replaces the file in one rename (owner-only, as libedit makes it), through a link to
    /// its file, leaves no temporary behind, and an unwritable location says why.
    @Test func savingIsAtomicAndFollowsLinks() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("history")
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "dotfiles-history")
        #expect(HistoryFile.save(Data(Self.libedit.utf8), to: url) == nil)
        let target = dir.appendingPathComponent("dotfiles-history")
        #expect(try String(contentsOf: target, encoding: .utf8) == Self.libedit)
        #expect(try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["dotfiles-history", "history"])
        let nowhere = dir.appendingPathComponent("missing/history")
        #expect(HistoryFile.save(Data(), to: nowhere)?.hasPrefix("History cannot be saved: \(nowhere.path) cannot be written") == true)
    }

    /// libedit's bytes, as the prompt saves them, are what `prepare` recognises as a history.
    @Test func libeditsEncodingIsRecognised() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let history = try #require(history_init())
        defer { history_end(history) }
        _ = rl_shim_history_set_size(history, 100)
        _ = rl_shim_history_enter(history, "x = tanh(1)")
        var bytes: UnsafeMutablePointer<CChar>?
        let count = rl_shim_history_bytes(history, &bytes)
        defer { free(bytes) }
        let data = Data(bytes: try #require(bytes), count: count)
        #expect(data.starts(with: Data("_HiStOrY_V2_\n".utf8)))
        let url = dir.appendingPathComponent("history")
        #expect(HistoryFile.save(data, to: url) == nil)
        #expect(HistoryFile.prepare(url).load)
        let reloaded = try #require(history_init())
        defer { history_end(reloaded) }
        _ = rl_shim_history_set_size(reloaded, 100)
        #expect(rl_shim_history_load(reloaded, url.path) >= 0 && rl_shim_history_count(reloaded) == 1)
    }
}
