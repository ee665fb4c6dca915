#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// ANSI SGR escapes, only the few the renderers use.
///
/// Colours are from the xterm 256-colour palette (`ESC[38;5;Nm`), not 24-bit: every terminal
/// emulator and multiplexer in use today (tmux, screen, macOS Terminal, the Linux console via
/// approximation) understands them, while 24-bit colour is still missing in some.
public enum ANSI {
    public static let escape = "\u{1B}["
    public static let reset = "\u{1B}[0m"
    public static let bold = "\u{1B}[1m"
    public static let dim = "\u{1B}[2m"
    /// Clear from the cursor to the end of the line (progress redraw).
    public static let clearToEnd = "\u{1B}[K"

    /// Foreground from the 256-colour palette.
    public static func foreground(_ index: Int) -> String { "\u{1B}[38;5;\(index)m" }
    /// Background from the 256-colour palette.
    public static func background(_ index: Int) -> String { "\u{1B}[48;5;\(index)m" }

    /// The 6×6×6 colour cube entry for r, g, b in 0...5.
    public static func cube(_ r: Int, _ g: Int, _ b: Int) -> Int { 16 + 36 * r + 6 * g + b }

    /// Wraps `text` in `style` … reset when `enabled`; returns it unchanged otherwise. Renderers
    /// call this for every styled piece, so colour off yields exactly the plain layout.
    public static func style(_ text: String, _ style: String, enabled: Bool) -> String {
        enabled && !text.isEmpty ? style + text + reset : text
    }

    /// `text` without any CSI escape sequence (`ESC [` parameters, final byte `@`…`~`). Used to
    /// measure what the eye sees and by tests to compare coloured output to the plain layout.
    public static func strip(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var scalars = text.unicodeScalars.makeIterator()
        while let c = scalars.next() {
            guard c == "\u{1B}" else { out.append(c); continue }
            guard let next = scalars.next() else { break }
            guard next == "[" else { continue }  // a two-character escape: drop both
            while let p = scalars.next() {
                if (0x40...0x7E).contains(p.value) { break }
            }
        }
        return String(out)
    }

    /// Columns `text` occupies once escapes are removed. Every character the renderers emit
    /// (ASCII, box drawing, blocks, `…`) is one column wide, so this is a character count.
    public static func visibleWidth(_ text: String) -> Int { strip(text).count }
}

/// Decides whether output is coloured.
///
/// Colour is for a person at a terminal; escapes in a file, a pipe or CI logs are noise. The rules,
/// in order: `NO_COLOR` in the environment (any value, even empty — see https://no-color.org; we are
/// stricter than its "non-empty" wording because an exported empty `NO_COLOR=` is still a clear
/// request) turns colour off; so does the `--no-color` flag; otherwise colour is on exactly when
/// stdout is a terminal.
public enum ColorPolicy {
    /// The decision as a pure function, so every case can be tested.
    public static func decide(environment: [String: String], noColorFlag: Bool, isTTY: Bool) -> Bool {
        if environment["NO_COLOR"] != nil { return false }
        if noColorFlag { return false }
        return isTTY
    }

    /// The decision for this process's stdout.
    public static func current(noColorFlag: Bool = false) -> Bool {
        decide(environment: processEnvironment(), noColorFlag: noColorFlag, isTTY: isatty(1) == 1)
    }
}

/// The environment as a dictionary, read with `getenv`-level libc calls (no Foundation needed).
func processEnvironment() -> [String: String] {
    var result: [String: String] = [:]
    var p = environ
    while let entry = p.pointee {
        let s = String(cString: entry)
        if let eq = s.firstIndex(of: "=") {
            result[String(s[..<eq])] = String(s[s.index(after: eq)...])
        }
        p += 1
    }
    return result
}
