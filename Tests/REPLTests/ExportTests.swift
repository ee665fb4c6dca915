import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FigureSVG
import Script
import Terminal
import Testing
import Tutorial
@testable import REPL
import TestSupport

/// `:export FILE.md` and `:export FILE.ipynb`: what a session and a guided lesson run record, the
/// two writers, and the errors. The notebook is checked by parsing it back, cell by cell; the
/// layout is checked against the exact text Jupyter's `nbformat.writes` produces.
@Suite struct ExportTests {
    let dir: URL

    init() throws {
        dir = try temporaryDirectory("export")
    }

    final class Harness {
        var out = "", err = ""
        /// Colour on and a narrow terminal: export must draw without either.
        lazy var session = Session(options: RenderOptions(width: 40, color: true), numbered: true,
                                   write: { [unowned self] in self.out += $0 },
                                   writeError: { [unowned self] in self.err += $0 })
        func take() -> (out: String, err: String) { defer { out = ""; err = "" }; return (out, err) }
    }

    /// Code, a print, a result, an error and a figure.
    static let inputs = ["x = [1, 2]", "print(\"hi\", 3)", "x * 2", "y = zzqq + 1", "plot([1, 4, 9], title: \"sq\")"]

    func run(_ h: Harness) -> String {
        for input in ExportTests.inputs { h.session.submit(input) }
        _ = h.take()
        // The figure as the printer draws it for export, independently of the transcript.
        guard case .figure? = h.session.results.last, let figure = h.session.results.last else { return "" }
        return ValuePrinter(options: RenderOptions(width: 80, color: false)).render(figure) ?? ""
    }

    static let errorText = """
        <input>:1:5: unknown name 'zzqq'
        y = zzqq + 1
            ^

        """

    @Test func aSessionExportsToMarkdown() throws {
        let h = Harness()
        let figure = run(h)
        #expect(figure.hasPrefix("sq\n"))
        let path = dir.appendingPathComponent("s.md").path
        #expect(h.session.submit(":export \(path)") == .success)
        let pictures = dir.appendingPathComponent("s_files")
        #expect(h.take().out == "exported 5 cells to \(path) and 1 picture to \(pictures.path)\n")
        let expected = """
            ```rnn
            x = [1, 2]
            ```

            ```rnn
            print("hi", 3)
            ```

            ```output
            hi 3
            ```

            ```rnn
            x * 2
            ```

            ```output
            tensor (2,)
            [2. 4.]
            ```

            ```rnn
            y = zzqq + 1
            ```

            ```output
            \(ExportTests.errorText)```

            ```rnn
            plot([1, 4, 9], title: "sq")
            ```

            ```output
            \(figure)
            ```

            ![sq](s_files/fig1.svg)

            """
        #expect(try String(contentsOfFile: path, encoding: .utf8) == expected)
        // The link resolves to the figure drawn as SVG.
        guard case let .figure(plotted)? = h.session.results.last else { Issue.record("no figure"); return }
        let svg = try String(contentsOf: pictures.appendingPathComponent("fig1.svg"), encoding: .utf8)
        #expect(svg == SVGFigure.document(plotted))
        #expect(try FileManager.default.contentsOfDirectory(atPath: pictures.path) == ["fig1.svg"])
    }

    @Test func aSessionExportsToANotebook() throws {
        let h = Harness()
        let figure = run(h)
        let path = dir.appendingPathComponent("s.ipynb").path
        #expect(h.session.submit(":export \(path)") == .success)
        #expect(h.take().out == "exported 5 cells to \(path)\n")
        let data = try #require(FileManager.default.contents(atPath: path))
        let notebook = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(notebook["nbformat"] as? Int == 4)
        #expect(notebook["nbformat_minor"] as? Int == 5)
        let metadata = notebook["metadata"] as? [String: Any]
        #expect((metadata?["language_info"] as? [String: Any])?["name"] as? String == "rnnlab")
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        #expect(cells.count == 5)
        for (k, cell) in cells.enumerated() {
            #expect(cell["cell_type"] as? String == "code")
            #expect(cell["id"] as? String == "cell-\(k + 1)")
            #expect(cell["execution_count"] as? Int == k + 1)
            #expect((cell["source"] as? [String])?.joined() == ExportTests.inputs[k])
        }
        func outputs(_ k: Int) -> [[String: Any]] { cells[k]["outputs"] as? [[String: Any]] ?? [] }
        #expect(outputs(0).isEmpty)
        #expect(outputs(1).count == 1)
        #expect(outputs(1).first?["output_type"] as? String == "stream")
        #expect(outputs(1).first?["name"] as? String == "stdout")
        #expect(outputs(1).first?["text"] as? [String] == ["hi 3\n"])
        func result(_ k: Int) -> [String]? { (outputs(k).first?["data"] as? [String: Any])?["text/plain"] as? [String] }
        #expect(outputs(2).first?["output_type"] as? String == "execute_result")
        #expect(outputs(2).first?["execution_count"] as? Int == 3)
        #expect(result(2) == ["tensor (2,)\n", "[2. 4.]\n"])
        #expect(outputs(3).first?["name"] as? String == "stderr")
        #expect((outputs(3).first?["text"] as? [String])?.joined() == ExportTests.errorText)
        let drawing = try #require(result(4)).joined()
        #expect(drawing == figure + "\n")
        // The picture also as SVG, beside the text: Jupyter shows the richer one.
        #expect(outputs(4).count == 1)
        #expect(outputs(4).first?["output_type"] as? String == "execute_result")
        let svg = try #require(((outputs(4).first?["data"] as? [String: Any])?["image/svg+xml"] as? [String])?.joined())
        guard case let .figure(plotted)? = h.session.results.last else { Issue.record("no figure"); return }
        #expect(svg == SVGFigure.document(plotted))
        #expect(!drawing.contains("\u{1B}"))
        #expect(drawing.split(separator: "\n").map(\.count).max() == 80)
    }

    /// Jupyter's own layout (`json.dumps(indent=1, sort_keys=True, ensure_ascii=False)`, what
    /// `nbformat.writes` gives for this notebook), with quotes, backslashes, tabs and non-ASCII.
    @Test func theNotebookIsLaidOutAsJupyterSavesIt() throws {
        var t = Transcript(title: "A \"quoted\" title")
        t.markdown("Some $h_t$ prose — with a dash.")
        let opened = t.beginCode("print(\"a\\tb\")\nx")
        #expect(opened)
        t.record(.stdout("a\tb\n"))
        t.record(.stdout("more\n"))
        t.record(.result("tensor (1,)\n[1.]\n"))
        t.endCode()
        let text = try NotebookExport.render(t)
        #expect(text == """
            {
             "cells": [
              {
               "cell_type": "markdown",
               "id": "cell-1",
               "metadata": {},
               "source": [
                "# A \\"quoted\\" title\\n",
                "\\n",
                "Some $h_t$ prose — with a dash."
               ]
              },
              {
               "cell_type": "code",
               "execution_count": 1,
               "id": "cell-2",
               "metadata": {},
               "outputs": [
                {
                 "name": "stdout",
                 "output_type": "stream",
                 "text": [
                  "a\\tb\\n",
                  "more\\n"
                 ]
                },
                {
                 "data": {
                  "text/plain": [
                   "tensor (1,)\\n",
                   "[1.]\\n"
                  ]
                 },
                 "execution_count": 1,
                 "metadata": {},
                 "output_type": "execute_result"
                }
               ],
               "source": [
                "print(\\"a\\\\tb\\")\\n",
                "x"
               ]
              }
             ],
             "metadata": {
              "language_info": {
               "file_extension": ".rnn",
               "mimetype": "text/plain",
               "name": "rnnlab"
              }
             },
             "nbformat": 4,
             "nbformat_minor": 5
            }

            """)
        #expect(try NotebookExport.render(t) == text)
    }

    @Test func markdownFencesOutgrowBackticksInTheOutput() {
        var t = Transcript()
        let opened = t.beginCode("s"), nested = t.beginCode("nested")
        #expect(opened)
        #expect(!nested, "a cell is open: a :load'ed script belongs to it")
        t.record(.result("\"```\"\n"))
        t.endCode()
        #expect(MarkdownExport.render(t) == "```rnn\ns\n```\n\n````output\n\"```\"\n````\n")
    }

    @Test func exportIsNotItselfACellAndLoadedScriptsBelongToTheLoad() throws {
        let script = dir.appendingPathComponent("two.rnn")
        try "a = 2\nprint(a * 3)\n".write(to: script, atomically: true, encoding: .utf8)
        let h = Harness()
        h.session.submit(":load \(script.path)")
        h.session.submit(":export \(dir.appendingPathComponent("first.md").path)")
        h.session.submit("a")
        #expect(h.session.transcript.cells == [
            .code(source: ":load \(script.path)", outputs: [.stdout("6\n")]),
            .code(source: "a", outputs: [.result("2\n")]),
        ])
    }

    /// An export through a link replaces the file the link names; a FIFO is refused, not replaced.
    @Test func exportFollowsLinksAndRefusesFIFOs() throws {
        let h = Harness()
        h.session.submit("1 + 1")
        _ = h.take()
        let link = dir.appendingPathComponent("link.md")
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.md")
        #expect(h.session.submit(":export \(link.path)") == .success)
        _ = h.take()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real.md")
        #expect(try String(contentsOfFile: dir.appendingPathComponent("real.md").path, encoding: .utf8).hasPrefix("```rnn\n1 + 1"))
        let pipe = dir.appendingPathComponent("pipe.md")
        #expect(mkfifo(pipe.path, 0o600) == 0)
        #expect(h.session.submit(":export \(pipe.path)") == .failure)
        #expect(ANSI.strip(h.take().err) == ":export: cannot write \(pipe.path): is a FIFO (named pipe), not a file; nothing was written\n")
        var info = stat()
        #expect(lstat(pipe.path, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
    }

    @Test func badExportsSayWhatWasWrongAndWriteNothing() throws {
        let h = Harness()
        h.session.submit("1 + 1")
        _ = h.take()
        #expect(h.session.submit(":export") == .failure)
        #expect(ANSI.strip(h.take().err) == ":export needs a file name ending in .md or .ipynb, e.g. :export session.ipynb\n")
        let text = dir.appendingPathComponent("notes.txt").path
        #expect(h.session.submit(":export \(text)") == .failure)
        #expect(ANSI.strip(h.take().err) == ":export: \(text) should end in .md (markdown) or .ipynb (Jupyter notebook)\n")
        let missing = dir.appendingPathComponent("no/such/dir/s.md").path
        #expect(h.session.submit(":export \(missing)") == .failure)
        #expect(ANSI.strip(h.take().err) == ":export: cannot write \(missing): no directory \(dir.appendingPathComponent("no/such/dir").path)\n")
        let folder = dir.appendingPathComponent("folder.ipynb")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        #expect(h.session.submit(":export \(folder.path)") == .failure)
        #expect(ANSI.strip(h.take().err) == ":export: cannot write \(folder.path): it is a directory\n")
        #expect(!FileManager.default.fileExists(atPath: text))
        #expect(!FileManager.default.fileExists(atPath: missing))
        // The session goes on, and the failed exports are not cells.
        let quoted = dir.appendingPathComponent("with space.md").path
        #expect(h.session.submit(":export \"\(quoted)\"") == .success)
        #expect(try String(contentsOfFile: quoted, encoding: .utf8) == "```rnn\n1 + 1\n```\n\n```output\n2\n```\n")
    }

    @Test func helpListsExport() {
        let h = Harness()
        h.session.submit(":help")
        #expect(h.take().out.contains(":export FILE"))
        #expect(Session.isRecorded(":vars") && !Session.isRecorded(":export a.md") && !Session.isRecorded(":q"))
    }

    // MARK: - Guided

    /// A lesson run as a learner drives it: two Enters, a wrong answer (which brings a hint), a right one, a
    /// cell, code of their own, the last step; then both exports.
    @Test func aGuidedRunExportsLikeANotebookOfTheLesson() throws {
        let lessons = dir.appendingPathComponent("Lessons")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
        try GuidedREPLTests.lesson.write(to: lessons.appendingPathComponent("01-tiny.md"), atomically: true, encoding: .utf8)
        let md = dir.appendingPathComponent("lesson.md").path, nb = dir.appendingPathComponent("lesson.ipynb").path
        var out = ""
        let lines = ["", "", "tanh(W @ x)", "tanh((W + W) @ x)", "", "h2 + 1", "", ":export \(md)", ":export \(nb)", ":quit"]
        let repl = GuidedREPL(lessonsDirectory: lessons, store: nil,
                              source: PlainLineSource(lines: lines, echo: { out += $0 }),
                              options: RenderOptions(width: 80, color: false), width: { 80 },
                              write: { out += $0 }, writeError: { out += $0 })
        _ = repl.runMenu(opening: "1")
        #expect(out.contains("exported 6 cells to \(md)\n"))
        // The grader's reason, as the screen showed it (its wording is the grader's business).
        let reason = try #require(out.split(separator: "\n").first { $0.hasPrefix("✗ Not quite: ") }?.dropFirst("✗ Not quite: ".count))
        #expect(try String(contentsOfFile: md, encoding: .utf8) == """
            # Tiny

            A first paragraph about $h_t$.

            ```rnn
            W = [[0.5, 0], [0, 2]]
            x = [1, 2]
            h = tanh(W @ x)
            h
            ```

            ```output
            tensor (2,)
            [0.4621 0.9993]
            ```

            **Question 1 of 1.** Compute the step with W doubled.

            **Your answer:** `tanh(W @ x)` — ✗ Not quite: \(reason)

            *Hint 1 of 1:* Multiply W by 2 first.

            **Your answer:** `tanh((W + W) @ x)` — ✓ Right. Not the expression the lesson had in mind (tanh(2 * W @ x)), but the same value.

            The same step, with a larger weight.

            ```rnn
            round(h2, 2)
            ```

            ```output
            tensor (2,)
            [0.76 1.  ]
            ```

            ```rnn
            h2 + 1
            ```

            ```output
            tensor (2,)
            [1.7616 2.    ]
            ```

            The end.

            """)
        let data = try #require(FileManager.default.contents(atPath: nb))
        let notebook = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cells = try #require(notebook["cells"] as? [[String: Any]])
        #expect(cells.map { $0["cell_type"] as? String } == ["markdown", "code", "markdown", "code", "code", "markdown"].map(Optional.some))
        #expect(cells.compactMap { $0["execution_count"] as? Int } == [1, 2, 3])
        let question = (cells[2]["source"] as? [String])?.joined() ?? ""
        #expect(question.hasPrefix("**Question 1 of 1.** Compute the step with W doubled.\n\n**Your answer:** `tanh(W @ x)` — ✗"))
        // The lesson cell's result is a value shown bare, as in a lesson file's output block.
        let first = (cells[1]["outputs"] as? [[String: Any]])?.first
        #expect(first?["output_type"] as? String == "execute_result")
    }

    @Test func aLessonTitleBecomesTheFirstHeadingUnlessTheProseHasOne() {
        var t = Transcript(title: "Sequences")
        #expect(t.cells == [.markdown("# Sequences")])
        t.markdown("Some prose.")
        #expect(t.cells == [.markdown("# Sequences\n\nSome prose.")])
        var u = Transcript(title: "Sequences")
        u.markdown("# Sequences and memory\n\nProse.")
        #expect(u.cells == [.markdown("# Sequences and memory\n\nProse.")])
    }

    @Test func choicesAndAnswersInCodeSpans() {
        let q = Question(prompt: "Which?", kind: .choice(choices: ["one", "two"], correct: [1]))
        #expect(LessonHost.markdown(q, index: 0, of: 3) == "**Question 1 of 3.** Which?\n\n- a) one\n- b) two")
        #expect(LessonHost.codeSpan("a`b") == "`` a`b ``")
        #expect(LessonHost.codeSpan("b") == "`b`")
    }
}

extension ExportTests {
    /// A progress bar redrawn in place with `\r` is exported as its last drawing.
    @Test func redrawnLinesKeepTheirLastDrawing() {
        var t = Transcript()
        _ = t.beginCode("train(m)")
        t.record(.stdout("step 1/3 loss 0.9\r"))
        t.record(.stdout("step 2/3 loss 0.5\r"))
        t.record(.stdout("step 3/3 loss 0.2\r\n"))
        t.record(.stdout("done\n"))
        t.endCode()
        #expect(t.cells == [.code(source: "train(m)", outputs: [.stdout("step 3/3 loss 0.2\ndone\n")])])
        #expect(Transcript.overprinted("a\rbc\n") == "bc\n")
        _ = t.beginCode("again")
        t.record(.stdout("1/2\r"))
        t.record(.stdout("2/2\r"))
        t.endCode()
        #expect(t.cells.last == .code(source: "again", outputs: [.stdout("2/2\n")]))
        #expect(Transcript.overprinted("plain\n") == "plain\n")
    }
}

extension ExportTests {
    /// `~/` is the home directory, as for `:load`.
    @Test func aTildeIsTheHomeDirectory() throws {
        let name = "rnnlab-export-\(UUID()).md"
        let home = NSHomeDirectory()
        guard FileManager.default.isWritableFile(atPath: home) else { return }
        let h = Harness()
        h.session.submit("1")
        _ = h.take()
        defer { try? FileManager.default.removeItem(atPath: home + "/" + name) }
        #expect(h.session.submit(":export ~/\(name)") == .success)
        #expect(h.take().out == "exported 1 cell to \(home)/\(name)\n")
        #expect(FileManager.default.fileExists(atPath: home + "/" + name))
    }
}
