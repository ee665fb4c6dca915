import Foundation
import Engine
import Figures
import FigureSVG

/// `save_figure(fig, "f.svg")`: a picture written as a standalone SVG file, to put in a report or
/// open in a browser — the terminal's drawing is text and stays on the screen.
///
/// The language may draw SVG because SVG is a file format, not the terminal: the bytes come from
/// `FigureSVG` (which knows only `Figures`), and the path goes through the interpreter's
/// file-access policy like every other write (a lesson writes only in its scratch folder). The file
/// is replaced in one step (`SafeFile`), so an interrupted save never leaves half a picture.
extension Interpreter {
    static func figureFileBuiltins() -> [Builtin] {
        [
            Builtin("save_figure", "save_figure(fig, path)", family: "figures",
                    doc: "Writes a figure (spark, heatmap, plot, bars, unroll, the diagram of a cell or a model) to an .svg file: real axes, ticks, a colour scale and a legend, sized to scale in a browser or notebook.",
                    example: "save_figure(plot([1, 4, 9], title: \"squares\"), \"/tmp/rnnlab_squares.svg\")") { args, interp in
                let value = try args.required(0, "fig")
                guard case let .figure(figure) = value else {
                    throw args.error("'fig' must be a figure — the value of spark(…), heatmap(…), plot(…) or bars(…) — got \(value.kindName)")
                }
                let path = try args.string(1, "path")
                let shown = FileAccessPolicy.shown(path)
                guard !path.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw args.error("the path is empty; give a file name ending in .svg, e.g. \"loss.svg\"")
                }
                guard path.lowercased().hasSuffix(".svg"), !path.hasSuffix("/") else {
                    throw args.error("the path must end in .svg — the file is an SVG picture; \"\(shown)\" does not")
                }
                guard let document = SVGFigure.document(figure) else {
                    // Only a figure that lost its contents (no cell in a diagram) has no drawing.
                    throw args.error("\(describe(figure)) has nothing to draw")
                }
                let url = try interp.fileAccess.writeURL(path, builtin: "save_figure")
                do throws(FileAccessError) { try SafeFile.write(Data(document.utf8), to: url.path) } catch {
                    throw ScriptError(.runtime, "save_figure: \"\(shown)\" \(error.reason)")
                }
                return .none
            },
        ]
    }

    /// A figure in words, for messages.
    private static func describe(_ figure: Figure) -> String {
        switch figure.kind {
        case .sparkline: "a sparkline"
        case .heatmap: "a heatmap"
        case .linePlot: "a line plot"
        case .bars: "a bar chart"
        case .diagram: "a cell diagram"
        case .unroll: "an unrolled graph"
        case .architecture: "an architecture sketch"
        }
    }
}
