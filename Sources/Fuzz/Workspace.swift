import Foundation

/// A fresh folder per case, laid out like a learner's machine in miniature:
///
///     root/cwd    the working directory (the only place a fuzzed program names files in)
///     root/home   HOME
///     root/data   XDG_DATA_HOME (progress, history, a lesson's scratch folder)
///     root/tmp    TMPDIR
///
/// After the run every file under `root` must be in a place the case allows: anything else was
/// written outside the folders the program or lesson may touch — a finding.
struct Workspace {
    let root: URL
    var cwd: URL { root.appendingPathComponent("cwd") }
    var home: URL { root.appendingPathComponent("home") }
    var data: URL { root.appendingPathComponent("data") }
    var tmp: URL { root.appendingPathComponent("tmp") }

    init(base: URL, name: String) throws {
        root = base.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: root)
        for dir in [cwd, home, data, tmp] {
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
    }

    /// The whole environment of the child: nothing leaks in from the fuzzer's own.
    func environment(memoryBudget: String) -> [String: String] {
        var environment = ["HOME": home.path, "XDG_DATA_HOME": data.path, "TMPDIR": tmp.path, "NO_COLOR": "1",
         "PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "C.UTF-8", "TERM": "dumb",
         "RNNLAB_MEMORY": memoryBudget, "OPENBLAS_NUM_THREADS": "1"]
        // The error messages the cases provoke join the test suite's for the Swift-name scan.
        if let audit = ProcessInfo.processInfo.environment["RNNLAB_ERROR_AUDIT"] { environment["RNNLAB_ERROR_AUDIT"] = audit }
        return environment
    }

    /// Every regular file, link and other non-directory under `root`, as paths relative to it.
    func files() -> [String] {
        var out: [String] = []
        guard let walker = FileManager.default.enumerator(atPath: root.path) else { return out }
        while let rel = walker.nextObject() as? String {
            var isDir: ObjCBool = false
            let full = root.appendingPathComponent(rel).path
            // A link is reported as itself, never followed (it may point anywhere).
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: full)) != nil { out.append(rel); continue }
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDir), !isDir.boolValue { out.append(rel) }
        }
        return out.sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
