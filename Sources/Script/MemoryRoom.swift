import Engine

/// The language's side of the session's ``MemoryBudget``: room for a list or a string is checked
/// before it is built, so `list(arange(1e8))` or a string doubled in a loop ends in a message
/// rather than in the machine running out of memory.
///
/// Lists and strings are not counted as "in use" (only tensors are); the check stops the one
/// request that is too big by itself next to the tensors already held.
enum MemoryRoom {
    /// Bytes per list element: the `Value` itself, inline in the array's buffer. A number or a
    /// bool is all inline; a tensor element adds its own storage, which the engine counts.
    static let bytesPerElement = MemoryLayout<Value>.stride

    /// Throws unless a list of `count` elements fits in the budget.
    static func checkList(count: Int, for op: String) throws {
        let (bytes, overflow) = count.multipliedReportingOverflow(by: bytesPerElement)
        try MemoryBudget.check(bytes: overflow ? Int.max : bytes, for: op)
    }

    /// Throws unless a string of `utf8Count` bytes of UTF-8 fits in the budget (a native Swift
    /// string stores exactly its UTF-8).
    static func checkString(utf8Count: Int, for op: String) throws {
        try MemoryBudget.check(bytes: utf8Count, for: op)
    }
}
