"""Grading: load a saved model safely, predict on the held-out split, score it 0-5."""

from __future__ import annotations

import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from grader.core.quiet import quiet_tf, silenced
from grader.data.errors import DataError
from grader.modelfile.inspection import Inspection, inspect_file
from grader.modelfile.keras2 import load_translated
from grader.modelfile.model_file import Rejected
from grader.problems.catalog import Problem, get_problem
from grader.problems.category5 import persistence_mae
from grader.problems.contract import (
    FULL_LOSS_NAMES,
    NOTES,
    check_contract,
    check_embeddings,
    check_predictions,
    input_shape_fix,
    output_shape_fix,
    refusal,
)

__all__ = ["Rejected", "Result", "explain", "grade", "input_shape_fix", "output_shape_fix"]


@dataclass(frozen=True)
class Result:
    """The outcome of grading one model file for one problem."""

    problem: str
    score: int
    metric: str
    value: float
    count: int
    unit: str
    needed_for_five: str
    next_score: str | None  # what the next point needs, None at 5/5
    details: dict[str, Any] = field(default_factory=dict)
    file_sha256: str = ""
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    @property
    def passed(self) -> bool:
        return self.score == 5

    def summary(self) -> str:
        line = (
            f"{self.problem}: {self.score}/5 ({self.metric} {self.value:.4f} on {self.count} "
            f"held-out {self.unit})"
        )
        if self.score < 5:
            line += f"; 5/5 needs {self.needed_for_five}"
        return line

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["notes"] = list(self.notes)
        return data


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__


def _load(inspection: Inspection) -> Any:
    """The model of a file the inspection accepted, built by Keras with its safe mode on: from
    the translated config for a Keras 2 file, else Keras' own loader; the weights are read
    from the file's path."""
    quiet_tf()
    import keras

    file = inspection.file
    try:
        with silenced():
            if file.keras2 is not None:
                return load_translated(file.path, file.keras2)
            if file.from_config is not None:
                return load_translated(file.path, file.from_config)
            return keras.saving.load_model(file.path, compile=False, safe_mode=True)
    except Exception as exc:  # Keras raises many types; none may escape as a traceback.
        raise Rejected(
            _load_failed(_first_line(exc), file.saved_by, keras.__version__), "load-failed"
        ) from None


def _load_failed(first: str, saved_by: str | None, running: str) -> str:
    """What Keras' refusal means, and what to do: the version that saved the file is named,
    since saving again with the same version would change nothing."""
    head = f"Keras could not load the model ({first})"
    if saved_by is None:
        return (
            f"{head}: save it again with Keras {running} (the grader's), or check the layers "
            "it uses"
        )
    if saved_by == running:
        return (
            f"{head}, though it was saved by Keras {running}, the grader's own version: check "
            "the layers it uses, or save it again as .keras with model.save('mymodel.keras')"
        )
    return (
        f"{head}: it was saved by Keras {saved_by} and the grader runs Keras {running}; check "
        f"the layers it uses, or save it again with Keras {running}"
    )


def grade(path: str | os.PathLike[str], problem: str | Problem, *, batch_size: int = 256) -> Result:
    """Score the model saved at `path` for `problem` (an id such as "c2-fashion-mnist").

    Raises `Rejected` (with a one-line `reason`) when the file cannot be graded, and
    `DataError` when the problem's held-out data is missing. Nothing in the file is run
    except built-in Keras layers; nothing is written anywhere.
    """
    started = time.perf_counter()
    spec = problem if isinstance(problem, Problem) else get_problem(problem)
    inspection = inspect_file(Path(path))  # the file read once: config, version, digest
    x, y = spec.evaluation_inputs()
    model = _load(inspection)
    match = check_contract(model, spec)
    if None not in match:
        x = x.reshape((len(x), *match))
    if spec.input_kind == "int":
        check_embeddings(model, spec, int(x.max()))
    with silenced():
        try:
            pred = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
        except Exception as exc:
            raise refusal("predict-failed", first=_first_line(exc)) from None
    check_predictions(pred, len(x), spec)
    evaluation = spec.measure(y, pred)
    score = spec.scale.score(evaluation.value)
    notes = []
    if inspection.keras2 is not None:
        done = "; ".join(inspection.keras2.notes) or NOTES["keras2-unchanged"]
        notes.append(NOTES["keras2"].format(version=inspection.keras2_version, done=done))
    if inspection.file.from_config is not None:
        notes.append(
            NOTES["h5"].format(
                version=inspection.file.saved_by or "3",
                notes="; ".join(inspection.file.from_config.notes),
            )
        )
    # A Keras 2 file is loaded from its translated config: its loss name does not matter.
    full_name = None if inspection.keras2 else FULL_LOSS_NAMES.get(inspection.loss or "")
    if full_name is not None:
        notes.append(NOTES["loss"].format(loss=repr(inspection.loss), full=repr(full_name)))
    return Result(
        problem=spec.id,
        score=score,
        metric=spec.scale.metric,
        value=evaluation.value,
        count=evaluation.count,
        unit=evaluation.unit,
        needed_for_five=spec.scale.describe(5),
        next_score=None if score >= 5 else spec.scale.describe(score + 1),
        details={**evaluation.details, "raw_score": spec.scale.raw(evaluation.value)},
        file_sha256=inspection.file.sha256,
        seconds=time.perf_counter() - started,
        notes=tuple(notes),
    )


__all__ += ["DataError"]


def _persistence_lines(result: Result, problem: Problem) -> list[str]:
    """A forecast's yardstick: the persistence forecast (each window's last observed value,
    repeated) on the same held-out windows, its score on this scale, and the model beside it."""
    try:
        baseline = persistence_mae(problem)
    except DataError:
        return []
    scale = problem.scale
    metric = scale.metric
    gap = result.value - baseline
    return [
        f"  persistence (repeat the last observed value): {metric} {baseline:.4f} on the same "
        f"held-out {result.unit}, {scale.score(baseline)}/5 on this scale",
        f"  model vs persistence: {metric} {result.value:.4f} vs {baseline:.4f}, "
        f"{abs(gap):.4f} {'lower' if gap < 0 else 'higher'}",
    ]


def explain(result: Result) -> str:
    """Human-readable diagnostics: what the score rests on and what the next point needs."""
    problem = get_problem(result.problem)
    scale = problem.scale
    lines = [
        f"  metric: {result.metric} = {result.value:.4f} on {result.count} held-out {result.unit}"
    ]
    lines.append(
        f"  scale: {scale.metric} {'higher' if scale.higher_is_better else 'lower'} is better; "
        f"each {scale.step:g} is one point; raw {result.details.get('raw_score', 0):.2f}"
    )
    for s in range(1, 6):
        mark = "<-" if s == result.score else ""
        lines.append(f"    {s}/5 needs {scale.describe(s)} {mark}".rstrip())
    if result.next_score:
        gap = abs(scale.bound(result.score + 1) - result.value)
        lines.append(f"  next point: {result.next_score} (a change of {gap:.4f})")
    if problem.category == 5:
        lines += _persistence_lines(result, problem)
    d = result.details
    if "per_class_accuracy" in d:
        lines.append("  accuracy per class (worst first):")
        for name, acc in sorted(d["per_class_accuracy"].items(), key=lambda kv: kv[1]):
            lines.append(f"    {name:<14} {acc:.3f}")
        names = d["classes"]
        lines.append("  confusion (rows: true class, columns: predicted):")
        for name, row in zip(names, d["confusion"], strict=True):
            lines.append(f"    {name[:12]:<12} " + " ".join(f"{v:5d}" for v in row))
    if "mae_per_feature" in d:
        lines.append(
            "  MAE per feature: "
            + ", ".join(f"{k} {v:.4f}" for k, v in d["mae_per_feature"].items())
        )
    if "mae_per_step" in d:
        lines.append("  MAE per forecast step: " + ", ".join(f"{v:.4f}" for v in d["mae_per_step"]))
    if "predictions" in d:
        lines.append("  unseen input -> prediction (expected):")
        for x, (p, t) in d["predictions"].items():
            lines.append(f"    {x:>6} -> {p:9.3f} ({t:g})")
    return "\n".join(lines)
