/// A picture described as data — what `spark`, `heatmap`, `plot` and `bars` return in the
/// language. The language produces figures without knowing how they are drawn; the terminal
/// renderer, `--format json` and notebook export each draw the same value their own way.
/// (Filled in by the language/REPL issue.)
public enum FigureKind: String, Sendable, CaseIterable {
    case sparkline, heatmap, linePlot, bars
}
