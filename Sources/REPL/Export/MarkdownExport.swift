import Foundation
import FigureSVG

/// A transcript as a markdown document: prose as it is, each input in an ```` ```rnn ```` fence
/// and what it printed — text, values, pictures, errors, in order — in an ```` ```output ````
/// fence under it (the same pair a lesson file uses, so an exported run reads like a lesson).
///
/// Markdown cannot hold a picture inline, so each figure that has an SVG drawing is also returned
/// as a file (`fig1.svg`, `fig2.svg`, … in order) and linked under its cell's output as
/// `![title](FOLDER/figN.svg)`: a markdown viewer shows the picture, and the text drawing in the
/// fence still reads where images do not.
public enum MarkdownExport {
    /// The markdown text and the SVG files it links, as names inside `folder` with their contents.
    public struct Document: Equatable, Sendable {
        public var text: String
        public var figures: [(name: String, svg: String)]

        public static func == (a: Document, b: Document) -> Bool {
            a.text == b.text && a.figures.map(\.name) == b.figures.map(\.name) && a.figures.map(\.svg) == b.figures.map(\.svg)
        }
    }

    /// The document, with figures linked as `folder/figN.svg` (`folder` relative to the markdown
    /// file); with `folder` nil, text only (no links, no files).
    public static func document(_ transcript: Transcript, folder: String?) -> Document {
        var blocks: [String] = []
        var figures: [(name: String, svg: String)] = []
        for cell in transcript.cells {
            switch cell {
            case let .markdown(text): blocks.append(text)
            case let .code(source, outputs):
                blocks.append(fenced(source, info: "rnn"))
                let printed = outputs.map { terminated($0.text) }.joined()
                if !printed.isEmpty { blocks.append(fenced(printed, info: "output")) }
                guard let folder else { continue }
                var links: [String] = []
                for case let .figure(_, figure, _) in outputs {
                    guard let svg = SVGFigure.document(figure) else { continue }
                    let name = "fig\(figures.count + 1).svg"
                    figures.append((name, svg))
                    let alt = (figure.title ?? "figure \(figures.count)").replacingOccurrences(of: "]", with: "\\]")
                        .replacingOccurrences(of: "[", with: "\\[").replacingOccurrences(of: "\n", with: " ")
                    links.append("![\(alt)](\(linkTarget(folder + "/" + name)))")
                }
                if !links.isEmpty { blocks.append(links.joined(separator: "\n")) }
            }
        }
        return Document(text: blocks.isEmpty ? "" : blocks.joined(separator: "\n\n") + "\n", figures: figures)
    }

    /// The text alone, figures only as their text drawing.
    public static func render(_ transcript: Transcript) -> String {
        document(transcript, folder: nil).text
    }

    /// A relative path as a link destination: characters that would end or break the link
    /// (spaces, parentheses, angle brackets, `%` itself) percent-encoded, as a URL path has them.
    static func linkTarget(_ path: String) -> String {
        var out = ""
        for scalar in path.unicodeScalars {
            switch scalar {
            case " ", "(", ")", "<", ">", "%", "\\", "[", "]":
                out += "%" + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
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
