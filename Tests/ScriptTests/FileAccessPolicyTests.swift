import Foundation
import Testing
@testable import Script

/// The one gate every file-touching builtin passes: paths are resolved as the kernel would
/// (links, `..`, files not made yet) before they are compared with a lesson's folders.
@Suite struct FileAccessPolicyTests {
    let root: URL

    init() throws {
        root = URL(fileURLWithPath: FileAccessPolicy.canonical(FileManager.default.temporaryDirectory.path))
            .appendingPathComponent("rnnlab-policy-\(UUID())")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("scratch"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("away"), withIntermediateDirectories: true)
    }

    var policy: FileAccessPolicy {
        .lesson(LessonFileAccess(readRoots: [root.appendingPathComponent("scratch")], writeRoot: root.appendingPathComponent("scratch"),
                                 relativeBases: [root.appendingPathComponent("scratch")]))
    }

    func run(_ source: String, _ policy: FileAccessPolicy) -> ScriptError? {
        let interpreter = Interpreter()
        return interpreter.withFileAccess(policy) { interpreter.run(source).error }
    }

    @Test func canonicalResolvesLinksAndDotDotAlsoForFilesNotMadeYet() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let link = root.appendingPathComponent("scratch/link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: root.appendingPathComponent("away").path)
        #expect(FileAccessPolicy.canonical(link + "/new/x.npy") == root.path + "/away/new/x.npy")
        #expect(FileAccessPolicy.canonical(link + "/../y") == root.path + "/y")   // the link's parent, not scratch
        let dangling = root.appendingPathComponent("scratch/dangling").path
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "../away/later.npy")
        #expect(FileAccessPolicy.canonical(dangling) == root.path + "/away/later.npy")
        #expect(FileAccessPolicy.canonical("/a/./b/../c") == "/a/c")
    }

    @Test func aLessonWritesOnlyInsideItsScratchFolder() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(run("save_npy([1], \"a.npy\")", policy) == nil)
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("scratch/a.npy").path))
        let e = run("save_npy([1], \"../away/b.npy\")", policy)
        #expect(e?.message.hasPrefix("save_npy: a lesson may only write inside its scratch folder (") == true)
        #expect(e?.kind == .access)
        #expect(e?.message.hasSuffix("); \"../away/b.npy\" is outside it") == true)
        #expect(run("save_npy([1], \"\(root.path)/away/c.npy\")", policy) != nil)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("away").path).isEmpty)
    }

    @Test func noFilesRefusesEveryRead() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        #expect(run("save_npy([1], \"\(root.path)/away/d.npy\")", .unrestricted) == nil)
        #expect(run("load_npy(\"\(root.path)/away/d.npy\")", .unrestricted) == nil)
        let e = run("load_npy(\"\(root.path)/away/d.npy\")", .noFiles)
        #expect(e?.message == "load_npy: a lesson may not read files; \"\(root.path)/away/d.npy\" was not read")
    }

    @Test func aFunctionALessonDefinedStaysConfinedWhenTheLearnerCallsIt() throws {
        defer { try? FileManager.default.removeItem(at: root) }
        let interpreter = Interpreter()
        let away = root.appendingPathComponent("away").path
        let defined = interpreter.withFileAccess(policy) {
            interpreter.run("fn steal() { save_npy([1], \"\(away)/e.npy\") }\nsteal2 = fn() { return load_npy(\"\(away)/e.npy\") }").error
        }
        #expect(defined == nil)
        #expect(interpreter.run("steal()").error?.message.contains("a lesson may only write inside its scratch folder") == true)
        #expect(interpreter.run("steal2()").error?.message.contains("a lesson may only read files in") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: away).isEmpty)
        // The learner's own function is theirs at the prompt, and confined when lesson code calls it.
        #expect(interpreter.run("fn mine(p) { save_npy([2], p) }\nmine(\"\(away)/f.npy\")").error == nil)
        let fromLesson = interpreter.withFileAccess(policy) { interpreter.run("mine(\"\(away)/g.npy\")").error }
        #expect(fromLesson?.message.contains("is outside it") == true)
        #expect(try FileManager.default.contentsOfDirectory(atPath: away) == ["f.npy"])
    }

    @Test func thePolicyIsPutBackAfterwards() {
        let interpreter = Interpreter()
        interpreter.withFileAccess(.noFiles) {}
        if case .unrestricted = interpreter.fileAccess {} else { Issue.record("the lesson policy outlived its code") }
    }
}
