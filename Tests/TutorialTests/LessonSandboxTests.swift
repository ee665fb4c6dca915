import Foundation
import Script
import Testing
@testable import Tutorial
import TestSupport

/// A lesson from a stranger: `rnnlab check` runs it confined (`LessonSandbox`) and fails each
/// attempt to touch a file outside its folders, with the message a lesson author needs — and
/// nothing is written outside its scratch folder.
@Suite struct LessonSandboxTests {
    let root: URL
    let lessons: URL
    let data: URL

    init() throws {
        root = try temporaryDirectory("sandbox")
        lessons = root.appendingPathComponent("lessons")
        data = root.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: lessons, withIntermediateDirectories: true)
    }

    static func lesson(_ body: String) -> String {
        lessonText(id: "hostile", title: "Hostile", order: 5, body: body)
    }

    func write(_ body: String) throws -> URL {
        let file = lessons.appendingPathComponent("05-hostile.md")
        try LessonSandboxTests.lesson(body).write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func check(_ body: String) throws -> CheckReport {
        let lesson = try LessonLibrary.load(try write(body))
        return LessonChecker.check(lesson, sandbox: LessonSandbox(lesson: lesson, dataDirectory: data))
    }

    var scratch: URL { data.appendingPathComponent("scratch/05-hostile") }

    /// Every file under the temporary root, but the lesson itself and its scratch folder.
    func strayFiles() -> [String] {
        let all = FileManager.default.enumerator(atPath: root.path)?.compactMap { $0 as? String } ?? []
        return all.filter { !$0.hasPrefix("lessons") && !$0.hasPrefix("data/scratch/05-hostile") && $0 != "data" && $0 != "data/scratch" }
    }

    @Test func aHiddenSetupCellCannotWriteOutsideItsScratchFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let outside = root.appendingPathComponent("abs.npy").path
        let report = try check("```rnn setup\nsave_npy([1, 2], \"../outside.npy\")\n```\n\n```rnn setup\nsave_npy([1, 2], \"\(outside)\")\n```\n")
        #expect(!report.passed)
        let messages = report.mismatches.map(\.message)
        #expect(messages.count == 2)
        #expect(messages[0].hasPrefix("the setup cell fails: save_npy: a lesson may only write inside its scratch folder ("))
        #expect(messages[0].contains("scratch/05-hostile); \"../outside.npy\" is outside it"))
        #expect(messages[1].contains("\"\(outside)\" is outside it"))
        #expect(!FileManager.default.fileExists(atPath: data.appendingPathComponent("scratch/outside.npy").path))
        #expect(!FileManager.default.fileExists(atPath: outside))
        #expect(strayFiles().isEmpty)
    }

    @Test func aSetupCellCannotReadTheLearnersFiles() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try check("```rnn setup\nh = read_text(\"/etc/hostname\")\n```\n\n```rnn setup\nw = load_npz(\"~/secret.npz\")\n```\n")
        let messages = report.mismatches.map(\.message)
        #expect(messages.count == 2)
        #expect(messages.first?.contains("read_text: a lesson may only read files in ") == true)
        #expect(messages.first?.contains("\"/etc/hostname\" is outside them") == true)
        #expect(messages.last?.contains("load_npz: a lesson may only read files in ") == true)
    }

    @Test func anAnswerKeyThatWritesAFileFailsCheck() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try check("```quiz\nkind: expression\nprompt: What?\nanswer: len([save_npy([1], \"key.npy\")])\nwrong: [\"2\"]\n```\n")
        #expect(report.mismatches.map(\.message) == ["the answer key `len([save_npy([1], \"key.npy\")])` fails: save_npy: an answer key may not write files; \"key.npy\" was not written"])
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("key.npy").path))
        #expect(strayFiles().isEmpty)
    }

    @Test func aNumericCheckExpressionCannotWriteEither() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try check("```quiz\nkind: numeric\nprompt: How many?\nanswer: 1\ncheck: 'len([save_npy([1], \"c.npy\")])'\nwrong: [2]\n```\n")
        #expect(report.mismatches.count == 1)
        #expect(report.mismatches.first?.message.contains("an answer key may not write files") == true)
    }

    @Test func aLessonReadsItsOwnFolderAndDatasetsAndWritesItsScratchFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try "a,b\n1,2\n".write(to: lessons.appendingPathComponent("own.csv"), atomically: true, encoding: .utf8)
        let report = try check("""
            ```rnn
            read_csv("own.csv", column: "b")
            len(read_text("Datasets/shakespeare.txt")) > 1000
            save_npy([3, 4], "mine.npy")
            load_npy("mine.npy")
            ```

            ```output
            tensor([2])
            true
            tensor([3, 4])
            ```

            ```quiz
            kind: expression
            prompt: Read it back.
            answer: load_npy("mine.npy")
            wrong: ["[4, 3]"]
            ```

            """)
        #expect(report.passed, "\(report.mismatches.map(\.message))")
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("mine.npy").path))
    }

    @Test func linksOutOfTheScratchFolderAreNotFollowed() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let away = root.appendingPathComponent("away")
        try FileManager.default.createDirectory(at: away, withIntermediateDirectories: true)
        // A link to a file that does not exist yet (a write would create it), and a linked folder.
        try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("out.npy").path, withDestinationPath: away.appendingPathComponent("x.npy").path)
        try FileManager.default.createSymbolicLink(atPath: scratch.appendingPathComponent("dir").path, withDestinationPath: away.path)
        try FileManager.default.createSymbolicLink(atPath: lessons.appendingPathComponent("passwd").path, withDestinationPath: "/etc/passwd")
        let report = try check("""
            ```rnn setup
            save_npy([1], "out.npy")
            ```

            ```rnn setup
            save_npy([1], "dir/y.npy")
            ```

            ```rnn setup
            save_npy([1], "dir/../../05-hostile/ok.npy")
            ```

            ```rnn setup
            t = read_text("passwd")
            ```

            """)
        let messages = report.mismatches.map(\.message)
        #expect(messages.count == 4, "\(messages)")
        #expect(messages.allSatisfy { $0.contains("is outside") })
        #expect(try FileManager.default.contentsOfDirectory(atPath: away.path).isEmpty)
    }

    @Test func aReplCommandInACellOrAKeyIsAFormatErrorNamingItsLine() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let cell = try write("Some prose.\n\n```rnn setup\nx = 1\n:export /tmp/rnnlab-stolen.md\n```\n")
        #expect(throws: LessonFormatError(file: cell.path, line: 14, LessonCodeRules.replCommandMessage(":export", in: "a cell (the cell at line 12)"))) {
            try LessonLibrary.load(cell)
        }
        let key = try write("```quiz\nkind: expression\nprompt: What?\nanswer: \"1\"\nassign: y\n```\n")
        #expect((try? LessonLibrary.load(key)) != nil)
        let sneaky = try write("```quiz\nkind: expression\nprompt: What?\nanswer: |\n  1)\n  :load /etc/hostname\n  (1\n```\n")
        #expect { try LessonLibrary.load(sneaky) } throws: { error in
            "\(error)".contains(":load is a REPL command, which is not allowed in an answer key of a lesson")
        }
    }

    @Test func theRuleFindsCommandsAsThePromptWouldAndNothingElse() {
        #expect(LessonCodeRules.replCommand(in: "x = 1\n  :load a.rnn\n")?.line == 2)
        #expect(LessonCodeRules.replCommand(in: "x = [1,\n:2]\ny = \":no\"")?.line == nil)
        #expect(LessonCodeRules.replCommand(in: "# :export in a comment\nx[:, 0]") == nil)
    }
}
