import CEditLine
import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the completer proposes for the word before the cursor.
public struct Completion: Equatable, Sendable {
    /// The partial word before the cursor that the candidates complete (`we` in `m.we`).
    public var stem: String
    /// Full words, each starting with `stem`.
    public var candidates: [String]

    public init(stem: String, candidates: [String]) {
        self.stem = stem
        self.candidates = candidates
    }

    /// The longest common prefix of the candidates (at least the stem when there are any).
    public var commonPrefix: String {
        guard var prefix = candidates.first else { return stem }
        for candidate in candidates.dropFirst() {
            while !candidate.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix.count >= stem.count ? prefix : stem
    }
}

/// An interactive line editor on libedit's native `el_*` API: a prompt, emacs key bindings,
/// persistent history, Tab completion and UTF-8 input. Only for a terminal: when stdin is not a
/// terminal, read with `Swift.readLine()` instead (no prompt, no history).
public final class LineEditor {
    public enum Read: Equatable {
        case line(String)
        /// Ctrl-C while typing: the line is discarded.
        case interrupted
        /// Ctrl-D on an empty line, or the input closed.
        case endOfInput
    }

    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private let historyFile: URL?
    /// False when the history path cannot hold a history (a FIFO, a device, a foreign file that
    /// could not be moved aside): history then lives for the session only.
    private var historySaving: Bool
    /// Set once the learner has been told a save failed, so it is said once, not after every line.
    private var toldSaveFailure = false
    /// Where one-time messages about the history file go (standard error unless a test says otherwise).
    private let notify: (String) -> Void
    private var promptBuffer: UnsafeMutablePointer<CChar>
    /// Asked on Tab with the text before the cursor.
    public var completer: (String) -> Completion
    /// Up/Down: prefix search through whole entries (libedit's own walks line by line, ignoring
    /// what is typed).
    private var recall = HistoryRecall()

    /// Marks invisible stretches (colour codes) in a prompt for libedit's width computation.
    public static let promptEscape: Character = "\u{1}"

    /// - Parameters:
    ///   - historyFile: loaded now if it is libedit's history, saved (atomically) after every entry
    ///     and at the end; its directory is created. See ``HistoryFile`` for what happens to any
    ///     other file there. `nil` keeps history in memory only.
    ///   - historySize: entries kept.
    public init(program: String = "rnnlab", historyFile: URL?, historySize: Int32 = 1000,
                completer: @escaping (String) -> Completion = { _ in Completion(stem: "", candidates: []) },
                notify: @escaping (String) -> Void = { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }) {
        LineEditor.configureLocale()
        Interrupt.install()
        self.historyFile = historyFile
        self.notify = notify
        self.historySaving = true
        self.completer = completer
        self.promptBuffer = strdup("> ")!
        history = history_init()
        _ = rl_shim_history_set_size(history, historySize)
        _ = rl_shim_history_set_unique(history, 1)
        if let historyFile {
            let plan = HistoryFile.prepare(historyFile)
            if plan.load { _ = rl_shim_history_load(history, historyFile.path) }
            historySaving = plan.save
            // Notices name the history path, which comes from the environment: escaped.
            if let notice = plan.notice { notify(ControlCharacters.escaped(notice)) }
        }
        recall = HistoryRecall(entries: LineEditor.entries(of: history))
        editLine = rl_shim_init(program)
        _ = rl_shim_set_editor(editLine, "emacs")
        _ = rl_shim_set_signal(editLine, 1)
        _ = rl_shim_set_history(editLine, history)
        _ = rl_shim_set_prompt(editLine, { el in
            guard let el, let data = rl_shim_get_client_data(el) else { return nil }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }, CChar(1))
        _ = rl_shim_add_function(editLine, "rnnlab-complete", "Complete the word before the cursor", { el, _ in
            guard let el, let data = rl_shim_get_client_data(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().complete()
        })
        _ = rl_shim_bind(editLine, "^I", "rnnlab-complete")
        _ = rl_shim_add_function(editLine, "rnnlab-history-up", "The previous entry starting with what is typed", { el, _ in
            guard let el, let data = rl_shim_get_client_data(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().walkHistory(up: true)
        })
        _ = rl_shim_add_function(editLine, "rnnlab-history-down", "The next entry starting with what is typed", { el, _ in
            guard let el, let data = rl_shim_get_client_data(el) else { return UInt8(CC_ERROR) }
            return Unmanaged<LineEditor>.fromOpaque(data).takeUnretainedValue().walkHistory(up: false)
        })
        for (arrow, function) in [("up", "rnnlab-history-up"), ("down", "rnnlab-history-down")] {
            _ = rl_shim_bind_arrow(editLine, arrow, function)
        }
        for (key, function) in [("^P", "rnnlab-history-up"), ("^N", "rnnlab-history-down"),
                                ("\\e[A", "rnnlab-history-up"), ("\\e[B", "rnnlab-history-down"),
                                ("\\eOA", "rnnlab-history-up"), ("\\eOB", "rnnlab-history-down")] {
            _ = rl_shim_bind(editLine, key, function)
        }
        _ = rl_shim_source_editrc(editLine)
        _ = rl_shim_set_client_data(editLine, Unmanaged.passUnretained(self).toOpaque())
    }

    deinit {
        save()
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    /// UTF-8 input is dropped unless LC_CTYPE names a UTF-8 locale before libedit starts; with no
    /// LANG (tmux, CI) the environment yields "C", so fall back to C.UTF-8.
    static func configureLocale() {
        let chosen = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? "C"
        if chosen == "C" || chosen == "POSIX" || !chosen.uppercased().contains("UTF") {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
        }
    }

    /// Shows `prompt` and reads one line (without its newline).
    public func readLine(prompt: String) -> Read {
        free(promptBuffer)
        promptBuffer = strdup(prompt)!
        recall.reset()
        Interrupt.clear()
        var count: Int32 = 0
        rl_shim_clear_errno()
        let pointer = el_gets(editLine, &count)
        let error = rl_shim_errno()
        if Interrupt.isRequested {
            Interrupt.clear()
            return .interrupted
        }
        guard let pointer, count > 0 else {
            return count < 0 && error == EINTR ? .interrupted : .endOfInput
        }
        // el_gets owns the buffer and keeps the newline: copy, then strip.
        var line = String(cString: pointer)
        while line.hasSuffix("\n") || line.hasSuffix("\r") { line.removeLast() }
        return .line(line)
    }

    /// Adds an entry to the history (blank ones are skipped, repeats collapsed) and saves it.
    /// An entry is a whole input: the lines of a block, joined by newlines, are one entry, and
    /// Up brings the block back whole.
    public func addHistory(_ line: String) {
        guard !line.allSatisfy(\.isWhitespace) else { return }
        _ = rl_shim_history_enter(history, line)
        recall.add(line)
        save()
    }

    /// The history's entries, oldest first.
    static func entries(of history: OpaquePointer) -> [String] {
        var newestFirst: [String] = []
        var entry = rl_shim_history_first(history)
        while let pointer = entry {
            newestFirst.append(String(cString: pointer))
            entry = rl_shim_history_next(history)
        }
        return newestFirst.reversed()
    }

    /// Up (or Down): the line becomes the previous (next) entry that starts with what was typed.
    private func walkHistory(up: Bool) -> UInt8 {
        let buffer = rl_shim_line_buffer(editLine)!
        let length = rl_shim_line_length(editLine), offset = rl_shim_cursor_offset(editLine)
        let line = String(decoding: UnsafeRawBufferPointer(start: buffer, count: length), as: UTF8.self)
        let after = String(decoding: UnsafeRawBufferPointer(start: buffer + offset, count: length - offset), as: UTF8.self)
        guard let replacement = up ? recall.up(line: line) : recall.down(line: line) else { return UInt8(CC_REFRESH_BEEP) }
        // libedit counts characters (wide), not bytes.
        rl_shim_replace_line(editLine, Int32(after.unicodeScalars.count), Int32(line.unicodeScalars.count), replacement)
        return UInt8(CC_REFRESH)
    }

    /// The history file, when history is saved there.
    public var historyPath: String? { historySaving ? historyFile?.path : nil }

    public var historyCount: Int { Int(rl_shim_history_count(history)) }

    /// Writes the history file (libedit's own `_HiStOrY_V2_` format) atomically: libedit encodes
    /// it in memory, ``HistoryFile/save(_:to:)`` writes it beside the file and renames it over.
    public func save() {
        guard let historyFile, historySaving else { return }
        var bytes: UnsafeMutablePointer<CChar>?
        let count = rl_shim_history_bytes(history, &bytes)
        defer { free(bytes) }
        let problem: String?
        if count >= 0, let bytes {
            problem = HistoryFile.save(Data(bytes: bytes, count: count), to: historyFile)
        } else {
            problem = "History cannot be saved: it could not be encoded. It is kept for this session only."
        }
        if let problem, !toldSaveFailure {
            toldSaveFailure = true
            notify(ControlCharacters.escaped(problem))
        }
    }

    /// Tab: one candidate is inserted; several extend the line to their common prefix and are
    /// listed below the line in columns.
    private func complete() -> UInt8 {
        let buffer = rl_shim_line_buffer(editLine)!
        let offset = rl_shim_cursor_offset(editLine)
        let before = String(decoding: UnsafeRawBufferPointer(start: buffer, count: offset), as: UTF8.self)
        let completion = completer(before)
        guard !completion.candidates.isEmpty else { return UInt8(CC_REFRESH_BEEP) }
        if completion.candidates.count == 1 {
            let insertion = String(completion.candidates[0].dropFirst(completion.stem.count))
            if !insertion.isEmpty { _ = el_insertstr(editLine, insertion) }
            return UInt8(CC_REFRESH)
        }
        let prefix = completion.commonPrefix
        if prefix.count > completion.stem.count {
            _ = el_insertstr(editLine, String(prefix.dropFirst(completion.stem.count)))
        }
        rl_shim_write_stdout("\n" + LineEditor.columns(completion.candidates, width: terminalWidth()))
        return UInt8(CC_REDISPLAY)
    }

    /// Lays words out in columns, down then across, like `ls`.
    static func columns(_ words: [String], width: Int) -> String {
        let cell = (words.map(\.count).max() ?? 0) + 2
        let perRow = max(1, width / max(cell, 1))
        let rows = (words.count + perRow - 1) / perRow
        var out = ""
        for row in 0..<rows {
            var line = ""
            for column in 0..<perRow {
                let index = column * rows + row
                guard index < words.count else { break }
                let word = words[index]
                line += word
                if (column + 1) * rows + row < words.count {
                    line += String(repeating: " ", count: cell - word.count)
                }
            }
            out += line + "\n"
        }
        return out
    }
}

/// Columns of the terminal on stdout (80 when unknown). `COLUMNS` overrides.
public func terminalWidth() -> Int {
    if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns > 0 {
        return columns
    }
    var size = winsize()
    if ioctl(1, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
    return 80
}

/// `${XDG_STATE_HOME:-~/.local/state}/rnnlab/history`.
public func defaultHistoryFile(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
    let base: URL
    if let state = environment["XDG_STATE_HOME"], !state.isEmpty, state.hasPrefix("/") {
        base = URL(fileURLWithPath: state, isDirectory: true)
    } else {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
        base = URL(fileURLWithPath: home, isDirectory: true).appendingPathComponent(".local/state", isDirectory: true)
    }
    return base.appendingPathComponent("rnnlab", isDirectory: true).appendingPathComponent("history")
}
