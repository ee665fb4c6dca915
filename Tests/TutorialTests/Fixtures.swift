/// Small lessons written in the tests, in the lesson format (docs/lesson-format.md).
enum Fixtures {
    static let frontMatter = """
        ---
        id: tiny
        title: A tiny lesson
        order: 1
        minutes: 8
        objectives:
          - run a cell
          - answer a question
        prerequisites: []
        ---
        """

    /// A lesson that passes `check` with the plain renderer.
    static let passing = frontMatter + """

        # Tiny

        Some *prose* with `code`.

        ```rnn setup
        W = [[0.5, 0], [0, 2]]
        ```

        ```rnn
        x = [1, 2]
        h = tanh(W @ x)
        h
        print("two steps")
        3 + 4
        ```

        ```output
        tensor([0.4621171572600098, 0.9993292997390673])
        two steps
        7
        ```

        ```python
        # not a cell: part of the prose
        ```

        ```rnn error
        zeros(2) @ zeros(3)
        ```

        ```output
        matmul: shapes (2,) and (3,) do not match
        ```

        ```quiz
        kind: choice
        prompt: Which are recurrent?
        choices:
          - LSTM
          - a linear layer
          - GRU
        answer: [a, c]
        wrong: [a, "a, b, c"]
        hints:
          - Which ones carry a state?
        explanation: LSTM and GRU carry a hidden state.
        ```

        ```quiz
        kind: numeric
        prompt: What is h[0], to 3 decimals?
        answer: 0.462
        tolerance: 0.001
        check: h[0]
        wrong: [0.5, -0.462]
        ```

        ```quiz
        kind: expression
        prompt: Compute the step with W doubled.
        answer: tanh(2 * W @ x)
        assign: h2
        wrong: [tanh(W @ x), 2 * tanh(W @ x)]
        hints: [Multiply W by 2 first.]
        explanation: The same step, with a larger weight.
        ```

        ```rnn
        h2.shape
        ```

        ```output
        [2]
        ```

        ```quiz
        kind: reflection
        prompt: Why squash the pre-activation at all?
        answer: So the state stays bounded however long the sequence.
        ```

        That's all.
        """
}
