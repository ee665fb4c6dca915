import Engine
import Foundation

/// What a host (a lesson's exercise check) needs beyond running source text: calling a function
/// value it holds with arguments, and reading which functions a piece of source defines.
extension Interpreter {
    /// Calls `function` (a user function, builtin or model) with `arguments`, on the interpreter's
    /// own large-stack thread as `run` does, so recursion limits hold and `isCancelled` is polled.
    /// An error raised inside a user function carries that function's own line and column.
    public func call(_ function: Value, arguments: [Value]) -> Result<Value, ScriptError> {
        let box = UncheckedBox<Result<Value, ScriptError>>()
        let me = UncheckedBox<Interpreter>()
        me.value = self
        let input = UncheckedBox<(Value, [Value])>()
        input.value = (function, arguments)
        let done = DispatchSemaphore(value: 0)
        let watch = Cancellation.Watch.current
        let thread = Thread(block: MemoryBudget.inCurrentScope {
            box.value = watch.adopt { input.value.flatMap { me.value?.callHere($0.0, $0.1) } }
            done.signal()
        })
        thread.stackSize = 256 << 20
        thread.start()
        done.wait()
        return box.value ?? .failure(ScriptError("internal error: the call did not finish"))
    }

    private func callHere(_ function: Value, _ arguments: [Value]) -> Result<Value, ScriptError> {
        callDepth = 0
        evalDepth = 0
        let here = SourceLocation(file: "<call>", line: 0, column: 0)
        do {
            return .success(try call(function, arguments, [], at: here))
        } catch let e as ScriptError {
            return .failure(e)
        } catch let signal as ControlFlow {
            switch signal {
            case .returnValue(let v): return .success(v)
            case .breakLoop: return .failure(ScriptError(.syntax, "'break' outside a loop"))
            case .continueLoop: return .failure(ScriptError(.syntax, "'continue' outside a loop"))
            }
        } catch {
            return .failure(ScriptError.from(error, at: nil))
        }
    }

    /// The top-level statements of `source`, as a host sees them: for each, the name it defines
    /// when it is a `def NAME(…) { … }` (nil for any other statement). nil when `source` does not parse.
    public static func definitions(in source: String, file: String = "<input>") -> [String?]? {
        guard let program = try? Parser.parse(source, file: file) else { return nil }
        return program.map { stmt in
            if case let .def(decl) = stmt.kind { decl.name } else { nil }
        }
    }

    /// The value of global `name`, when one is bound.
    public func global(_ name: String) -> Value? { globals.lookup(name) }
}
