import Foundation

/// A record of every error message a run produced, and the test those messages must pass: no
/// name of the Swift API in words meant for a learner.
///
/// A learner typed `lstm(…)`, not `LSTMLayer.init(inputSize:)`; a message that says "inputSize",
/// "NPY.read" or "Optional(3)" speaks the implementation's language instead of theirs. Such words
/// slip in wherever a message interpolates an engine name, so they are hunted where they occur:
/// with `RNNLAB_ERROR_AUDIT=DIR` set, every ``ScriptError`` (and every message the REPL writes by
/// itself, see ``record(_:)``) is appended once to `DIR/messages-PID.txt`. `make test` sets it for
/// the test suite, `rnnlab check` and the fuzz run — including the `rnnlab` processes they start —
/// and then `Fuzz messages DIR` fails the build on any message ``swiftNames(in:)`` objects to.
///
/// Off (the default) it costs one check of a flag read once.
public enum MessageAudit {
    private static let sink: Sink? = {
        guard let directory = ProcessInfo.processInfo.environment["RNNLAB_ERROR_AUDIT"], !directory.isEmpty else { return nil }
        return Sink(directory: directory)
    }()

    /// Notes `message` when auditing is on (each distinct message once per process).
    public static func record(_ message: String) {
        sink?.write(message)
    }

    /// Words of `message` that look like the Swift API's rather than the learner's language:
    /// lowerCamelCase (`inputSize`), UpperCamelCase type names (`TensorError`, `NPYError`),
    /// qualified Swift names (`NPY.read`), Swift's own spellings (`nil`, `Optional(…)`, `Int`,
    /// `Double`). Text the learner wrote is not theirs to judge: anything in quotes ('…', "…",
    /// `…`) is skipped, and so are a few proper names of the field (NumPy, PyTorch, …). So are
    /// absolute paths (`/tmp/tmp.UBDheycwDz/p/Datasets`): a folder's name is the machine's, and a
    /// random one (mktemp's) would otherwise fail the audit by chance.
    public static func swiftNames(in message: String) -> [String] {
        let unquoted = message.replacingOccurrences(of: #"'[^'\n]*'|"[^"\n]*"|`[^`\n]*`|(?<![\w./])/[^\s,;'"`]+"#, with: " ",
                                                    options: .regularExpression)
        let patterns = [
            #"\b[a-z][a-z0-9]*[A-Z][A-Za-z0-9]*\b"#,            // inputSize, requiresGrad
            #"\b[A-Z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*\b"#,    // TensorError, SequenceGenerator
            #"\b[A-Z]{2,}[A-Z][a-z]{2,}[A-Za-z0-9]*\b"#,         // NPYError, LSTMCell (not GRUs)
            #"\b[A-Z][A-Za-z0-9]*\.[a-z][A-Za-z0-9]*\b"#,       // NPY.read, Tensor.zeros
            #"\b(nil|Optional|Int|Int32|Int64|UInt64|Double|Float|Bool|Character|Substring|Swift|Foundation|fatalError)\b"#,
        ]
        var found: [String] = []
        for pattern in patterns {
            guard let regex = try? NSRegularExpression(pattern: pattern) else { continue }
            let range = NSRange(unquoted.startIndex..., in: unquoted)
            for match in regex.matches(in: unquoted, range: range) {
                guard let r = Range(match.range, in: unquoted) else { continue }
                let word = String(unquoted[r])
                if !allowed.contains(word) && !found.contains(word) { found.append(word) }
            }
        }
        return found
    }

    /// Proper names of the field and units that look like Swift identifiers but are the learner's words.
    static let allowed: Set<String> = [
        "NumPy", "PyTorch", "AdamW", "NaN", "NaNs", "JupyterLab", "TensorFlow", "GitHub", "JavaScript", "LaTeX", "IPython", "macOS",
        "OpenBLAS", "MiB", "GiB", "KiB", "TiB", "GeLU", "ReLU", "LeCun", "McCulloch", "DeepMind", "OpenAI",
        "BiLSTM", "BiGRU", "BiRNN", "WikiText", "ImageNet", "YouTube", "iPhone", "eBay", "PhD",
    ]

    /// Appends each new message as one line (newlines written as `\n`) to this process's file.
    private final class Sink: @unchecked Sendable {
        private let lock = NSLock()
        private var seen = Set<String>()
        private let handle: FileHandle?

        init(directory: String) {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let path = directory + "/messages-\(ProcessInfo.processInfo.processIdentifier).txt"
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            handle = FileHandle(forWritingAtPath: path)
            handle?.seekToEndOfFile()
        }

        func write(_ message: String) {
            lock.withLock {
                guard seen.insert(message).inserted, let handle else { return }
                let line = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n") + "\n"
                handle.write(Data(line.utf8))
            }
        }
    }
}
