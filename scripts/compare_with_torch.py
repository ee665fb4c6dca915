#!/usr/bin/env python3
"""Runs one recurrent case through PyTorch and through rnnlab and prints how far apart they are.

For checking rnnlab against PyTorch on cases of your own (sizes, seeds, layer combinations)
without writing any Swift: PyTorch builds the layer, saves its ``state_dict`` with ``np.savez``
exactly as the README says a user would, runs forward and backward with float64, and writes the
input, the upstream gradients and its results to a temporary folder; rnnlab then loads the
weights by name through its language (``rnnlab run``), does the same forward and backward, and
prints the largest absolute difference for the output, the final states, ∂L/∂x, ∂L/∂h0 (and c0)
and every parameter's gradient. The exit status is 1 when any difference exceeds ``--tolerance``.

    python3 scripts/compare_with_torch.py --mode LSTM --input 7 --hidden 20 --layers 2 \\
        --bidirectional --steps 9 --batch 11 --seed 1 --h0

Needs CPU PyTorch (``../shared/bench/setup_venv.sh``) and a built rnnlab
(``swift build -c release``; ``--rnnlab`` points elsewhere).
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import numpy as np
import torch

CONSTRUCTORS = {"LSTM": "lstm", "GRU": "gru", "RNN_TANH": "rnn", "RNN_RELU": "rnn"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mode", choices=sorted(CONSTRUCTORS), default="LSTM")
    parser.add_argument("--input", type=int, default=3)
    parser.add_argument("--hidden", type=int, default=4)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--bidirectional", action="store_true")
    parser.add_argument("--batch-first", action="store_true")
    parser.add_argument("--no-bias", action="store_true")
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--batch", type=int, default=2)
    parser.add_argument("--h0", action="store_true", help="pass random initial states (h0, and c0 for the LSTM)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tolerance", type=float, default=1e-9)
    parser.add_argument("--rnnlab", default=str(pathlib.Path(__file__).resolve().parent.parent / ".build/release/rnnlab"))
    parser.add_argument("--keep", help="write the files to this folder instead of a temporary one")
    a = parser.parse_args()
    if not pathlib.Path(a.rnnlab).is_file():
        print(f"compare_with_torch: no rnnlab at {a.rnnlab} (build it with `swift build -c release`, or pass --rnnlab)",
              file=sys.stderr)
        return 2

    folder = pathlib.Path(a.keep) if a.keep else pathlib.Path(tempfile.mkdtemp(prefix="rnnlab-torch-"))
    folder.mkdir(parents=True, exist_ok=True)
    names = run_torch(a, folder)
    script = rnnlab_script(a, folder, names)
    (folder / "compare.rnn").write_text(script)
    result = subprocess.run([a.rnnlab, "run", str(folder / "compare.rnn")], capture_output=True, text=True)
    if result.returncode != 0:
        print(result.stdout + result.stderr, file=sys.stderr)
        return 2
    worst = 0.0
    for line in result.stdout.splitlines():
        name, value = line.rsplit(" ", 1)
        difference = float(value)
        worst = max(worst, difference)
        mark = "" if difference <= a.tolerance else "   ✗ above tolerance"
        print(f"{name:32} {difference:.3e}{mark}")
    print(f"largest difference {worst:.3e} (tolerance {a.tolerance:g}); files in {folder}")
    return 0 if worst <= a.tolerance else 1


def run_torch(a, folder: pathlib.Path) -> list:
    """Builds and runs the PyTorch side; returns the parameter names."""
    torch.manual_seed(a.seed)
    kwargs = dict(num_layers=a.layers, bidirectional=a.bidirectional, batch_first=a.batch_first, bias=not a.no_bias)
    if a.mode == "LSTM":
        m = torch.nn.LSTM(a.input, a.hidden, **kwargs)
    elif a.mode == "GRU":
        m = torch.nn.GRU(a.input, a.hidden, **kwargs)
    else:
        m = torch.nn.RNN(a.input, a.hidden, nonlinearity="tanh" if a.mode == "RNN_TANH" else "relu", **kwargs)
    m = m.double()
    shape = (a.batch, a.steps, a.input) if a.batch_first else (a.steps, a.batch, a.input)
    x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
    directions = 2 if a.bidirectional else 1
    state_shape = (a.layers * directions, a.batch, a.hidden)
    h0 = torch.randn(*state_shape, dtype=torch.float64, requires_grad=True) if a.h0 else None
    c0 = torch.randn(*state_shape, dtype=torch.float64, requires_grad=True) if a.h0 and a.mode == "LSTM" else None
    if a.mode == "LSTM":
        output, (hn, cn) = m(x, (h0, c0) if a.h0 else None)
    else:
        output, hn = m(x, h0)
        cn = None
    upstream = {"dout": torch.randn_like(output), "dhn": torch.randn_like(hn)}
    loss = (output * upstream["dout"]).sum() + (hn * upstream["dhn"]).sum()
    if cn is not None:
        upstream["dcn"] = torch.randn_like(cn)
        loss = loss + (cn * upstream["dcn"]).sum()
    loss.backward()

    np.savez(folder / "weights.npz", **{k: v.detach().double().numpy() for k, v in m.state_dict().items()})
    tensors = {"x": x, "output": output, "hn": hn, "dx": x.grad, **upstream}
    if cn is not None:
        tensors["cn"] = cn
    if h0 is not None:
        tensors.update(h0=h0, dh0=h0.grad)
    if c0 is not None:
        tensors.update(c0=c0, dc0=c0.grad)
    for name, p in m.named_parameters():
        tensors["grad_" + name] = p.grad
    for name, t in tensors.items():
        np.save(folder / f"{name}.npy", t.detach().numpy())
    return [name for name, _ in m.named_parameters()]


def rnnlab_script(a, folder: pathlib.Path, parameter_names: list) -> str:
    """The same case in the rnnlab language: load, run, differentiate, print the differences."""
    def npy(name):
        return json.dumps(str(folder / f"{name}.npy"))

    options = [f"input: {a.input}", f"hidden: {a.hidden}", f"layers: {a.layers}"]
    if a.mode == "RNN_RELU":
        options.append('nonlinearity: "relu"')
    if a.bidirectional:
        options.append("bidirectional: true")
    if a.batch_first:
        options.append("batch_first: true")
    if a.no_bias:
        options.append("bias: false")
    lines = [
        f"m = {CONSTRUCTORS[a.mode]}({', '.join(options)})",
        f"load_npz(m, {json.dumps(str(folder / 'weights.npz'))})",
        f"x = load_npy({npy('x')}); x.requires_grad = true",
    ]
    call = "m(x"
    if a.h0:
        lines.append(f"h0 = load_npy({npy('h0')}); h0.requires_grad = true")
        call += ", h0: h0"
        if a.mode == "LSTM":
            lines.append(f"c0 = load_npy({npy('c0')}); c0.requires_grad = true")
            call += ", c0: c0"
    lines.append(f"out = {call})")
    loss = f"sum(out.output * load_npy({npy('dout')})) + sum(out.h * load_npy({npy('dhn')}))"
    if a.mode == "LSTM":
        loss += f" + sum(out.c * load_npy({npy('dcn')}))"
    lines.append(f"backward({loss})")

    def report(label, expression, expected):
        lines.append(f'print("{label}", max(abs({expression} - load_npy({npy(expected)}))))')

    report("output", "out.output", "output")
    report("h_n", "out.h", "hn")
    if a.mode == "LSTM":
        report("c_n", "out.c", "cn")
    report("grad x", "x.grad", "dx")
    if a.h0:
        report("grad h0", "h0.grad", "dh0")
        if a.mode == "LSTM":
            report("grad c0", "c0.grad", "dc0")
    for name in parameter_names:
        report(f"grad {name}", f"m.{name}.grad", f"grad_{name}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
