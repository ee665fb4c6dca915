import Engine

/// `--memory SIZE` (or `--memory=SIZE`) anywhere on the command line, for every subcommand:
/// the session's memory budget, as RNNLAB_MEMORY sets it (the option wins).
///
/// Taken out before the arguments are parsed because the budget belongs to the process, not to
/// one subcommand: `rnnlab --memory 2G lesson 3`, `rnnlab run x.rnn --memory 2G` and `rnnlab
/// check --memory 2G` mean the same thing. The value after `-e` is an expression, never an option.
enum MemoryOption {
    /// `arguments` without the option; sets ``MemoryBudget/limit``. Returns an error message for
    /// a missing or unreadable size.
    static func apply(_ arguments: inout [String]) -> String? {
        var kept: [String] = []
        var i = 0
        while i < arguments.count {
            let argument = arguments[i]
            if argument == "--" { kept += arguments[i...]; break }
            if argument == "-e" || argument == "--eval" {
                kept += arguments[i..<min(i + 2, arguments.count)]
                i += 2
                continue
            }
            var value: String?
            if argument == "--memory" {
                guard i + 1 < arguments.count else { return "--memory needs a size such as 4G or 512M" }
                value = arguments[i + 1]
                i += 2
            } else if argument.hasPrefix("--memory=") {
                value = String(argument.dropFirst("--memory=".count))
                i += 1
            } else {
                kept.append(argument)
                i += 1
                continue
            }
            guard let value, let bytes = MemoryBudget.parse(value) else {
                return "--memory needs a size such as 4G, 512M or 1.5GB, got '\(value ?? "")'"
            }
            MemoryBudget.limit = bytes
        }
        arguments = kept
        return nil
    }
}
