import Foundation
import Testing
@testable import Engine
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TestSupport

/// Files that are not ordinary files: reading never blocks or reads forever, writing never
/// replaces a link or a special file, and every refusal says what the path is.
@Suite struct SafeFileTests {
    /// A fresh temporary folder, removed by the caller.
    static func folder() throws -> String {
        let dir = try temporaryDirectory("safefile").path
        return dir
    }

    static func fifo(in dir: String) throws -> String {
        let path = dir + "/pipe"
        try #require(mkfifo(path, 0o600) == 0)
        return path
    }

    @Test func readingAFIFOIsRefusedWithoutBlocking() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipe = try Self.fifo(in: dir)
        #expect(throws: FileAccessError(path: pipe, reason: "is a FIFO (named pipe), not a file")) {
            _ = try SafeFile.read(pipe, limit: 100)
        }
    }

    @Test(arguments: ["/dev/zero", "/dev/null"])
    func readingADeviceSaysItIsADevice(_ device: String) throws {
        #expect(throws: FileAccessError(path: device, reason: "is a device, not a file")) {
            _ = try SafeFile.read(device, limit: 100)
        }
        // Through a symbolic link too: the link is followed, and what it leads to is refused.
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let link = dir + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: device)
        #expect(throws: FileAccessError(path: link, reason: "is a device, not a file")) {
            _ = try SafeFile.read(link, limit: 100)
        }
    }

    @Test func readingRespectsTheLimitAndReportsMissingFiles() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/f"
        try Data("hello".utf8).write(to: URL(fileURLWithPath: file))
        #expect(try SafeFile.read(file, limit: 5) == Data("hello".utf8))
        #expect(throws: FileAccessError(path: file, reason: "is 5 bytes, more than the 4 it may have")) {
            _ = try SafeFile.read(file, limit: 4)
        }
        #expect(throws: FileAccessError(path: dir + "/none", reason: "no such file")) {
            _ = try SafeFile.read(dir + "/none", limit: 4)
        }
    }

    /// Saving through a link writes the file it names and leaves the link a link.
    @Test func writingThroughASymlinkReplacesItsTargetAndKeepsTheLink() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let target = dir + "/real.txt", link = dir + "/link.txt"
        try Data("old".utf8).write(to: URL(fileURLWithPath: target))
        chmod(target, 0o640)
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real.txt")  // relative
        try SafeFile.write(Data("new".utf8), to: link)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real.txt")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "new")
        let mode = try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int
        #expect(mode == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["link.txt", "real.txt"])
        // A dangling link creates the file it names.
        let dangling = dir + "/dangling"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: dir + "/later.txt")
        try SafeFile.write(Data("x".utf8), to: dangling)
        #expect(try String(contentsOfFile: dir + "/later.txt", encoding: .utf8) == "x")
    }

    @Test func writingOverAFIFOADeviceOrADirectoryIsRefused() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipe = try Self.fifo(in: dir)
        #expect(throws: FileAccessError(path: pipe, reason: "is a FIFO (named pipe), not a file; nothing was written")) {
            try SafeFile.write(Data("x".utf8), to: pipe)
        }
        var info = stat()
        #expect(lstat(pipe, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)  // still a FIFO
        #expect(throws: FileAccessError(path: dir, reason: "is a directory, not a file; nothing was written")) {
            try SafeFile.write(Data("x".utf8), to: dir)
        }
        let link = dir + "/out"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        #expect(throws: FileAccessError(path: link, reason: "is a link to a device, not to a file; nothing was written")) {
            try SafeFile.write(Data("x".utf8), to: link)
        }
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/null")
        // Whatever stdout is while testing (a terminal, a pipe, a file), it is not replaced by a file.
        for stream in ["/dev/stdout", "/dev/fd/1", "/proc/self/fd/1"] {
            #expect(throws: FileAccessError.self) { try SafeFile.write(Data(), to: stream) }
        }
        // Even when it is redirected to a regular file: that file is not swapped out.
        let redirected = dir + "/redirected"
        try Data().write(to: URL(fileURLWithPath: redirected))
        let fd = open(redirected, O_WRONLY)
        defer { close(fd) }
        #expect(throws: FileAccessError(path: "/proc/self/fd/\(fd)", reason: "is an open stream of this process (like standard output), not a file; nothing was written")) {
            try SafeFile.write(Data("x".utf8), to: "/proc/self/fd/\(fd)")
        }
        #expect(throws: FileAccessError(path: dir + "/no/x", reason: "cannot be written: the folder \(dir)/no does not exist")) {
            try SafeFile.write(Data("x".utf8), to: dir + "/no/x")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["out", "pipe", "redirected"])  // no temporary left
    }

    /// The weight savers and loaders go through the same checks.
    @Test func npyAndNpzRefuseFIFOsAndWriteThroughLinks() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let pipe = URL(fileURLWithPath: try Self.fifo(in: dir))
        #expect(NPYFixture.error { try NPY.write(Tensor([1, 2]), to: pipe) }
            == .fileAccess(path: pipe.path, reason: "is a FIFO (named pipe), not a file; nothing was written"))
        #expect(NPYFixture.error { try NPZ.write([("a", Tensor([1]))], to: pipe) }
            == .fileAccess(path: pipe.path, reason: "is a FIFO (named pipe), not a file; nothing was written"))
        #expect(NPYFixture.error { _ = try NPY.read(contentsOf: pipe) }
            == .fileAccess(path: pipe.path, reason: "is a FIFO (named pipe), not a file"))
        #expect(NPYFixture.error { _ = try NPY.read(contentsOf: URL(fileURLWithPath: "/dev/zero")) }
            == .fileAccess(path: "/dev/zero", reason: "is a device, not a file"))
        let link = URL(fileURLWithPath: dir + "/w.npy")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.npy")
        try NPY.write(Tensor([1, 2]), to: link)
        #expect(try NPY.read(contentsOf: URL(fileURLWithPath: dir + "/real.npy")).storage == [1, 2])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.npy")
    }

    /// A temporary file of a process that no longer exists (or an old one) is removed; a live
    /// process's fresh one and unrelated files are left alone.
    @Test func staleTemporariesAreRemoved() throws {
        let dir = try Self.folder()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // pid_max is at most 2²², so this process id cannot exist.
        let dead = SafeFile.temporaryName(for: "progress.json", pid: 99_999_999)
        let live = SafeFile.temporaryName(for: "progress.json", pid: getppid())
        for name in [dead, live, "progress.json", ".other.123.tmp"] {
            try Data("{}".utf8).write(to: URL(fileURLWithPath: dir + "/" + name))
        }
        #expect(dead == ".progress.json.99999999.tmp")
        #expect(SafeFile.removeStaleTemporaries(in: dir, for: "progress.json") == [dead])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == [".other.123.tmp", live, "progress.json"].sorted())
        // An hour later even the live process's file is stale: a write takes milliseconds.
        #expect(SafeFile.removeStaleTemporaries(in: dir, for: "progress.json", now: Date().addingTimeInterval(3600)) == [live])
    }
}
