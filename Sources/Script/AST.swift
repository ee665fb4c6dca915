/// The syntax tree. Every node keeps the location of its first token for error messages.

/// One position inside `x[…]`: an expression or a slice `start:stop:step` (parts optional).
enum IndexItem {
    case expr(Expr)
    case slice(Expr?, Expr?, Expr?)
}

/// A call argument, positional (`name == nil`) or named (`hidden: 4`).
struct Argument {
    let name: String?
    let value: Expr
}

/// A user function parameter with an optional default (`def f(x, scale: 1) { … }`).
struct Parameter {
    let name: String
    let defaultValue: Expr?
}

indirect enum ExprKind {
    case number(Double)
    case string(String)
    case bool(Bool)
    case none
    case name(String)
    /// `[a, b, c]`: a tensor when every element is a number (or such a literal), else a list.
    case list([Expr])
    case unary(String, Expr)
    case binary(String, Expr, Expr)
    /// `a and b`, `a or b` (short-circuit).
    case logical(String, Expr, Expr)
    case range(Expr, Expr)
    case call(Expr, [Argument])
    case index(Expr, [IndexItem])
    case member(Expr, String)
    /// `fn(x) { … }` / `def(x) { … }` without a name: an anonymous function.
    case function(FunctionDecl)
}

struct Expr {
    let kind: ExprKind
    let location: SourceLocation
    /// Height of the tree below this node; the parser refuses trees too deep to evaluate safely.
    let depth: Int

    init(_ kind: ExprKind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
        func d(_ e: Expr?) -> Int { e?.depth ?? 0 }
        switch kind {
        case .number, .string, .bool, .none, .name, .function: depth = 1
        case let .list(items): depth = 1 + (items.map(\.depth).max() ?? 0)
        case let .unary(_, e), let .member(e, _): depth = 1 + e.depth
        case let .binary(_, a, b), let .logical(_, a, b), let .range(a, b): depth = 1 + max(a.depth, b.depth)
        case let .call(f, args): depth = 1 + max(f.depth, args.map(\.value.depth).max() ?? 0)
        case let .index(e, items):
            let inner = items.map { item -> Int in
                switch item {
                case let .expr(x): return x.depth
                case let .slice(a, b, c): return max(d(a), d(b), d(c))
                }
            }.max() ?? 0
            depth = 1 + max(e.depth, inner)
        }
    }
}

final class FunctionDecl {
    let name: String
    let parameters: [Parameter]
    let body: [Stmt]
    let location: SourceLocation
    /// The whole input the function was defined in, so that an error inside it shows the right
    /// line even when it is called from a later input.
    let source: String

    /// The file line `source` starts on.
    let firstLine: Int
    init(name: String, parameters: [Parameter], body: [Stmt], location: SourceLocation, source: String, firstLine: Int = 1) {
        self.name = name; self.parameters = parameters; self.body = body; self.location = location; self.source = source
        self.firstLine = firstLine
    }
}

indirect enum StmtKind {
    case expr(Expr)
    /// `target = value`, or `target op= value` when `op` is set.
    case assign(target: Expr, op: String?, value: Expr)
    case ifElse(branches: [(condition: Expr, body: [Stmt])], otherwise: [Stmt]?)
    case forIn(variable: String, sequence: Expr, body: [Stmt])
    case whileLoop(condition: Expr, body: [Stmt])
    case def(FunctionDecl)
    case returnValue(Expr?)
    case breakLoop
    case continueLoop
    /// `name?`: print the help of what the expression names.
    case help(Expr)
    /// `no_grad { … }`: run the block without recording gradients.
    case noGrad([Stmt])
}

struct Stmt {
    let kind: StmtKind
    let location: SourceLocation
}
