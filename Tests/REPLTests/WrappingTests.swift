import Foundation
@testable import REPL
import Script
import Terminal
import Testing

/// Text the prompt lays out itself breaks at spaces at the screen's width (60 and 100 columns),
/// and messages suggest only likely names.
@Suite struct WrappingTests {
    func run(_ lines: [String], width: Int, terminal: Bool = true) -> (out: String, err: String) {
        var out = "", err = ""
        let session = Session(options: RenderOptions(width: width, color: false, terminal: terminal), numbered: true,
                              write: { out += $0 }, writeError: { err += $0 })
        for line in lines { session.submit(line) }
        return (out, err)
    }

    static func fits(_ text: String, _ width: Int) -> Bool {
        text.split(separator: "\n").allSatisfy { $0.count <= width }
    }

    @Test(arguments: [60, 100]) func helpSignaturesBreakAfterACommaUnderTheFirstArgument(width: Int) {
        let (out, _) = run(["help(lstm)", "lstm?", "help(train)"], width: width)
        #expect(WrappingTests.fits(out.components(separatedBy: "Example:").first!, width), "\(out)")
        let lines = out.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if width == 60 {
            #expect(lines.contains("lstm(input:, hidden:, layers: 1, bidirectional: false,"))
            #expect(lines.contains("     batch_first: false, dropout: 0, bias: true, seed: 0,"))
            #expect(lines.contains("     dtype: \"float64\")"))
        } else {
            #expect(lines.contains("lstm(input:, hidden:, layers: 1, bidirectional: false, batch_first: false, dropout: 0, bias: true,"))
            #expect(lines.contains("     seed: 0, dtype: \"float64\")"))
        }
        // Every line of a signature but the last ends with a comma: broken between arguments.
        let train = lines.drop { !$0.hasPrefix("train(model, x, y,") }.prefix { !$0.isEmpty }
        #expect(train.count >= 2)
        #expect(train.dropLast().allSatisfy { $0.hasSuffix(",") }, "\(train)")
        #expect(train.last?.hasSuffix("— or train(m): training mode") == true, "\(train)")
        #expect(train.dropFirst().allSatisfy { $0.hasPrefix("      ") }, "\(train)")
    }

    @Test func varsWrapsASummaryUnderItsColumn() {
        let (out, _) = run(["m = lstm(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true, dropout: 0.5)",
                            "n = 1", ":vars"], width: 60)
        #expect(out == """
            m  model   lstm(input: 3, hidden: 4, layers: 2,
                       bidirectional: true, batch_first: true, dropout:
                       0.5) with 736 parameters
            n  number  1

            """)
        let (wide, _) = run(["m = lstm(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true, dropout: 0.5)", ":vars"], width: 100)
        #expect(wide == "m  model  lstm(input: 3, hidden: 4, layers: 2, bidirectional: true, batch_first: true, dropout: 0.5) with 736 parameters\n"
                || WrappingTests.fits(wide, 100))
    }

    /// On a terminal the first line of an error breaks at a space; the caret view is unchanged.
    /// A model's constructor line breaks after a comma, under its first argument, never inside a name.
    @Test func aModelsSummaryBreaksAfterACommaUnderItsFirstArgument() {
        let (out, _) = run(["seq2seq(source_vocab: 13, target_vocab: 14, embed: 16, hidden: 64, bidirectional: true, attention: \"dot\")"], width: 60)
        let lines = out.split(separator: "\n").map(String.init)
        #expect(WrappingTests.fits(out, 60), "\(out)")
        #expect(lines.contains("seq2seq(kind: \"gru\", source_vocab: 13, target_vocab: 14,"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("        embed: 16,") }, "\(lines)")
    }

    /// The line that closes a training run breaks at spaces too (a number cut in two misreads).
    @Test func theTrainingSummaryBreaksAtSpaces() {
        let (out, _) = run(["x = randn(5, 16, 2, seed: 1)", "y = where(x[-1, :, 0] > 0, 1, 0)",
                            "m = classifier(input: 2, hidden: 3, out: 2, seed: 0)",
                            "h = train(m, x, y, epochs: 2, batch_size: 8, val: record(x: x, y: y))"], width: 44, terminal: false)
        let summary = out.split(separator: "\n").map(String.init).drop { !$0.hasPrefix("trained 4 steps in") }
        #expect(summary.count >= 2 && summary.prefix(2).allSatisfy { $0.count <= 44 }, "\(out)")
        #expect(summary.dropFirst().first?.hasPrefix("  val_loss ") == true, "\(out)")
    }

    @Test func longErrorsWrapAndKeepTheCaret() {
        let source = "lstm(input: 3, hidden: 4)(randn(5, 1, 2))"
        let (_, err) = run([source], width: 60)
        let lines = err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 5, "\(lines)")
        #expect(lines[0].hasPrefix("<input>:1:1: ") && lines[0].count <= 60)
        #expect(lines[1].hasPrefix("  ") && lines[1].count <= 60)
        #expect(lines[2] == source && lines[3] == "^")
        // Not on a pipe: a script's errors stay one line, for tools that read them.
        let (_, piped) = run([source], width: 60, terminal: false)
        #expect(piped.split(separator: "\n").count == 3)
    }

    @Test(arguments: [60, 100]) func theMenuFooterBreaksBetweenItems(width: Int) {
        let footer = GuidedREPL.joinWrapped(["Enter: continue lesson 2"] + GuidedREPL.menuKeys, width: width)
        #expect(WrappingTests.fits(footer, width))
        if width == 60 {
            #expect(footer == "Enter: continue lesson 2 · a number opens a lesson\np: the free prompt · progress · q: quit")
        } else {
            #expect(footer == "Enter: continue lesson 2 · a number opens a lesson · p: the free prompt · progress · q: quit")
        }
    }

    /// "did you mean" for :commands follows the rule for names: a likely typo, never a guess.
    @Test func commandSuggestionsAreOnlyLikelyTypos() {
        #expect(run([":qiut"], width: 80).err.contains("did you mean :quit?"))
        #expect(run([":lod"], width: 80).err.contains("did you mean :load?"))
        for far in [":z", ":tm", ":hl", ":xyzzy"] {
            #expect(!run([far], width: 80).err.contains("did you mean"), "\(far)")
        }
    }

    /// Only an LSTM has a cell state: the generator's help offers c0 for kind "lstm" only.
    @Test func generatorHelpOffersC0OnlyForAnLSTM() {
        let (out, _) = run(["help(generator)"], width: 100)
        #expect(out.contains("m(x, h0:) (and c0: for kind \"lstm\")"))
        #expect(!out.contains("h0:, c0:"))
    }
}

/// The lesson menu at 60 and 100 columns: every row fits, the title column gives way first.
@Suite struct MenuWidthTests {
    @Test(arguments: [60, 100]) func menuRowsFitTheScreen(width: Int) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rnnlab-menu-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let long = GuidedREPLTests.lesson.replacingOccurrences(of: "title: A tiny lesson",
                                                               with: "title: Training an LSTM with the forget bias at one and fifty steps")
        try long.write(to: dir.appendingPathComponent("01-tiny.md"), atomically: true, encoding: .utf8)
        let repl = GuidedREPL(lessonsDirectory: dir, store: nil, source: PlainLineSource(lines: [], echo: { _ in }),
                              options: RenderOptions(width: width, color: false), width: { width },
                              write: { _ in }, writeError: { _ in })
        let text = repl.menuText(repl.loadLessons().lessons, problems: [])
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= width }, "\(text)")
        #expect(text.contains("← Enter"))
        #expect(text.contains("   1  Training an LSTM"))
    }
}
