#!/usr/bin/env python3
"""Generate the PyTorch float32 reference fixtures for the engine's float32 recurrent layers.

PyTorch computes these in float32, its default dtype (no ``.double()`` anywhere): the parameters,
inputs, outputs and gradients are what a PyTorch user gets from ``nn.RNN``/``nn.LSTM``/``nn.GRU``
out of the box. They are the float32 twins of the recurrent and optimizer cases of ``make_fixtures.py``.

What it makes
-------------
One JSON file per case in ``Tests/EngineTests/Fixtures/torch32/<case>.json``, in the layout of
``make_fixtures.py``:

    {"case": "<name>",
     "config": {"dtype": "float32", <scalars, strings, bools only>},
     "tensors": {"<name>": {"shape": [..], "data": [flat row-major floats]}, ...}}

* Every value is a float32. It is written as the decimal Python prints for the same number held
  as a double (``repr(float(np.float32(v)))``, e.g. ``0.10000000149011612``), so a parser that
  reads it as a Double gets exactly the float32 value, widened; narrowing that Double to Float
  loses nothing. The script reads every file back and checks this bit for bit.
* Tensors: every ``state_dict`` tensor under its PyTorch name, ``x``, ``h0``/``c0`` (when given),
  ``out``, ``hn``/``cn``, the upstream gradients ``dout``, ``dhn``/``dcn``, and the gradients
  ``grad.<param>``, ``grad.x``, ``grad.h0``/``grad.c0`` from
  ``torch.autograd.backward([out, hn(, cn)], [dout, dhn(, dcn)])``.
* The Swift loader is ``Tests/EngineTests/Support/TorchFloat32Fixture.swift``.

Also one ``.npz``, ``lstm_2layer_bidir.state_dict.npz``: that case's ``state_dict`` exactly as
``np.savez(f, **{k: v.detach().numpy()})`` writes it (``<f4`` arrays under PyTorch's names), for
testing ``load_npz`` on a float32 file PyTorch users would make.

Cases
-----
nn.RNN (tanh, relu), nn.LSTM and nn.GRU, each with 1 layer, 2 layers and bidirectional (1 layer),
plus 2-layer bidirectional LSTM and GRU: 14 cases, input size 4, hidden size 6, batch 3,
sequence lengths 5 to 7. Every kind has cases with and without h0 (and c0); one case is
batch_first.

The six optimizer cases of ``make_fixtures.py`` (``sgd_plain`` … ``adamw``, the same
hyper-parameters), run in float32 for 8 steps on mse_loss(X @ W.T + b, Y) with X 32×16, W 8×16:
``X``, ``Y``, ``W0``/``b0`` … ``W8``/``b8``, the gradients ``grad.W<k>``/``grad.b<k>`` step k
stepped with, and ``loss0`` … ``loss7``. The Adam and AdamW cases also hold
``exact_sqrt.W<k>``/``exact_sqrt.b<k>``: the same steps, replayed op for op from the recorded
gradients with the square root correctly rounded (PyTorch's float32 ``sqrt`` is MKL's, 1 ulp off
on about a fifth of values; the replay with ``torch.sqrt`` is checked to equal torch.optim's
steps bit for bit). Each case seeds ``torch.manual_seed`` itself, PyTorch runs on one thread, and
``np.savez`` stamps zip members with the fixed date 1980-01-01, so two runs write the same bytes.

How to run (from the repository root)
-------------------------------------
    ../shared/bench/.venv/bin/python scripts/make_float32_fixtures.py

Any Python with CPU PyTorch 2.13 and NumPy works. The venv is made by
``../shared/bench/setup_venv.sh``, or by hand:

    python3 -m venv .venv && .venv/bin/pip install "torch==2.13.0+cpu" numpy

The folder ``Tests/EngineTests/Fixtures/torch32/`` belongs to this script: re-running rewrites
every file, and the script warns about files there that it did not write.
"""

from __future__ import annotations

import io
import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures  # noqa: E402  (it sets float64 as the default; the line below sets float32 after it)

torch.set_default_dtype(torch.float32)
torch.set_num_threads(1)  # one reduction order, whatever the machine

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "Tests" / "EngineTests" / "Fixtures" / "torch32"

written: list[str] = []


# --------------------------------------------------------------------------------------------
# Writing


def _flat(name: str, key: str, value: torch.Tensor) -> tuple[list[int], list[float]]:
    """Shape and flat row-major data of a float32 tensor, each value as the Double equal to it."""
    if value.dtype != torch.float32:
        raise TypeError(f"{name}: tensor {key!r} is {value.dtype}, not torch.float32")
    array = value.detach().contiguous().numpy()
    return list(array.shape), [float(np.float32(v)) for v in array.reshape(-1)]


def write_case(name: str, config: dict, tensors: dict) -> None:
    """Writes one fixture file, checks that it reads back exactly, prints a one-line summary."""
    for key, value in config.items():
        if not isinstance(value, (bool, int, float, str)):
            raise TypeError(f"{name}: config[{key!r}] must be a scalar, string or bool, not {type(value)}")
    flat = {}
    for key, value in tensors.items():
        shape, data = _flat(name, key, value)
        if not all(math.isfinite(v) for v in data):
            raise ValueError(f"{name}: tensor {key!r} has a non-finite value")
        flat[key] = {"shape": shape, "data": data}

    # One tensor per line keeps diffs readable; the data itself is exactly what json.dumps writes.
    lines = ['{"case": ' + json.dumps(name) + ",",
             ' "config": ' + json.dumps(config, allow_nan=False) + ",",
             ' "tensors": {']
    items = list(flat.items())
    for i, (key, value) in enumerate(items):
        sep = "," if i < len(items) - 1 else ""
        lines.append("  " + json.dumps(key) + ": " + json.dumps(value, allow_nan=False) + sep)
    lines.append(" }}")
    text = "\n".join(lines) + "\n"

    # Round trip: the file parses back to the same Doubles, each of them a float32 and equal to
    # the tensor's element.
    back = json.loads(text)
    assert back["case"] == name and back["config"] == config
    for key, value in flat.items():
        got = back["tensors"][key]
        assert got["shape"] == value["shape"], (name, key)
        assert len(got["data"]) == math.prod(value["shape"]), (name, key)
        original = tensors[key].detach().contiguous().numpy().reshape(-1)
        for a, b in zip(got["data"], original):
            assert float(np.float32(a)) == a, (name, key, a)
            assert np.float32(a).tobytes() == b.tobytes(), (name, key, a, b)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(text)
    written.append(path.name)
    n_values = sum(len(v["data"]) for v in flat.values())
    print(f"{path.name:34s} {len(flat):3d} tensors {n_values:6d} values "
          f"{path.stat().st_size:7d} bytes  [{', '.join(list(flat)[:6])}{', …' if len(flat) > 6 else ''}]")


def write_state_dict_npz(name: str, module: nn.Module) -> None:
    """`<name>.state_dict.npz`: the module's state_dict as np.savez writes it (<f4 arrays)."""
    buffer = io.BytesIO()
    np.savez(buffer, **{k: v.detach().numpy() for k, v in module.state_dict().items()})
    data = buffer.getvalue()
    # Read back: same names in the same order, same dtype, same bits.
    with np.load(io.BytesIO(data)) as back:
        state = module.state_dict()
        assert list(back.keys()) == list(state.keys()), name
        for k, v in state.items():
            assert back[k].dtype == np.dtype("<f4") and back[k].tobytes() == v.numpy().tobytes(), (name, k)
    path = OUT_DIR / f"{name}.state_dict.npz"
    path.write_bytes(data)
    written.append(path.name)
    print(f"{path.name:34s} {len(module.state_dict()):3d} arrays (<f4)            {len(data):7d} bytes")


# --------------------------------------------------------------------------------------------
# Recurrent layers

RECURRENT_CASES = [
    # name, mode, I, H, layers, bidirectional, batch_first, T, B, has_h0
    ("rnn_tanh_1layer", "RNN_TANH", 4, 6, 1, False, False, 5, 3, True),
    ("rnn_tanh_2layer", "RNN_TANH", 4, 6, 2, False, False, 6, 3, False),
    ("rnn_tanh_bidir", "RNN_TANH", 4, 6, 1, True, False, 7, 3, True),
    ("rnn_relu_1layer", "RNN_RELU", 4, 6, 1, False, False, 5, 3, False),
    ("rnn_relu_2layer", "RNN_RELU", 4, 6, 2, False, False, 6, 3, True),
    ("rnn_relu_bidir", "RNN_RELU", 4, 6, 1, True, False, 7, 3, False),
    ("lstm_1layer", "LSTM", 4, 6, 1, False, False, 5, 3, True),
    ("lstm_2layer", "LSTM", 4, 6, 2, False, False, 6, 3, False),
    ("lstm_bidir", "LSTM", 4, 6, 1, True, True, 7, 3, True),
    ("lstm_2layer_bidir", "LSTM", 4, 6, 2, True, False, 6, 3, True),
    ("gru_1layer", "GRU", 4, 6, 1, False, False, 5, 3, False),
    ("gru_2layer", "GRU", 4, 6, 2, False, False, 6, 3, True),
    ("gru_bidir", "GRU", 4, 6, 1, True, False, 7, 3, False),
    ("gru_2layer_bidir", "GRU", 4, 6, 2, True, False, 5, 3, True),
]

RECURRENT_SEED = 7000  # case i uses RECURRENT_SEED + i

NPZ_CASE = "lstm_2layer_bidir"


def run_recurrent(index: int):
    """Builds, runs and differentiates recurrent case `index` in float32 (make_fixtures' procedure,
    the default dtype set to float32 above); returns (name, config, tensors, module)."""
    name, config, tensors, module = make_fixtures.recurrent_case(RECURRENT_CASES[index], RECURRENT_SEED + index)
    return name, {"dtype": "float32", **config}, tensors, module


# --------------------------------------------------------------------------------------------
# Optimizers

# make_fixtures' six cases (SGD plain, momentum + dampening + weight decay, Nesterov; Adam, Adam
# with weight decay and other betas/eps, AdamW) on a problem large enough that an update formed
# in double and rounded once to float32 lands an ulp away from PyTorch's float32 step somewhere:
# 136 parameters over 8 steps. The gradient each step used is recorded, so a test can step the
# engine's optimizer with PyTorch's own gradient and compare the parameters bit for bit.
OPTIMIZER_SEED = 7100
OPTIMIZER_SIZES = dict(rows=32, inputs=16, outputs=8, steps=8)


def replay_adam(config: dict, tensors: dict, exact_sqrt: bool) -> dict:
    """PyTorch's single-tensor Adam/AdamW step (torch/optim/adam.py, foreach=False, on the CPU), op
    for op in float32 tensors, stepped with the recorded gradients; returns {"W<k>", "b<k>"}.

    With `exact_sqrt` the square root of the second moment is correctly rounded (taken in double,
    then rounded, which is exact for a square root) instead of torch.sqrt's: PyTorch's float32
    square root on the CPU is MKL's vector square root, which is 1 ulp away from the correctly
    rounded one on about a fifth of values (measured: 19,659 of 100,000 uniform values)."""
    lr, wd, eps = config["lr"], config["weight_decay"], config["eps"]
    beta1, beta2 = config["beta1"], config["beta2"]
    out = {}
    for key in ("W", "b"):
        param = tensors[f"{key}0"].clone()
        exp_avg, exp_avg_sq = torch.zeros_like(param), torch.zeros_like(param)
        for k in range(config["steps"]):
            grad = tensors[f"grad.{key}{k}"]
            step = k + 1
            if wd != 0:
                if config["decoupled_weight_decay"]:
                    param.mul_(1 - lr * wd)
                else:
                    grad = grad.add(param, alpha=wd)
            exp_avg.lerp_(grad, 1 - beta1)
            exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            step_size = lr / (1 - beta1 ** step)
            bias_correction2_sqrt = (1 - beta2 ** step) ** 0.5
            root = exp_avg_sq.double().sqrt().float() if exact_sqrt else exp_avg_sq.sqrt()
            denom = (root / bias_correction2_sqrt).add_(eps)
            param.addcdiv_(exp_avg, denom, value=-step_size)
            out[f"{key}{step}"] = param.clone()
    return out


def make_optimizers() -> None:
    for name, kind, hyper in make_fixtures.OPTIMIZER_CASES:
        config, tensors = make_fixtures.run_optimizer(kind, hyper, seed=OPTIMIZER_SEED, record_gradients=True,
                                                      **OPTIMIZER_SIZES)
        if kind != "SGD":
            # The op-for-op replay is torch.optim's step: with torch.sqrt it lands on the same bits.
            same = replay_adam(config, tensors, exact_sqrt=False)
            for key, value in same.items():
                assert value.numpy().tobytes() == tensors[key].numpy().tobytes(), (name, key)
            # The same steps with the square root correctly rounded: what an IEEE float32 Adam gives.
            for key, value in replay_adam(config, tensors, exact_sqrt=True).items():
                tensors[f"exact_sqrt.{key}"] = value
        write_case(name, {"dtype": "float32", **config}, tensors)


def main() -> int:
    print(f"torch {torch.__version__}, numpy {np.__version__}, writing to {OUT_DIR.relative_to(ROOT)}/")
    for i in range(len(RECURRENT_CASES)):
        name, config, tensors, module = run_recurrent(i)
        write_case(name, config, tensors)
        if name == NPZ_CASE:
            write_state_dict_npz(name, module)
    make_optimizers()
    stale = sorted(p.name for p in OUT_DIR.iterdir() if p.name not in written)
    if stale:
        print(f"warning: {OUT_DIR} holds files this script did not write: {', '.join(stale)}", file=sys.stderr)
    print(f"{len(written)} fixture files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
