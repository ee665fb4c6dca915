// `Bench [gemm|elementwise|recurrent|all] [--quick] [--quoted] [--only config/model,…]`: the engine's speed next to the
// PyTorch/NumPy baselines in shared/bench/BASELINE.md, and (recurrent) next to PyTorch float32 run
// now when its venv exists. `make bench` runs everything.
//
// Each benchmark is one file with a `run(_ config:)`; add a new one to `suites` below.
import CBLAS
import Engine
import Glibc

let suites: [(name: String, run: (BenchConfig) throws -> Void)] = [
    ("gemm", GEMMBench.run),
    ("elementwise", ElementwiseBench.run),
    ("recurrent", RecurrentBench.run),
]

let usage = """
    usage: Bench [\((suites.map(\.name) + ["all"]).joined(separator: "|"))] [--quick] [--quoted] [--only config/model,…]
      --quick   fewer and shorter measurements: enough to see that everything runs
      --quoted  PyTorch float32 figures quoted from BASELINE.md instead of measured now (recurrent)
      --only    just these recurrent rows (e.g. small/lstm,tiny/lstm), PyTorch quoted: for comparing
                two builds of the engine; no trace or heap tables
    PyTorch is measured now with ../shared/bench/.venv/bin/python, or $RNNLAB_TORCH_PYTHON, when it exists.
    """
var config = BenchConfig()
var selected: [String] = []
var quoted = false
var only: Set<String>?
var arguments = CommandLine.arguments.dropFirst()
while let arg = arguments.popFirst() {
    switch arg {
    case "--quick": config = .quick
    case "--quoted": quoted = true
    case "--only":
        guard let rows = arguments.popFirst() else { print("Bench: --only needs rows such as small/lstm\n\(usage)"); exit(2) }
        only = Set(rows.split(separator: ",").map(String.init))
    case "-h", "--help": print(usage); exit(0)
    case "all": selected += suites.map(\.name)
    case _ where suites.contains { $0.name == arg }: selected.append(arg)
    default: print("Bench: unknown argument '\(arg)'\n\(usage)"); exit(2)
    }
}
if selected.isEmpty { selected = suites.map(\.name) }
if let only {
    let known = Set(RecurrentBench.configs.flatMap { c in RecurrentBench.Model.allCases.map { "\(c.name)/\($0.rawValue)" } })
    if let unknown = only.subtracting(known).sorted().first {
        print("Bench: no recurrent row '\(unknown)'; rows are \(known.sorted().joined(separator: ", "))\n\(usage)")
        exit(2)
    }
}
if quoted || only != nil { config.measureTorch = false }
config.only = only

// One thread everywhere: the baselines' "1 thr" columns are the comparison, the engine's recurrent
// products (32×512 by 512×2048 and smaller) gain little from a second thread, and on this shared
// 2-vCPU machine a second BLAS thread competes with whoever else is running, making timings noisy.
GEMM.setThreads(1)
// OpenBLAS starts its worker threads when the library loads and they busy-wait for a while before
// sleeping; measured at once, the first benchmark shares the machine with them (~1.3 cores in use).
usleep(300_000)

let loadavg = readSmallFile("/proc/loadavg")?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("# rnnlab Bench\n")
print("- OpenBLAS: \(String(cString: openblas_get_config())), core \(String(cString: openblas_get_corename())),"
      + " \(openblas_get_num_threads()) thread(s)")
print("- load average before: \(loadavg); \(config.minRuns)+ runs and ≥ \(config.minSeconds) s per measurement,"
      + " median reported\(config.minSeconds < 0.3 ? " (--quick: indicative only)" : "")")
print()

for suite in suites where selected.contains(suite.name) {
    do { try suite.run(config) } catch {
        print("Bench \(suite.name) failed: \(error)")
        exit(1)
    }
}
let loadAfter = readSmallFile("/proc/loadavg")?.split(separator: " ").prefix(3).joined(separator: " ") ?? "?"
print("load average after: \(loadAfter)")
