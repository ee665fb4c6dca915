import Glibc

/// How much memory the process holds right now: the allocator's view (bytes handed out by
/// `malloc` and not yet freed) and the kernel's (resident pages).
///
/// For the "no heap growth across 1,000 training steps" checks: take a snapshot after a warm-up
/// step, run the steps, take another, and compare ``heapInUse``. It counts live allocations exactly,
/// so a graph node or gradient buffer kept alive per step shows as growth of at least its size
/// per step, while glibc keeping freed memory for reuse does not. RSS is printed beside it for
/// context but is a poor leak detector: glibc returns freed memory to the kernel only lazily
/// (or at once, for blocks above the mmap threshold), so RSS moves by megabytes either way.
struct MemorySnapshot {
    /// Bytes in use from malloc: `uordblks` (small blocks in the arenas) + `hblkhd` (blocks mapped
    /// on their own, ≥ 128 KiB at first, e.g. every 1000×1000 tensor's 8 MB storage); nil where
    /// `mallinfo2` cannot be called (see ``MallocInfo``).
    let heapInUse: Int?
    /// Resident set size in bytes (second field of /proc/self/statm × page size).
    let residentBytes: Int

    static func now() -> MemorySnapshot {
        let info = MallocInfo.current()
        return MemorySnapshot(heapInUse: info.map { $0.uordblks + $0.hblkhd }, residentBytes: residentSetSize() ?? 0)
    }

    /// Resident set size from /proc/self/statm ("size resident shared text lib data dt", in pages).
    static func residentSetSize() -> Int? {
        guard let text = readSmallFile("/proc/self/statm") else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let pages = Int(fields[1]) else { return nil }
        return pages * sysconf(Int32(_SC_PAGESIZE))
    }
}

/// glibc's `struct mallinfo2` (glibc ≥ 2.33), the allocator's statistics in `size_t` fields.
///
/// Swift's Glibc module does not include `<malloc.h>` (neither does the CBLAS shim), so `mallinfo2`
/// is not visible to Swift. It is looked up with `dlsym` instead and called through a C function
/// pointer. The C function returns an 80-byte struct, which the x86-64 System V ABI passes back
/// through a hidden pointer to caller-provided memory (in `rdi`, returned again in `rax`): exactly
/// the signature `(UnsafeMutableRawPointer) -> UnsafeMutableRawPointer` used below. Other ABIs use
/// a different register for that pointer (x8 on arm64), so elsewhere ``current()`` returns nil and
/// only RSS is reported.
struct MallocInfo {
    var arena = 0      // bytes obtained from the system with brk/sbrk (the main arena)
    var ordblks = 0    // number of free chunks
    var smblks = 0     // number of free fastbin blocks
    var hblks = 0      // number of blocks mapped with mmap
    var hblkhd = 0     // bytes in blocks mapped with mmap
    var usmblks = 0    // always 0
    var fsmblks = 0    // bytes in free fastbin blocks
    var uordblks = 0   // bytes in use in the arenas
    var fordblks = 0   // bytes free in the arenas
    var keepcost = 0   // releasable bytes at the top of the heap

    private typealias Function = @convention(c) (UnsafeMutableRawPointer) -> UnsafeMutableRawPointer?

    private static let function: Function? = {
        #if arch(x86_64)
        // A nil handle is glibc's RTLD_DEFAULT: search the libraries already loaded (libc is).
        guard let symbol = dlsym(nil, "mallinfo2") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
        #else
        return nil
        #endif
    }()

    static func current() -> MallocInfo? {
        guard let function else { return nil }
        var fields = [Int](repeating: 0, count: 10)
        fields.withUnsafeMutableBytes { _ = function($0.baseAddress!) }
        return MallocInfo(arena: fields[0], ordblks: fields[1], smblks: fields[2], hblks: fields[3], hblkhd: fields[4],
                          usmblks: fields[5], fsmblks: fields[6], uordblks: fields[7], fordblks: fields[8], keepcost: fields[9])
    }
}

/// Heap and RSS before and after `iterations` calls of `body` (after one warm-up call, so that
/// one-time allocations such as OpenBLAS's buffers or a lazily built table do not count).
struct MemoryCheck {
    let iterations: Int
    let before: MemorySnapshot
    let after: MemorySnapshot

    var heapGrowth: Int? {
        guard let a = after.heapInUse, let b = before.heapInUse else { return nil }
        return a - b
    }
    var rssGrowth: Int { after.residentBytes - before.residentBytes }

    /// Heap growth per call: the leak test. A few hundred bytes in total (a lazily created runtime
    /// structure) are noise; anything kept alive per call shows here as its size.
    var heapGrowthPerCall: Double? { heapGrowth.map { Double($0) / Double(iterations) } }

    static func run(iterations: Int, _ body: () throws -> Void) rethrows -> MemoryCheck {
        try body()
        let before = MemorySnapshot.now()
        for _ in 0..<iterations { try body() }
        let after = MemorySnapshot.now()
        return MemoryCheck(iterations: iterations, before: before, after: after)
    }
}
