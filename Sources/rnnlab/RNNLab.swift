import ArgumentParser
import Engine

/// The `rnnlab` command line. Guided lessons, the REPL and `check` arrive with their issues;
/// for now it reports its version and what the engine links against.
@main
struct RNNLab: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rnnlab",
        abstract: "Learn recurrent neural networks by running them: lessons, a REPL and a tensor/autodiff engine.",
        discussion: """
            rnnlab is a notebook-style tutorial suite. Its engine (tensors, reverse-mode autodiff,
            BLAS-backed matrix products) follows PyTorch's conventions in double precision.
            """,
        version: EngineInfo.version
    )

    func run() throws {
        print("rnnlab \(EngineInfo.version) — engine ready (Double tensors, reverse-mode autodiff, OpenBLAS).")
        print("Run `rnnlab --help` for the commands.")
    }
}
