/// Tab completion for the REPL.
extension Interpreter {
    /// Completions of the word before the cursor. `text` is the input up to the cursor; the result
    /// lists whole replacements for its trailing word, sorted: variables, builtins and keywords for
    /// a plain name (`ls` → `lstm`, `lstm_cell`), and after a dot the members of that value
    /// (`out.tr` → `out.trace`; `m.` → `m.weight_ih_l0`, …, `m.train`, …). Only names and member
    /// accesses are evaluated to find the value — never a call — so completing has no side effects.
    public func completions(for text: String) -> [String] {
        var word = ""
        for c in text.reversed() {
            guard c.isLetter || c.isNumber || c == "_" || c == "." else { break }
            word.insert(c, at: word.startIndex)
        }
        let parts = word.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let last = parts.last else { return [] }
        if parts.count == 1 {
            let names = Set(globals.values.keys).union(builtins.keys).union(Keyword.allCases.map(\.rawValue))
            // A complete name stays among the candidates: `lstm` must not become `lstm_cell`.
            return names.filter { $0.hasPrefix(last) }.sorted()
        }
        guard let first = parts.first, !first.isEmpty, var value = globals.lookup(first) ?? builtins[first].map(Value.builtin) else { return [] }
        for name in parts.dropFirst().dropLast() {
            guard let next = try? ownMember(value, name) else { return [] }
            value = next
        }
        let prefix = parts.dropLast().joined(separator: ".") + "."
        var seen = Set<String>()
        return memberNames(of: value).filter { $0.hasPrefix(last) && seen.insert($0).inserted }.map { prefix + $0 }
    }
}
