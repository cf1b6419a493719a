"""What a problem is: its contract, its one metric, and the 0-5 scale on that metric.

The measures shared by several problems (classification accuracy with its confusion
matrix, forecast MAE per step and feature) and the sliding windows of the time-series
problems live here too; the problems themselves are in grader.problems.catalog and
grader.problems.category5.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

__all__ = ["Evaluation", "Problem", "Scale", "classification", "forecast_mae", "windows"]


@dataclass(frozen=True)
class Scale:
    """A monotonic 0-5 score from one metric, shaped like the exam's sunspots formula.

    The exam's tester was quoted as ``min(5, ceil(17 - 100 * MAE))``: one point per 0.01 of
    MAE, and 5/5 for MAE below 0.13. Here every problem has the same shape,
    ``clamp(ceil(4 + (five - metric) / step), 0, 5)`` for a metric where lower is better
    (mirrored when higher is better): `five` is the bound a metric must beat for 5/5, and
    each `step` worse costs one point.
    """

    metric: str
    five: float
    step: float
    higher_is_better: bool

    def raw(self, value: float) -> float:
        gap = (value - self.five) if self.higher_is_better else (self.five - value)
        return 4 + gap / self.step

    def score(self, value: float) -> int:
        if not math.isfinite(value):
            return 0
        # Rounding first keeps a metric exactly on a bound from flipping on float noise.
        return max(0, min(5, math.ceil(round(self.raw(value), 9))))

    def bound(self, score: int) -> float:
        """The value the metric must beat (strictly) to reach `score` (1..5)."""
        offset = (5 - score) * self.step
        return self.five - offset if self.higher_is_better else self.five + offset

    def describe(self, score: int) -> str:
        op = ">" if self.higher_is_better else "<"
        return f"{self.metric} {op} {self.bound(score):.4g}"


@dataclass(frozen=True)
class Evaluation:
    value: float
    count: int
    unit: str  # what was counted: "images", "reviews", "windows", "inputs"
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Problem:
    id: str
    category: int
    title: str
    dataset: str
    summary: str
    input_shape: tuple[int | None, ...]  # without the batch dimension
    output_shape: tuple[int, ...]  # without the batch dimension
    output_range: tuple[float, float] | None  # e.g. (0, 1) for sigmoid or softmax
    input_kind: str  # "float" or "int"
    scale: Scale
    constants: dict[str, Any]
    load_training: Callable[[], Any]
    evaluation_inputs: Callable[[], tuple[np.ndarray, np.ndarray]]
    measure: Callable[[np.ndarray, np.ndarray], Evaluation]
    accepted_input_shapes: tuple[tuple[int | None, ...], ...] = ()
    accepted_output_shapes: tuple[tuple[int, ...], ...] = ()
    online_only: bool = False
    starter: str | None = None  # its exam-style starter, a file in the grader.starters package

    def starter_text(self) -> str:
        """The starter file that `tfcert exam start` copies into the category folder."""
        if self.starter is None:
            raise KeyError(f"{self.id} has no starter")
        return resources.files("grader.starters").joinpath(self.starter).read_text("utf-8")

    @property
    def input_shapes(self) -> tuple[tuple[int | None, ...], ...]:
        return (self.input_shape, *self.accepted_input_shapes)

    @property
    def output_shapes(self) -> tuple[tuple[int, ...], ...]:
        return (self.output_shape, *self.accepted_output_shapes)

    def contract(self) -> str:
        shapes = " or ".join(str((None, *s)) for s in self.input_shapes)
        outs = " or ".join(str((None, *s)) for s in self.output_shapes)
        rng = (
            ""
            if self.output_range is None
            else f" in [{self.output_range[0]:g}, {self.output_range[1]:g}]"
        )
        return f"input {shapes} {self.input_kind}; output {outs}{rng}"


# --------------------------------------------------------------------------- measures


def classification(
    y_true: np.ndarray, pred: np.ndarray, names: tuple[str, ...], unit: str
) -> Evaluation:
    if (pred.ndim == 2 and pred.shape[1] == 1) or pred.ndim == 1:
        labels = (pred.reshape(-1) > 0.5).astype(np.int64)
    else:
        labels = pred.reshape(len(pred), -1).argmax(axis=1)
    y_true = y_true.astype(np.int64).reshape(-1)
    k = len(names)
    confusion = np.zeros((k, k), dtype=np.int64)
    np.add.at(confusion, (y_true, labels), 1)
    per_class = {
        names[i]: float(confusion[i, i] / confusion[i].sum()) if confusion[i].sum() else 0.0
        for i in range(k)
    }
    accuracy = float((labels == y_true).mean())
    return Evaluation(
        accuracy,
        len(y_true),
        unit,
        {"per_class_accuracy": per_class, "confusion": confusion.tolist(), "classes": list(names)},
    )


def forecast_mae(y_true: np.ndarray, pred: np.ndarray, columns: tuple[str, ...]) -> Evaluation:
    pred = pred.reshape(y_true.shape)
    err = np.abs(pred.astype(np.float64) - y_true.astype(np.float64))
    details: dict[str, Any] = {
        "mae_per_feature": dict(
            zip(columns, err.reshape(-1, len(columns)).mean(axis=0).tolist(), strict=True)
        )
    }
    if y_true.ndim == 3:
        details["mae_per_step"] = err.mean(axis=(0, 2)).tolist()
    return Evaluation(float(err.mean()), len(y_true), "windows", details)


def windows(series: np.ndarray, n_past: int, n_future: int) -> tuple[np.ndarray, np.ndarray]:
    count = len(series) - n_past - n_future + 1
    x = np.stack([series[i : i + n_past] for i in range(count)])
    y = np.stack([series[i + n_past : i + n_past + n_future] for i in range(count)])
    return x.astype(np.float32), y.astype(np.float32)
