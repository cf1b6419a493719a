"""Category 1, a basic model: learn a linear relation from a handful of points."""

from __future__ import annotations

import numpy as np

from grader.problems.definition import Evaluation, Problem, Scale

__all__ = [
    "C1_RELATION",
    "C1_UNSEEN",
    "C1_XS",
    "PROBLEMS",
]

C1_XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32)
C1_RELATION = (3.0, 1.0)  # y = 3x + 1
C1_UNSEEN = np.array([-20.0, -7.5, 6.0, 8.0, 10.0, 12.5, 20.0], dtype=np.float32)


def _c1_training() -> tuple[np.ndarray, np.ndarray]:
    a, b = C1_RELATION
    return C1_XS.copy(), (a * C1_XS + b).astype(np.float32)


def _c1_eval() -> tuple[np.ndarray, np.ndarray]:
    a, b = C1_RELATION
    return C1_UNSEEN.reshape(-1, 1), (a * C1_UNSEEN + b).reshape(-1, 1)


def _c1_measure(y: np.ndarray, pred: np.ndarray) -> Evaluation:
    err = np.abs(pred.reshape(-1).astype(np.float64) - y.reshape(-1))
    details = {
        "predictions": {
            f"{x:g}": [float(p), float(t)]
            for x, p, t in zip(C1_UNSEEN, pred.reshape(-1), y.reshape(-1), strict=True)
        }
    }
    return Evaluation(float(err.mean()), len(y), "inputs", details)


PROBLEMS: tuple[Problem, ...] = (
    Problem(
        id="c1-basic-regression",
        starter="c1_basic_regression.py",
        category=1,
        title="Basic model: learn a linear relation from seven points",
        dataset="(none: seven numbers in the starter)",
        summary=(
            "Given xs = -1..5 and ys = 3x + 1, train a one-input model whose predictions "
            "hold on inputs far outside the training range."
        ),
        input_shape=(1,),
        output_shape=(1,),
        output_range=None,
        input_kind="float",
        scale=Scale("MAE", five=0.2, step=0.2, higher_is_better=False),
        constants={"XS": C1_XS.tolist(), "RELATION": "y = 3x + 1"},
        load_training=_c1_training,
        evaluation_inputs=_c1_eval,
        measure=_c1_measure,
    ),
)
