"""Fuzzing: damaged copies of a valid model file are graded or rejected, never a crash.

Seeded random byte flips, overwritten runs and truncations of a small valid .h5 (and .keras)
are graded in a child process, because a C library (HDF5, zlib) that crashes on a damaged
file would take pytest down with it. Each file must give a `Result` or a `Rejected`; any
other exception, a crash, or a hang fails the test and names the file.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

SEED = 20261121
FLIPS = 40
OVERWRITES = 15
TRUNCATIONS = 25

# Runs in the child: grades every file named in argv[1] (a JSON list of [path, problem]),
# printing one JSON line per file *before* grading it and one after, so that a crash can be
# pinned on the file that caused it.
CHILD = r"""
import json, sys
import grader
from grader import Rejected
cases = json.load(open(sys.argv[1]))
for path, problem in cases:
    print(json.dumps({"start": path}), flush=True)
    try:
        result = grader.grade(path, problem)
        outcome = {"path": path, "kind": "result", "score": result.score}
    except Rejected as exc:
        one_line = "\n" not in exc.reason and bool(exc.reason.strip())
        outcome = {"path": path, "kind": "rejected", "code": exc.code, "one_line": one_line}
    except BaseException as exc:
        outcome = {"path": path, "kind": "other", "error": f"{type(exc).__name__}: {exc}"[:500]}
    print(json.dumps(outcome), flush=True)
print(json.dumps({"done": len(cases)}), flush=True)
"""


def _variants(source: Path, out: Path, rng: random.Random, prefix: str) -> list[Path]:
    data = source.read_bytes()
    paths: list[Path] = []
    suffix = source.suffix
    for i in range(FLIPS):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            offset = rng.randrange(len(damaged))
            damaged[offset] ^= 1 << rng.randrange(8)
        paths.append(_write(out / f"{prefix}-flip{i:02d}{suffix}", damaged))
    for i in range(OVERWRITES):
        damaged = bytearray(data)
        offset = rng.randrange(len(damaged))
        run = rng.randint(16, 512)
        damaged[offset : offset + run] = rng.randbytes(len(damaged[offset : offset + run]))
        paths.append(_write(out / f"{prefix}-overwrite{i:02d}{suffix}", damaged))
    for i in range(TRUNCATIONS):
        paths.append(
            _write(out / f"{prefix}-cut{i:02d}{suffix}", data[: rng.randrange(1, len(data))])
        )
    return paths


def _write(path: Path, data: bytes | bytearray) -> Path:
    path.write_bytes(bytes(data))
    return path


def _run_child(cases: list[tuple[str, str]], tmp: Path, timeout: float) -> list[dict[str, object]]:
    listing = tmp / "cases.json"
    listing.write_text(json.dumps(cases))
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2", "TF_ENABLE_ONEDNN_OPTS": "0"}
    try:
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(listing)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            cwd=tmp,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        last = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        pytest.fail(f"grading hung; last line: {last[-1] if last else None}")
    lines = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
    if proc.returncode != 0 or not lines or "done" not in lines[-1]:
        started = [line["start"] for line in lines if "start" in line]
        culprit = started[-1] if started else None
        pytest.fail(
            f"the grading process died (exit {proc.returncode}) on {culprit}"
            f"\nstderr tail: {proc.stderr[-2000:]}"
        )
    return [line for line in lines if "kind" in line]


def test_fuzzed_model_files(models, tmp_path):
    rng = random.Random(SEED)
    work = tmp_path / "fuzz"
    work.mkdir()
    cases: list[tuple[str, str]] = []
    for name, problem in (
        ("c1-good.h5", "c1-basic-regression"),
        ("c1-good.keras", "c1-basic-regression"),
    ):
        for path in _variants(models.get(name), work, rng, name.replace(".", "-")):
            cases.append((str(path), problem))
    # One valid file first and last: the child grades real files, and is still healthy at the end.
    good = str(models.get("c1-good.h5"))
    cases = [(good, "c1-basic-regression"), *cases, (good, "c1-basic-regression")]

    outcomes = _run_child(cases, tmp_path, timeout=300)

    assert len(outcomes) == len(cases)
    others = [o for o in outcomes if o["kind"] == "other"]
    assert others == [], "grading raised something other than Rejected:\n" + "\n".join(
        map(str, others)
    )
    assert all(o["one_line"] for o in outcomes if o["kind"] == "rejected")
    assert outcomes[0] == {"path": good, "kind": "result", "score": 5}
    assert outcomes[-1] == outcomes[0]
    # The damage did something: most variants are refused, with several different codes.
    codes = {o["code"] for o in outcomes if o["kind"] == "rejected"}
    assert len(codes) >= 3, codes
