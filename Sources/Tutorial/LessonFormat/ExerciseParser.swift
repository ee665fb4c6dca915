import Foundation
import Script
import Yams

/// An ```` ```exercise ```` block's YAML → `Exercise`. Every piece of code in it must parse, and
/// the template, solution and wrong solutions must each be one `def` of the exercise's function:
/// a lesson that breaks either is a format error at its line, not a surprise for the learner.
enum ExerciseParser {
    static let keys: Set<String> = ["function", "prompt", "returns", "template", "cases", "count", "reference", "solution",
                                    "why", "gradients", "atol", "rtol", "hints", "wrong"]

    static func parse(_ yaml: String, file: String, fenceLine: Int) throws(LessonFormatError) -> Exercise {
        let f = try YAMLFields.compose(yaml, file: file, lineOffset: fenceLine, fallbackLine: fenceLine, what: "exercise")
        try f.rejectUnknown(keys)
        let name = try f.requiredString("function").trimmingCharacters(in: .whitespaces)
        guard isName(name) else { throw f.error(f.node("function"), "exercise: 'function' should be a function name, not '\(name)'") }
        let returns = try f.strings("returns")
        guard !returns.isEmpty else { throw f.error(f.node("returns"), "exercise: missing 'returns' (the names of what the function returns, e.g. returns: [h, c])") }
        for r in returns where !isName(r) {
            throw f.error(f.node("returns"), "exercise: every name in 'returns' should be a variable name, not '\(r)'")
        }
        let count = try f.int("count") ?? Exercise.defaultCount
        guard count >= Exercise.defaultCount, count <= 1000 else {
            throw f.error(f.node("count"), "exercise: 'count' must be from \(Exercise.defaultCount) to 1000 cases, not \(count)")
        }
        func code(_ key: String) throws(LessonFormatError) -> String {
            let text = try f.requiredString(key)
            if let found = LessonCodeRules.replCommand(in: text) {
                throw f.error(f.node(key), "exercise: " + LessonCodeRules.replCommandMessage(found.command, in: "the \(key)"))
            }
            if let e = Interpreter.parseError(text, file: key) {
                throw f.error(f.node(key), "exercise: the \(key) does not parse: \(e.message)" + (e.location.map { " (its line \($0.line))" } ?? ""))
            }
            return text
        }
        func definition(_ key: String, _ text: String, node: Node?) throws(LessonFormatError) {
            let defs = Interpreter.definitions(in: text) ?? []
            guard defs.count == 1, defs[0] == name else {
                throw f.error(node, "exercise: the \(key) should be one `def \(name)(…) { … }` and nothing else")
            }
        }
        let template = try code("template")
        try definition("template", template, node: f.node("template"))
        let solution = try code("solution")
        try definition("solution", solution, node: f.node("solution"))
        let cases = try code("cases")
        let reference = try code("reference")
        for (key, text) in [("cases", cases), ("reference", reference)] {
            // One statement that defines nothing: an expression (a `def` would bind a name instead).
            if let statements = Interpreter.definitions(in: text), statements.count == 1, statements[0] == nil { continue }
            throw f.error(f.node(key), "exercise: '\(key)' should be one expression whose value is a function (fn(…) { … })")
        }
        var gradients = false
        if let g = f.node("gradients") {
            guard let b = g.bool else { throw f.error(g, "exercise: 'gradients' should be true or false") }
            gradients = b
        }
        let wrong = try wrongSolutions(f, name: name)
        guard wrong.count >= 2 else {
            throw f.error(f.node("wrong") ?? nil, "exercise: list at least two wrong solutions under 'wrong:' (each `mistake:` and `code:`), the mistakes learners make; check proves each one fails")
        }
        return Exercise(function: name, prompt: try f.requiredString("prompt"), returns: returns, template: template,
                        cases: cases, count: count, reference: reference, solution: solution, why: try f.requiredString("why"),
                        gradients: gradients, tolerance: (try f.tolerance("atol", default: 1e-8), try f.tolerance("rtol", default: 1e-6)),
                        hints: try f.strings("hints"), wrong: wrong, line: fenceLine)
    }

    static func wrongSolutions(_ f: YAMLFields, name: String) throws(LessonFormatError) -> [Exercise.WrongSolution] {
        guard let node = f.node("wrong") else { return [] }
        guard let items = node.sequence else { throw f.error(node, "exercise: 'wrong' should be a list of `- mistake: …` and `code: …` items") }
        var out: [Exercise.WrongSolution] = []
        for item in items {
            guard let mapping = item.mapping else {
                throw f.error(item, "exercise: every item of 'wrong' should have `mistake:` (what is wrong, in a few words) and `code:` (the def)")
            }
            let fields = YAMLFields(mapping: mapping, file: f.file, lineOffset: f.lineOffset, fallbackLine: f.line(of: item), what: "exercise")
            try fields.rejectUnknown(["mistake", "code"])
            let mistake = try fields.requiredString("mistake")
            let code = try fields.requiredString("code")
            if let e = Interpreter.parseError(code, file: "wrong") {
                throw fields.error(fields.node("code"), "exercise: the wrong solution '\(mistake)' does not parse: \(e.message)")
            }
            let defs = Interpreter.definitions(in: code) ?? []
            guard defs.count == 1, defs[0] == name else {
                throw fields.error(fields.node("code"), "exercise: the wrong solution '\(mistake)' should be one `def \(name)(…) { … }` and nothing else")
            }
            out.append(Exercise.WrongSolution(mistake: mistake, code: code))
        }
        return out
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.first, first.isLetter || first == "_" else { return false }
        return s.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
    }
}
