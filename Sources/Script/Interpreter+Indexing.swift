import Engine

/// `x[…]` on tensors (NumPy's rules), lists and strings (Python's), records (`r["name"]`);
/// `x.member`; and assignment into `x[…]` and `x.member`.
extension Interpreter {
    enum ResolvedIndex {
        case value(Value)
        case slice(Int?, Int?, Int?)
    }

    func resolveIndex(_ item: IndexItem, _ env: Environment) throws -> ResolvedIndex {
        switch item {
        case let .expr(e): return .value(try eval(e, env))
        case let .slice(a, b, c):
            func int(_ e: Expr?) throws -> Int? {
                guard let e else { return nil }
                let v = try eval(e, env)
                if case .none = v { return nil }
                return try located(e.location) { try Interpreter.wholeNumber(v, "a slice bound") }
            }
            return .slice(try int(a), try int(b), try int(c))
        }
    }

    static func wholeNumber(_ v: Value, _ what: String) throws -> Int {
        let x: Double
        switch v {
        case let .number(n): x = n
        case let .bool(b): x = b ? 1 : 0
        case let .tensor(t) where t.count == 1: x = t.storage[0]
        default: throw ScriptError(.wrongType, "\(what) must be a whole number, got \(v.kindName) \(v.shortDescription)")
        }
        guard x == x.rounded() else { throw ScriptError(.wrongType, "\(what) must be a whole number, got \(formatNumber(x))") }
        guard Swift.abs(x) < 1e15 else { throw ScriptError(.limit, "\(what) is too large: it must be below 10¹⁵ in size, got \(formatNumber(x))") }
        return Int(x)
    }

    func index(_ v: Value, _ items: [ResolvedIndex]) throws -> Value {
        switch v {
        case let .tensor(t): return .tensor(try indexTensor(t, items))
        case let .list(list): return try indexSequence(list, items, kind: "list").map(Value.list) { $0 }
        case let .string(s):
            return try indexSequence(s.map { Value.string(String($0)) }, items, kind: "string").map({ .string($0.map(\.printText).joined()) }) { $0 }
        case let .record(r):
            guard items.count == 1, case let .value(.string(name)) = items[0] else {
                throw ScriptError(.wrongType, "a record is indexed by a member name, e.g. r[\"output\"]")
            }
            return try member(.record(r), name)
        default:
            throw ScriptError(.wrongType, "a \(v.kindName) cannot be indexed")
        }
    }

    /// Lists and strings: one whole number (negative counts from the end) or a slice.
    private func indexSequence(_ items: [Value], _ index: [ResolvedIndex], kind: String) throws -> Either {
        guard index.count == 1 else { throw ScriptError(.wrongType, "a \(kind) takes one index, got \(index.count)") }
        switch index[0] {
        case let .value(v):
            let i = try Interpreter.wholeNumber(v, "a \(kind) index")
            let j = i < 0 ? i + items.count : i
            guard j >= 0, j < items.count else {
                throw ScriptError(.index, "index \(i) is out of range for a \(kind) of length \(items.count)")
            }
            return .one(items[j])
        case let .slice(a, b, c):
            let (first, n, step) = try Tensor.resolveSlice(start: a, stop: b, step: c, size: items.count)
            return .many((0..<n).map { items[first + $0 * step] })
        }
    }

    enum Either {
        case one(Value)
        case many([Value])
        func map(_ many: ([Value]) -> Value, _ one: (Value) -> Value) -> Value {
            switch self {
            case let .one(v): return one(v)
            case let .many(vs): return many(vs)
            }
        }
    }

    func indexTensor(_ t: Tensor, _ items: [ResolvedIndex]) throws -> Tensor {
        var basic: [TensorIndex] = []
        var advanced: (axis: Int, positions: [Int])? = nil
        for (k, item) in items.enumerated() {
            switch item {
            case let .slice(a, b, c): basic.append(.slice(start: a, stop: b, step: c))
            case .value(.none): basic.append(.newAxis)
            case let .value(.list(list)):
                let positions = try list.map { try Interpreter.wholeNumber($0, "a position in an index list") }
                guard advanced == nil else { throw ScriptError(.wrongType, "only one list of positions per index is supported") }
                advanced = (k, positions); basic.append(.all)
            case let .value(.tensor(p)) where p.rank == 1:
                let positions = try p.storage.map { try Interpreter.wholeNumber(.number($0), "a position in an index tensor") }
                guard advanced == nil else { throw ScriptError(.wrongType, "only one list of positions per index is supported") }
                advanced = (k, positions); basic.append(.all)
            case let .value(v):
                basic.append(.at(try Interpreter.wholeNumber(v, "a tensor index")))
            }
        }
        guard let (axis, positions) = advanced else { return try t.index(basic) }
        // A list of positions: pick along that axis (other items must be ':' before it).
        for (k, item) in basic.enumerated() where k < axis && item != .all {
            throw ScriptError(.wrongType, "a list of positions can only follow ':' entries, e.g. x[:, [0, 2]]")
        }
        let picked = try t.select(positions, axis: axis)
        var rest: [TensorIndex] = Array(repeating: .all, count: axis + 1)
        rest += basic.dropFirst(axis + 1)
        return try picked.index(rest)
    }

    // MARK: members

    func member(_ v: Value, _ name: String) throws -> Value {
        if let found = try ownMember(v, name) { return found }
        if let b = builtins[name], !b.methodOf.isEmpty, b.methodOf.contains(v.kindName) || b.methodOf.contains("any") {
            return .builtin(b.bound(to: v))
        }
        let names = memberNames(of: v)
        let hint = closestName(to: name, in: names).map { " — did you mean '\($0)'?" } ?? ""
        var listing = ""
        if case let .record(r) = v { listing = "; its members are " + r.fields.map(\.name).joined(separator: ", ") }
        throw ScriptError(.unknownName, "a \(v.kindName) has no member '\(name)'\(hint)\(listing)")
    }

    /// Members a value has of its own (not the builtins usable as methods).
    func ownMember(_ v: Value, _ name: String) throws -> Value? {
        switch v {
        case let .tensor(t):
            switch name {
            case "T": return .tensor(t.T)
            case "shape": return .list(t.shape.map { .number(Double($0)) })
            case "grad": return t.grad.map(Value.tensor) ?? Value.none
            case "ndim", "rank": return .number(Double(t.rank))
            case "size": return .number(Double(t.count))
            case "requires_grad": return .bool(t.requiresGrad)
            case "is_leaf": return .bool(t.isLeaf)
            case "dtype": return .string(t.dtype.rawValue)
            default: return nil
            }
        case let .record(r):
            // PyTorch's names for the final states of a forward pass.
            return r[name] ?? (name == "hn" ? r["h"] : name == "cn" ? r["c"] : nil)
        case let .model(m):
            if let p = m.module.namedParameters.first(where: { $0.name == name }) { return .tensor(p.tensor) }
            return m.attributes[name]
        case let .optimizer(o):
            switch name {
            case "lr": return .number(o.optimizer.lr)
            case "name": return .string(o.name)
            case "parameters": return .list(o.optimizer.parameters.map(Value.tensor))
            default: return nil
            }
        case let .figure(f):
            switch name {
            case "kind": return .string(f.kind.rawValue)
            case "title": return f.title.map(Value.string) ?? Value.none
            default: return nil
            }
        case let .list(items) where name == "length": return .number(Double(items.count))
        default: return nil
        }
    }

    /// What can follow `x.` for this value: its own members, then methods (unless `methods` is false).
    func memberNames(of v: Value, methods withMethods: Bool = true) -> [String] {
        var own: [String]
        switch v {
        case .tensor: own = ["T", "shape", "grad", "ndim", "size", "requires_grad", "is_leaf", "dtype"]
        case let .record(r): own = r.fields.map(\.name)
        case let .model(m): own = m.module.namedParameters.map(\.name).filter { !$0.contains(".") } + m.attributes.keys.sorted()
        case .optimizer: own = ["lr", "name", "parameters"]
        case .figure: own = ["kind", "title"]
        case .list: own = ["length"]
        default: own = []
        }
        guard withMethods else { return own }
        let methods = builtins.values.filter { $0.methodOf.contains(v.kindName) || $0.methodOf.contains("any") }.map(\.name).sorted()
        return own + methods
    }

    // MARK: assignment

    func assign(_ target: Expr, _ value: Value, _ env: Environment) throws {
        switch target.kind {
        case let .name(name):
            if builtins[name] != nil && env.lookup(name) == nil && env === globals {
                // Allowed (it shadows the builtin), as in Python; nothing to check.
            }
            env.set(name, value)
        case let .index(baseExpr, items):
            let base = try eval(baseExpr, env)
            let resolved = try items.map { try resolveIndex($0, env) }
            switch base {
            case let .tensor(t):
                try located(target.location) { try writeInto(t, resolved, value, target: target) }
            case var .list(list):
                guard resolved.count == 1, case let .value(iv) = resolved[0] else {
                    throw ScriptError(.wrongType, "assign to one element of a list at a time, e.g. xs[0] = v", at: target.location)
                }
                let i = try located(target.location) { try Interpreter.wholeNumber(iv, "a list index") }
                let j = i < 0 ? i + list.count : i
                guard j >= 0, j < list.count else {
                    throw ScriptError(.index, "index \(i) is out of range for a list of length \(list.count)", at: target.location)
                }
                list[j] = value
                try located(target.location) { try Interpreter.checkNesting(.list(list)) }
                try assign(baseExpr, .list(list), env)
            case let .record(r):
                guard resolved.count == 1, case let .value(.string(name)) = resolved[0] else {
                    throw ScriptError(.wrongType, "a record is indexed by a member name, e.g. r[\"loss\"] = v", at: target.location)
                }
                try setMember(.record(r), name, value, at: target.location)
            default:
                throw ScriptError(.wrongType, "cannot assign into a \(base.kindName)", at: target.location)
            }
        case let .member(baseExpr, name):
            try setMember(try eval(baseExpr, env), name, value, at: target.location)
        default:
            throw ScriptError(.wrongType, "cannot assign to this expression", at: target.location)
        }
    }

    private func setMember(_ base: Value, _ name: String, _ value: Value, at location: SourceLocation) throws {
        switch (base, name) {
        case let (.record(r), _):
            guard r.set(name, value) else { throw ScriptError(.wrongType, "this record (\(r.title)) is read-only", at: location) }
        case let (.optimizer(o), "lr"):
            guard case let .number(x) = value, x >= 0 else { throw ScriptError(.wrongType, "lr must be a number ≥ 0", at: location) }
            o.optimizer.lr = x
        case let (.tensor(t), "requires_grad"):
            guard case let .bool(b) = value else { throw ScriptError(.wrongType, "requires_grad must be true or false", at: location) }
            guard t.isLeaf || !b else { throw ScriptError(.wrongType, "only a leaf tensor (not the result of an operation) can be made to require a gradient; use detach() first", at: location) }
            t.requiresGrad = b
        case let (.tensor(t), "grad"):
            if case .none = value { t.zeroGrad(); return }
            let g = try located(location) { try Interpreter.toTensor(value) }
            guard g.shape == t.shape else {
                throw ScriptError(.shape, "grad: shapes \(formatShape(t.shape)) and \(formatShape(g.shape)) do not match", at: location)
            }
            t.grad = g
        default:
            throw ScriptError(.wrongType, "cannot set '\(name)' on a \(base.kindName)", at: location)
        }
    }

    /// `x[…] = v`: writes into the tensor's storage (every name for this tensor sees the change).
    /// `target` is the assignment's left side as written, for the error when `v` does not fit.
    private func writeInto(_ t: Tensor, _ items: [ResolvedIndex], _ value: Value, target: Expr) throws {
        if t.requiresGrad && GradMode.isEnabled {
            throw ScriptError(.wrongType, "cannot assign into a tensor that requires a gradient; change parameters by hand inside no_grad { … }")
        }
        let positions = try GradMode.withoutGrad { () throws -> Tensor in
            let flat = try Tensor(shape: t.shape, storage: (0..<t.count).map(Double.init))
            return try indexTensor(flat, items)
        }
        let v = try Interpreter.toTensor(value)
        // The value must have the selection's shape or broadcast to it (NumPy's rule); broadcasting
        // both ways, as `+` would, is not enough: a (3, 3) value does not fit a (2, 2) selection.
        guard (try? Shape.broadcast(positions.shape, v.shape, op: "assign")) == positions.shape else {
            throw ScriptError(.shape, "cannot assign a \(formatShape(v.shape)) tensor to \(Interpreter.sourceText(target)), which is \(formatShape(positions.shape)) (the value must have that shape or broadcast to it)",
                              at: Interpreter.startLocation(target))
        }
        let filled = try GradMode.withoutGrad { try Tensor.zeros(positions.shape) + v }
        for (k, p) in positions.storage.enumerated() { t.storage[Int(p)] = filled.storage[k] }
    }

    /// Where the text of `e` starts: its leftmost part (`v` of `v[0, 1:]`, where the node itself
    /// is located at the bracket).
    static func startLocation(_ e: Expr) -> SourceLocation {
        var e = e
        while true {
            switch e.kind {
            case let .index(base, _), let .member(base, _), let .call(base, _), let .binary(_, base, _): e = base
            default: return e.location
            }
        }
    }

    /// An assignment target as the learner wrote it (`v[:]`, `m[0, 1:]`, `r.h[-1]`), rebuilt
    /// from the syntax tree for error messages; expressions too complex to show read as `…`.
    static func sourceText(_ e: Expr) -> String {
        func text(_ e: Expr?) -> String {
            guard let e else { return "" }
            switch e.kind {
            case let .number(x): return formatNumber(x)
            case let .string(s): return "\"" + s + "\""
            case let .bool(b): return b ? "true" : "false"
            case .none: return "none"
            case let .name(n): return n
            case let .member(base, name): return text(base) + "." + name
            case let .unary(op, x): return (op == "not" ? "not " : op) + operand(x)
            case let .binary(op, a, b): return operand(a) + " " + op + " " + operand(b)
            case let .list(items): return "[" + items.map { text($0) }.joined(separator: ", ") + "]"
            case let .call(f, args):
                return text(f) + "(" + args.map { ($0.name.map { $0 + ": " } ?? "") + text($0.value) }.joined(separator: ", ") + ")"
            case let .index(base, items):
                let parts = items.map { item -> String in
                    switch item {
                    case let .expr(x): return text(x)
                    case let .slice(a, b, c): return text(a) + ":" + text(b) + (c == nil ? "" : ":" + text(c))
                    }
                }
                return text(base) + "[" + parts.joined(separator: ", ") + "]"
            default: return "…"
            }
        }
        /// An operand of an operator, in parentheses when it is itself an operation.
        func operand(_ e: Expr) -> String {
            switch e.kind {
            case .binary, .logical, .range: return "(" + text(e) + ")"
            default: return text(e)
            }
        }
        return e.depth > 12 ? "the target" : text(e)
    }
}
