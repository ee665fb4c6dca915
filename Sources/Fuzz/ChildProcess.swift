import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One run of the release binary under watch: its exit, the peak memory it reached, and whether
/// it had to be stopped.
///
/// The fuzzer's findings are about how the process ends, so the process is started with
/// `posix_spawn` and reaped with `wait4`, which reports the peak resident size the kernel
/// measured (`ru_maxrss`) — no sampling can miss a short spike. Output goes to files, not pipes,
/// so a child that prints a lot can never block on a full pipe and look like a hang.
struct ChildOutcome {
    enum Ending: Equatable {
        case exited(Int32)
        /// Ended by a signal the fuzzer did not send: a crash (SIGSEGV, SIGILL from a Swift
        /// runtime check, SIGABRT, SIGBUS…).
        case crashed(signal: Int32)
        /// Still running `grace` seconds after Ctrl-C (SIGINT): killed.
        case ignoredInterrupt
        /// Resident memory passed the hard ceiling: killed before it could hurt the machine.
        case memoryCeiling(bytes: Int)
    }

    var ending: Ending
    var peakBytes: Int
    var seconds: Double
    /// Whether the fuzzer sent Ctrl-C because the run was past its time.
    var interrupted: Bool
    /// Seconds from Ctrl-C to the end of the process.
    var interruptLatency: Double?
    var stdout: String
    var stderr: String
}

struct ChildLimits {
    /// Ctrl-C is sent after this many seconds.
    var seconds: Double
    /// …and the process must be gone this long after it.
    var grace: Double = 3
    /// A resident size at which the child is killed at once (checked every 10 ms).
    var ceilingBytes: Int
}

enum ChildProcess {
    /// Runs `executable` with `arguments` in `directory`, with exactly `environment`, stdin from
    /// `stdinFile` (or /dev/null).
    static func run(_ executable: String, _ arguments: [String], directory: String, environment: [String: String],
                    stdinFile: String? = nil, limits: ChildLimits) throws -> ChildOutcome {
        let outPath = directory + "/.fuzz-stdout", errPath = directory + "/.fuzz-stderr"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdinFile ?? "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        var pid: pid_t = 0
        let start = Date()
        // The child starts in `directory`: glibc's posix_spawn_file_actions_addchdir_np is not
        // visible to Swift here, and the fuzzer is single-threaded, so it steps in and back.
        let home = FileManager.default.currentDirectoryPath
        guard chdir(directory) == 0 else { throw FuzzError("cannot enter \(directory)") }
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        _ = chdir(home)
        guard rc == 0 else { throw FuzzError("cannot start \(executable): \(String(cString: strerror(rc)))") }

        var interruptedAt: Date? = nil
        var ending: ChildOutcome.Ending? = nil
        var status: Int32 = 0
        var usage = rusage()
        while true {
            let reaped = wait4(pid, &status, WNOHANG, &usage)
            if reaped == pid { break }
            if reaped < 0 && errno != EINTR { throw FuzzError("wait4: \(String(cString: strerror(errno)))") }
            let elapsed = Date().timeIntervalSince(start)
            if ending == nil, let rss = residentBytes(pid), rss > limits.ceilingBytes {
                ending = .memoryCeiling(bytes: rss)
                kill(pid, SIGKILL)
            } else if ending == nil, interruptedAt == nil, elapsed > limits.seconds {
                interruptedAt = Date()
                kill(pid, SIGINT)
            } else if ending == nil, let at = interruptedAt, Date().timeIntervalSince(at) > limits.grace {
                ending = .ignoredInterrupt
                kill(pid, SIGKILL)
            }
            usleep(10_000)
        }
        let end = Date()
        if ending == nil {
            if (status & 0x7f) == 0 {
                ending = .exited((status >> 8) & 0xff)
            } else {
                ending = .crashed(signal: status & 0x7f)
            }
        }
        return ChildOutcome(ending: ending!, peakBytes: Int(usage.ru_maxrss) * 1024,
                            seconds: end.timeIntervalSince(start), interrupted: interruptedAt != nil,
                            interruptLatency: interruptedAt.map { end.timeIntervalSince($0) },
                            stdout: readText(outPath), stderr: readText(errPath))
    }

    /// VmRSS of a running process, from /proc.
    static func residentBytes(_ pid: pid_t) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return nil }
        let kb = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.flatMap { Int($0) }
        return kb.map { $0 * 1024 }
    }

    /// The first 64 KiB of a file as text (invalid UTF-8 repaired), for reports.
    static func readText(_ path: String) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let data = (try? handle.read(upToCount: 1 << 16)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}

struct FuzzError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
