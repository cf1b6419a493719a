"""What the in-browser grader (docs/grade-in-browser.md) needs, made from the Python grader.

tools/mkdocs_browser_grader.py (the MkDocs hook) writes what `build_export()` returns into
the built site. One source of truth: everything the page compares against comes from the
Python grader when the site is built, never from a copy kept by hand.

- The manifest: each problem's contract, the thresholds of its scale (five, step,
  higher_is_better: grader.problems.definition.Scale), what its measure reports, the grader's size
  limits and the names Keras accepts as built-in (read from the installed Keras, as
  grader.modelfile.inspection asks it; remembered per Keras version in .cache/browser-grader/);
  for a forecasting problem, the persistence forecast's metric on its held-out windows, which
  `--explain` prints beside the model's (grader.problems.category5.persistence_mae).
- The evaluation inputs and targets of every offline problem whose data licence allows
  publishing them, from each problem's own `evaluation_inputs()`, as compact little-endian
  binary files, gzipped: pixels that are whole 255ths as bytes, sliding windows of a series
  as the series once. Each array is decoded again here (as data.js decodes it) and compared
  with the grader's, so a file that would give another score is never published.
- Each problem's measure is checked against the one the page computes (measure.js): the
  page knows a few kinds (classification, forecast MAE, the c1 regression, the exam's
  first-minute MAE); the problem's own `measure` and the kind's formula must agree on two
  made-up predictions, or the build fails and says which problem.
- What the page says and does with a model file, from the Python that does it: the grader's
  refusals (grader.modelfile.model_file.REASONS and inspection.REASONS, templates the page
  fills in), what a failed load says (grader.problems.grading._load_failed, made into
  templates here), the contract's refusals, fixes and notes (grader.problems.contract.REASONS,
  FIXES and NOTES), and the rules that translate an exam-era Keras 2 config for Keras 3
  (grader.modelfile.keras2.RULES and NOTES), which the page applies (keras2.js).
- The versions of the JavaScript packages (h5wasm, TensorFlow.js core and its WebAssembly
  backend) in node_modules, which must be the ones package.json pins.

A problem whose data is missing on this machine, whose licence forbids publishing it, or
that is online-only is listed with the reason instead (`why_not`); nothing here fails the
build for it, so `make serve` on a machine without the datasets still builds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from build_site import NODE_MODULES
from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parent.parent
log = logging.getLogger("mkdocs.hooks.browser_grader")

# Site path (under OUT/vendor/) -> (npm package, file inside it).
VENDOR = {
    "h5wasm/hdf5_hl.js": ("h5wasm", "dist/esm/hdf5_hl.js"),
    "h5wasm/hdf5_util.js": ("h5wasm", "dist/esm/hdf5_util.js"),
    "h5wasm/LICENSE.txt": ("h5wasm", "LICENSE.txt"),
    "tfjs/tf-core.es2017.min.js": ("@tensorflow/tfjs-core", "dist/tf-core.es2017.min.js"),
    "tfjs/tf-backend-wasm.es2017.min.js": (
        "@tensorflow/tfjs-backend-wasm",
        "dist/tf-backend-wasm.es2017.min.js",
    ),
    "tfjs/tfjs-backend-wasm.wasm": ("@tensorflow/tfjs-backend-wasm", "dist/tfjs-backend-wasm.wasm"),
    "tfjs/tfjs-backend-wasm-simd.wasm": (
        "@tensorflow/tfjs-backend-wasm",
        "dist/tfjs-backend-wasm-simd.wasm",
    ),
}

# Licences (the registry's `licence` field, as it begins) under which the evaluation split
# may be published with the site, with attribution. Anything else is not published: the
# exam's Sunspots.csv (CC BY-NC), a file whose terms are only on its author's page, ...
PUBLISHABLE = ("MIT", "Public-domain", "Public domain", "Apache-2.0", "CC BY 4.0")


# --------------------------------------------------------------------------- arrays


@dataclass
class Encoded:
    """One array as the page reads it: a description for the manifest and the file's bytes."""

    spec: dict[str, Any]
    data: bytes = field(repr=False)


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.array_equal(a, b, equal_nan=a.dtype.kind == "f"))


def _storage(a: np.ndarray) -> tuple[str, np.ndarray]:
    if a.dtype.kind == "f":
        stored = "float64" if a.dtype == np.float64 else "float32"
        return stored, a.astype(f"<{'f8' if stored == 'float64' else 'f4'}")
    if a.dtype.kind in "iub":
        if a.min(initial=0) >= 0 and a.max(initial=0) < 256:
            return "uint8", a.astype(np.uint8)
        return "int32", a.astype("<i4")
    raise PluginError(f"browser grader: cannot publish an array of dtype {a.dtype}")


def _window_series(a: np.ndarray) -> np.ndarray | None:
    """The series that `a` (count, length, ...) slides over one row at a time, or None."""
    if a.ndim < 2 or len(a) < 2 or a.shape[1] < 2:
        return None
    if not _same(a[1:, :-1], a[:-1, 1:]):
        return None
    return np.concatenate([a[0], a[1:, -1]])


def encode(a: np.ndarray) -> Encoded:
    """The most compact exact form of `a`; decoded again and compared before it is used."""
    spec: dict[str, Any] = {"dtype": str(a.dtype), "shape": list(a.shape)}
    body = a
    series = _window_series(a) if a.dtype.kind == "f" else None
    if series is not None:
        spec["windows"] = {"count": int(a.shape[0]), "length": int(a.shape[1])}
        body = series
    if body.dtype == np.float32 and np.isfinite(body).all():
        whole = np.rint(body.astype(np.float64) * 255)
        # float32(k) / 255 in float32 is what the grader computed for pixels.
        if (
            whole.min(initial=0) >= 0
            and whole.max(initial=0) <= 255
            and _same(whole.astype(np.float32) / np.float32(255), body)
        ):
            spec["stored"], spec["divide"] = "uint8", 255
            raw = whole.astype(np.uint8)
        else:
            spec["stored"], raw = _storage(body)
    else:
        spec["stored"], raw = _storage(body)
    spec["stored_shape"] = list(raw.shape)
    enc = Encoded(spec, raw.tobytes())
    _check(enc, a)
    return enc


def decode(enc: Encoded) -> np.ndarray:
    """What the page's data.js makes of an encoded array (the same steps, in NumPy)."""
    s = enc.spec
    dtypes = {"uint8": "u1", "int32": "<i4", "float32": "<f4", "float64": "<f8"}
    body = np.frombuffer(enc.data, dtype=dtypes[s["stored"]]).reshape(s["stored_shape"])
    if "divide" in s:
        body = body.astype(np.float32) / np.float32(s["divide"])
    if "windows" in s:
        w = s["windows"]
        views = np.lib.stride_tricks.sliding_window_view(body, w["length"], axis=0)
        body = np.moveaxis(views, -1, 1)[: w["count"]]
    shaped: np.ndarray = body.reshape(s["shape"])
    return shaped


def _check(enc: Encoded, original: np.ndarray) -> None:
    back = decode(enc)
    if original.dtype.kind == "f":
        ok = _same(back.astype(original.dtype), original)
    else:
        ok = _same(back.astype(np.int64), original.astype(np.int64))
    if not ok:
        raise PluginError("browser grader: an encoded evaluation array does not decode exactly")


# --------------------------------------------------------------------------- measures

# The kinds of measure the page computes (docs/javascripts/browser-grader/measure.js), each
# written here once more in NumPy, as plainly as the page does, to prove at build time that
# a problem's own `measure` is that kind.


def _kind_of(details: dict[str, Any]) -> str | None:
    keys = set(details)
    if {"per_class_accuracy", "confusion", "classes"} <= keys:
        return "classification"
    if "predictions" in keys:
        return "regression"
    if "mae_all_steps" in keys:
        return "first_step_mae"  # with mae_per_feature, or without it for one series
    if "mae_per_feature" in keys:
        return "forecast_mae"
    return None
    return None


def _measure_as_page(
    kind: str, params: dict[str, Any], y: np.ndarray, pred: np.ndarray
) -> tuple[float, dict[str, Any]]:
    p = pred.astype(np.float64)
    if kind == "classification":
        names = params["classes"]
        if p.shape[1:] in ((), (1,)):
            labels = (pred.reshape(-1) > 0.5).astype(int)
        else:
            labels = p.reshape(len(p), -1).argmax(axis=1)
        truth = y.astype(int).reshape(-1)
        conf = [[0] * len(names) for _ in names]
        for t, lab in zip(truth, labels, strict=True):
            conf[t][lab] += 1
        per = {n: (conf[i][i] / sum(conf[i]) if sum(conf[i]) else 0.0) for i, n in enumerate(names)}
        value = float(np.sum(labels == truth)) / len(truth)
        return value, {"per_class_accuracy": per, "confusion": conf, "classes": list(names)}
    if kind == "regression":
        err = np.abs(p.reshape(-1) - y.reshape(-1).astype(np.float64))
        preds = {
            k: [float(a), float(b)]
            for k, a, b in zip(params["inputs"], pred.reshape(-1), y.reshape(-1), strict=True)
        }
        return float(err.sum() / len(err)), {"predictions": preds}
    t = y.astype(np.float64)
    cols = params["columns"]
    if kind == "forecast_mae":
        err = np.abs(p.reshape(t.shape) - t)
        d: dict[str, Any] = {
            "mae_per_feature": dict(zip(cols, err.reshape(-1, len(cols)).mean(axis=0), strict=True))
        }
        if t.ndim == 3:
            d["mae_per_step"] = err.mean(axis=(0, 2)).tolist()
        return float(err.mean()), d
    if kind == "first_step_mae":
        err = np.abs(p - t)
        first = err[:, 0, :]
        out: dict[str, Any] = {}
        if cols is not None:
            out["mae_per_feature"] = dict(zip(cols, first.mean(axis=0), strict=True))
        out["mae_per_step"] = np.nanmean(err, axis=(0, 2)).tolist()
        out["mae_all_steps"] = float(np.nanmean(err))
        return float(first.mean()), out
    raise AssertionError(kind)


def _close(a: Any, b: Any) -> bool:
    if isinstance(a, dict) and isinstance(b, dict):
        return list(a) == list(b) and all(_close(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(_close(x, z) for x, z in zip(a, b, strict=True))
    if isinstance(a, str) or isinstance(b, str):
        return bool(a == b)
    return bool(np.isclose(float(a), float(b), rtol=1e-12, atol=1e-12))


def _made_up_predictions(problem: Any, y: np.ndarray, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (len(y), *problem.output_shape)
    if problem.output_range is not None:
        return rng.random(shape).astype(np.float32)
    base = np.nan_to_num(y.astype(np.float64)).reshape(len(y), -1)
    size = int(np.prod(problem.output_shape))
    base = np.resize(base, (len(y), size)) if base.shape[1] != size else base
    noise = rng.normal(0, 0.05, base.shape)
    return (base + noise).astype(np.float32).reshape(shape)


def describe_measure(problem: Any, y: np.ndarray) -> dict[str, Any]:
    """The page's kind of measure for `problem`, proved equal to the grader's own."""
    first = problem.measure(y, _made_up_predictions(problem, y, 1))
    kind = _kind_of(first.details)
    if kind is None:
        raise PluginError(
            f"browser grader: {problem.id}'s measure reports {sorted(first.details)}, which is "
            "none of the kinds the page computes (measure.js): teach both this module and "
            "measure.js the new kind"
        )
    params: dict[str, Any] = {"kind": kind, "unit": first.unit}
    if kind == "classification":
        params["classes"] = list(first.details["classes"])
    elif kind == "regression":
        params["inputs"] = list(first.details["predictions"])
    else:  # a forecast; one series of first-step MAEs may name no columns
        per_feature = first.details.get("mae_per_feature")
        params["columns"] = list(per_feature) if per_feature is not None else None
    for seed in (1, 2):
        pred = _made_up_predictions(problem, y, seed)
        wanted = problem.measure(y, pred)
        value, details = _measure_as_page(kind, params, y, pred)
        if (
            not _close(value, wanted.value)
            or not _close(details, wanted.details)
            or wanted.count != len(y)
            or wanted.unit != params["unit"]
        ):
            raise PluginError(
                f"browser grader: {problem.id}'s measure no longer matches the page's "
                f"{kind!r} measure (tools/browser_grader_export.py and measure.js): update both"
            )
    return params


# --------------------------------------------------------------------------- the export


@dataclass
class Export:
    manifest: dict[str, Any]
    files: dict[str, bytes]  # name under OUT/data/ -> gzipped bytes


CACHE = ROOT / ".cache" / "browser-grader"  # gitignored; `make clean` removes it


def _gzip(data: bytes) -> bytes:
    """gzip at level 9, remembered on disk by content (it is most of the hook's time)."""
    key = CACHE / f"{hashlib.sha256(data).hexdigest()}.gz"
    if key.is_file():
        return key.read_bytes()
    blob = gzip.compress(data, compresslevel=9, mtime=0)
    CACHE.mkdir(parents=True, exist_ok=True)
    key.write_bytes(blob)
    return blob


def _keras_names() -> dict[str, Any]:
    """What grader.modelfile.inspection accepts as built-in: its own lists, and the names it
    looks up in the installed Keras (remembered on disk per Keras version: importing Keras
    takes seconds)."""
    from importlib.metadata import PackageNotFoundError, version

    from grader.modelfile import inspection

    own = {
        "markers": sorted(inspection.SERIALIZATION_MARKERS),
        "unsafe": sorted(inspection.UNSAFE_BUILTINS),
    }
    spaces = list(inspection.FUNCTION_NAMESPACES)
    try:
        keys = [version("keras"), spaces, list(inspection.CLASS_NAMESPACES)]
        tag = hashlib.sha256(json.dumps(keys).encode()).hexdigest()[:16]
    except PackageNotFoundError:  # the page then refuses every model it cannot check
        return {"version": None, "classes": [], "functions": {}, **own}
    key = CACHE / f"keras-names-{tag}.json"
    if key.is_file():
        names: dict[str, Any] = json.loads(key.read_text(encoding="utf-8"))
    else:
        names = _read_keras_names(spaces)
        CACHE.mkdir(parents=True, exist_ok=True)
        key.write_text(json.dumps(names), encoding="utf-8")
    return {**names, **own}


def _read_keras_names(function_spaces: list[str]) -> dict[str, Any]:
    """The public names of the Keras namespaces grader.modelfile.inspection._is_builtin looks in."""
    import keras

    from grader.modelfile import inspection

    spaces = [inspection.keras_namespace(ns) for ns in inspection.CLASS_NAMESPACES]
    classes = sorted({n for ns in spaces for n in dir(ns) if not n.startswith("_")})
    functions = {
        ns: sorted(
            n
            for n in dir(getattr(keras, ns))
            if not n.startswith("_") and callable(getattr(getattr(keras, ns), n))
        )
        for ns in function_spaces
    }
    return {"version": keras.__version__, "classes": classes, "functions": functions}


def _libraries() -> tuple[dict[str, str] | None, str]:
    """The pinned versions of the vendored packages, or None and why they are missing."""
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    found = {}
    for package, path in VENDOR.values():
        meta = NODE_MODULES / package / "package.json"
        if not (NODE_MODULES / package / path).is_file() or not meta.is_file():
            return None, f"{package} is not installed (run `npm ci`, as `make serve` does)"
        version = json.loads(meta.read_text(encoding="utf-8"))["version"]
        if version != pinned.get(package):
            return None, (
                f"node_modules has {package} {version}, package.json pins "
                f"{pinned.get(package)} (run `npm ci`)"
            )
        found[package] = version
    return found, ""


def contract_entry(problem: Any) -> dict[str, Any]:
    """What grade.js checks a model against (grader.problems.contract.check_contract)."""
    return {
        "text": problem.contract(),
        "input_shapes": [list(x) for x in problem.input_shapes],
        "output_shapes": [list(x) for x in problem.output_shapes],
        "output_range": list(problem.output_range) if problem.output_range else None,
        "input_kind": problem.input_kind,
    }


def _problem_entry(
    problem: Any, datasets: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, bytes]]:
    from grader.data.errors import DataError
    from grader.problems.category5 import persistence_mae

    s = problem.scale
    entry: dict[str, Any] = {
        "id": problem.id,
        "category": problem.category,
        "title": problem.title,
        "dataset": problem.dataset,
        "licence": datasets[problem.dataset].licence if problem.dataset in datasets else None,
        "contract": contract_entry(problem),
        "scale": {
            "metric": s.metric,
            "five": s.five,
            "step": s.step,
            "higher_is_better": s.higher_is_better,
        },
        "vocab_size": problem.constants.get("VOCAB_SIZE"),
        "available": False,
    }
    if problem.online_only:
        entry["why_not"] = "online"
        return entry, {}
    licence = entry["licence"] or "(no dataset)"
    if problem.dataset in datasets and not licence.startswith(PUBLISHABLE):
        entry["why_not"] = "licence"
        return entry, {}
    try:
        x, y = problem.evaluation_inputs()
    except DataError as exc:
        log.info("browser grader: %s is not published in this build: %s", problem.id, exc)
        entry["why_not"] = "data"
        return entry, {}
    entry["measure"] = describe_measure(problem, y)
    if problem.category == 5:
        # --explain prints the persistence forecast's metric beside the model's (report.js)
        entry["persistence"] = persistence_mae(problem)
    files = {}
    for name, array in (("x", np.asarray(x)), ("y", np.asarray(y))):
        enc = encode(array)
        file = f"{problem.id}.{name}.bin.gz"
        blob = _gzip(enc.data)
        entry[name] = {**enc.spec, "file": file, "bytes": len(blob)}
        files[file] = blob
    entry["available"] = True
    return entry, files


def model_file_words() -> dict[str, Any]:
    """The refusals, load-failure words and Keras 2 rules the page uses, from the grader."""
    from grader.modelfile import inspection, keras2, model_file
    from grader.problems import contract
    from grader.problems.grading import _load_failed

    reasons = {**model_file.REASONS, **inspection.REASONS}
    return {
        "reasons": {key: {"text": text, "code": code} for key, (text, code) in reasons.items()},
        # {first}: Keras' first line; {saved_by}: the version the file names; {running}: the
        # grader's Keras (manifest.keras.version).
        "load_failed": {
            "unknown": _load_failed("{first}", None, "{running}"),
            "same": _load_failed("{first}", "{running}", "{running}"),
            "other": _load_failed("{first}", "{saved_by}", "{running}"),
        },
        "keras2": {"rules": keras2.RULES, "notes": keras2.NOTES},
        # model_file.hdf5_loader_misreads: the layers it looks for, and its note
        "misread": {"layers": list(model_file.AXIS_LIST_LAYERS), "note": model_file.MISREAD_NOTE},
        # grader.problems.contract: the contract refusals, their fixes and a result's notes
        "contract": {
            "reasons": {
                key: {"text": text, "code": code} for key, (text, code) in contract.REASONS.items()
            },
            "fixes": contract.FIXES,
            "notes": contract.NOTES,
            "full_loss_names": contract.FULL_LOSS_NAMES,
        },
    }


_export: Export | None = None


def build_export() -> Export:
    """The manifest and data files, made once per process (both languages, every rebuild of
    `mkdocs serve`)."""
    global _export
    if _export is not None:
        return _export
    import grader
    from grader.data.registry import DATASETS
    from grader.modelfile import model_file

    libraries, why = _libraries()
    problems, files = [], {}
    for problem in grader.PROBLEMS.values():
        entry, blobs = _problem_entry(problem, DATASETS)
        problems.append(entry)
        files.update(blobs)
    manifest = {
        "format": 1,
        "grader_version": grader.__version__,
        "libraries": libraries,
        "libraries_missing": why,
        "limits": {
            "max_bytes": model_file.MAX_BYTES,
            "max_weight_bytes": model_file.MAX_WEIGHT_BYTES,
            "max_config_bytes": model_file.MAX_CONFIG_BYTES,
        },
        "keras": _keras_names(),
        **model_file_words(),
        "problems": problems,
    }
    _export = Export(manifest, files)
    return _export
