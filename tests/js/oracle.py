"""The Python side of the in-browser grader's unit tests (tests/js/*.test.mjs): what the
Python grader and the site's export (tools/browser_grader_export.py) make of the same
inputs, so that the page's modules are checked against the code they mirror, not against
numbers copied by hand.

    python tests/js/oracle.py COMMAND < request.json > answer.json

Commands (the request and the answer are JSON):
- `format`: {"numbers": [...]} -> Python's '{:.4f}', '{:.3f}', '{:.2f}', '{:.0f}', '{:g}',
  '{:.4g}' and round(x, 9) of each (pyformat.js).
- `repr`: {"texts": [...]} -> repr() of each str (pyformat.js's pyRepr).
- `oneline`: {"texts": [...]} -> the reason grader.Rejected keeps of each (pyformat.js's
  oneLine, errors.js's Rejected); null for a text with a code point that Python's Unicode
  version leaves unassigned.
- `arrays`: {} -> arrays encoded as the site publishes them (encode(), then gzip), each with
  its values as the grader holds them (data.js).
- `problems`: {"rows": n} -> for each offline problem: made-up targets of its shape, encoded
  and gzipped, the predictions the build checks with, the measure's parameters the manifest
  gives the page, and the grader's own evaluation, score, summary() and explain() lines
  (measure.js, report.js).
- `contract`: made-up models, layers and predictions -> what grader.problems.contract
  answers, with the words and problem entries the manifest gives the page (grade.js).

Needs the project's virtual environment (numpy, mkdocs, the grader); no dataset and no
TensorFlow import: the targets are made up here, as the build's own check makes up
predictions. Only the persistence lines of a forecasting problem's explain() read its
held-out windows, where they are on this machine (as the export does; else no such lines).
"""

from __future__ import annotations

import base64
import gzip
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tools")]

import browser_grader_export as export  # noqa: E402


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _values(a: np.ndarray) -> list[Any]:
    """An array's values in row-major order, as JSON (NaN as None)."""
    flat = a.reshape(-1)
    if a.dtype.kind == "f":
        return [None if np.isnan(v) else float(v) for v in flat.astype(np.float64)]
    return [int(v) for v in flat]


def _encoded(name: str, a: np.ndarray) -> dict[str, Any]:
    enc = export.encode(a)
    return {
        "name": name,
        "spec": {**enc.spec, "file": f"{name}.bin.gz"},
        "gzipped": _b64(gzip.compress(enc.data, mtime=0)),
        "plain": _b64(enc.data),
        "values": _values(a),
    }


def format_numbers(request: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for x in request["numbers"]:
        x = float(x)
        out.append(
            {
                "x": x,
                **{f"f{d}": format(x, f".{d}f") for d in (0, 2, 3, 4)},
                "g": format(x, "g"),
                "g4": format(x, ".4g"),
                "round9": round(x, 9),
            }
        )
    return out


def _rejected_reason(text: str) -> str | None:
    """None where the text holds a code point that this Python's Unicode leaves unassigned:
    Node's may be newer and print it."""
    import unicodedata

    import grader

    if any(unicodedata.category(ch) == "Cn" for ch in text):
        return None
    return str(grader.Rejected(text, "test").reason)


def arrays(request: dict[str, Any]) -> list[dict[str, Any]]:
    rng = np.random.default_rng(7)
    series = rng.normal(size=(40, 3)).astype(np.float32)
    windows = np.lib.stride_tricks.sliding_window_view(series, 6, axis=0).transpose(0, 2, 1)
    return [
        # pixels: whole 255ths, stored as bytes and divided again in float32
        _encoded("pixels", rng.integers(0, 256, (5, 4, 4)).astype(np.float32) / np.float32(255)),
        _encoded("labels", rng.integers(0, 10, 12).astype(np.int64)),
        _encoded("tokens", rng.integers(0, 10_000, (4, 7)).astype(np.int64)),
        _encoded("floats", rng.normal(size=(6, 2)).astype(np.float32)),
        _encoded("doubles", rng.normal(size=(3, 5))),
        # sliding windows of one series: published as the series once
        _encoded("windows", np.ascontiguousarray(windows)),
    ]


def _targets(problem: Any, rows: int, rng: np.random.Generator) -> np.ndarray:
    """Made-up targets of the problem's shape, of the kind its measure expects."""
    if problem.category in (2, 3, 4):
        classes = problem.output_shape[0] if problem.output_shape[0] > 1 else 2
        return rng.integers(0, classes, rows).astype(np.int64)
    if problem.category == 1:
        return np.asarray(problem.evaluation_inputs()[1])  # made by the grader, no data
    # category 5: windows of one series, as the grader cuts them; for the household file,
    # NaN past its end, as the grader pads it (the measure skips them beside its first step)
    steps, features = (*problem.output_shape, 1)[:2]
    series = rng.normal(size=(rows + steps - 1, features)).astype(np.float32)
    if problem.id == "c5-household-power":
        series[rows:] = np.nan
    y = np.lib.stride_tricks.sliding_window_view(series, steps, axis=0).transpose(0, 2, 1)
    return np.ascontiguousarray(y.reshape(rows, *problem.output_shape))


def _near_predictions(problem: Any, y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Predictions that score between 0/5 and 5/5, most of them."""
    shape = (len(y), *problem.output_shape)
    if problem.output_range is None:  # a regression or a forecast: MAE about five + 2 steps
        scale = problem.scale
        noise = rng.normal(0, 1.25 * (scale.five + 2 * scale.step), y.shape)
        return (np.nan_to_num(y.astype(np.float64)) + noise).astype(np.float32).reshape(shape)
    classes = max(problem.output_shape[0], 2)
    labels = np.where(rng.random(len(y)) < 0.8, y, (y + 1) % classes)  # about 80% right
    if problem.output_shape[0] == 1:
        return np.where(labels == 1, 0.9, 0.1).astype(np.float32).reshape(shape)
    return np.eye(problem.output_shape[0], dtype=np.float32)[labels]


def problems(request: dict[str, Any]) -> list[dict[str, Any]]:
    import grader

    rng = np.random.default_rng(11)
    out = []
    for problem in grader.PROBLEMS.values():
        if problem.online_only:
            continue  # never published: the page does not grade them
        y = _targets(problem, request["rows"], rng)
        params = export.describe_measure(problem, y)
        for pred in (
            export._made_up_predictions(problem, y, 3),
            _near_predictions(problem, y, rng),
        ):
            out.append(_case(grader, problem, params, y, pred))
    return out


def _persistence(problem: Any) -> float | None:
    """What the export gives the page for --explain's persistence lines (None: not printed)."""
    from grader.data.errors import DataError
    from grader.problems.category5 import persistence_mae

    if problem.category != 5:
        return None
    try:
        return float(persistence_mae(problem))
    except DataError:
        return None


def _case(
    grader: Any, problem: Any, params: dict[str, Any], y: np.ndarray, pred: np.ndarray
) -> dict[str, Any]:
    evaluation = problem.measure(y, pred)
    scale = problem.scale
    score = scale.score(evaluation.value)
    # grader.grade's Result for this evaluation (the file's digest and time left out)
    result = grader.Result(
        problem=problem.id,
        score=score,
        metric=scale.metric,
        value=evaluation.value,
        count=evaluation.count,
        unit=evaluation.unit,
        needed_for_five=scale.describe(5),
        next_score=None if score >= 5 else scale.describe(score + 1),
        details={**evaluation.details, "raw_score": scale.raw(evaluation.value)},
    )
    return {
        "id": problem.id,
        "persistence": _persistence(problem),
        "scale": {
            "metric": scale.metric,
            "five": scale.five,
            "step": scale.step,
            "higher_is_better": scale.higher_is_better,
        },
        "measure": params,
        "y": _encoded(f"{problem.id}.y", y),
        "pred": _values(pred),
        "pred_shape": list(pred.shape),
        "value": evaluation.value,
        "count": evaluation.count,
        "unit": evaluation.unit,
        # the c1 predictions as a list (the page's form): a JS object would reorder the keys
        "details": {
            k: [[x, *pt] for x, pt in v.items()] if k == "predictions" else v
            for k, v in evaluation.details.items()
        },
        "score": score,
        "summary": result.summary(),
        "explain": grader.explain(result),
    }


def translations(request: dict[str, Any]) -> list[dict[str, Any]]:
    """grader.modelfile.keras2.translate_config of each config."""
    from grader.modelfile.keras2 import translate_config

    out = []
    for config in request["configs"]:
        t = translate_config(config)
        out.append({"config": t.config, "notes": list(t.notes)})
    return out


def fixture_configs(request: dict[str, Any]) -> list[dict[str, Any]]:
    """The model config of every Keras 2 fixture (tests/fixtures/keras2/*/*.h5), and each
    catalogued layer (layers.json) alone in a Sequential model, read with h5py."""
    import h5py

    found = []
    for path in sorted((ROOT / "tests" / "fixtures" / "keras2").glob("*/*.h5")):
        with h5py.File(path, "r") as f:
            raw = f.attrs["model_config"]
        text = raw.decode() if isinstance(raw, bytes) else raw
        found.append({"name": str(path.relative_to(ROOT)), "config": json.loads(text)})
    for path in sorted((ROOT / "tests" / "fixtures" / "keras2").glob("*/layers.json")):
        for layer in json.loads(path.read_text())["layers"]:
            config = {"class_name": "Sequential", "config": {"name": "one", "layers": [layer]}}
            found.append({"name": f"{path.parent.name} {layer['class_name']}", "config": config})
    return found


def words(request: dict[str, Any]) -> dict[str, Any]:
    """What the manifest tells the page about model files (export.model_file_words), with
    the Keras version as the manifest names it, and what the grader says for `cases`:
    [[key, {field: value}]] of model_file.REASONS and inspection.REASONS, and the load
    failures [[first, saved_by, running]]."""
    from importlib.metadata import version

    from grader.modelfile import inspection, model_file
    from grader.problems.grading import _load_failed

    reasons = {**model_file.REASONS, **inspection.REASONS}
    said = []
    for key, values in request.get("cases", []):
        text, code = reasons[key]
        rejected = model_file.Rejected(text.format(**values), code)
        said.append({"reason": rejected.reason, "code": rejected.code})
    failed = [_load_failed(*case) for case in request.get("load_failed", [])]
    return {
        **export.model_file_words(),
        "keras": {"version": version("keras")},
        "said": said,
        "failed": failed,
    }


def _outcome(check: Any) -> dict[str, Any]:
    """What a check of grader.problems.contract answers: its value, or its refusal."""
    from grader.modelfile.model_file import Rejected

    try:
        value = check()
    except Rejected as exc:
        return {"reason": exc.reason, "code": exc.code}
    return {"value": list(value) if isinstance(value, tuple) else value}


def contract(request: dict[str, Any]) -> dict[str, Any]:
    """grader.problems.contract on made-up models (only what it reads of one: its inputs'
    shape and dtype, its outputs' shape, its layers), layers and predictions:
    - `contract`: [{problem, inputs: [[shape, dtype]], outputs: [shape]}] -> check_contract
    - `embeddings`: [{problem, layers: [[class_name, name, input_dim]], largest}]
    - `predictions`: [{problem, values (numbers, or "nan", "inf", "-inf"), shape, count}]
    - `fixes`: {inputs: [[actual, fed]], outputs: [[actual, needed]]}
    With the words the manifest gives the page and each problem's manifest entry."""
    from types import SimpleNamespace as NS

    import grader
    from grader.problems import contract as c

    def t(shape: list[Any]) -> tuple[Any, ...]:
        return tuple(shape)

    def model(case: dict[str, Any]) -> Any:
        inputs = [NS(shape=t(shape), dtype=dtype) for shape, dtype in case["inputs"]]
        return NS(inputs=inputs, outputs=[NS(shape=t(shape)) for shape in case["outputs"]])

    def layer(class_name: str, name: str, rows: Any) -> Any:
        return type(class_name, (), {"name": name, "input_dim": rows, "layers": ()})()

    P = grader.PROBLEMS
    fixes = request.get("fixes", {"inputs": [], "outputs": []})
    return {
        "words": export.model_file_words()["contract"],
        "problems": {
            p.id: {
                "id": p.id,
                "contract": export.contract_entry(p),
                "vocab_size": p.constants.get("VOCAB_SIZE"),
            }
            for p in P.values()
        },
        "contract": [
            _outcome(lambda q=q: c.check_contract(model(q), P[q["problem"]]))
            for q in request.get("contract", [])
        ],
        "embeddings": [
            _outcome(
                lambda q=q: c.check_embeddings(
                    NS(layers=[layer(*spec) for spec in q["layers"]]),
                    P[q["problem"]],
                    q["largest"],
                )
            )
            for q in request.get("embeddings", [])
        ],
        "predictions": [
            _outcome(
                lambda q=q: c.check_predictions(
                    np.asarray([float(v) for v in q["values"]], np.float32).reshape(q["shape"]),
                    q["count"],
                    P[q["problem"]],
                )
            )
            for q in request.get("predictions", [])
        ],
        "fixes": {
            "inputs": [
                c.input_shape_fix(t(a), tuple(t(s) for s in fed)) for a, fed in fixes["inputs"]
            ],
            "outputs": [
                c.output_shape_fix(t(a), tuple(t(s) for s in need)) for a, need in fixes["outputs"]
            ],
        },
    }


COMMANDS = {
    "contract": contract,
    "keras2": translations,
    "keras2-fixtures": fixture_configs,
    "words": words,
    "format": format_numbers,
    "repr": lambda r: [repr(t) for t in r["texts"]],
    "oneline": lambda r: [_rejected_reason(t) for t in r["texts"]],
    "arrays": arrays,
    "problems": problems,
}

if __name__ == "__main__":
    answer = COMMANDS[sys.argv[1]](json.load(sys.stdin))
    json.dump(answer, sys.stdout, allow_nan=False, default=float)
