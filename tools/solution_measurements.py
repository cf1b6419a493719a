"""What the site shows of each reference solution, measured: recorded by the tests, published
by `make measurements`.

- `record()` (called by tests/test_solutions.py after it ran an example as a notebook and
  graded its model) keeps what that run measured in artifacts/measurements/<problem>/
  (gitignored): the executed notebook and measurement.json (grade, training time, epochs,
  peak memory, per-epoch history, date, machine). The tests never write the tree.
- `publish()` (`python tools/solution_measurements.py [PROBLEM ...]`, which
  `make measurements` runs after those tests) turns a recorded run into the committed files:
  examples/<problem>/solution.ipynb and its Korean twin solution.ko.ipynb, the training
  curves docs/assets/curves/<problem>.png and the score boxes
  docs/includes/<problem>-score.md and -score.ko.md that the category pages include. It
  refuses a run below 5/5 and a run of an older solution.py (its cells differ).
"""

from __future__ import annotations

import json
import os
import platform
import re
import shutil
import sys
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "tools") not in sys.path:
    sys.path.insert(0, str(ROOT / "tools"))

import example_notebooks as notebooks  # noqa: E402
import notebook_translations as translations  # noqa: E402

ARTIFACTS = ROOT / "artifacts" / "measurements"
LANGUAGES = ("en", "ko")
IMAGE = re.compile(r"\]\(([^)\s]+\.png)\)")

# The grader's words for what it counted, in the Korean pages' terms.
_KO_UNITS = {"images": "이미지", "reviews": "리뷰", "windows": "윈도", "inputs": "입력"}
_KO_METRICS = {"accuracy": "정확도"}


class NotPublished(Exception):
    """A recorded run that must not reach the site (below 5/5, stale, missing)."""


def score_box_path(problem_id: str, language: str) -> Path:
    suffix = "" if language == "en" else f".{language}"
    return ROOT / "docs" / "includes" / f"{problem_id}-score{suffix}.md"


def curve_path(problem_id: str) -> Path:
    return ROOT / "docs" / "assets" / "curves" / f"{problem_id}.png"


def _folder(problem_id: str) -> Path:
    return ARTIFACTS / problem_id


def forget(problem_id: str) -> None:
    """Drop an earlier recorded run (a test calls this before it runs the example)."""
    shutil.rmtree(_folder(problem_id), ignore_errors=True)


def record(problem_id: str, executed: Any, result: Any, run: dict[str, Any]) -> Path:
    """Keep one test run's executed notebook and measurements for `publish()`."""
    import keras

    folder = _folder(problem_id)
    forget(problem_id)
    folder.mkdir(parents=True)
    notebooks.save(executed, folder / "solution.ipynb")
    measured = {
        "problem": problem_id,
        "score": result.score,
        "metric": result.metric,
        "value": result.value,
        "count": result.count,
        "unit": result.unit,
        "needed_for_five": result.needed_for_five,
        "train_seconds": run["train_seconds"],
        "epochs": run["epochs"],
        "peak_memory_mb": run["peak_memory_mb"],
        "history": run["history"],
        "date": date.today().isoformat(),
        "system": f"{platform.system()} {platform.machine()}",
        "cpus": os.cpu_count(),
        "load": round(os.getloadavg()[0], 1) if hasattr(os, "getloadavg") else None,
        "keras": keras.__version__,
    }
    path = folder / "measurement.json"
    path.write_text(json.dumps(measured, indent=1) + "\n", encoding="utf-8")
    return path


def score_box(m: dict[str, Any], language: str, curves: bool) -> str:
    """The score box of a category page, in English or Korean, from one measurement."""
    pid, seconds, mb = m["problem"], round(m["train_seconds"]), round(m["peak_memory_mb"])
    if language == "en":
        load = f", load {m['load']:g}" if m.get("load") is not None else ""
        text = (
            f"Measured on {m['date']} ({m['system']}, {m['cpus']} CPU cores{load}, "
            f"Keras {m['keras']}): "
            f"**{m['score']}/5**, {m['metric']} {m['value']:.4f} on {m['count']} held-out "
            f"{m['unit']} (5/5 needs {m['needed_for_five']}); trained in {seconds} s, "
            f"{m['epochs']} epochs, peak memory {mb} MB. Re-run: `make measurements` in a "
            "clone of the repository.\n"
        )
        alt = f"Training curves of {pid}, per epoch"
    else:
        metric = _KO_METRICS.get(m["metric"], m["metric"])
        unit = _KO_UNITS.get(m["unit"], m["unit"])
        load = f", 부하 {m['load']:g}" if m.get("load") is not None else ""
        text = (
            f"{m['date']}에 측정했습니다({m['system']}, CPU 코어 {m['cpus']}개{load}, "
            f"Keras {m['keras']}). "
            f"**{m['score']}/5**, 평가용 {unit} {m['count']}개에서 {metric} {m['value']:.4f} "
            f"(5/5 기준: `{m['needed_for_five']}`). 학습 {seconds}초, {m['epochs']} 에포크, "
            f"최대 메모리 {mb} MB. 저장소를 클론해 `make measurements`로 다시 잴 수 있습니다.\n"
        )
        alt = f"{pid}의 에포크별 학습 곡선"
    if curves:
        text += f"\n![{alt}](../assets/curves/{pid}.png)\n"
    return text


def plot_curves(problem_id: str, history: dict[str, list[float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    metric = next((k for k in ("accuracy", "mae") if k in history), None)
    panels = ["loss"] + ([metric] if metric else [])
    fig, axes = plt.subplots(1, len(panels), figsize=(4.2 * len(panels), 3.0), dpi=100)
    axes = [axes] if len(panels) == 1 else list(axes)
    for ax, key in zip(axes, panels, strict=True):
        epochs = range(1, len(history[key]) + 1)
        ax.plot(epochs, history[key], label="training")
        if f"val_{key}" in history:
            ax.plot(epochs, history[f"val_{key}"], label="validation")
        ax.set_xlabel("epoch")
        ax.set_ylabel("MAE" if key == "mae" else key)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"{problem_id}: training curves")
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".png.part")
    fig.savefig(partial, format="png", metadata={"Software": None})
    plt.close(fig)
    partial.replace(path)


def publish(problem_id: str) -> list[Path]:
    """Write a recorded run's notebooks, curves and score boxes into the tree."""
    import nbformat

    folder = _folder(problem_id)
    try:
        m = json.loads((folder / "measurement.json").read_text(encoding="utf-8"))
        executed = nbformat.read(folder / "solution.ipynb", as_version=4)
    except (OSError, ValueError) as exc:
        raise NotPublished(
            f"{problem_id}: no recorded run ({exc}): run make measurements"
        ) from None
    if m["score"] != 5:
        raise NotPublished(f"{problem_id}: the recorded run scored {m['score']}/5; not published")
    if notebooks.cells_of(executed) != notebooks.cells_of(notebooks.read(problem_id)):
        raise NotPublished(
            f"{problem_id}: the recorded run is of an older solution.py; run it again with "
            f"make measurements PROBLEMS={problem_id}"
        )
    written = [ROOT / "examples" / problem_id / "solution.ipynb"]
    notebooks.save(executed, written[0])
    try:
        korean = translations.write(problem_id)
    except translations.TranslationError as exc:
        print(f"{problem_id}: Korean notebook not written: {exc}", file=sys.stderr)
        korean = None
    written += [korean] if korean else []
    curves = bool(m["history"])
    if curves:
        plot_curves(problem_id, m["history"], curve_path(problem_id))
        written.append(curve_path(problem_id))
    for language in LANGUAGES:
        path = score_box_path(problem_id, language)
        path.write_text(score_box(m, language, curves), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str]) -> int:
    if any(a.startswith("-") for a in argv):
        print("usage: solution_measurements.py [PROBLEM ...]", file=sys.stderr)
        return 2
    chosen = argv or [p for p in notebooks.problems() if _folder(p).is_dir()]
    unknown = sorted(set(chosen) - set(notebooks.problems()))
    if unknown:
        print(f"unknown example {unknown[0]!r}: {', '.join(notebooks.problems())}", file=sys.stderr)
        return 2
    refused = 0
    for problem_id in chosen:
        try:
            written = publish(problem_id)
        except NotPublished as exc:
            print(exc, file=sys.stderr)
            refused += 1
            continue
        print(f"{problem_id}: " + ", ".join(str(p.relative_to(ROOT)) for p in written))
    return 1 if refused else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
