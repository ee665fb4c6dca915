#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How wide the terminal is, so pictures fill it and tensor rows wrap where the screen ends.
///
/// The kernel knows the real size of the window behind stdout (`ioctl(TIOCGWINSZ)`), which follows
/// resizes; `COLUMNS` is what shells export for programs whose stdout is not the terminal (or when
/// the user wants to override); 80 is the historical default when neither is known (a pipe in CI).
public enum TerminalSize {
    /// The fallback when nothing says otherwise.
    public static let defaultColumns = 80

    /// The choice as a pure function: the ioctl result when it reports a positive width, else a
    /// positive integer `COLUMNS`, else 80.
    public static func columns(ioctlColumns: Int?, environment: [String: String]) -> Int {
        if let c = ioctlColumns, c > 0 { return c }
        if let s = environment["COLUMNS"], let c = Int(s.trimmingSpaces), c > 0 { return c }
        return defaultColumns
    }

    /// Columns of the terminal on stdout now (call again after SIGWINCH; it is cheap).
    public static func current() -> Int {
        columns(ioctlColumns: ioctlColumns(fd: 1), environment: processEnvironment())
    }

    /// `ws_col` of the window behind `fd`, or nil when `fd` is not a terminal.
    static func ioctlColumns(fd: Int32) -> Int? {
        var size = winsize()
        #if canImport(Glibc)
        let status = ioctl(fd, UInt(TIOCGWINSZ), &size)
        #else
        let status = ioctl(fd, TIOCGWINSZ, &size)
        #endif
        guard status == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}

extension String {
    var trimmingSpaces: Substring {
        let s = drop { $0 == " " }
        return s.prefix(s.count - s.reversed().prefix { $0 == " " }.count)
    }
}
