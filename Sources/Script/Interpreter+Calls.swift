import Engine

/// Calling builtins, user functions and models.
extension Interpreter {
    func call(_ f: Value, _ positional: [Value], _ named: [(name: String, value: Value)], at location: SourceLocation) throws -> Value {
        try checkCancelled(location)
        switch f {
        case let .builtin(b):
            var args = Arguments(builtin: b, positional: positional, named: named)
            let result: Value
            do { result = try b.implementation(&args, self) } catch let error as ControlFlow { throw error } catch {
                // The engine names its operations as the Swift API does (`rand`, `full`): the
                // learner called `b`, so the message says so.
                throw ScriptError.from(error, callee: calleeName(for: b.name, engineError: error))
            }
            try args.checkAllUsed()
            // A builtin whose engine work stopped part-way on Ctrl-C may return an incomplete value.
            if !b.finishesOnInterrupt && Cancellation.isRequested { throw ScriptError.interrupted(at: location) }
            return result
        case let .function(fn):
            return try callUser(fn, positional, named)
        case let .model(m):
            let result: Value
            do { result = try callModel(m, positional, named) } catch let error as ControlFlow { throw error } catch {
                // The layer or architecture refused: the learner called the model `m.name` built.
                throw ScriptError.from(error, callee: calleeName(for: m.name, engineError: error))
            }
            if Cancellation.isRequested { throw ScriptError.interrupted(at: location) }
            return result
        case let .list(items) where !items.isEmpty && items.allSatisfy({ if case .model = $0 { true } else { false } }):
            return try callPipeline(items, positional, named)
        default:
            throw ScriptError(.wrongType, "a \(f.kindName) cannot be called like a function")
        }
    }

    /// How an engine error raised inside builtin `name` is introduced: by `name`, and when the
    /// engine's operation is itself a builtin the learner knows (`matmul` inside `train`), by both.
    func calleeName(for name: String, engineError: any Error) -> String {
        guard let op = (engineError as? TensorError)?.operation, op != name, builtins[op] != nil else { return name }
        return "\(name): \(op)"
    }

    static func isCallable(_ f: Value) -> Bool {
        switch f {
        case .builtin, .function, .model: true
        case let .list(items): !items.isEmpty && items.allSatisfy { if case .model = $0 { true } else { false } }
        default: false
        }
    }

    /// `[layer, head](x)`: the models one after another, as `train` and `forecast` treat such a
    /// list — a recurrent layer hands its `output` (every step's state) to the next model. The
    /// arguments go to the first model.
    func callPipeline(_ models: [Value], _ positional: [Value], _ named: [(name: String, value: Value)]) throws -> Value {
        var value: Value = .none
        for (k, item) in models.enumerated() {
            guard case let .model(m) = item else { continue }
            value = k == 0 ? try callModel(m, positional, named) : try callModel(m, [value], [])
            if case let .record(r) = value, let output = r.fields.first(where: { $0.name == "output" })?.value {
                value = output
            }
        }
        return value
    }

    /// Calls a function value with positional arguments (for builtins that take a function).
    func callValue(_ f: Value, _ positional: [Value], at location: SourceLocation = SourceLocation(file: "<builtin>", line: 0, column: 0)) throws -> Value {
        try call(f, positional, [], at: location)
    }

    func callUser(_ fn: UserFunction, _ positional: [Value], _ named: [(name: String, value: Value)]) throws -> Value {
        // A function a lesson defined stays the lesson's code when the learner calls it: it runs
        // confined as it was written (code that is already confined stays as it is).
        if let confined = fn.fileAccess, case .unrestricted = fileAccess {
            return try withFileAccess(confined) { try callUser(fn, positional, named) }
        }
        let decl = fn.decl
        let usage = "\(decl.name)(\(decl.parameters.map(\.name).joined(separator: ", ")))"
        guard positional.count <= decl.parameters.count else {
            throw ScriptError(.argument, "\(decl.name) takes \(decl.parameters.count) argument\(decl.parameters.count == 1 ? "" : "s"), got \(positional.count)\n  usage: \(usage)")
        }
        guard callDepth < Interpreter.maxCallDepth else {
            throw ScriptError(.limit, "too many nested calls (more than \(Interpreter.maxCallDepth)) — does \(decl.name == "<anonymous>" ? "this function" : decl.name) call itself without ever stopping?")
        }
        for (name, _) in named where !decl.parameters.contains(where: { $0.name == name }) {
            let hint = closestName(to: name, in: decl.parameters.map(\.name)).map { " — did you mean '\($0)'?" } ?? ""
            throw ScriptError(.argument, "\(decl.name): unknown argument '\(name)'\(hint)\n  usage: \(usage)")
        }
        let scope = Environment(parent: fn.closure)
        for (k, p) in decl.parameters.enumerated() {
            if k < positional.count {
                if named.contains(where: { $0.name == p.name }) { throw ScriptError(.argument, "\(decl.name): '\(p.name)' is given twice\n  usage: \(usage)") }
                scope.set(p.name, positional[k])
            } else if let v = named.first(where: { $0.name == p.name })?.value {
                scope.set(p.name, v)
            } else if let d = p.defaultValue {
                scope.set(p.name, try eval(d, fn.closure))
            } else {
                throw ScriptError(.argument, "\(decl.name): missing argument '\(p.name)'\n  usage: \(usage)")
            }
        }
        callDepth += 1
        defer { callDepth -= 1 }
        do {
            try executeBlock(decl.body, scope)
        } catch let e as ScriptError {
            throw e.attaching(source: decl.source, firstLine: decl.firstLine)
        } catch let ControlFlow.returnValue(v) {
            return v
        } catch ControlFlow.breakLoop {
            throw ScriptError(.syntax, "'break' outside a loop in \(decl.name)")
        } catch ControlFlow.continueLoop {
            throw ScriptError(.syntax, "'continue' outside a loop in \(decl.name)")
        }
        return .none
    }

    // MARK: models

    /// `m(…)`: the model reads its own arguments (``ScriptModel/call(_:_:)``); they are checked
    /// against its usage line like a builtin's.
    func callModel(_ m: Model, _ positional: [Value], _ named: [(name: String, value: Value)]) throws -> Value {
        let spec = Builtin(m.name, m.base.callUsage, family: "models", doc: "", example: "") { _, _ in .none }
        var args = Arguments(builtin: spec, positional: positional, named: named)
        let result = try m.base.call(&args, self)
        try args.checkAllUsed()
        return result
    }

    /// A live record of a recurrent trace: the first layer's (forward direction's) tensors by
    /// name, after `backward` its gradients `dh`, `dh_norm`, `jacobian_norm`, and for stacked or
    /// bidirectional layers one member per layer and direction (`l0`, `l0_reverse`, `l1`, …).
    /// For one unbatched sequence (T, I) the per-step tensors drop the batch axis, (T, H) like
    /// `output`, so `out.trace.h` and `out.output` line up without indexing.
    static func traceRecord(_ trace: RecurrentTrace, layer: RecurrentLayer, unbatched: Bool = false, input: Tensor? = nil) -> Record {
        func shaped(_ t: Tensor) -> Tensor {
            guard unbatched, t.rank == 3, t.shape[1] == 1, let s = try? t.squeeze(1) else { return t }
            return s
        }
        func entryFields(_ l: Int, _ d: Int) -> [(name: String, value: Value)] {
            var fields: [(name: String, value: Value)] = (trace.entry(layer: l, direction: d)?.tensors ?? []).map { ($0.name, .tensor(shaped($0.tensor))) }
            for (name, t) in trace.gradients(layer: l, direction: d)?.tensors ?? [] {
                let snake = name == "dhNorm" ? "dh_norm" : name == "jacobianNorm" ? "jacobian_norm" : name
                fields.append((snake, .tensor(shaped(t))))
            }
            return fields
        }
        func origin(_ l: Int, _ d: Int) -> TraceOrigin {
            TraceOrigin(layer: layer, trace: trace, layerIndex: l, direction: d, input: input)
        }
        return Record(title: "\(layer.kind.cellName) trace", origin: origin(0, 0)) {
            var fields = entryFields(0, 0)
            if layer.numLayers > 1 || layer.bidirectional {
                for l in 0..<layer.numLayers {
                    for d in 0..<layer.directions {
                        let name = "l\(l)" + (d == 1 ? "_reverse" : "")
                        fields.append((name, .record(Record(title: "\(layer.kind.cellName) trace \(name)", origin: origin(l, d)) { entryFields(l, d) })))
                    }
                }
            }
            return fields
        }
    }
}
