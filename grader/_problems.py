"""The problems: one per exam category (two for category 5), each with a fixed contract.

A problem says what the model receives and must return, which data it is trained on (the
training loader never returns the held-out evaluation split), the one metric it is scored
on, and the thresholds of its 0-5 scale. The thresholds are this project's own calibration
(see `make benchmark`, tools/benchmark.py, and the grader page of the site), not Google's.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from grader import _data
from grader._text import TextEncoder

__all__ = ["PROBLEMS", "Evaluation", "Problem", "Scale", "get_problem", "load_training_data"]


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


def _classification(
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


def _forecast_mae(y_true: np.ndarray, pred: np.ndarray, columns: tuple[str, ...]) -> Evaluation:
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


def _windows(series: np.ndarray, n_past: int, n_future: int) -> tuple[np.ndarray, np.ndarray]:
    count = len(series) - n_past - n_future + 1
    x = np.stack([series[i : i + n_past] for i in range(count)])
    y = np.stack([series[i + n_past : i + n_past + n_future] for i in range(count)])
    return x.astype(np.float32), y.astype(np.float32)


# --------------------------------------------------------------------------- c1

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


# --------------------------------------------------------------------------- c2

FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def _c2_training() -> tuple[np.ndarray, np.ndarray]:
    (x, y), _ = _data.fashion_mnist()
    return x, y


def _c2_eval() -> tuple[np.ndarray, np.ndarray]:
    _, (x, y) = _data.fashion_mnist()
    return (x.astype(np.float32) / 255.0), y


# --------------------------------------------------------------------------- c3


def _c3_training() -> Any:
    train, _ = _data.clipart_dirs()
    return train


def _load_image_folder(folder: Any, classes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray]:
    from PIL import Image

    xs, ys = [], []
    for label, cls in enumerate(classes):
        for path in sorted((folder / cls).iterdir()):
            with Image.open(path) as im:
                xs.append(np.asarray(im.convert("RGB"), dtype=np.float32) / 255.0)
            ys.append(label)
    return np.stack(xs), np.array(ys, dtype=np.int64)


def _c3_eval() -> tuple[np.ndarray, np.ndarray]:
    _, held = _data.clipart_dirs()
    return _load_image_folder(held, _data.CLIPART_CLASSES)


def _c3_horses_training() -> Any:
    train, _ = _data.horses_or_humans_dirs()
    return train


def _c3_horses_eval() -> tuple[np.ndarray, np.ndarray]:
    _, held = _data.horses_or_humans_dirs()
    return _load_image_folder(held, _data.HORSES_CLASSES)


# --------------------------------------------------------------------------- c4

C4: dict[str, Any] = {
    "VOCAB_SIZE": 5000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 32,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_SIZE": 9000,
}


def _c4_training() -> tuple[list[str], np.ndarray]:
    train, _ = _data.rotten_tomatoes()
    return train.texts, train.labels


def c4_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the category 4 starter builds: fitted on the first TRAINING_SIZE snippets."""
    texts = training_texts if training_texts is not None else _c4_training()[0]
    return TextEncoder.fit(texts[: C4["TRAINING_SIZE"]], C4["VOCAB_SIZE"], C4["OOV_TOKEN"])


def _c4_eval() -> tuple[np.ndarray, np.ndarray]:
    train, held = _data.rotten_tomatoes()
    encoder = c4_encoder(train.texts)
    x = encoder.encode(held.texts, C4["MAX_LENGTH"], C4["PADDING_TYPE"], C4["TRUNC_TYPE"])
    return x, held.labels


# --------------------------------------------------------------------------- c5

C5_WEATHER = {"N_PAST": 14, "N_FUTURE": 7, "SHIFT": 1, "BATCH_SIZE": 32, "N_FEATURES": 4}
C5_SUNSPOTS = {"WINDOW_SIZE": 60, "N_FUTURE": 12, "BATCH_SIZE": 32, "SHUFFLE_BUFFER_SIZE": 1000}


def _c5_weather_training() -> np.ndarray:
    return _data.seattle_weather().train


def _c5_weather_eval() -> tuple[np.ndarray, np.ndarray]:
    split = _data.seattle_weather()
    n_past, n_future = C5_WEATHER["N_PAST"], C5_WEATHER["N_FUTURE"]
    series = np.concatenate([split.train[-n_past:], split.eval])
    return _windows(series, n_past, n_future)


def _c5_sunspots_training() -> np.ndarray:
    return _data.sunspots().train.reshape(-1)


def _c5_sunspots_eval() -> tuple[np.ndarray, np.ndarray]:
    split = _data.sunspots()
    w, h = C5_SUNSPOTS["WINDOW_SIZE"], C5_SUNSPOTS["N_FUTURE"]
    series = np.concatenate([split.train[-w:], split.eval])
    x, y = _windows(series, w, h)
    return x, y.reshape(len(y), h)


# --------------------------------------------------------------------------- the list

PROBLEMS: dict[str, Problem] = {
    p.id: p
    for p in [
        Problem(
            id="c1-basic-regression",
            starter="c1_basic_regression.py",
            category=1,
            title="Basic model: learn a linear relation from six points",
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
        Problem(
            id="c2-fashion-mnist",
            starter="c2_fashion_mnist.py",
            category=2,
            title="Learning dataset: Fashion-MNIST, 10 classes of clothing",
            dataset="fashion-mnist",
            summary=(
                "Classify 28x28 grey images (pixels scaled to [0, 1]) into 10 classes; scored "
                "on the 10,000 test images."
            ),
            input_shape=(28, 28),
            output_shape=(10,),
            output_range=(0.0, 1.0),
            input_kind="float",
            scale=Scale("accuracy", five=0.88, step=0.02, higher_is_better=True),
            constants={"INPUT_SHAPE": (28, 28), "CLASSES": FASHION_CLASSES},
            load_training=_c2_training,
            evaluation_inputs=_c2_eval,
            measure=lambda y, p: _classification(y, p, FASHION_CLASSES, "images"),
        ),
        Problem(
            id="c3-clipart",
            starter="c3_clipart.py",
            category=3,
            title="Image classification: animals vs people in clip-art drawings",
            dataset="openclipart",
            summary=(
                "Binary classification of 150x150 RGB drawings (pixels scaled to [0, 1]); "
                "class 0 animals, class 1 people (alphabetical folder order). The offline "
                "stand-in for horses-or-humans."
            ),
            input_shape=(150, 150, 3),
            output_shape=(1,),
            accepted_output_shapes=((2,),),
            output_range=(0.0, 1.0),
            input_kind="float",
            scale=Scale("accuracy", five=0.70, step=0.03, higher_is_better=True),
            constants={"IMAGE_SIZE": (150, 150), "CLASSES": _data.CLIPART_CLASSES},
            load_training=_c3_training,
            evaluation_inputs=_c3_eval,
            measure=lambda y, p: _classification(y, p, _data.CLIPART_CLASSES, "images"),
        ),
        Problem(
            id="c3-horses-or-humans",
            category=3,
            title="Image classification: horses or humans (needs internet once)",
            dataset="horses-or-humans",
            summary=(
                "The exam's own category 3 data with the c3-clipart contract: 150x150 RGB "
                "(pixels scaled to [0, 1]); class 0 horses, class 1 humans; scored on the "
                "256 validation images. Downloaded once (161 MB, checked by SHA-256)."
            ),
            input_shape=(150, 150, 3),
            output_shape=(1,),
            accepted_output_shapes=((2,),),
            output_range=(0.0, 1.0),
            input_kind="float",
            # Not calibrated (the data cannot be downloaded here); the exam's hurricane
            # starter hinted at about 0.95 for top marks on its own images.
            scale=Scale("accuracy", five=0.90, step=0.04, higher_is_better=True),
            constants={"IMAGE_SIZE": (150, 150), "CLASSES": _data.HORSES_CLASSES},
            load_training=_c3_horses_training,
            evaluation_inputs=_c3_horses_eval,
            measure=lambda y, p: _classification(y, p, _data.HORSES_CLASSES, "images"),
            online_only=True,
        ),
        Problem(
            id="c4-rotten-tomatoes",
            starter="c4_rotten_tomatoes.py",
            category=4,
            title="NLP text classification: fresh or rotten movie-review snippets",
            dataset="rotten-tomatoes",
            summary=(
                "Binary sentiment of short review snippets, encoded with the starter's fixed "
                "settings (vocabulary 5000, length 32, post padding and truncation, '<OOV>', "
                "vocabulary from the first 9,000 training snippets)."
            ),
            input_shape=(C4["MAX_LENGTH"],),
            accepted_input_shapes=((None,),),
            output_shape=(1,),
            output_range=(0.0, 1.0),
            input_kind="int",
            scale=Scale("accuracy", five=0.74, step=0.02, higher_is_better=True),
            constants=dict(C4),
            load_training=_c4_training,
            evaluation_inputs=_c4_eval,
            measure=lambda y, p: _classification(y, p, ("rotten", "fresh"), "reviews"),
        ),
        Problem(
            id="c5-seattle-weather",
            starter="c5_seattle_weather.py",
            category=5,
            title="Time series: multi-output forecast of Seattle's daily weather",
            dataset="seattle-weather",
            summary=(
                "From the past 14 days of 4 normalised features (precipitation, temp_max, "
                "temp_min, wind) predict the next 7 days of all 4; scored on 2015, which "
                "training never sees."
            ),
            input_shape=(C5_WEATHER["N_PAST"], C5_WEATHER["N_FEATURES"]),
            output_shape=(C5_WEATHER["N_FUTURE"], C5_WEATHER["N_FEATURES"]),
            output_range=None,
            input_kind="float",
            scale=Scale("MAE", five=0.09, step=0.004, higher_is_better=False),
            constants=dict(C5_WEATHER),
            load_training=_c5_weather_training,
            evaluation_inputs=_c5_weather_eval,
            measure=lambda y, p: _forecast_mae(y, p, _data.WEATHER_COLUMNS),
        ),
        Problem(
            id="c5-sunspots",
            starter="c5_sunspots.py",
            category=5,
            title="Time series: the next year of monthly sunspot numbers",
            dataset="sunspots",
            summary=(
                "From the past 60 months of the normalised monthly sunspot number predict the "
                "next 12 months; scored on every window that ends in the last 500 months "
                "(1942-1983). A one-month horizon, as in the course, is too easy to score: "
                "repeating the last value is almost as good as any model there."
            ),
            input_shape=(C5_SUNSPOTS["WINDOW_SIZE"], 1),
            accepted_input_shapes=((C5_SUNSPOTS["WINDOW_SIZE"],),),
            output_shape=(C5_SUNSPOTS["N_FUTURE"],),
            output_range=None,
            input_kind="float",
            scale=Scale("MAE", five=0.09, step=0.003, higher_is_better=False),
            constants=dict(C5_SUNSPOTS),
            load_training=_c5_sunspots_training,
            evaluation_inputs=_c5_sunspots_eval,
            measure=lambda y, p: _forecast_mae(y, p, ("sunspots",)),
        ),
    ]
}


def get_problem(problem_id: str) -> Problem:
    try:
        return PROBLEMS[problem_id]
    except KeyError:
        known = ", ".join(PROBLEMS)
        raise KeyError(f"unknown problem {problem_id!r}; the problems are: {known}") from None


def load_training_data(problem_id: str) -> Any:
    """The training data of a problem, as its starter uses it (never the evaluation split)."""
    return get_problem(problem_id).load_training()
