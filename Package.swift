// swift-tools-version: 6.0
// rnnlab: a notebook-style REPL and tutorial suite that teaches recurrent neural networks by running them.
//
// One target per layer (see README "Design"). A target imports only targets below it:
//   CBLAS, CSupport (C) → Engine → Markdown → Script / Terminal → Tutorial → REPL / Book → rnnlab (executable)
//   Figures (pictures as data) → FigureSVG (as SVG) sit below Script, Terminal, REPL and Book.
import PackageDescription

// Tests are compiled without optimisation in every configuration: `make test` runs them against the
// release build of the package (the code users get, optimised and with Swift's checks), and
// optimising the test code itself would only add minutes to every run.
let testSettings: [SwiftSetting] = [.unsafeFlags(["-Onone"], .when(configuration: .release))]

let package = Package(
    name: "rnnlab",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rnnlab", targets: ["rnnlab"]),
        .library(name: "Engine", targets: ["Engine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    ],
    targets: [
        // Floor 0: Debian's OpenBLAS, reached through a system-library shim.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // Floor 0: C pieces Swift cannot express portably: vectorised exp/sigmoid/tanh
        // (multiversioned for AVX-512/AVX2/baseline) and glibc allocator tuning.
        .target(name: "CSupport", cSettings: [.unsafeFlags(["-O3", "-fno-math-errno"])]),
        // Floor 1: tensors, autodiff, recurrent layers, training. Knows nothing of any UI.
        .target(
            name: "Engine",
            dependencies: ["CBLAS", "CSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
        ),
        // Floor 1: pictures as data (kind, series, labels), shared by the language and the renderers.
        .target(name: "Figures"),
        // Floor 1, above Figures: the same pictures as standalone SVG documents, for notebooks, markdown exports
        // and `save_figure` (knows only Figures and Foundation).
        .target(name: "FigureSVG", dependencies: ["Figures"]),
        // Floor 1: markdown's block structure, read once for the screen and for a lesson's steps.
        .target(name: "Markdown", dependencies: ["Engine"]),
        // Floor 2: the language (knows the engine, not the terminal) and the text renderers.
        .target(name: "Script", dependencies: ["Engine", "Figures", "FigureSVG"]),
        .target(name: "Terminal", dependencies: ["Engine", "Figures", "Markdown"]),
        // Floor 3: lessons — the markdown format (YAML front matter via Yams), questions, grading, check.
        .target(name: "Tutorial", dependencies: ["Script", "Engine", "Figures", "Markdown", .product(name: "Yams", package: "Yams")]),
        // Floor 0 for the prompt: Debian's libedit, native el_* API through a shim.
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // Floor 4: the prompt loop, :commands, completion, history; guided lessons and the menu on screen.
        .target(name: "REPL", dependencies: ["Script", "Terminal", "Tutorial", "Engine", "Figures", "FigureSVG", "CEditLine"]),
        // Floor 4: the lessons as a static web book (`rnnlab book`): pages from a lesson and its checked run.
        .target(name: "Book", dependencies: ["Tutorial", "Script", "Terminal", "Markdown", "Figures", "FigureSVG", "Engine"]),
        // Floor 5: the command line.
        .executableTarget(
            name: "rnnlab",
            dependencies: ["Engine", "Script", "Terminal", "Tutorial", "REPL", "Book", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // `make bench`: figures against the PyTorch/NumPy baselines in ../shared/bench.
        .executableTarget(name: "Bench", dependencies: ["Engine", "CBLAS", "CSupport"]),
        // `make fuzz` (and a short run in `make test`): generated and mutated programs, .npy/.npz
        // files and lessons against the release binary; it fails on a crash, a hang, memory past
        // the budget or a file written where it must not be.
        .executableTarget(name: "Fuzz", dependencies: ["Script", "Markdown", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // Helpers every test target shares (temporary directories, closeness, lesson text), as
        // swift-argument-parser's ArgumentParserTestHelpers: written once instead of copied.
        .target(name: "TestSupport", dependencies: ["Engine"], path: "Tests/TestSupport", swiftSettings: testSettings),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "TestSupport"], exclude: ["Fixtures"], swiftSettings: testSettings),
        .testTarget(name: "TerminalTests", dependencies: ["Terminal", "Figures", "Engine", "Markdown", "TestSupport"], exclude: ["DiagramGoldens", "ArchitectureGoldens"], swiftSettings: testSettings),
        .testTarget(name: "FigureSVGTests", dependencies: ["FigureSVG", "Figures", "TestSupport"], exclude: ["Goldens"], swiftSettings: testSettings),
        .testTarget(name: "MarkdownTests", dependencies: ["Markdown"], swiftSettings: testSettings),
        .testTarget(name: "ScriptTests", dependencies: ["Script", "Figures", "Engine", "Markdown", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "TutorialTests", dependencies: ["Tutorial", "Script", "Engine", "Markdown", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "BookTests", dependencies: ["Book", "Tutorial", "Script", "Terminal", "Figures", "TestSupport"], swiftSettings: testSettings),
        .testTarget(name: "REPLTests", dependencies: ["REPL", "Script", "Terminal", "Tutorial", "Figures", "FigureSVG", "TestSupport"], exclude: ["Transcripts"], swiftSettings: testSettings),
    ]
)
