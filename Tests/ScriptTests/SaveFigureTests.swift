import Foundation
import Testing
import TestSupport
@testable import Script

/// `save_figure(fig, path)`: the SVG file it writes, and its refusals in the learner's words.
@Suite struct SaveFigureTests {
    let dir: URL

    init() throws { dir = try temporaryDirectory("save-figure") }

    @Test func writesAStandaloneSVGFile() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("loss.svg").path
        let result = value("save_figure(plot([3, 2, 1.5], title: \"loss\"), \"\(path)\")")
        #expect(result.description == Value.none.description)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(text.contains(">loss</text>") && text.hasSuffix("</svg>\n"))
        // Saving again replaces the file with the same bytes; the other kinds save too.
        run("save_figure(plot([3, 2, 1.5], title: \"loss\"), \"\(path)\")")
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
        for (k, fig) in ["spark([1, 3, 2])", "heatmap(randn(3, 4, seed: 0))", "bars([1, -2], labels: [\"a\", \"b\"])", "plot([1, 2], log: true)",
                                    "diagram(gru(input: 2, hidden: 3))", "unroll(rnn(input: 1, hidden: 2, seed: 0), randn(4, 1, seed: 1))",
                                    "diagram(classifier(kind: \"rnn\", input: 3, hidden: 4, out: 2, seed: 0))"].enumerated() {
            let p = dir.appendingPathComponent("f\(k).SVG").path
            run("save_figure(\(fig), \"\(p)\")")
            #expect((try? String(contentsOfFile: p, encoding: .utf8))?.hasSuffix("</svg>\n") == true, "\(fig)")
        }
    }

    @Test func refusesOtherExtensionsAndValues() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let png = dir.appendingPathComponent("loss.png").path
        let e = failure("save_figure(plot([1, 2]), \"\(png)\")")
        #expect(e.message.hasPrefix("save_figure: the path must end in .svg — the file is an SVG picture; \"\(png)\" does not"))
        #expect(!FileManager.default.fileExists(atPath: png))
        #expect(failure("save_figure(plot([1, 2]), \"\")").message.hasPrefix("save_figure: the path is empty; give a file name ending in .svg"))
        #expect(failure("save_figure(zeros(2), \"\(dir.path)/x.svg\")").message.hasPrefix(
            "save_figure: 'fig' must be a figure — the value of spark(…), heatmap(…), plot(…) or bars(…) — got tensor"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
    }

    @Test func badPathsSayWhatIsWrong() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no/such/folder/f.svg").path
        let e = failure("save_figure(bars([1]), \"\(missing)\")")
        #expect(e.message == "save_figure: \"\(missing)\" cannot be written: the folder \(dir.path)/no/such/folder does not exist")
        let folder = dir.appendingPathComponent("pics.svg")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(failure("save_figure(bars([1]), \"\(folder.path)\")").message.hasPrefix("save_figure: \"\(folder.path)\" is a directory"))
        #expect(MessageAudit.swiftNames(in: e.message).isEmpty)
    }

    @Test func aLessonSavesOnlyInItsScratchFolder() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let scratch = dir.appendingPathComponent("scratch")
        let policy = FileAccessPolicy.lesson(LessonFileAccess(readRoots: [scratch], writeRoot: scratch, relativeBases: [scratch]))
        let interpreter = Interpreter()
        let ok = interpreter.withFileAccess(policy) { interpreter.run("save_figure(spark([1, 2]), \"s.svg\")").error }
        #expect(ok == nil)
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("s.svg").path))
        let e = interpreter.withFileAccess(policy) { interpreter.run("save_figure(spark([1, 2]), \"../away.svg\")").error }
        #expect(e?.kind == .access)
        #expect(e?.message.hasPrefix("save_figure: a lesson may only write inside its scratch folder") == true)
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("away.svg").path))
    }
}
