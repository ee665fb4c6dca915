import Testing
@testable import Engine

// Allocator.swift: blocks of 32 MiB and more are kept for the next step instead of going back to
// the kernel; smaller ones go straight back to malloc, which keeps them itself.
@Suite(.serialized) struct AllocatorTests {
    static let large = (32 << 20) / 8 + 1000  // doubles: just over the threshold

    @Test func aFreedLargeBlockIsHandedOutAgain() {
        let p = Allocator.doubles(Self.large)
        p[Self.large - 1] = 42
        Allocator.release(p, count: Self.large)
        let q = Allocator.doubles(Self.large)
        #expect(q == p)
        q[0] = 1; q[Self.large - 1] = 2  // the whole block is ours
        Allocator.release(q, count: Self.large)
    }

    @Test func aKeptBlockMuchLargerThanAskedIsNotUsed() {
        let big = Allocator.doubles(2 * Self.large)
        Allocator.release(big, count: 2 * Self.large)
        let small = Allocator.doubles(Self.large)
        #expect(small != big)
        Allocator.release(small, count: Self.large)
    }

    @Test func atMostFourBlocksAreKept() {
        let blocks = (0..<6).map { _ in Allocator.doubles(Self.large) }
        for b in blocks { Allocator.release(b, count: Self.large) }
        // The two released first were freed; the last four come back, newest or not, in some order.
        let again = (0..<4).map { _ in Allocator.doubles(Self.large) }
        #expect(Set(again) == Set(blocks.suffix(4)))
        for b in again { Allocator.release(b, count: Self.large) }
    }
}
