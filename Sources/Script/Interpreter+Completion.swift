import Engine

/// Tab completion for the REPL.
extension Interpreter {
    /// Completions of the word before the cursor. `text` is the input up to the cursor; the result
    /// lists whole replacements for its trailing word, sorted: variables, builtins and keywords for
    /// a plain name (`ls` → `lstm`, `lstm_cell`), and after a dot the members of that value
    /// (`out.tr` → `out.trace`; `m.` → `m.weight_ih_l0`, …, `m.train`, …). Only names and member
    /// accesses are evaluated to find the value — never a call — so completing has no side effects.
    /// Methods are offered only where they work on that value (see ``methodFits(_:_:)``).
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
        let own = Set(memberNames(of: value, methods: false))
        return memberNames(of: value).filter { name in
            name.hasPrefix(last) && seen.insert(name).inserted && (own.contains(name) || Interpreter.methodFits(name, value))
        }.map { prefix + $0 }
    }

    /// Whether the builtin `method` does something with `value` as its receiver, so that
    /// completion offers it: `translate` only on a seq2seq model, `sample` only on a token
    /// generator, `zero_grad` only where there are gradients to forget. Decided from what the
    /// value shows at the prompt (its `kind` and members), so it follows the language, not the
    /// engine's types.
    static func methodFits(_ method: String, _ value: Value) -> Bool {
        switch value {
        case let .model(m):
            let attributes = m.attributes
            let kind = m.name
            let tokens = attributes["embedding"] != nil
            let sequenceModels: Set<String> = ["classifier", "tagger", "generator", "seq2seq"]
            let isLayer = attributes["num_layers"] != nil   // rnn, lstm, gru: a whole recurrent layer
            switch method {
            case "translate": return kind == "seq2seq"
            case "sample", "generate": return kind == "generator" && tokens
            case "forecast", "rollout": return kind == "generator" && !tokens
            // train(m) alone puts any model in training mode (PyTorch's m.train()), so train stays.
            case "inspect": return sequenceModels.contains(kind) || isLayer
            case "predict": return ["classifier", "tagger"].contains(kind) || (kind == "generator" && tokens) || isLayer
            default: return true
            }
        case let .tensor(t):
            switch method {
            case "backward", "zero_grad", "retain_grad": return t.requiresGrad
            default: return true
            }
        case .record, .list:
            // A record or list of tensors: zero_grad only when one of them can hold a gradient.
            if method == "zero_grad" { return holdsGradients(value) }
            return true
        default:
            return true
        }
    }

    private static func holdsGradients(_ value: Value) -> Bool {
        switch value {
        case let .tensor(t): return t.requiresGrad && t.isLeaf
        case let .record(r): return r.fields.contains { holdsGradients($0.value) }
        case let .list(items): return items.contains(where: holdsGradients)
        case .model, .optimizer: return true
        default: return false
        }
    }
}
