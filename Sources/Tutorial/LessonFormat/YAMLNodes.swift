import Foundation
import Script
import Yams

/// Typed reads of a YAML mapping with errors that name the file line and what was expected.
struct YAMLFields {
    let mapping: Node.Mapping
    let file: String
    /// Added to a node's 1-based line in the YAML text to get the line in the lesson file.
    let lineOffset: Int
    let fallbackLine: Int
    /// What the block is called in messages ("front matter", "quiz").
    let what: String

    func line(of node: Node?) -> Int {
        guard let mark = node?.mark else { return fallbackLine }
        return mark.line + lineOffset
    }

    func error(_ node: Node?, _ message: String) -> LessonFormatError {
        LessonFormatError(file: file, line: line(of: node), message)
    }

    func node(_ key: String) -> Node? { mapping[key] }

    func string(_ key: String) throws(LessonFormatError) -> String? {
        guard let n = mapping[key] else { return nil }
        guard case .scalar = n, let s = n.string else {
            throw error(n, "\(what): '\(key)' should be text")
        }
        return s
    }

    func requiredString(_ key: String) throws(LessonFormatError) -> String {
        guard let s = try string(key), !s.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw error(mapping[key], "\(what): missing '\(key)' (expected \(key): …)")
        }
        return s
    }

    func int(_ key: String) throws(LessonFormatError) -> Int? {
        guard let n = mapping[key] else { return nil }
        guard let v = n.int else { throw error(n, "\(what): '\(key)' should be a whole number, not '\(n.string ?? "a list or mapping")'") }
        return v
    }

    func double(_ key: String) throws(LessonFormatError) -> Double? {
        guard let n = mapping[key] else { return nil }
        guard let v = n.float ?? n.int.map(Double.init) else {
            throw error(n, "\(what): '\(key)' should be a number, not '\(n.string ?? "a list or mapping")'")
        }
        return v
    }

    /// A tolerance: a finite number ≥ 0 (`.nan` would make every comparison fail, `.inf` accept
    /// any answer, so both are errors in the lesson rather than surprises for the learner).
    func tolerance(_ key: String, default value: Double) throws(LessonFormatError) -> Double {
        guard let t = try double(key) else { return value }
        guard t.isFinite, t >= 0 else {
            throw error(mapping[key], "\(what): '\(key)' must be a finite number ≥ 0, not \(formatNumber(t))")
        }
        return t
    }

    /// A list of text; a single text counts as a list of one.
    func strings(_ key: String) throws(LessonFormatError) -> [String] {
        guard let n = mapping[key] else { return [] }
        if case .scalar = n, let s = n.string { return s.isEmpty ? [] : [s] }
        guard let seq = n.sequence else { throw error(n, "\(what): '\(key)' should be a list") }
        var out: [String] = []
        for item in seq {
            guard case .scalar = item, let s = item.string else { throw error(item, "\(what): every item of '\(key)' should be text") }
            out.append(s)
        }
        return out
    }

    /// Fails on keys not in `known` (a typo would otherwise be silently ignored).
    func rejectUnknown(_ known: Set<String>) throws(LessonFormatError) {
        for (key, _) in mapping {
            let name = key.string ?? ""
            if !known.contains(name) {
                throw error(key, "\(what): unknown key '\(name)' (expected one of \(known.sorted().joined(separator: ", ")))")
            }
        }
    }

    /// Composes YAML text into a mapping, turning Yams' errors into lesson errors.
    static func compose(_ yaml: String, file: String, lineOffset: Int, fallbackLine: Int, what: String) throws(LessonFormatError) -> YAMLFields {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let e as YamlError {
            var line = fallbackLine
            var problem = "\(e)"
            switch e {
            case let .scanner(_, p, mark, _), let .parser(_, p, mark, _), let .composer(_, p, mark, _):
                line = mark.line + lineOffset; problem = p
            default: break
            }
            throw LessonFormatError(file: file, line: line, "\(what) is not valid YAML: \(problem)")
        } catch {
            throw LessonFormatError(file: file, line: fallbackLine, "\(what) is not valid YAML: \(error)")
        }
        guard let mapping = node?.mapping else {
            throw LessonFormatError(file: file, line: fallbackLine, "\(what) should be a YAML mapping of key: value lines")
        }
        return YAMLFields(mapping: mapping, file: file, lineOffset: lineOffset, fallbackLine: fallbackLine, what: what)
    }
}
