import Foundation

/// PyTorch's float32 recurrent layers on one thread — what a PyTorch user gets by default — as
/// milliseconds per training step and per forward call, keyed `"<config>/<model>"` (`"tiny/lstm"`)
/// with the configurations and models of ``RecurrentBench``.
///
/// Measured now, on this machine and at this load, by running `shared/bench/torch_bench.py
/// --threads 1 --dtypes float32 --json <file>` with the PyTorch venv that
/// `shared/bench/setup_venv.sh` makes (`../shared/bench/.venv` beside the repository, or the
/// interpreter named by `RNNLAB_TORCH_PYTHON`); its JSON is read back here. Without that venv, or
/// when the run fails or is skipped (`--quoted`), the figures are quoted from BASELINE.md §2, which
/// were measured on an idle machine of this kind. Every figure says which it is.
struct TorchFloat32Reference {
    struct Figure {
        let trainMs: Double
        let forwardMs: Double
        /// Other processes used more than 0.2 of a core while PyTorch was timed (torch_bench.py
        /// flags such results with † too): the figure is probably inflated.
        let disturbed: Bool
    }

    /// Where the figures come from, as the tables say it.
    enum Source {
        case measuredNow
        case quoted

        var label: String { self == .measuredNow ? "measured now" : "quoted" }
    }

    let source: Source
    let figures: [String: Figure]
    /// One line on how the figures were obtained (interpreter, load, or why they are quoted).
    let note: String

    /// BASELINE.md §2, torch 2.13.0+cpu float32 on 1 thread, (train step, forward) ms, measured on
    /// 2026-11-25 with other processes using at most 0.07 of a core.
    static let baseline: [String: (train: Double, forward: Double)] = [
        "tiny/rnn_tanh": (1.57, 0.230), "tiny/lstm": (0.517, 0.109), "tiny/gru": (4.25, 0.560), "tiny/bilstm": (0.838, 0.185),
        "small/rnn_tanh": (7.15, 1.89), "small/lstm": (11.0, 3.12), "small/gru": (21.1, 4.81), "small/bilstm": (21.6, 6.62),
        "large/rnn_tanh": (84.2, 29.3), "large/lstm": (262, 71.6), "large/gru": (240, 77.7), "large/bilstm": (559, 153),
        "long1d/rnn_tanh": (6.24, 0.956), "long1d/lstm": (1.14, 0.331), "long1d/gru": (18.9, 2.40), "long1d/bilstm": (2.13, 0.610),
    ]

    static var quoted: TorchFloat32Reference { quoted(because: "quoted from shared/bench/BASELINE.md §2 (--quoted)") }

    /// The BASELINE.md figures, with `note` saying why they are quoted rather than measured now.
    static func quoted(because note: String) -> TorchFloat32Reference {
        TorchFloat32Reference(
            source: .quoted,
            figures: baseline.mapValues { Figure(trainMs: $0.train, forwardMs: $0.forward, disturbed: false) },
            note: note + "; they were measured on an idle AVX-512 machine of this kind on 2026-11-25, "
                + "so they may not compare with figures measured here and now")
    }

    /// The training-step cell of a table: `0.517`, `1.03 †` when disturbed, empty when unknown.
    func trainCell(_ key: String) -> String { figures[key].map { Format.sig($0.trainMs) + ($0.disturbed ? " †" : "") } ?? "" }
    /// The forward cell of a table, likewise.
    func forwardCell(_ key: String) -> String { figures[key].map { Format.sig($0.forwardMs) + ($0.disturbed ? " †" : "") } ?? "" }

    // MARK: Measuring now

    /// The bench folder beside the repository: `../shared/bench` from the working directory (where
    /// `make bench` runs) or from this source file's repository.
    static func benchDirectory() -> URL? {
        let candidates = [
            URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent(),
        ].map { $0.appendingPathComponent("../shared/bench", isDirectory: true).standardizedFileURL }
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("torch_bench.py").path) }
    }

    /// The Python to run torch_bench.py with: `RNNLAB_TORCH_PYTHON` when set, else the bench
    /// folder's `.venv/bin/python`; nil when it does not exist.
    static func python(in bench: URL) -> URL? {
        let chosen = ProcessInfo.processInfo.environment["RNNLAB_TORCH_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
            .map { URL(fileURLWithPath: $0) } ?? bench.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: chosen.path) ? chosen : nil
    }

    /// Runs torch_bench.py (float32, one thread, every configuration and model) and reads its JSON;
    /// falls back to ``quoted`` saying why when the venv is missing or the run fails. `quick`
    /// passes `--quick` (fewer repeats). Takes about 40 s, plus up to 60 s that torch_bench.py may
    /// spend waiting for other processes to go quiet.
    static func obtain(quick: Bool) -> TorchFloat32Reference {
        guard let bench = benchDirectory() else {
            return quoted(because: "quoted from BASELINE.md §2: no ../shared/bench/torch_bench.py beside the repository")
        }
        guard let python = python(in: bench) else {
            return quoted(because: "quoted from BASELINE.md §2: no PyTorch venv (run \(bench.path)/setup_venv.sh, "
                          + "or set RNNLAB_TORCH_PYTHON to a Python with torch)")
        }
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("rnnlab-bench-torch-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        do {
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let json = scratch.appendingPathComponent("torch_bench.json"), log = scratch.appendingPathComponent("torch_bench.txt")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let output = try FileHandle(forWritingTo: log)
            defer { try? output.close() }
            let process = Process()
            process.executableURL = python
            process.arguments = [bench.appendingPathComponent("torch_bench.py").path, "--threads", "1", "--dtypes", "float32",
                                 "--json", json.path] + (quick ? ["--quick"] : [])
            process.currentDirectoryURL = bench
            process.standardOutput = output
            process.standardError = output
            Swift.print("(PyTorch float32: running \(python.path) torch_bench.py --threads 1 --dtypes float32\(quick ? " --quick" : "") …)\n")
            try process.run()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else {
                let tail = (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: " / ") ?? ""
                return quoted(because: "quoted from BASELINE.md §2: torch_bench.py exited with status \(process.terminationStatus): \(tail)")
            }
            let run = try parse(Data(contentsOf: json))
            let measured = run.figures
            // Anything the run did not report (it should report all) is quoted, and said to be.
            let missing = baseline.keys.filter { measured[$0] == nil }.sorted()
            guard missing.isEmpty else {
                return quoted(because: "quoted from BASELINE.md §2: torch_bench.py reported no float32 figures for \(missing.joined(separator: ", "))")
            }
            return TorchFloat32Reference(
                source: .measuredNow, figures: measured,
                note: "measured now: torch \(run.torch) float32, 1 thread, with \(python.path); other processes used "
                    + String(format: "%.2f", run.foreignCores) + " cores on average during it"
                    + (run.foreignCores > 0.1 ? " (disturbed: compare with care)" : ""))
        } catch {
            return quoted(because: "quoted from BASELINE.md §2: running torch_bench.py failed (\(error))")
        }
    }

    /// What torch_bench.py's `--json` file holds that is read here.
    private struct Run: Decodable {
        struct Result: Decodable {
            let model: String, dtype: String, threads: Int, config: String
            let train_s: Double, fwd_s: Double, train_foreign: Double, fwd_foreign: Double
        }
        let torch: String
        let foreign_cores_during: Double
        let results: [Result]
    }

    /// The float32, one-thread figures of a torch_bench.py JSON file, keyed `"<config>/<model>"`,
    /// with the torch version and the average load of other processes during the run.
    static func parse(_ json: Data) throws -> (figures: [String: Figure], torch: String, foreignCores: Double) {
        let run = try JSONDecoder().decode(Run.self, from: json)
        var figures: [String: Figure] = [:]
        for r in run.results where r.dtype == "float32" && r.threads == 1 {
            figures["\(r.config)/\(r.model)"] = Figure(
                trainMs: r.train_s * 1e3, forwardMs: r.fwd_s * 1e3,
                disturbed: Swift.max(r.train_foreign, r.fwd_foreign) > 0.2)
        }
        return (figures, run.torch, run.foreign_cores_during)
    }
}
