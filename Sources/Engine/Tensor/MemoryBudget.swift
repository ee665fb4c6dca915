import Foundation
import Synchronization

/// One memory budget for the whole session, checked before anything large is made.
///
/// A learner's typo (`zeros(1e9)`, a broadcast of a long column against a long row, a crafted
/// file) must end in a message, not in the kernel killing the session with everything in it. So
/// every operation that makes a buffer whose size the user controls asks ``check(bytes:for:)``
/// first — tensors at the one place their shapes are validated (``Shape/checkAllocatable``), files
/// before they are read or inflated, and the language before it builds a long list or string.
///
/// "In use" is what live tensors hold: each tensor adds its bytes when it is made and subtracts
/// them when it is freed. That is an estimate (two tensors sharing storage are counted twice;
/// lists and strings are not counted), but it is deterministic, cheap, and counts the thing that
/// grows: a 4 GB tensor makes the next 4 GB request see 4 GB in use.
///
/// The limit defaults to half the memory of the machine (or of the container, when that is
/// smaller), can be set with the `RNNLAB_MEMORY` environment variable (`4G`, `512M`), and can be
/// changed at any time through ``limit`` (the command line's `--memory`, the tests).
public enum MemoryBudget {
    /// Requests smaller than this are not checked: they cannot be what exhausts the machine, and
    /// the hot paths of training make many of them.
    public static let smallest = 1 << 20

    private static let limitBytes = Atomic<Int>(defaultLimit())
    private static let liveBytes = Atomic<Int>(0)

    /// A budget for one task and what it calls, in place of the session's (see ``withLimit(_:_:)``).
    @TaskLocal private static var scopedLimit: Int?

    /// The budget in bytes: the session's, or the one ``withLimit(_:_:)`` set for this task.
    /// Setting it changes the session's.
    public static var limit: Int {
        get { scopedLimit ?? limitBytes.load(ordering: .relaxed) }
        set { limitBytes.store(Swift.max(0, newValue), ordering: .relaxed) }
    }

    /// Runs `body` with a budget of `bytes` for this task only. Tests use it to ask for a small
    /// budget without touching the session's, which tests running in parallel share.
    public static func withLimit<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        try $scopedLimit.withValue(Swift.max(0, bytes), operation: body)
    }

    /// `body`, made to run under the caller's ``withLimit(_:_:)`` budget (if any) when it is
    /// handed to a thread of its own — a task-local value does not cross to a new thread.
    public static func inCurrentScope(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        guard let scoped = scopedLimit else { return body }
        return { withLimit(scoped, body) }
    }

    /// Bytes held by live tensors.
    public static var inUse: Int { liveBytes.load(ordering: .relaxed) }

    /// Throws ``TensorError/overMemoryBudget(op:needed:budget:inUse:)`` unless `bytes` more fit in
    /// the budget next to what is in use. `op` names the request in the learner's terms ("zeros",
    /// "read_csv"). Nothing is reserved: the caller allocates right after, and the tensor it makes
    /// is counted then.
    public static func check(bytes: Int, for op: String) throws {
        guard bytes >= smallest else { return }
        let budget = limit, used = inUse
        if bytes > budget || used > budget - bytes {
            throw TensorError.overMemoryBudget(op: op, needed: bytes, budget: budget, inUse: used)
        }
    }

    /// ``check(bytes:for:)`` for `count` doubles, saturating instead of overflowing.
    public static func check(doubles count: Int, for op: String) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: MemoryLayout<Double>.stride)
        try check(bytes: overflow ? Int.max : bytes, for: op)
    }

    /// Counts a tensor's storage as in use (from its init) or freed (from its deinit).
    @inline(__always) static func track(doubles count: Int, live: Bool) {
        let bytes = count &* MemoryLayout<Double>.stride
        guard bytes >= 4096 else { return }  // a tensor this small is noise next to a budget; skip the atomic
        if live { liveBytes.add(bytes, ordering: .relaxed) } else { liveBytes.subtract(bytes, ordering: .relaxed) }
    }

    /// Why a request for `needed` bytes was refused, for every error that reports it (tensors,
    /// files): "this needs 8.0 GB but the memory budget is 4.0 GB, with 1.2 GB already in use (…)".
    public static func explain(needed: Int, budget: Int, inUse: Int, subject: String = "this") -> String {
        let change = "(set RNNLAB_MEMORY or start rnnlab with --memory to change it)"
        // A saturated request (a byte count that overflowed) is past any budget: no size to quote.
        if needed == Int.max {
            return "\(subject) needs more memory than the whole memory budget of \(describe(bytes: budget)) \(change)"
        }
        return "\(subject) needs \(describe(bytes: needed)) but the memory budget is \(describe(bytes: budget)),"
            + " with \(describe(bytes: inUse)) already in use \(change)"
    }

    /// ``explain(needed:budget:inUse:subject:)`` for `bytes` now, or nil when they fit: for
    /// layers whose errors are not ``TensorError``s (files).
    public static func refusal(bytes: Int, subject: String = "this") -> String? {
        do { try check(bytes: bytes, for: ""); return nil } catch let TensorError.overMemoryBudget(_, needed, budget, inUse) {
            return explain(needed: needed, budget: budget, inUse: inUse, subject: subject)
        } catch { return "\(error)" }
    }

    /// `bytes × factor` as a byte count, saturating at `Int.max`.
    public static func scaled(_ bytes: Int, by factor: Double) -> Int {
        let product = Double(bytes) * factor
        return product < 0x1p62 ? Int(product) : Int.max
    }

    // MARK: - Sizes in words

    /// Bytes from `4G`, `512M`, `64k`, `1.5GB`, `2g` or a plain number of bytes; nil for anything
    /// else (including zero and negative sizes).
    public static func parse(_ text: String) -> Int? {
        var s = text.trimmingCharacters(in: .whitespaces).uppercased()
        if s.hasSuffix("B") { s.removeLast() }
        if s.hasSuffix("I") { s.removeLast() }  // 4GiB
        let units: [Character: Double] = ["K": 0x1p10, "M": 0x1p20, "G": 0x1p30, "T": 0x1p40]
        var scale = 1.0
        if let last = s.last, let unit = units[last] { scale = unit; s.removeLast() }
        guard let number = Double(s), number.isFinite, number > 0 else { return nil }
        let bytes = number * scale
        guard bytes >= 1, bytes < Double(Int.max / 2) else { return nil }
        return Int(bytes)
    }

    /// `8.0 GB`, `512.0 MB`, `12.3 KB`, `100 bytes` (powers of 1024, as `free -h` shows memory).
    public static func describe(bytes: Int) -> String {
        let b = Double(bytes)
        for (unit, size) in [("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)] where b >= Double(size) {
            return String(format: "%.1f", b / Double(size)) + " " + unit
        }
        return "\(bytes) bytes"
    }

    // MARK: - The default

    /// `RNNLAB_MEMORY` when it is set and valid, otherwise half the machine's memory.
    static func defaultLimit() -> Int {
        if let text = ProcessInfo.processInfo.environment["RNNLAB_MEMORY"], let bytes = parse(text) { return bytes }
        return machineMemory() / 2
    }

    /// Physical memory, or the container's memory limit (cgroup v2, then v1) when that is smaller:
    /// half of a 64 GB host is no use inside a 4 GB container.
    public static func machineMemory() -> Int {
        var total = Int(clamping: ProcessInfo.processInfo.physicalMemory)
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let limit = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), limit > 0 {
                total = Swift.min(total, limit)
            }
        }
        return total > 0 ? total : 8 << 30
    }
}
