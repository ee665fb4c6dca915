// Terminal: turning values into text — tensors in NumPy's manner, pictures (sparklines, heatmaps,
// line plots, bars) and progress lines. Every renderer is a pure function from data and
// `RenderOptions` to a `String`; only `ColorPolicy.current` and `TerminalSize.current` look at the
// process, and they are thin wrappers around pure decisions, so that everything is testable with
// fixed widths and colour off.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything a renderer needs to know about where its text will go.
///
/// A value, not global state: the REPL builds one from the terminal (`RenderOptions.current`) and
/// `:precision N`, tests build one with a fixed width and colour off, and notebook export can pick
/// its own width.
public struct RenderOptions: Sendable, Equatable {
    /// Columns available; wide pictures are resampled to fit, tensor rows wrap (NumPy's linewidth).
    public var width: Int
    /// Emit ANSI colour and style escapes.
    public var color: Bool
    /// Digits after the decimal point for tensors (NumPy's `precision`, default 4 here).
    public var precision: Int
    /// Tensors with more elements than this are summarised with `…` (NumPy's `threshold`, 1000).
    public var threshold: Int
    /// Items kept at each end of a summarised axis (NumPy's `edgeitems`, 3).
    public var edgeItems: Int
    /// Print tiny values as fixed-point zeros instead of switching to scientific notation
    /// (NumPy's `suppress`; off by default, as in NumPy).
    public var suppressSmall: Bool
    /// Rows of a line plot's drawing area when the figure does not say.
    public var plotHeight: Int
    /// The text goes to a terminal: a progress bar is redrawn in place with `\r`; elsewhere
    /// (a pipe, a file) progress comes as whole lines now and then.
    public var terminal: Bool

    public init(
        width: Int = 80, color: Bool = false, precision: Int = 4, threshold: Int = 1000,
        edgeItems: Int = 3, suppressSmall: Bool = false, plotHeight: Int = 12, terminal: Bool = false
    ) {
        self.width = width
        self.color = color
        self.precision = precision
        self.threshold = threshold
        self.edgeItems = edgeItems
        self.suppressSmall = suppressSmall
        self.plotHeight = plotHeight
        self.terminal = terminal
    }

    /// Options for this process's stdout: its width (`TerminalSize.current()`) and colour
    /// decision (`ColorPolicy.current(noColorFlag:)`).
    public static func current(noColorFlag: Bool = false, precision: Int = 4) -> RenderOptions {
        RenderOptions(width: TerminalSize.current(), color: ColorPolicy.current(noColorFlag: noColorFlag),
                      precision: precision, terminal: isatty(1) == 1)
    }
}
