import Foundation

/// A ```` ```quiz ```` block's YAML → `Question`.
enum QuizParser {
    static let common: Set<String> = ["kind", "prompt", "hints", "explanation"]
    static let byKind: [String: Set<String>] = [
        "choice": ["choices", "answer", "wrong"],
        "numeric": ["answer", "tolerance", "check", "wrong"],
        "expression": ["answer", "atol", "rtol", "assign", "wrong"],
        "reflection": ["answer"],
    ]

    static func parse(_ yaml: String, file: String, fenceLine: Int) throws(LessonFormatError) -> Question {
        let f = try YAMLFields.compose(yaml, file: file, lineOffset: fenceLine, fallbackLine: fenceLine, what: "quiz")
        let kindName = try f.requiredString("kind")
        if kindName == "text" {
            throw f.error(f.node("kind"), "quiz: 'text' questions are graded no more: ask a fact as a choice, numeric or expression question, and a question to think about as kind: reflection (answer: a model answer, shown beside the learner's words)")
        }
        guard let extra = byKind[kindName] else {
            throw f.error(f.node("kind"), "quiz: unknown kind '\(kindName)' (expected choice, numeric, expression or reflection)")
        }
        try f.rejectUnknown(common.union(extra))
        let prompt = try f.requiredString("prompt")
        let kind: Question.Kind
        switch kindName {
        case "choice":
            let choices = try f.strings("choices")
            guard choices.count >= 2 else { throw f.error(f.node("choices"), "quiz: a choice question needs 'choices' with at least two items") }
            let answers = try f.strings("answer")
            guard !answers.isEmpty else { throw f.error(f.node("answer"), "quiz: missing 'answer' (expected the letter of each correct choice, e.g. answer: b or answer: [a, c])") }
            var correct = Set<Int>()
            for a in answers {
                let letter = a.trimmingCharacters(in: .whitespaces).lowercased()
                guard let index = choices.indices.first(where: { Question.label($0) == letter }) else {
                    throw f.error(f.node("answer"), "quiz: answer '\(a)' is not one of the choices' letters a…\(Question.label(choices.count - 1))")
                }
                correct.insert(index)
            }
            kind = .choice(choices: choices, correct: correct)
        case "numeric":
            guard let answer = try f.double("answer") else { throw f.error(nil, "quiz: missing 'answer' (expected answer: a number)") }
            let tolerance = try f.tolerance("tolerance", default: 1e-6)
            let check = try f.string("check")
            if let check, let found = LessonCodeRules.replCommand(in: check) {
                throw f.error(f.node("check"), "quiz: " + LessonCodeRules.replCommandMessage(found.command, in: "the check expression"))
            }
            kind = .numeric(answer: answer, tolerance: tolerance, check: check)
        case "expression":
            let key = try f.requiredString("answer")
            if let found = LessonCodeRules.replCommand(in: key) {
                throw f.error(f.node("answer"), "quiz: " + LessonCodeRules.replCommandMessage(found.command, in: "an answer key"))
            }
            let assign = try f.string("assign")
            if let assign, !(assign.first.map { $0.isLetter || $0 == "_" } ?? false && assign.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }) {
                throw f.error(f.node("assign"), "quiz: 'assign' should be a variable name, not '\(assign)'")
            }
            kind = .expression(key: key, atol: try f.tolerance("atol", default: 1e-6), rtol: try f.tolerance("rtol", default: 1e-6), assign: assign)
        default:
            kind = .reflection(answer: try f.requiredString("answer"))
        }
        return Question(prompt: prompt, kind: kind, hints: try f.strings("hints"),
                        explanation: try f.string("explanation") ?? "", wrong: try f.strings("wrong"), line: fenceLine)
    }
}
