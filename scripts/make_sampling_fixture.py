#!/usr/bin/env python3
"""Writes the reference for rnnlab's top-k / top-p sampling: Hugging Face's own logits warpers.

What it makes
-------------
``Tests/EngineTests/Fixtures/transformers/sampling_filters.json``:

    {"transformers": "<version>", "torch": "<version>",
     "cases": [{"logits": [...], "temperature": t, "top_k": k or null, "top_p": p or null,
                "probs": [...]}, ...]}

``probs`` is softmax of the scores after ``TemperatureLogitsWarper`` (when t != 1),
``TopKLogitsWarper`` and ``TopPLogitsWarper``, in that order: the order of
``GenerationMixin._get_logits_warper`` in transformers (temperature, top_k, top_p), which
``generate(do_sample=True, ...)`` applies before drawing. Everything is float64. The Swift test
``SamplingTests.matchesHuggingFacesWarpers`` compares ``Sampling.probabilities`` with ``probs``
to 1e-12.

Logits are random (no ties: torch.sort's order among equal scores is not specified, where rnnlab
keeps every tie), and a case whose top-p sum lands within 1e-9 of p is drawn again, since there
transformers' rule (ascending cumulative sum <= 1 - p removed) and rnnlab's (descending sum
reaching p) may differ by rounding alone.

How to run (from the repository root)
-------------------------------------
    python3 -m venv .venv && .venv/bin/pip install "torch==2.13.0+cpu" numpy transformers
    .venv/bin/python scripts/make_sampling_fixture.py
"""

from __future__ import annotations

import json
from pathlib import Path

import torch
import transformers
from transformers import LogitsProcessorList, TemperatureLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

OUT = Path(__file__).resolve().parent.parent / "Tests/EngineTests/Fixtures/transformers/sampling_filters.json"

SETTINGS = [  # (temperature, top_k, top_p)
    (1.0, 1, None), (1.0, 3, None), (0.7, 5, None), (1.0, None, 0.5), (1.0, None, 0.9),
    (0.5, None, 0.9), (1.5, None, 0.95), (0.8, 10, 0.9), (1.0, 4, 0.6), (2.0, 8, 0.99),
]


def warped_probs(logits: torch.Tensor, t: float, k: int | None, p: float | None) -> torch.Tensor:
    warpers = LogitsProcessorList()
    if t != 1.0:
        warpers.append(TemperatureLogitsWarper(t))
    if k is not None:
        warpers.append(TopKLogitsWarper(top_k=k))
    if p is not None and p < 1.0:
        warpers.append(TopPLogitsWarper(top_p=p))
    dummy_ids = torch.zeros((1, 1), dtype=torch.long)
    return torch.softmax(warpers(dummy_ids, logits.clone()), dim=-1)


def near_boundary(logits: torch.Tensor, t: float, k: int | None, p: float | None) -> bool:
    """Whether a descending cumulative sum of the top-k distribution lies within 1e-9 of p."""
    if p is None:
        return False
    probs = warped_probs(logits, t, k, None)[0]
    cumulative = torch.sort(probs, descending=True).values.cumsum(0)
    return bool((cumulative - p).abs().min() < 1e-9)


def main() -> None:
    torch.manual_seed(2020)
    cases = []
    for i, (t, k, p) in enumerate(SETTINGS * 3):
        vocab = [6, 20, 76][i % 3]
        while True:
            logits = torch.randn(1, vocab, dtype=torch.float64) * 2
            if len(set(logits[0].tolist())) == vocab and not near_boundary(logits, t, k, p):
                break
        probs = warped_probs(logits, t, k, p)[0]
        cases.append({"logits": logits[0].tolist(), "temperature": t, "top_k": k, "top_p": p,
                      "probs": probs.tolist()})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps({"transformers": transformers.__version__, "torch": torch.__version__,
                               "cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")


if __name__ == "__main__":
    main()
