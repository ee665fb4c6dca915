import TestSupport

/// A small exercise (one tanh RNN step) and variations of it, for the exercise tests.
enum ExerciseFixtures {
    static let solution = """
    def rnn_step(x, h, W_ih, W_hh, b) {
        return tanh(x @ W_ih.T + h @ W_hh.T + b)
    }
    """

    /// The YAML of the exercise block; `cases`, `solution`, `wrong` may be replaced.
    static func block(cases: String = cases, solution: String = solution, wrong: [(String, String)] = wrong,
                      gradients: Bool = true, extra: String = "") -> String {
        func indent(_ code: String, _ n: Int) -> String {
            code.split(separator: "\n", omittingEmptySubsequences: false).map { String(repeating: " ", count: n) + $0 }.joined(separator: "\n")
        }
        var text = """
        ```exercise
        function: rnn_step
        prompt: One tanh RNN step, PyTorch's layout.
        returns: [h]
        template: |
          def rnn_step(x, h, W_ih, W_hh, b) {
              return h
          }
        cases: |
        \(indent(cases, 2))
        reference: |
          fn(x, h, W_ih, W_hh, b) {
              cell = rnn_cell(input: W_ih.shape[1], hidden: W_ih.shape[0])
              no_grad {
                  cell.weight_ih[:] = W_ih; cell.weight_hh[:] = W_hh
                  cell.bias_ih[:] = b; cell.bias_hh[:] = zeros(W_ih.shape[0])
              }
              return cell(x, h)
          }
        solution: |
        \(indent(solution, 2))
        why: The batch is the first axis.
        gradients: \(gradients)
        hints:
          - "The weights are (out, in): x @ W_ih.T."
        \(extra)wrong:

        """
        for (mistake, code) in wrong {
            text += "  - mistake: \(mistake)\n    code: |\n\(indent(code, 6))\n"
        }
        return text + "```\n"
    }

    static let cases = """
    fn(k) {
        B = 1 + k % 3
        H = 1 + k % 2
        I = 2 + k % 2
        return record(sizes: record(batch: B, hidden: H, input: I),
                      args: list(randn(B, I, seed: k), randn(B, H, seed: 100 + k), randn(H, I, seed: 200 + k),
                                 randn(H, H, seed: 300 + k), randn(H, seed: 400 + k)))
    }
    """

    static let wrong: [(String, String)] = [
        ("no transpose", "def rnn_step(x, h, W_ih, W_hh, b) {\n    return tanh(x @ W_ih + h @ W_hh + b)\n}"),
        ("no tanh", "def rnn_step(x, h, W_ih, W_hh, b) {\n    return x @ W_ih.T + h @ W_hh.T + b\n}"),
    ]

    static func lesson(_ block: String = block(), minutes: Int = 4) -> String {
        lessonText(id: "ex", title: "Exercise", order: 1, minutes: minutes, body: "Write one step.\n\n" + block)
    }
}
