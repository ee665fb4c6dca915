/// A transcript as a markdown document: prose as it is, each input in an ```` ```rnn ```` fence
/// and what it printed — text, values, pictures, errors, in order — in an ```` ```output ````
/// fence under it (the same pair a lesson file uses, so an exported run reads like a lesson).
public enum MarkdownExport {
    public static func render(_ transcript: Transcript) -> String {
        var blocks: [String] = []
        for cell in transcript.cells {
            switch cell {
            case let .markdown(text): blocks.append(text)
            case let .code(source, outputs):
                blocks.append(fenced(source, info: "rnn"))
                let printed = outputs.map { terminated($0.text) }.joined()
                if !printed.isEmpty { blocks.append(fenced(printed, info: "output")) }
            }
        }
        return blocks.isEmpty ? "" : blocks.joined(separator: "\n\n") + "\n"
    }

    /// `text` between fences longer than any run of backticks inside it, so output that itself
    /// contains ```` ``` ```` cannot close the block early.
    static func fenced(_ text: String, info: String) -> String {
        var longest = 0, run = 0
        for c in text {
            run = c == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        return fence + info + "\n" + terminated(text) + fence
    }

    static func terminated(_ text: String) -> String {
        text.isEmpty || text.hasSuffix("\n") ? text : text + "\n"
    }
}
