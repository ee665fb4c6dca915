import Foundation
import FigureSVG

/// A transcript as a Jupyter notebook (nbformat 4.5): markdown cells for prose, code cells with
/// their outputs — printed text as `stream` outputs (stdout, or stderr for errors), values as
/// `execute_result` with `text/plain`, and pictures with both `text/plain` (the text drawing) and
/// `image/svg+xml` (the same figure as SVG, and as an HTML `<img>` of it for Jupyter, see
/// ``image(_:label:)``): Jupyter shows the richest it can, and a reader
/// without SVG (a terminal viewer, a diff) still has the text. A printed picture is a
/// `display_data` output, a picture that was the result an `execute_result`. No kernel is needed to open it: the metadata only names
/// the language (`language_info.name` "rnnlab"), so Jupyter shows the cells and outputs as saved.
///
/// Cell ids are `cell-1`, `cell-2`, … and keys are sorted, so the same session always gives the
/// same bytes.
public enum NotebookExport {
    /// The notebook as a JSON object (dictionaries, arrays, strings and numbers).
    public static func notebook(_ transcript: Transcript) -> [String: Any] {
        var cells: [[String: Any]] = []
        var executionCount = 0
        for (k, cell) in transcript.cells.enumerated() {
            let id = "cell-\(k + 1)"
            switch cell {
            case let .markdown(text):
                cells.append(["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": lines(text)])
            case let .code(source, outputs):
                executionCount += 1
                cells.append([
                    "cell_type": "code", "id": id, "metadata": [String: Any](), "source": lines(source),
                    "execution_count": executionCount,
                    "outputs": outputs.map { output(for: $0, executionCount: executionCount) },
                ])
            }
        }
        return [
            "cells": cells,
            "metadata": [
                "language_info": ["name": "rnnlab", "file_extension": ".rnn", "mimetype": "text/plain"],
            ],
            "nbformat": 4,
            "nbformat_minor": 5,
        ]
    }

    /// The notebook as JSON laid out as Jupyter saves it (`json.dumps(indent=1, sort_keys=True,
    /// ensure_ascii=False)`), so opening and saving it in Jupyter changes nothing; ends in a newline.
    public static func render(_ transcript: Transcript) throws -> String {
        try layout(notebook(transcript), indent: "") + "\n"
    }

    /// Objects and arrays one member a line, indented by one space a level, keys sorted; empty
    /// ones as `{}` and `[]`. Strings and numbers are escaped by `JSONSerialization`.
    static func layout(_ value: Any, indent: String) throws -> String {
        let inner = indent + " "
        switch value {
        case let object as [String: Any]:
            if object.isEmpty { return "{}" }
            let members = try object.keys.sorted().map { key in
                try inner + scalar(key) + ": " + layout(object[key] as Any, indent: inner)
            }
            return "{\n" + members.joined(separator: ",\n") + "\n" + indent + "}"
        case let array as [Any]:
            if array.isEmpty { return "[]" }
            let items = try array.map { try inner + layout($0, indent: inner) }
            return "[\n" + items.joined(separator: ",\n") + "\n" + indent + "]"
        default:
            return try scalar(value)
        }
    }

    static func scalar(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    static func output(for output: Transcript.Output, executionCount: Int) -> [String: Any] {
        switch output {
        case let .stdout(text): return ["output_type": "stream", "name": "stdout", "text": lines(text)]
        case let .stderr(text): return ["output_type": "stream", "name": "stderr", "text": lines(text)]
        case let .result(text):
            return ["output_type": "execute_result", "execution_count": executionCount,
                    "data": ["text/plain": lines(text)], "metadata": [String: Any]()]
        case let .figure(text, figure, isResult):
            var data: [String: Any] = ["text/plain": lines(text)]
            if let svg = SVGFigure.document(figure) {
                data["image/svg+xml"] = lines(svg)
                data["text/html"] = [image(svg, label: figure.title ?? "figure")]
            }
            if isResult {
                return ["output_type": "execute_result", "execution_count": executionCount, "data": data, "metadata": [String: Any]()]
            }
            return ["output_type": "display_data", "data": data, "metadata": [String: Any]()]
        }
    }

    /// The SVG as an HTML image, `<img src="data:image/svg+xml;base64,…">`. Jupyter draws an
    /// `image/svg+xml` output only in a notebook it trusts (inline SVG can carry script), and a
    /// notebook written by rnnlab is trusted by no one's Jupyter yet, so JupyterLab would show the
    /// text drawing. HTML it shows in any notebook, after sanitising — and its sanitiser keeps an
    /// `img` with a `data:` source, inside which an SVG's script never runs. So the picture shows
    /// when the notebook is opened, trusted or not, with the SVG itself kept for other readers.
    static func image(_ svg: String, label: String) -> String {
        let alt = label.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
        return "<img alt=\"\(alt)\" src=\"data:image/svg+xml;base64,\(Data(svg.utf8).base64EncodedString())\"/>"
    }

    /// Jupyter's multiline string: a list of lines, each but the last keeping its `\n`.
    static func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for c in text {
            current.append(c)
            if c == "\n" || c == "\r\n" {
                out.append(current)
                current = ""
            }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }
}
