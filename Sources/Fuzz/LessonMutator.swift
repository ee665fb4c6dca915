import Foundation

/// Lesson files as a stranger might send them: a real lesson or a small complete one, with lines
/// lost, repeated or swapped, front matter with hostile values, YAML that expands without end,
/// control characters in the prose — and cells, hidden setup cells and answer keys that try to
/// write outside the lesson's scratch folder, run REPL commands or never stop.
struct LessonMutator {
    /// A complete small lesson using every cell and question kind, so a mutation reaches every
    /// part of the parser, the checker and guided mode in a second or two.
    static let template = """
        ---
        id: tiny
        title: A tiny lesson
        order: 1
        minutes: 3
        cell_seconds: 3
        objectives:
          - add two numbers
        prerequisites: []
        ---

        # A tiny lesson

        Some prose with `code` and **bold**.

        ```rnn setup
        w = [[0.5, -1], [1, 0.5]]
        ```

        ```rnn
        h = tanh(w @ [1, 2])
        h
        ```

        ```output
        tensor (2,)
        [-0.9051  0.964 ]
        ```

        ```rnn error
        w @ [1, 2, 3]
        ```

        ```quiz
        kind: choice
        prompt: Which is h's length?
        choices: [one, two]
        answer: b
        wrong: [a]
        ```

        ```quiz
        kind: numeric
        prompt: h's length?
        answer: 2
        check: len(h)
        wrong: [1]
        ```

        ```quiz
        kind: expression
        prompt: h doubled?
        answer: h * 2
        assign: h2
        wrong: [h]
        ```

        ```quiz
        kind: reflection
        prompt: Why?
        answer: because
        ```

        ```exercise
        function: double
        prompt: Return twice x.
        returns: [y]
        template: |
          def double(x) { return x }
        cases: |
          fn(k) { return record(sizes: record(batch: 1 + k % 2), args: list(randn(1 + k % 2, seed: k))) }
        reference: |
          fn(x) { return x * 2 }
        solution: |
          def double(x) { return x + x }
        why: Adding x to itself doubles it.
        gradients: true
        wrong:
          - mistake: squared
            code: |
              def double(x) { return x * x }
          - mistake: halved
            code: |
              def double(x) { return x / 2 }
        ```

        ## Recap
        Done.

        """

    /// Cells and questions a hostile lesson might carry. `ROOT` is replaced by the workspace root,
    /// so an absolute path points somewhere the judge watches.
    static let hostileBlocks = [
        "```rnn setup\nsave_npy(zeros(2), \"../escape-setup.npy\")\n```",
        "```rnn\nsave_npy(zeros(2), \"ROOT/escape-absolute.npy\")\n```",
        "```rnn\nsave_npz(lstm(input: 1, hidden: 1), \"../../escape.npz\")\n```",
        "```rnn setup\nsecret = read_text(\"/etc/hostname\")\n```",
        "```rnn\n:export ../escape.ipynb\n```",
        "```rnn setup\n:load ../x.rnn\n```",
        "```rnn\nwhile true { }\n```",
        "```rnn\nzeros(1e9) + 1\n```",
        "```quiz\nkind: expression\nprompt: p\nanswer: save_npy(zeros(1), \"../key-escape.npy\")\n```",
        "```quiz\nkind: numeric\nprompt: p\nanswer: 1\ncheck: len(save_npy(zeros(1), \"ROOT/check-escape.npy\"))\n```",
        "```quiz\nkind: choice\nprompt: p\nchoices: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e]\nanswer: a\n```",
        "```quiz\nkind: choice\nprompt: " + String(repeating: "[", count: 20000) + "\nanswer: a\n```",
        "```exercise\nfunction: f\nprompt: p\nreturns: [y]\ntemplate: 'def f(x) { return x }'\ncases: 'fn(k) { while true { } }'\nreference: 'fn(x) { return x }'\nsolution: 'def f(x) { return x }'\nwhy: w\nwrong:\n  - {mistake: a, code: 'def f(x) { return 0 }'}\n  - {mistake: b, code: 'def f(x) { return 1 }'}\n```",
        "```exercise\nfunction: f\nprompt: p\nreturns: [y]\ntemplate: 'def f(x) { return x }'\ncases: 'fn(k) { return record(args: list(k)) }'\nreference: 'fn(x) { save_npy(zeros(1), \"ROOT/exercise-escape.npy\"); return x }'\nsolution: 'def f(x) { save_npy(zeros(1), \"../solution-escape.npy\"); return x }'\nwhy: w\nwrong:\n  - {mistake: a, code: 'def f(x) { while true { } }'}\n  - {mistake: b, code: 'def f(x) { return 1 }'}\n```",
        "Prose with \u{1b}]0;pwned\u{7} a title change and \u{1b}[2J a clear.",
        "```rnn\nprint(\"\\u{1b}[2J\")\n```",
        "```rnn\n" + String(repeating: "x = [", count: 3000) + "\n```",
    ]

    static let frontMatterEdits = [
        ("order: 1", "order: 99999999999999999999"), ("minutes: 3", "minutes: -1"), ("cell_seconds: 3", "cell_seconds: 1e300"),
        ("id: tiny", "id: ../../tiny"), ("title: A tiny lesson", "title: \"\u{1b}[31mred\""), ("---\n", ""),
        ("prerequisites: []", "prerequisites: &x [*x]"), ("objectives:", "objectives: 5\nx:"),
    ]

    /// One mutant of `base` (whose front matter is `order: 1`, so the file is `01-<id>.md`).
    static func mutant(of base: String, root: String, _ r: inout SeededRandom) -> String {
        var lines = base.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<r.int(1..<4) {
            switch r.int(0..<7) {
            case 0, 1, 2:
                // A hostile block after a blank line (where a block may start).
                let blanks = lines.indices.filter { lines[$0].isEmpty }
                let at = blanks.isEmpty ? lines.count : r.pick(blanks)
                let block = r.pick(hostileBlocks).replacingOccurrences(of: "ROOT", with: root)
                lines.insert(contentsOf: ["", block, ""], at: Swift.min(at + 1, lines.count))
            case 3 where lines.count > 1:
                lines.remove(at: r.int(0..<lines.count))
            case 4 where lines.count > 1:
                let i = r.int(0..<lines.count), j = Swift.min(lines.count, i + r.int(1..<6))
                lines.insert(contentsOf: lines[i..<j], at: r.int(0..<lines.count))
            case 5 where lines.count > 1:
                lines.swapAt(r.int(0..<lines.count), r.int(0..<lines.count))
            default:
                let (old, new) = r.pick(frontMatterEdits)
                var text = lines.joined(separator: "\n")
                if let range = text.range(of: old) { text.replaceSubrange(range, with: new) }
                lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            }
        }
        return lines.joined(separator: "\n")
    }
}
