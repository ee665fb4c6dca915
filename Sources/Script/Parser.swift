/// Recursive-descent parser with one function per precedence level (lowest first):
///
///     or · and · not · comparison (== != < <= > >=, not chained) · range (..<)
///     · + - · * / % @ · unary - + · ** (right-associative, binds tighter than unary minus
///     on its left: -2**2 == -4) · postfix: call f(…), index x[…], member x.name
struct Parser {
    private let tokens: [Token]
    private var p = 0
    private var nesting = 0
    /// Deeper than this the parser stops: the evaluator recurses once per level.
    static let maxNesting = 150
    static let maxDepth = 400

    private let source: String
    /// The file line `source` starts on.
    private let firstLine: Int

    init(tokens: [Token], source: String = "", firstLine: Int = 1) {
        self.tokens = tokens; self.source = source; self.firstLine = firstLine
    }

    static func parse(_ source: String, file: String, firstLine: Int = 1) throws(ScriptError) -> [Stmt] {
        var lexer = Lexer(source, file: file, firstLine: firstLine)
        var parser = Parser(tokens: try lexer.tokenize(), source: source, firstLine: firstLine)
        return try parser.program()
    }

    // MARK: tokens

    private var current: Token { tokens[min(p, tokens.count - 1)] }
    private var next: Token { tokens[min(p + 1, tokens.count - 1)] }

    private func isSymbol(_ s: String) -> Bool { current.kind == .symbol(s) }
    private func isKeyword(_ k: Keyword) -> Bool { current.kind == .keyword(k) }

    private mutating func advance() { if p < tokens.count - 1 { p += 1 } }

    private func fail(_ what: String, context: String = "") -> ScriptError {
        ScriptError(.syntax, "expected \(what)\(context), found \(current.display)", at: current.location, expected: what)
    }

    private mutating func expect(_ s: String, context: String = "") throws(ScriptError) {
        guard isSymbol(s) else { throw fail("'\(s)'", context: context) }
        advance()
    }

    private mutating func identifier(_ what: String) throws(ScriptError) -> String {
        guard case let .identifier(name) = current.kind else { throw fail(what) }
        advance()
        return name
    }

    private mutating func skipNewlines() { while current.kind == .newline { advance() } }

    private mutating func enter() throws(ScriptError) {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw ScriptError(.limit, "this is nested too deeply (more than \(Parser.maxNesting) levels)", at: current.location)
        }
    }

    private func checked(_ e: Expr) throws(ScriptError) -> Expr {
        if e.depth > Parser.maxDepth {
            throw ScriptError(.limit, "this expression is too long to evaluate in one piece (more than \(Parser.maxDepth) operations deep); split it over several statements", at: e.location)
        }
        return e
    }

    // MARK: statements

    mutating func program() throws(ScriptError) -> [Stmt] {
        var out: [Stmt] = []
        skipNewlines()
        while current.kind != .end {
            out.append(try statement())
            try endOfStatement()
            skipNewlines()
        }
        return out
    }

    private mutating func endOfStatement() throws(ScriptError) {
        switch current.kind {
        case .newline: advance()
        case .end: break
        case .symbol("}"): break
        default: throw fail("end of statement (a new line or ';')")
        }
    }

    private mutating func block(_ context: String) throws(ScriptError) -> [Stmt] {
        try enter(); defer { nesting -= 1 }
        // Allman style in files: the brace may start the next line.
        if current.kind == .newline, tokens[min(p + 1, tokens.count - 1)].kind == .symbol("{") { advance() }
        guard isSymbol("{") else { throw fail("'{'", context: " to start \(context)") }
        advance()
        var out: [Stmt] = []
        skipNewlines()
        while !isSymbol("}") {
            if current.kind == .end { throw fail("'}'", context: " to close \(context)") }
            out.append(try statement())
            try endOfStatement()
            skipNewlines()
        }
        advance()
        return out
    }

    private mutating func statement() throws(ScriptError) -> Stmt {
        let at = current.location
        // `for?`, `def?`: help on the language's own keywords.
        if case let .keyword(k) = current.kind, next.kind == .symbol("?") {
            advance(); advance()
            return Stmt(kind: .help(Expr(.name(k.rawValue), at: at)), location: at)
        }
        switch current.kind {
        case .keyword(.def), .keyword(.fn):
            if case .identifier = next.kind {
                advance()
                let name = try identifier("a function name")
                return Stmt(kind: .def(try functionRest(name: name, at: at)), location: at)
            }
        case .keyword(.if):
            return try ifStatement()
        case .keyword(.for):
            advance()
            let variable = try identifier("a loop variable name after 'for'")
            guard isKeyword(.in) else { throw fail("'in'", context: " after 'for \(variable)'") }
            advance()
            let sequence = try expression()
            return Stmt(kind: .forIn(variable: variable, sequence: sequence, body: try block("the loop body")), location: at)
        case .keyword(.while):
            advance()
            let condition = try expression()
            return Stmt(kind: .whileLoop(condition: condition, body: try block("the loop body")), location: at)
        case .keyword(.return):
            advance()
            if case .newline = current.kind { return Stmt(kind: .returnValue(nil), location: at) }
            if current.kind == .end || isSymbol("}") { return Stmt(kind: .returnValue(nil), location: at) }
            return Stmt(kind: .returnValue(try expression()), location: at)
        case .keyword(.break): advance(); return Stmt(kind: .breakLoop, location: at)
        case .keyword(.continue): advance(); return Stmt(kind: .continueLoop, location: at)
        case .keyword(.else), .keyword(.elif):
            throw ScriptError(.syntax, "'\(current.display.dropFirst().dropLast())' without a matching 'if' (put it on the same line as the closing '}')", at: at)
        case .identifier("no_grad") where next.kind == .symbol("{"):
            advance()
            return Stmt(kind: .noGrad(try block("the no_grad block")), location: at)
        default: break
        }
        let e = try expression()
        if case let .symbol(s) = current.kind, ["=", "+=", "-=", "*=", "/=", "**="].contains(s) {
            switch e.kind {
            case .name, .index, .member: break
            default: throw ScriptError(.syntax, "cannot assign to this expression; the left of '\(s)' must be a name, x[i] or x.member", at: e.location)
            }
            advance()
            let value = try expression()
            return Stmt(kind: .assign(target: e, op: s == "=" ? nil : String(s.dropLast()), value: value), location: at)
        }
        if isSymbol("?") {
            advance()
            return Stmt(kind: .help(e), location: at)
        }
        return Stmt(kind: .expr(e), location: at)
    }

    private mutating func ifStatement() throws(ScriptError) -> Stmt {
        let at = current.location
        var branches: [(condition: Expr, body: [Stmt])] = []
        var otherwise: [Stmt]? = nil
        advance()
        branches.append((try expression(), try block("the 'if' body")))
        while true {
            // `}` newline `else` is allowed in files: look past line breaks for else/elif.
            var q = p
            while tokens[q].kind == .newline && q < tokens.count - 1 { q += 1 }
            let k = tokens[q].kind
            guard k == .keyword(.else) || k == .keyword(.elif) else { break }
            p = q
            if isKeyword(.elif) || (isKeyword(.else) && next.kind == .keyword(.if)) {
                if isKeyword(.else) { advance() }
                advance()
                branches.append((try expression(), try block("the 'elif' body")))
            } else {
                advance()
                otherwise = try block("the 'else' body")
                break
            }
        }
        return Stmt(kind: .ifElse(branches: branches, otherwise: otherwise), location: at)
    }

    private mutating func functionRest(name: String, at: SourceLocation) throws(ScriptError) -> FunctionDecl {
        try expect("(", context: " to start the parameter list")
        var parameters: [Parameter] = []
        while !isSymbol(")") {
            let pname = try identifier("a parameter name or ')'")
            if parameters.contains(where: { $0.name == pname }) {
                throw ScriptError(.syntax, "parameter '\(pname)' appears twice", at: tokens[p - 1].location)
            }
            var defaultValue: Expr? = nil
            if isSymbol(":") || isSymbol("=") { advance(); defaultValue = try expression() }
            else if parameters.last?.defaultValue != nil {
                throw ScriptError(.syntax, "parameter '\(pname)' needs a default value because the one before it has one", at: tokens[p - 1].location)
            }
            parameters.append(Parameter(name: pname, defaultValue: defaultValue))
            if isSymbol(",") { advance() } else if !isSymbol(")") { throw fail("',' or ')'", context: " in the parameter list") }
        }
        advance()
        return FunctionDecl(name: name, parameters: parameters, body: try block("the function body"), location: at, source: source, firstLine: firstLine)
    }

    // MARK: expressions

    mutating func expression() throws(ScriptError) -> Expr {
        try enter(); defer { nesting -= 1 }
        return try orExpr()
    }

    private mutating func orExpr() throws(ScriptError) -> Expr {
        var lhs = try andExpr()
        while isKeyword(.or) {
            let at = current.location
            advance()
            lhs = try checked(Expr(.logical("or", lhs, try andExpr()), at: at))
        }
        return lhs
    }

    private mutating func andExpr() throws(ScriptError) -> Expr {
        var lhs = try notExpr()
        while isKeyword(.and) {
            let at = current.location
            advance()
            lhs = try checked(Expr(.logical("and", lhs, try notExpr()), at: at))
        }
        return lhs
    }

    private mutating func notExpr() throws(ScriptError) -> Expr {
        if isKeyword(.not) {
            let at = current.location
            advance()
            try enter(); defer { nesting -= 1 }
            return try checked(Expr(.unary("not", try notExpr()), at: at))
        }
        return try comparison()
    }

    private static let comparisons: Set<String> = ["==", "!=", "<", "<=", ">", ">="]

    private mutating func comparison() throws(ScriptError) -> Expr {
        let lhs = try rangeExpr()
        guard case let .symbol(op) = current.kind, Parser.comparisons.contains(op) else { return lhs }
        let at = current.location
        advance()
        let rhs = try rangeExpr()
        if case let .symbol(op2) = current.kind, Parser.comparisons.contains(op2) {
            throw ScriptError(.syntax, "comparisons cannot be chained; write (a \(op) b) and (b \(op2) c)", at: current.location)
        }
        return try checked(Expr(.binary(op, lhs, rhs), at: at))
    }

    private mutating func rangeExpr() throws(ScriptError) -> Expr {
        let lhs = try additive()
        guard isSymbol("..<") else { return lhs }
        let at = current.location
        advance()
        return try checked(Expr(.range(lhs, try additive()), at: at))
    }

    private mutating func additive() throws(ScriptError) -> Expr {
        var lhs = try multiplicative()
        while case let .symbol(op) = current.kind, op == "+" || op == "-" {
            let at = current.location
            advance()
            lhs = try checked(Expr(.binary(op, lhs, try operand(after: op) { (p: inout Parser) throws(ScriptError) in try p.multiplicative() }), at: at))
        }
        return lhs
    }

    private mutating func multiplicative() throws(ScriptError) -> Expr {
        var lhs = try unary()
        while case let .symbol(op) = current.kind, ["*", "/", "%", "@"].contains(op) {
            let at = current.location
            advance()
            lhs = try checked(Expr(.binary(op, lhs, try operand(after: op) { (p: inout Parser) throws(ScriptError) in try p.unary() }), at: at))
        }
        return lhs
    }

    /// Parses the right operand of `op`, saying "after 'op'" when there is none.
    private mutating func operand(after op: String, _ parse: (inout Parser) throws(ScriptError) -> Expr) throws(ScriptError) -> Expr {
        if startsExpression { return try parse(&self) }
        throw fail("an expression", context: " after '\(op)'")
    }

    private var startsExpression: Bool {
        switch current.kind {
        case .number, .string, .identifier: return true
        case let .keyword(k): return [.true, .false, .none, .not, .fn, .def].contains(k)
        case let .symbol(s): return ["(", "[", "-", "+"].contains(s)
        default: return false
        }
    }

    private mutating func unary() throws(ScriptError) -> Expr {
        if case let .symbol(op) = current.kind, op == "-" || op == "+" {
            let at = current.location
            advance()
            try enter(); defer { nesting -= 1 }
            let e = try operand(after: op) { (p: inout Parser) throws(ScriptError) in try p.unary() }
            return try checked(Expr(.unary(op, e), at: at))
        }
        return try power()
    }

    private mutating func power() throws(ScriptError) -> Expr {
        let base = try postfix()
        guard isSymbol("**") else { return base }
        let at = current.location
        advance()
        try enter(); defer { nesting -= 1 }
        let exponent = try operand(after: "**") { (p: inout Parser) throws(ScriptError) in try p.unary() }
        return try checked(Expr(.binary("**", base, exponent), at: at))
    }

    private mutating func postfix() throws(ScriptError) -> Expr {
        var e = try primary()
        while true {
            let at = current.location
            if isSymbol("(") {
                advance()
                // A call's errors point at what is called: `zeros(…)` under the z.
                e = try checked(Expr(.call(e, try arguments()), at: e.location))
            } else if isSymbol("[") {
                advance()
                e = try checked(Expr(.index(e, try indexItems()), at: at))
            } else if isSymbol(".") {
                advance()
                let name: String
                if case let .keyword(k) = current.kind { name = k.rawValue; advance() }
                else { name = try identifier("a member name after '.'") }
                e = try checked(Expr(.member(e, name), at: at))
            } else {
                return e
            }
        }
    }

    private mutating func arguments() throws(ScriptError) -> [Argument] {
        try enter(); defer { nesting -= 1 }
        var args: [Argument] = []
        while !isSymbol(")") {
            if let name = argumentName, next.kind == .symbol(":") {
                advance(); advance()
                if args.contains(where: { $0.name == name }) {
                    throw ScriptError(.syntax, "argument '\(name)' is given twice", at: tokens[p - 2].location)
                }
                args.append(Argument(name: name, value: try expression()))
            } else {
                if args.contains(where: { $0.name != nil }) && startsExpression {
                    throw ScriptError(.syntax, "a positional argument cannot follow a named one", at: current.location)
                }
                if !startsExpression { throw fail("an argument or ')'") }
                args.append(Argument(name: nil, value: try expression()))
            }
            if isSymbol(",") { advance() } else if !isSymbol(")") { throw fail("',' or ')'", context: " in the argument list") }
        }
        advance()
        return args
    }

    /// A name before ':' in an argument list; keywords count too (`linear(in: 3, out: 2)`).
    private var argumentName: String? {
        switch current.kind {
        case let .identifier(name): return name
        case let .keyword(k): return k.rawValue
        default: return nil
        }
    }

    private mutating func indexItems() throws(ScriptError) -> [IndexItem] {
        try enter(); defer { nesting -= 1 }
        var items: [IndexItem] = []
        while !isSymbol("]") {
            var parts: [Expr?] = []
            var sawColon = false
            var part: Expr? = startsExpression ? try expression() : nil
            while isSymbol(":") {
                sawColon = true
                parts.append(part)
                advance()
                part = startsExpression ? try expression() : nil
            }
            parts.append(part)
            if sawColon {
                guard parts.count <= 3 else { throw ScriptError(.syntax, "a slice has at most three parts, start:stop:step", at: current.location) }
                while parts.count < 3 { parts.append(nil) }
                items.append(.slice(parts[0], parts[1], parts[2]))
            } else if let e = part {
                items.append(.expr(e))
            } else {
                throw fail("an index or ']'")
            }
            if isSymbol(",") { advance() } else if !isSymbol("]") { throw fail("',' or ']'", context: " in the index") }
        }
        if items.isEmpty { throw fail("an index") }
        advance()
        return items
    }

    private mutating func primary() throws(ScriptError) -> Expr {
        let token = current
        let at = token.location
        switch token.kind {
        case let .number(n): advance(); return Expr(.number(n), at: at)
        case let .string(s): advance(); return Expr(.string(s), at: at)
        case .keyword(.true): advance(); return Expr(.bool(true), at: at)
        case .keyword(.false): advance(); return Expr(.bool(false), at: at)
        case .keyword(.none): advance(); return Expr(.none, at: at)
        case let .identifier(name): advance(); return Expr(.name(name), at: at)
        case .keyword(.fn), .keyword(.def):
            advance()
            return Expr(.function(try functionRest(name: "<anonymous>", at: at)), at: at)
        case .symbol("("):
            advance()
            let e = try expression()
            try expect(")", context: " to close the '(' at \(at.line):\(at.column)")
            return e
        case .symbol("["):
            advance()
            try enter(); defer { nesting -= 1 }
            var items: [Expr] = []
            while !isSymbol("]") {
                if !startsExpression { throw fail("an element or ']'") }
                items.append(try expression())
                if isSymbol(",") { advance() } else if !isSymbol("]") { throw fail("',' or ']'", context: " in the list") }
            }
            advance()
            return try checked(Expr(.list(items), at: at))
        default:
            throw fail("an expression")
        }
    }
}
