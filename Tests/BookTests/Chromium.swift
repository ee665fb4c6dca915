#if canImport(Glibc)
import Foundation
import Glibc

/// A headless Chromium driven over the Chrome DevTools Protocol, for tests that look at a page as
/// a browser shows it (layout, script, clicks) rather than as text.
///
/// The browser is started with `--remote-debugging-pipe`: it reads commands on its fd 3 and
/// writes replies and events on its fd 4, each message one JSON object ended by a NUL byte. No
/// port is opened and nothing goes over the network. Foundation's `Process` cannot give a child
/// fds 3 and 4, so the browser is spawned with `posix_spawn`, one end of a socket pair mapped onto
/// both (a socket is two-way; writing to it with `MSG_NOSIGNAL` cannot kill the test with SIGPIPE
/// when the browser is gone).
///
/// Every wait has a deadline (`timeout`) and fails with what was awaited. The browser runs in its
/// own process group; `close()` (also run by `deinit`) asks it to quit, kills the group if it has
/// not within 5 s, and reaps it, so no browser outlives the test, failed or not.
final class Chromium {
    /// A failure of the browser or of the protocol, in words, with the end of the browser's log
    /// where it helps.
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// An event the browser sent: its method (`Page.loadEventFired`), the session it belongs to
    /// (nil for the browser's own) and its parameters.
    struct Event {
        let method: String
        let session: String?
        let params: [String: Any]
    }

    /// The browser's executable: `$CHROMIUM` if set, else `chromium` (Debian's package) or
    /// `chromium-browser` on the `PATH`; nil when there is none.
    static func executable() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let path = env["CHROMIUM"], !path.isEmpty { return FileManager.default.isExecutableFile(atPath: path) ? path : nil }
        let dirs = (env["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init) + ["/usr/bin"]
        for name in ["chromium", "chromium-browser"] {
            for dir in dirs where FileManager.default.isExecutableFile(atPath: dir + "/" + name) { return dir + "/" + name }
        }
        return nil
    }

    /// How long any one wait (a reply, an event, the browser starting) may take.
    let timeout: TimeInterval
    /// The browser's process id (also its process group's).
    let pid: pid_t
    /// Everything the browser sent that was not a reply, in order.
    private(set) var events: [Event] = []
    /// Errors the pages reported: uncaught exceptions, `console.error`, and error entries of the
    /// browser's log (a failed load, a refused script), each as "kind: text (where)".
    private(set) var problems: [String] = []

    private var socket: Int32
    private let profile: URL
    private let logFile: URL
    private var nextID = 0
    private var buffer = Data()
    private var scanned = 0
    private var closed = false

    /// Starts the browser on about:blank with a fresh profile in a temporary folder.
    init(executable: String, timeout: TimeInterval = 20) throws {
        self.timeout = timeout
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-chromium-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        logFile = profile.appendingPathComponent("chromium.log")
        var pair: [Int32] = [-1, -1]
        let kind = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        guard socketpair(AF_UNIX, kind, 0, &pair) == 0 else {
            try? FileManager.default.removeItem(at: profile)
            throw Failure(description: "cannot make a socket pair for the browser: \(String(cString: strerror(errno)))")
        }
        // Both ends above 10 and close-on-exec: the child's end then reaches it only as fds 3 and 4
        // (a dup2 onto itself would keep close-on-exec), the parent's end not at all.
        let mine = fcntl(pair[0], F_DUPFD_CLOEXEC, 10), theirs = fcntl(pair[1], F_DUPFD_CLOEXEC, 10)
        Glibc.close(pair[0]); Glibc.close(pair[1])
        guard mine >= 0, theirs >= 0 else {
            if mine >= 0 { Glibc.close(mine) }
            if theirs >= 0 { Glibc.close(theirs) }
            try? FileManager.default.removeItem(at: profile)
            throw Failure(description: "cannot move the browser's socket: \(String(cString: strerror(errno)))")
        }
        socket = mine
        // Nothing reaches the network: no background services, and no host name resolves.
        let arguments = [executable, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
                         "--disable-component-update", "--disable-sync", "--host-resolver-rules=MAP * ~NOTFOUND",
                         "--user-data-dir=\(profile.path)", "about:blank"]
        do {
            pid = try Chromium.spawn(arguments, pipe: theirs, log: logFile.path)
        } catch {
            Glibc.close(mine); Glibc.close(theirs)
            try? FileManager.default.removeItem(at: profile)
            throw error
        }
        Glibc.close(theirs)
    }

    deinit { close() }

    private static func spawn(_ arguments: [String], pipe: Int32, log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        var attributes = posix_spawnattr_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawnattr_init(&attributes)
        defer { posix_spawn_file_actions_destroy(&actions); posix_spawnattr_destroy(&attributes) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_adddup2(&actions, pipe, 3)
        posix_spawn_file_actions_adddup2(&actions, pipe, 4)
        // Its own process group (to kill it with its helpers), no blocked or ignored signals.
        var none = sigset_t(), all = sigset_t()
        sigemptyset(&none); sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for p in argv + envp { free(p) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw Failure(description: "cannot start \(arguments[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// A JSON number as a Double (JSONSerialization gives NSNumber, integral or not).
    static func number(_ value: Any?) -> Double? {
        (value as? NSNumber)?.doubleValue
    }

    // MARK: The protocol

    /// Sends a command (to a page's session when `session` is given) and returns its result;
    /// a protocol error, a browser gone or no reply within `timeout` fails.
    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil, timeout: TimeInterval? = nil) throws -> [String: Any] {
        let timeout = timeout ?? self.timeout
        guard !closed else { throw Failure(description: "\(method): the browser is closed") }
        nextID += 1
        let id = nextID
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var data = try JSONSerialization.data(withJSONObject: message)
        data.append(0)
        try write(data, what: method)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let reply = try receive(until: deadline, awaiting: "the reply to \(method) for \(timeout) s")
            guard let replyID = reply["id"] as? Int, replyID == id else { continue }
            if let error = reply["error"] as? [String: Any] {
                throw Failure(description: "\(method) failed: \(error["message"] ?? "?") \(error["data"].map { "(\($0))" } ?? "")")
            }
            return reply["result"] as? [String: Any] ?? [:]
        }
    }

    /// Waits for an event named `method` (of `session`, if given) among those that arrive after
    /// the first `after` events; returns it.
    @discardableResult
    func waitForEvent(_ method: String, session: String? = nil, after: Int, timeout: TimeInterval? = nil) throws -> Event {
        func match(_ e: Event) -> Bool { e.method == method && (session == nil || e.session == session) }
        if let seen = events.dropFirst(after).first(where: match) { return seen }
        let limit = timeout ?? self.timeout
        let deadline = Date().addingTimeInterval(limit)
        while true {
            let before = events.count
            _ = try receive(until: deadline, awaiting: "the event \(method) for \(limit) s")
            if let seen = events.dropFirst(max(after, before)).first(where: match) { return seen }
        }
    }

    /// Problems reported since the last call, and forgets them.
    func takeProblems() -> [String] {
        defer { problems = [] }
        return problems
    }

    private func write(_ data: Data, what: String) throws {
        let deadline = Date().addingTimeInterval(timeout)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var sent = 0
            while sent < raw.count {
                try waitFor(Int16(POLLOUT), until: deadline, awaiting: "the browser to read \(what) for \(timeout) s")
                let n = Glibc.send(socket, raw.baseAddress! + sent, raw.count - sent, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR || errno == EAGAIN { continue }
                    throw failure("cannot send \(what) to the browser: \(String(cString: strerror(errno)))")
                }
                sent += n
            }
        }
    }

    /// The next message, read from the pipe; events are kept and scanned for problems.
    private func receive(until deadline: Date, awaiting: String) throws -> [String: Any] {
        while true {
            // Only the bytes not yet looked at are searched: a screenshot comes in many reads.
            let from = scanned
            let found: Int? = buffer.withUnsafeBytes { raw in
                guard raw.count > from, let hit = memchr(raw.baseAddress! + from, 0, raw.count - from) else { return nil }
                return raw.baseAddress!.distance(to: UnsafeRawPointer(hit))
            }
            scanned = found == nil ? buffer.count : 0
            if let end = found {
                let bytes = Data(buffer.prefix(end))
                buffer = Data(buffer.dropFirst(end + 1))
                guard let message = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else {
                    throw failure("the browser sent something that is not a JSON object: \(String(decoding: bytes.prefix(200), as: UTF8.self))")
                }
                if message["id"] == nil, let method = message["method"] as? String {
                    let event = Event(method: method, session: message["sessionId"] as? String, params: message["params"] as? [String: Any] ?? [:])
                    events.append(event)
                    note(event)
                }
                return message
            }
            try waitFor(Int16(POLLIN), until: deadline, awaiting: awaiting)
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = read(socket, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw failure("cannot read from the browser while waiting for \(awaiting): \(String(cString: strerror(errno)))")
            }
            if n == 0 { throw failure("the browser closed its pipe while this test waited for \(awaiting)") }
            buffer.append(contentsOf: chunk[0..<n])
        }
    }

    private func waitFor(_ events: Int16, until deadline: Date, awaiting: String) throws {
        while true {
            let left = deadline.timeIntervalSinceNow
            if left <= 0 { throw failure("timed out waiting for \(awaiting)") }
            var fd = pollfd(fd: socket, events: events, revents: 0)
            let n = poll(&fd, 1, Int32(min(left, 1) * 1000) + 1)
            if n > 0 { return }
            if n < 0 && errno != EINTR { throw failure("poll failed: \(String(cString: strerror(errno)))") }
        }
    }

    /// Console errors, uncaught exceptions and the log's error entries become `problems`.
    private func note(_ event: Event) {
        let p = event.params
        switch event.method {
        case "Runtime.exceptionThrown":
            let details = p["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any] ?? [:]
            let text = exception["description"] as? String ?? details["text"] as? String ?? "?"
            problems.append("uncaught exception: \(text) (\(details["url"] as? String ?? "?"):\(details["lineNumber"] as? Int ?? -1))")
        case "Runtime.consoleAPICalled" where p["type"] as? String == "error" || p["type"] as? String == "assert":
            let args = (p["args"] as? [[String: Any]] ?? []).map { a in (a["value"].map { "\($0)" }) ?? (a["description"] as? String) ?? "?" }
            problems.append("console.\(p["type"] as? String ?? "error"): \(args.joined(separator: " "))")
        case "Log.entryAdded":
            let entry = p["entry"] as? [String: Any] ?? [:]
            if entry["level"] as? String == "error" {
                problems.append("log error: \(entry["text"] as? String ?? "?") (\(entry["url"] as? String ?? "?"))")
            }
        default:
            break
        }
    }

    private func failure(_ text: String) -> Failure {
        let log = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        // Its own lines, without the noise of a machine with no D-Bus and without stack frames.
        let tail = log.split(separator: "\n").filter { !$0.contains("dbus") && !$0.hasPrefix("#") }.suffix(8).joined(separator: "\n")
        return Failure(description: text + (tail.isEmpty ? "" : "\nthe browser's log ends with:\n" + tail))
    }

    // MARK: Ending

    /// Asks the browser to quit, kills its process group if it is still there 5 s later, reaps it
    /// and removes its profile. Safe to call twice.
    func close() {
        guard !closed else { return }
        if (try? send("Browser.close", timeout: 2)) != nil { _ = waitForExit(seconds: 5) }
        closed = true
        // The group is killed while the leader is not yet reaped, so its id cannot have been reused.
        kill(-pid, SIGKILL)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        Glibc.close(socket)
        try? FileManager.default.removeItem(at: profile)
    }

    /// Whether the browser exited within `seconds` (it is left unreaped, a zombie holding its id).
    private func waitForExit(seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info._sifields._kill.si_pid == pid { return true }
            usleep(20_000)
        }
        return false
    }
}
#endif
