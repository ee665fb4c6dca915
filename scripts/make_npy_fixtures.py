#!/usr/bin/env python3
"""Writes the NumPy fixtures that rnnlab's .npy/.npz tests read back.

Why: the tests must prove rnnlab reads what *real* NumPy writes (header layout, padding, zip64
members of np.savez, deflated members of np.savez_compressed), without needing Python at test
time. So the files are generated once by this script and committed, together with
`expected.json`, which holds every expected value as Python's repr (shortest round-tripping
decimal, so Swift's `Double(String)` recovers the exact same bits).

Run from the repository root (needs python3 with numpy; any NumPy >= 1.17 writes valid files,
the committed ones come from NumPy 2.x):

    python3 scripts/make_npy_fixtures.py            # (re)write Tests/EngineTests/Fixtures/npy/
    python3 scripts/make_npy_fixtures.py --check DIR

`--check DIR` is the reverse direction, run by hand: it loads the files rnnlab wrote into DIR
(`RNNLAB_NPY_CHECK_DIR=DIR swift test --filter writesFilesForNumPyCheck`) with
NumPy and compares them with the values the Swift test used.
"""

import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "Tests", "EngineTests", "Fixtures", "npy")

# The LSTM(input_size=3, hidden_size=4) state_dict layout, in PyTorch's order.
LSTM_LAYOUT = [
    ("weight_ih_l0", (16, 3)),
    ("weight_hh_l0", (16, 4)),
    ("bias_ih_l0", (16,)),
    ("bias_hh_l0", (16,)),
]


def exact(values):
    """Values as strings that parse back to the identical double (repr is shortest round-trip)."""
    return [repr(float(v)) for v in np.asarray(values).ravel(order="C")]


def lstm_state_dict():
    rng = np.random.RandomState(42)
    return {name: rng.uniform(-0.5, 0.5, size=shape) for name, shape in LSTM_LAYOUT}


def check_array_file(path, want_descr, want_shape, want_values):
    a = np.load(path)
    assert a.dtype.str == want_descr, (path, a.dtype.str, want_descr)
    assert a.shape == tuple(want_shape), (path, a.shape, want_shape)
    got = [float(v) for v in a.ravel()]
    assert got == [float(v) for v in want_values], (path, got, want_values)


def check(directory):
    """Loads what the Swift test `writesFilesForNumPyCheck` wrote and checks it against its manifest."""
    with open(os.path.join(directory, "manifest.json")) as f:
        manifest = json.load(f)
    for name, spec in manifest["npy"].items():
        check_array_file(os.path.join(directory, name), spec["descr"], spec["shape"], spec["values"])
        print("ok", name, spec["descr"], tuple(spec["shape"]))
    for name, members in manifest["npz"].items():
        with np.load(os.path.join(directory, name)) as z:
            assert list(z.files) == [m["name"] for m in members], (name, z.files)
            for m in members:
                a = z[m["name"]]
                assert a.dtype.str == m["descr"] and a.shape == tuple(m["shape"]), (name, m["name"])
                assert [float(v) for v in a.ravel()] == [float(v) for v in m["values"]], (name, m["name"])
        print("ok", name, [m["name"] for m in members])
    print("NumPy", np.__version__, "read every rnnlab-written file exactly.")


def main():
    os.makedirs(OUT, exist_ok=True)
    expected = {"numpy_version": np.__version__, "arrays": {}, "archives": {}}

    def save(name, array, *, version=None, record=True):
        path = os.path.join(OUT, name)
        with open(path, "wb") as f:
            np.lib.format.write_array(f, array, version=version)
        if record:
            expected["arrays"][name] = {
                "descr": array.dtype.str,
                "shape": list(array.shape),
                "values": exact(array),
            }
        return path

    rng = np.random.RandomState(0)
    f8 = rng.standard_normal((2, 3))
    save("f8_2x3.npy", f8)
    save("f4_2x3.npy", np.random.RandomState(1).standard_normal((2, 3)).astype("<f4"))
    save("i8_3x2.npy", np.array([[0, -1], [2**53, -(2**53)], [123456789, -7]], dtype="<i8"))
    save("i4_4.npy", np.array([-2**31, -1, 0, 2**31 - 1], dtype="<i4"))
    save("u1_5.npy", np.array([0, 1, 127, 128, 255], dtype="|u1"))
    save("b1_2x2.npy", np.array([[True, False], [False, True]]))
    save("scalar_f8.npy", np.array(np.pi))
    save("empty_0x3.npy", np.zeros((0, 3)))
    save("rank4_f8.npy", np.random.RandomState(2).standard_normal((2, 1, 3, 2)))
    save("v2_f8_3x4.npy", np.random.RandomState(3).standard_normal((3, 4)), version=(2, 0))
    save("v3_f8_2.npy", np.array([1.5, -0.25]), version=(3, 0))

    # Files rnnlab must refuse, each with a clear error.
    save("fortran_f8_2x3.npy", np.asfortranarray(f8), record=False)
    save("bigendian_f8_2x3.npy", f8.astype(">f8"), record=False)
    save("complex_c16_2.npy", np.array([1 + 2j, 3 - 4j]), record=False)
    save("i8_inexact.npy", np.array([2**53 + 1], dtype="<i8"), record=False)
    with open(os.path.join(OUT, "object_O.npy"), "wb") as f:
        np.lib.format.write_array(f, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)
    whole = open(os.path.join(OUT, "f8_2x3.npy"), "rb").read()
    open(os.path.join(OUT, "truncated_f8_2x3.npy"), "wb").write(whole[:-5])
    open(os.path.join(OUT, "truncated_header.npy"), "wb").write(whole[:20])

    # PyTorch's `np.savez(path, **{k: v.detach().double().numpy() for k, v in state_dict.items()})`.
    state = lstm_state_dict()
    np.savez(os.path.join(OUT, "weights.npz"), **state)
    np.savez_compressed(os.path.join(OUT, "weights_compressed.npz"), **state)
    # Archives rnnlab must refuse: a big-endian member, a member that is not an array, a name used twice.
    np.savez(os.path.join(OUT, "bigendian_member.npz"), ok=np.zeros(2), x=f8.astype(">f8"))
    # (Fixed timestamps, as np.savez uses, so regenerating gives identical bytes.)
    import warnings
    import zipfile

    def member(name):
        return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))

    small = open(os.path.join(OUT, "v3_f8_2.npy"), "rb").read()
    with zipfile.ZipFile(os.path.join(OUT, "odd_member.npz"), "w") as z:
        z.writestr(member("bias.npy"), small)
        z.writestr(member("notes.txt"), "not an array\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate, which is the point
        with zipfile.ZipFile(os.path.join(OUT, "duplicate.npz"), "w") as z:
            z.writestr(member("bias.npy"), small)
            z.writestr(member("bias.npy"), small)

    members = [{"name": k, "descr": v.dtype.str, "shape": list(v.shape), "values": exact(v)}
               for k, v in state.items()]
    expected["archives"]["weights.npz"] = members
    expected["archives"]["weights_compressed.npz"] = members

    with open(os.path.join(OUT, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", len(os.listdir(OUT)), "files to", os.path.relpath(OUT, ROOT), "with NumPy", np.__version__)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    elif len(sys.argv) == 1:
        main()
    else:
        sys.exit(__doc__)
