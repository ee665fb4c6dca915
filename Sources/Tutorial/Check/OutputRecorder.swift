/// `check --update`: writes the outputs a check recorded back into the lesson's text, rewriting
/// only the ```` ```output ```` fences (and adding one after a cell that prints but has none).
public enum OutputRecorder {
    public static func update(_ text: String, with recorded: [(cell: Cell, output: String)]) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // From the bottom up, so earlier line numbers stay valid.
        for (cell, output) in recorded.sorted(by: { $0.cell.line > $1.cell.line }) {
            let body = OutputComparison.normalisedLines(output)
            if let fence = cell.outputFence {
                // fence.lowerBound is the ```output line, fence.upperBound the closing ``` (1-based).
                lines.replaceSubrange(fence.lowerBound..<(fence.upperBound - 1), with: body)
            } else if !body.isEmpty {
                lines.insert(contentsOf: ["", "```output"] + body + ["```"], at: cell.endLine)
            }
        }
        return lines.joined(separator: "\n")
    }
}
