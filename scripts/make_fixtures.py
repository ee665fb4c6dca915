#!/usr/bin/env python3
"""Generate the PyTorch float64 reference fixtures that the Swift engine tests compare against.

What it makes
-------------
One JSON file per case in ``Tests/EngineTests/Fixtures/torch/<case>.json``:

    {"case": "<name>",
     "config": {<scalars, strings, bools only>},
     "tensors": {"<name>": {"shape": [..], "data": [flat row-major floats]}, ...}}

* Every tensor is float64; integer tensors (class targets, embedding indices) are stored as
  floats too. Scalars (a loss, a total norm) have ``"shape": []`` and one element in ``"data"``.
* Floats are written by Python's ``json`` (``float.__repr__``), the shortest decimal that
  round-trips to the same Double, so a correct parser recovers every value bit for bit. Nothing
  is rounded: the Swift side must match these values to 1e-10.
* The Swift loader is ``Tests/EngineTests/Support/TorchFixture.swift`` (``TorchFixture.load``).

Cases
-----
* Recurrent layers (nn.RNN tanh/relu, nn.LSTM, nn.GRU; 1-2 layers, uni/bidirectional,
  batch_first, with and without h0/c0): every ``state_dict`` tensor under its PyTorch name,
  ``x``, ``h0``/``c0``, ``out``, ``hn``/``cn``, the upstream gradients ``dout``, ``dhn``/``dcn``,
  and the gradients ``grad.<param>``, ``grad.x``, ``grad.h0``/``grad.c0`` from
  ``torch.autograd.backward([out, hn(, cn)], [dout, dhn(, dcn)])``.
* Gradient clipping of ``lstm_2layer_bidir``'s gradients: ``clip_grad_norm`` (L2, max_norm 0.5)
  and ``clip_grad_value`` (0.05).
* Optimizers: 3 steps of SGD (plain, momentum+dampening+weight decay, Nesterov), Adam (default,
  weight decay + custom betas/eps) and AdamW on one small linear regression problem.
* Losses: mse, cross_entropy (with and without ignore_index), binary_cross_entropy_with_logits,
  perplexity = exp(cross_entropy); value and gradient.
* nn.Linear(4, 3) and nn.Embedding(10, 4): forward and backward.
* A tiny encoder-decoder with Luong dot-product attention (``seq2seq_attention_gru``: a
  bidirectional GRU encoder over padded sources; ``seq2seq_attention_lstm``: 2-layer LSTMs):
  every parameter under rnnlab's name, ``source``, ``lengths``, ``target``, ``logits`` (T, B, V),
  the alignment ``weights`` (B, T, S), the upstream ``dlogits`` and every ``grad.<param>``.
  ``make_attention`` alone writes just these two files.

Every case seeds ``torch.manual_seed`` itself, so the output does not depend on the order of
the cases, and runs are reproducible byte for byte.

How to run (from the repository root)
-------------------------------------
    /work/venv/bin/python scripts/make_fixtures.py

or, for the attention cases alone (leaving the other files as they are):

    python -c "import sys; sys.path.insert(0, 'scripts'); import make_fixtures as m; m.make_attention()"

Any Python with CPU PyTorch 2.13 and NumPy works. The venv is made by
``../shared/bench/setup_venv.sh``, or by hand:

    python3 -m venv .venv && .venv/bin/pip install "torch==2.13.0+cpu" numpy

The folder ``Tests/EngineTests/Fixtures/torch/`` belongs to this script: re-running rewrites
every file, and the script warns about ``.json`` files there that it did not write.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)  # one reduction order, whatever the machine

ROOT = Path(__file__).resolve().parent.parent
OUT_DIR = ROOT / "Tests" / "EngineTests" / "Fixtures" / "torch"

written: list[str] = []


# --------------------------------------------------------------------------------------------
# Writing


def _flat(value) -> tuple[list[int], list[float]]:
    """Shape and flat row-major float data of a tensor or a Python number."""
    if isinstance(value, (int, float)):
        return [], [float(value)]
    t = value.detach().to(torch.float64).contiguous()
    return list(t.shape), [float(v) for v in t.reshape(-1).tolist()]


def write_case(name: str, config: dict, tensors: dict) -> None:
    """Writes one fixture file, checks that it reads back exactly, prints a one-line summary."""
    for key, value in config.items():
        if not isinstance(value, (bool, int, float, str)):
            raise TypeError(f"{name}: config[{key!r}] must be a scalar, string or bool, not {type(value)}")
    flat = {}
    for key, value in tensors.items():
        shape, data = _flat(value)
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

    # Round-trip check: the file must parse back to exactly the same bits.
    back = json.loads(text)
    assert back["case"] == name and back["config"] == config
    for key, value in flat.items():
        got = back["tensors"][key]
        assert got["shape"] == value["shape"], (name, key)
        assert len(got["data"]) == math.prod(value["shape"]), (name, key)
        assert all(float(a).hex() == b.hex() for a, b in zip(got["data"], value["data"])), (name, key)

    OUT_DIR.mkdir(parents=True, exist_ok=True)
    path = OUT_DIR / f"{name}.json"
    path.write_text(text)
    written.append(name)
    n_values = sum(len(v["data"]) for v in flat.values())
    print(f"{name + '.json':38s} {len(flat):3d} tensors {n_values:6d} values "
          f"{path.stat().st_size:7d} bytes  [{', '.join(list(flat)[:6])}{', …' if len(flat) > 6 else ''}]")


# --------------------------------------------------------------------------------------------
# a) Recurrent layers

RECURRENT_CASES = [
    # name, mode, I, H, layers, bidirectional, batch_first, T, B, has_h0
    ("rnn_tanh_1layer", "RNN_TANH", 3, 4, 1, False, False, 5, 2, True),
    ("rnn_relu_1layer", "RNN_RELU", 3, 4, 1, False, False, 5, 2, True),
    ("lstm_1layer", "LSTM", 3, 4, 1, False, False, 5, 2, True),
    ("gru_1layer", "GRU", 3, 4, 1, False, False, 5, 2, True),
    ("lstm_no_h0", "LSTM", 2, 3, 1, False, False, 4, 1, False),
    ("rnn_tanh_2layer_batch_first", "RNN_TANH", 3, 4, 2, False, True, 6, 3, True),
    ("lstm_2layer_bidir", "LSTM", 3, 4, 2, True, False, 5, 2, True),
    ("gru_2layer_bidir", "GRU", 3, 5, 2, True, False, 4, 2, True),
    ("rnn_tanh_bidir_1layer", "RNN_TANH", 2, 3, 1, True, False, 3, 2, False),
    ("lstm_long", "LSTM", 1, 8, 1, False, False, 60, 1, False),
]

RECURRENT_SEED = 1000  # case i uses RECURRENT_SEED + i


def run_recurrent(index: int):
    """Builds, runs and differentiates recurrent case `index`; returns (name, config, tensors, module)."""
    return recurrent_case(RECURRENT_CASES[index], RECURRENT_SEED + index)


def recurrent_case(case: tuple, seed: int):
    """Builds, runs and differentiates one recurrent case (a RECURRENT_CASES row) from `seed`, in
    torch's current default dtype; returns (name, config, tensors, module). The float32 script
    (make_float32_fixtures.py) runs its own rows through it too."""
    name, mode, I, H, L, bidir, batch_first, T, B, has_h0 = case
    torch.manual_seed(seed)
    kwargs = dict(input_size=I, hidden_size=H, num_layers=L, bidirectional=bidir, batch_first=batch_first)
    if mode == "RNN_TANH":
        module = nn.RNN(nonlinearity="tanh", **kwargs)
    elif mode == "RNN_RELU":
        module = nn.RNN(nonlinearity="relu", **kwargs)
    elif mode == "LSTM":
        module = nn.LSTM(**kwargs)
    elif mode == "GRU":
        module = nn.GRU(**kwargs)
    else:
        raise ValueError(mode)
    is_lstm = mode == "LSTM"
    D = 2 if bidir else 1

    x = torch.randn(*((B, T, I) if batch_first else (T, B, I)), requires_grad=True)
    h0 = c0 = None
    if has_h0:
        h0 = torch.randn(L * D, B, H, requires_grad=True)
        if is_lstm:
            c0 = torch.randn(L * D, B, H, requires_grad=True)

    if is_lstm:
        out, (hn, cn) = module(x, (h0, c0)) if has_h0 else module(x)
    else:
        cn = None
        out, hn = module(x, h0) if has_h0 else module(x)

    dout = torch.randn_like(out)
    dhn = torch.randn_like(hn)
    dcn = torch.randn_like(cn) if is_lstm else None
    if is_lstm:
        torch.autograd.backward([out, hn, cn], [dout, dhn, dcn])
    else:
        torch.autograd.backward([out, hn], [dout, dhn])

    tensors: dict = {}
    for pname, value in module.state_dict().items():
        tensors[pname] = value
    tensors["x"] = x
    if h0 is not None:
        tensors["h0"] = h0
    if c0 is not None:
        tensors["c0"] = c0
    tensors["out"] = out
    tensors["hn"] = hn
    if is_lstm:
        tensors["cn"] = cn
    tensors["dout"] = dout
    tensors["dhn"] = dhn
    if is_lstm:
        tensors["dcn"] = dcn
    for pname, param in module.named_parameters():
        tensors[f"grad.{pname}"] = param.grad
    tensors["grad.x"] = x.grad
    if h0 is not None:
        tensors["grad.h0"] = h0.grad
    if c0 is not None:
        tensors["grad.c0"] = c0.grad

    config = {
        "mode": mode, "input_size": I, "hidden_size": H, "num_layers": L,
        "bidirectional": bidir, "batch_first": batch_first, "has_h0": has_h0,
        "seq_len": T, "batch": B, "bias": True, "dropout": 0.0, "seed": seed,
    }
    return name, config, tensors, module


def make_recurrent() -> None:
    for i in range(len(RECURRENT_CASES)):
        name, config, tensors, _ = run_recurrent(i)
        write_case(name, config, tensors)


# --------------------------------------------------------------------------------------------
# b) Gradient clipping (of lstm_2layer_bidir's gradients)


def lstm_2layer_bidir_grads():
    index = [c[0] for c in RECURRENT_CASES].index("lstm_2layer_bidir")
    _, _, _, module = run_recurrent(index)
    return list(module.named_parameters())


def make_clipping() -> None:
    max_norm = 0.5
    named = lstm_2layer_bidir_grads()
    tensors = {f"grad.{n}": p.grad.clone() for n, p in named}
    total_norm = torch.nn.utils.clip_grad_norm_([p for _, p in named], max_norm=max_norm, norm_type=2.0,
                                                foreach=False)
    tensors["total_norm"] = total_norm
    for n, p in named:
        tensors[f"clipped.{n}"] = p.grad
    write_case("clip_grad_norm", {
        "source_case": "lstm_2layer_bidir", "max_norm": max_norm, "norm_type": 2.0,
        # PyTorch scales by min(max_norm / (total_norm + eps), 1) with this eps.
        "eps": 1e-6,
    }, tensors)

    clip_value = 0.05
    named = lstm_2layer_bidir_grads()
    tensors = {f"grad.{n}": p.grad.clone() for n, p in named}
    torch.nn.utils.clip_grad_value_([p for _, p in named], clip_value=clip_value, foreach=False)
    for n, p in named:
        tensors[f"valueclipped.{n}"] = p.grad
    write_case("clip_grad_value", {"source_case": "lstm_2layer_bidir", "clip_value": clip_value}, tensors)


# --------------------------------------------------------------------------------------------
# c) Optimizers on a linear regression problem

OPTIMIZER_PROBLEM_SEED = 2000  # every optimizer case solves the same problem
OPTIMIZER_STEPS = 3


def run_optimizer(kind: str, hyper: dict, *, rows: int = 5, inputs: int = 4, outputs: int = 3,
                  steps: int = OPTIMIZER_STEPS, seed: int = OPTIMIZER_PROBLEM_SEED,
                  record_gradients: bool = False) -> tuple[dict, dict]:
    """`steps` steps of optimizer `kind` on mse_loss(X @ W.T + b, Y), X: rows×inputs,
    W: outputs×inputs, b: outputs, in the default dtype; returns (config, tensors).

    Tensors: X, Y, W0, b0 … W<steps>, b<steps>, loss0 … loss<steps-1> and, with
    `record_gradients`, the gradients grad.W<k>, grad.b<k> each step k stepped with."""
    torch.manual_seed(seed)
    W = torch.randn(outputs, inputs).requires_grad_(True)
    b = torch.randn(outputs).requires_grad_(True)
    X = torch.randn(rows, inputs)
    Y = torch.randn(rows, outputs)

    if kind == "SGD":
        opt = torch.optim.SGD([W, b], foreach=False, **hyper)
    elif kind == "Adam":
        opt = torch.optim.Adam([W, b], foreach=False, **hyper)
    elif kind == "AdamW":
        opt = torch.optim.AdamW([W, b], foreach=False, **hyper)
    else:
        raise ValueError(kind)

    tensors: dict = {"X": X, "Y": Y, "W0": W.detach().clone(), "b0": b.detach().clone()}
    for step in range(steps):
        opt.zero_grad()
        loss = F.mse_loss(X @ W.T + b, Y)
        loss.backward()
        if record_gradients:
            tensors[f"grad.W{step}"] = W.grad.detach().clone()
            tensors[f"grad.b{step}"] = b.grad.detach().clone()
        opt.step()
        tensors[f"loss{step}"] = loss
        tensors[f"W{step + 1}"] = W.detach().clone()
        tensors[f"b{step + 1}"] = b.detach().clone()
    # Put the keys in a reading order: problem, then parameters, then gradients, then losses.
    order = ["X", "Y"] + [f"{p}{k}" for k in range(steps + 1) for p in ("W", "b")]
    if record_gradients:
        order += [f"grad.{p}{k}" for k in range(steps) for p in ("W", "b")]
    order += [f"loss{k}" for k in range(steps)]
    tensors = {k: tensors[k] for k in order}

    # Every hyper-parameter explicitly, PyTorch defaults included (betas split into two scalars).
    group = opt.param_groups[0]
    config: dict = {"optimizer": kind, "steps": steps, "loss": "mse_mean", "seed": seed}
    if kind == "SGD":
        keys = ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"]
    else:
        keys = ["lr", "beta1", "beta2", "eps", "weight_decay", "amsgrad", "maximize"]
    for key in keys:
        if key in ("beta1", "beta2"):
            value = group["betas"][0 if key == "beta1" else 1]
        else:
            value = group[key]
        config[key] = float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value
    if kind != "SGD":
        config["decoupled_weight_decay"] = kind == "AdamW"
    return config, tensors


# The optimizer cases: name, torch.optim class, hyper-parameters (the float32 script reuses them).
OPTIMIZER_CASES = [
    ("sgd_plain", "SGD", dict(lr=0.1)),
    ("sgd_momentum", "SGD", dict(lr=0.1, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("sgd_nesterov", "SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("adam_default", "Adam", dict(lr=0.01)),
    ("adam_weight_decay", "Adam", dict(lr=0.01, weight_decay=0.1, betas=(0.8, 0.9), eps=1e-6)),
    ("adamw", "AdamW", dict(lr=0.01, weight_decay=0.1)),
]


def make_optimizers() -> None:
    for name, kind, hyper in OPTIMIZER_CASES:
        config, tensors = run_optimizer(kind, hyper)
        write_case(name, config, tensors)


# --------------------------------------------------------------------------------------------
# d) Losses


def make_losses() -> None:
    # mse
    torch.manual_seed(3000)
    pred = torch.randn(4, 3, requires_grad=True)
    target = torch.randn(4, 3)
    loss = F.mse_loss(pred, target)
    loss.backward()
    write_case("loss_mse", {"loss": "mse", "reduction": "mean"},
               {"pred": pred, "target": target, "loss": loss, "grad.pred": pred.grad})

    # cross_entropy, mean over all 6 samples
    torch.manual_seed(3001)
    logits = torch.randn(6, 5, requires_grad=True)
    target = torch.randint(0, 5, (6,))
    loss = F.cross_entropy(logits, target)
    loss.backward()
    write_case("loss_cross_entropy", {"loss": "cross_entropy", "reduction": "mean", "num_classes": 5,
                                      "ignore_index": -100, "label_smoothing": 0.0},
               {"logits": logits, "target": target, "loss": loss, "grad.logits": logits.grad})

    # cross_entropy with ignore_index=2: exactly two of the six targets are 2; the mean is over
    # the four others, and the ignored rows get a zero gradient.
    torch.manual_seed(3002)
    logits = torch.randn(6, 5, requires_grad=True)
    others = torch.tensor([0, 1, 3, 4])
    target = others[torch.randint(0, 4, (6,))]
    target[1] = 2
    target[4] = 2
    assert int((target == 2).sum()) == 2
    loss = F.cross_entropy(logits, target, ignore_index=2)
    loss.backward()
    write_case("loss_cross_entropy_ignore_index",
               {"loss": "cross_entropy", "reduction": "mean", "num_classes": 5, "ignore_index": 2,
                "label_smoothing": 0.0, "ignored_count": 2},
               {"logits": logits, "target": target, "loss": loss, "grad.logits": logits.grad})

    # binary_cross_entropy_with_logits, targets in {0, 1}
    torch.manual_seed(3003)
    logits = torch.randn(4, 3, requires_grad=True)
    target = torch.randint(0, 2, (4, 3)).to(torch.float64)
    loss = F.binary_cross_entropy_with_logits(logits, target)
    loss.backward()
    write_case("loss_bce_with_logits", {"loss": "binary_cross_entropy_with_logits", "reduction": "mean"},
               {"logits": logits, "target": target, "loss": loss, "grad.logits": logits.grad})

    # perplexity = exp(mean cross_entropy); gradient of the perplexity
    torch.manual_seed(3004)
    logits = torch.randn(6, 5, requires_grad=True)
    target = torch.randint(0, 5, (6,))
    ce = F.cross_entropy(logits, target)
    ppl = torch.exp(ce)
    ppl.backward()
    write_case("loss_perplexity", {"loss": "perplexity", "reduction": "mean", "num_classes": 5},
               {"logits": logits, "target": target, "cross_entropy": ce, "perplexity": ppl,
                "grad.logits": logits.grad})


# --------------------------------------------------------------------------------------------
# e) Linear and Embedding


def make_layers() -> None:
    torch.manual_seed(4000)
    lin = nn.Linear(4, 3)
    x = torch.randn(2, 5, 4, requires_grad=True)
    y = lin(x)
    dy = torch.randn_like(y)
    y.backward(dy)
    write_case("linear", {"in_features": 4, "out_features": 3, "bias": True, "seed": 4000},
               {"weight": lin.weight, "bias": lin.bias, "x": x, "y": y, "dy": dy,
                "grad.weight": lin.weight.grad, "grad.bias": lin.bias.grad, "grad.x": x.grad})

    torch.manual_seed(4001)
    emb = nn.Embedding(10, 4)
    indices = torch.tensor([[1, 2, 2], [9, 0, 1]])
    y = emb(indices)
    dy = torch.randn_like(y)
    y.backward(dy)
    write_case("embedding", {"num_embeddings": 10, "embedding_dim": 4, "seed": 4001},
               {"weight": emb.weight, "indices": indices, "y": y, "dy": dy, "grad.weight": emb.weight.grad})


# --------------------------------------------------------------------------------------------
# f) Encoder-decoder with dot-product attention (rnnlab's seq2seq(attention: "dot"))


class AttentionSeq2Seq(nn.Module):
    """Luong et al. 2015 global attention, dot score, no input feeding:

        score[t, s] = h_t . hbar_s        (s < the source's length; padding masked with -inf)
        alpha[t, :] = softmax(score[t, :])
        c_t         = sum_s alpha[t, s] hbar_s
        htilde_t    = tanh(W_c [c_t; h_t])        combine: Linear(2 D H, D H, bias=False)
        logits_t    = head(htilde_t)

    The decoder starts from the encoder's final states, each layer's directions side by side."""

    def __init__(self, kind, source_vocab, target_vocab, embed, hidden, layers, bidirectional):
        super().__init__()
        rnn = {"gru": nn.GRU, "lstm": nn.LSTM}[kind]
        self.D, self.L, self.H, self.kind = 2 if bidirectional else 1, layers, hidden, kind
        self.source_embedding = nn.Embedding(source_vocab, embed)
        self.encoder = rnn(embed, hidden, num_layers=layers, bidirectional=bidirectional)
        self.target_embedding = nn.Embedding(target_vocab, embed)
        self.decoder = rnn(embed, self.D * hidden, num_layers=layers)
        self.combine = nn.Linear(2 * self.D * hidden, self.D * hidden, bias=False)
        self.head = nn.Linear(self.D * hidden, target_vocab)

    def forward(self, source, lengths, decoder_input):
        S, B = source.shape
        packed = nn.utils.rnn.pack_padded_sequence(self.source_embedding(source), lengths, enforce_sorted=False)
        out, state = self.encoder(packed)
        keys, _ = nn.utils.rnn.pad_packed_sequence(out, total_length=S)              # (S, B, D H)

        def bridge(s):                                                                 # (L D, B, H) -> (L, B, D H)
            return s.view(self.L, self.D, B, self.H).permute(0, 2, 1, 3).reshape(self.L, B, self.D * self.H)

        h0 = tuple(bridge(s) for s in state) if self.kind == "lstm" else bridge(state)
        dec, _ = self.decoder(self.target_embedding(decoder_input), h0)               # (T, B, D H)
        q, k = dec.transpose(0, 1), keys.transpose(0, 1)                               # (B, T, D H), (B, S, D H)
        scores = q @ k.transpose(1, 2)                                                 # (B, T, S)
        allowed = torch.arange(S)[None, None, :] < lengths[:, None, None]
        weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
        context = weights @ k
        mixed = torch.tanh(self.combine(torch.cat([context, q], dim=-1)))
        return self.head(mixed).transpose(0, 1), weights                              # (T, B, V), (B, T, S)


def attention_case(name, seed, kind, layers, bidirectional, lengths):
    torch.manual_seed(seed)
    source_vocab, target_vocab, embed, hidden, T, start = 5, 4, 2, 3, 3, 3
    S, B = max(lengths), len(lengths)
    model = AttentionSeq2Seq(kind, source_vocab, target_vocab, embed, hidden, layers, bidirectional)
    with torch.no_grad():       # spread the weights a little wider than PyTorch's default so the
        for p in model.parameters():   # alignment is far from uniform
            p.mul_(2.0)
    source = torch.randint(0, source_vocab, (S, B))
    target = torch.randint(0, target_vocab, (T, B))
    lengths_t = torch.tensor(lengths)
    decoder_input = torch.cat([torch.full((1, B), start), target[:-1]])
    logits, weights = model(source, lengths_t, decoder_input)
    dlogits = torch.randn_like(logits)
    logits.backward(dlogits)
    tensors = {name_: p for name_, p in model.named_parameters()}
    tensors.update({"source": source, "lengths": lengths_t, "target": target, "logits": logits, "weights": weights,
                    "dlogits": dlogits})
    tensors.update({f"grad.{name_}": p.grad for name_, p in model.named_parameters()})
    write_case(name, {"kind": kind, "source_vocab": source_vocab, "target_vocab": target_vocab, "embed": embed,
                      "hidden": hidden, "layers": layers, "bidirectional": bidirectional, "start": start,
                      "seed": seed}, tensors)


def make_attention() -> None:
    attention_case("seq2seq_attention_gru", 5000, "gru", 1, True, [4, 2, 3])
    attention_case("seq2seq_attention_lstm", 5001, "lstm", 2, False, [3, 3])


# --------------------------------------------------------------------------------------------


def main() -> int:
    print(f"torch {torch.__version__}, writing to {OUT_DIR.relative_to(ROOT)}/")
    make_recurrent()
    make_clipping()
    make_optimizers()
    make_losses()
    make_layers()
    make_attention()
    stale = sorted(p.stem for p in OUT_DIR.glob("*.json") if p.stem not in written)
    if stale:
        print(f"warning: {OUT_DIR} holds files this script did not write: {', '.join(stale)}", file=sys.stderr)
    print(f"{len(written)} fixture files")
    return 0


if __name__ == "__main__":
    sys.exit(main())
