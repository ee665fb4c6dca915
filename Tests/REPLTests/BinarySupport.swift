import Foundation
import Testing

/// The built `rnnlab` executable: SwiftPM builds every product before the tests, into the same
/// directory as the test bundle (`.build/<triple>/debug/`).
enum BuiltBinary {
    static var directory: URL {
        let exe = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var dir = exe.deletingLastPathComponent()
        // On Linux the bundle is `rnnlabPackageTests.xctest` (a file); on macOS a directory tree.
        while dir.path != "/", dir.lastPathComponent.hasSuffix(".xctest") || ["MacOS", "Contents"].contains(dir.lastPathComponent) {
            dir = dir.deletingLastPathComponent()
        }
        return dir
    }

    static var rnnlab: URL? {
        let url = directory.appendingPathComponent("rnnlab")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    static var transcripts: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Transcripts")
    }
}

struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs `executable` with `arguments`, `stdin` piped in, and an environment without colour.
func runProcess(_ executable: URL, _ arguments: [String], stdin: String = "",
                environment extra: [String: String] = [:], directory: URL? = nil) throws -> ProcessResult {
    let (process, output, error) = try startProcess(executable, arguments, stdin: stdin, environment: extra, directory: directory)
    // Read both pipes concurrently so a full pipe cannot block the child.
    let group = DispatchGroup()
    nonisolated(unsafe) var errData = Data()
    group.enter()
    DispatchQueue.global().async {
        errData = error.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(status: process.terminationStatus,
                         stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
}

/// Starts `executable` as `runProcess` does (stdin written and closed, no colour, 80 columns) and
/// returns at once with the running process and its stdout and stderr pipes.
func startProcess(_ executable: URL, _ arguments: [String], stdin: String = "",
                  environment extra: [String: String] = [:], directory: URL? = nil) throws -> (process: Process, output: Pipe, error: Pipe) {
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var environment = ProcessInfo.processInfo.environment
    environment["NO_COLOR"] = "1"
    environment["COLUMNS"] = "80"
    for (k, v) in extra { environment[k] = v }
    process.environment = environment
    if let directory { process.currentDirectoryURL = directory }
    let input = Pipe(), output = Pipe(), error = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = error
    try process.run()
    input.fileHandleForWriting.write(Data(stdin.utf8))
    try input.fileHandleForWriting.close()
    return (process, output, error)
}

func requireBinary() throws -> URL {
    try #require(BuiltBinary.rnnlab, "rnnlab was not built next to the tests in \(BuiltBinary.directory.path); run `swift build` first")
}
