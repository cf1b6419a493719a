"""Rebuild tests/fixtures/keras3/: model files saved by Keras 3 releases older than the grader's.

Learners who installed TensorFlow 2.16 or later saved their models with Keras 3, often an
older 3.x than the one the grader runs (TensorFlow 2.16 came with Keras 3.0-3.3). Keras 3.0's
HDF5 writer stores a Normalization(axis=None) in a way that Keras' own HDF5 loader misreads
(grader.modelfile.model_file.hdf5_loader_misreads), so tests/test_keras2_models.py needs real
files from those versions. This script builds one small model per exam category the way a
Keras 3 learner writes them (keras.Input first, Rescaling(400.0) where the course had
Lambda(lambda x: x * 400.0)), a time-series model with Normalization(axis=None), and the
course's scaling Lambda itself (which the grader must refuse, naming Rescaling(400.0)). Each
is saved both as .h5 and as .keras (where this Keras can: Keras 3.0's .h5 writer fails on
Bidirectional, and expected.json says so), with random weights (a weight loaded into the wrong
place then changes the predictions); expected.json records what this Keras predicted on the
probe inputs of tools/make_keras2_fixtures.py.

It runs under any Keras 3 and writes tests/fixtures/keras3/keras<major.minor>/. Keras 3.0
needs a venv of its own (TensorFlow 2.16 is the oldest TensorFlow that runs Keras 3; pip
resolves tensorflow-cpu 2.16.2 for Python 3.11):

    python3.11 -m venv k30 && k30/bin/pip install "tensorflow-cpu==2.16.*" \\
        && k30/bin/pip install "keras==3.0.5"
    k30/bin/python tools/make_keras3_fixtures.py
    k30/bin/pip install "keras==3.8.0" && k30/bin/python tools/make_keras3_fixtures.py
    .venv/bin/python tools/make_keras3_fixtures.py     # the grader's own Keras 3

The committed sets: Keras 3.0.5 (the first Keras 3 release line), 3.8.0 (early 2025) and
3.15.1 (the grader's when they were made).

*.h5 is git-ignored: add the files with `git add -f`. A rebuild draws other random weights,
so commit each folder's files and expected.json together.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from make_keras2_fixtures import LENGTH, VOCAB, probe_inputs, relative_filename

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras3"
FORMATS = ("h5", "keras")


@dataclass(frozen=True)
class Fixture:
    name: str
    problem: str  # the grader problem whose contract the model meets
    what: str
    build: Callable[[Any], Any]  # keras module -> model
    loss: str
    probe: tuple[tuple[int, ...], float, float, bool]  # shape, low, high, integer
    exact: bool = False  # c1: the relation's own weights, so that the grader gives 5/5


def _c1(keras: Any) -> Any:
    return keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])


def _c2_dense(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            layers.Flatten(),
            layers.Dense(8, activation="relu"),
            layers.Dropout(0.2),
            layers.Dense(10, activation="softmax"),
        ]
    )


def _c3_cnn(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((150, 150, 3)),
            layers.RandomFlip("horizontal"),
            layers.Rescaling(1 / 255.0),
            layers.Conv2D(4, 3, activation="relu"),
            layers.MaxPooling2D(4),
            layers.Conv2D(8, 3, activation="relu"),
            layers.MaxPooling2D(4),
            layers.Flatten(),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def _c4_bilstm(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((LENGTH,), dtype="int32"),
            layers.Embedding(VOCAB, 2),
            layers.Bidirectional(layers.LSTM(4)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def _c5_sunspots_rescaling(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((60, 1)),
            layers.Conv1D(8, 5, padding="causal", activation="relu"),
            layers.LSTM(8),
            layers.Dense(12),
            layers.Rescaling(400.0),  # the course's Lambda(lambda x: x * 400.0)
        ]
    )


def _c5_sunspots_normalization(keras: Any) -> Any:
    layers = keras.layers
    norm = layers.Normalization(axis=None)
    norm.adapt(probe_inputs((60, 1), 0.0, 200.0, False))
    return keras.Sequential(
        [keras.Input((60, 1)), norm, layers.Flatten(), layers.Dense(8), layers.Dense(12)]
    )


def _c5_weather(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [keras.Input((14, 4)), layers.LSTM(8), layers.Dense(28), layers.Reshape((7, 4))]
    )


# The course's scaling Lambda (sunspots, temperatures). Its bytecode goes into the file; the
# grader must refuse it unread and name Rescaling(400.0).
SCALE = lambda x: x * 400.0  # noqa: E731


SCALE.__code__ = relative_filename(SCALE.__code__, "tools/make_keras3_fixtures.py")


def _lambda_scale(keras: Any) -> Any:
    layers = keras.layers
    return keras.Sequential(
        [keras.Input((60, 1)), layers.Flatten(), layers.Dense(12), layers.Lambda(SCALE)]
    )


FIXTURES_LIST = (
    Fixture(
        "c1_dense",
        "c1-basic-regression",
        "Input((1,)), Dense(1); weights y = 3x + 1 exactly",
        _c1,
        "mean_squared_error",
        ((1,), -10.0, 10.0, False),
        exact=True,
    ),
    Fixture(
        "c2_dense",
        "c2-fashion-mnist",
        "Input((28, 28)), Flatten, Dense(relu), Dropout, Dense(10, softmax)",
        _c2_dense,
        "sparse_categorical_crossentropy",
        ((28, 28), 0.0, 1.0, False),
    ),
    Fixture(
        "c3_cnn",
        "c3-clipart",
        "RandomFlip, Rescaling(1/255), 2 x Conv2D + MaxPooling2D, Dense(1, sigmoid)",
        _c3_cnn,
        "binary_crossentropy",
        ((150, 150, 3), 0.0, 255.0, False),
    ),
    Fixture(
        "c4_bilstm",
        "c4-rotten-tomatoes",
        "Input((32,), int32), Embedding, Bidirectional(LSTM), Dense(1, sigmoid)",
        _c4_bilstm,
        "binary_crossentropy",
        ((LENGTH,), 0, VOCAB, True),
    ),
    Fixture(
        "c5_sunspots_rescaling",
        "c5-sunspots",
        "Conv1D(causal), LSTM, Dense(12), Rescaling(400.0) in place of the course's Lambda",
        _c5_sunspots_rescaling,
        "huber",
        ((60, 1), 0.0, 1.0, False),
    ),
    Fixture(
        "c5_sunspots_normalization",
        "c5-sunspots",
        "Normalization(axis=None) adapted on the probe, Flatten, Dense, Dense(12)",
        _c5_sunspots_normalization,
        "mean_absolute_error",
        ((60, 1), 0.0, 200.0, False),
    ),
    Fixture(
        "c5_weather_lstm",
        "c5-seattle-weather",
        "LSTM, Dense(28), Reshape((7, 4))",
        _c5_weather,
        "mean_absolute_error",
        ((14, 4), 0.0, 1.0, False),
    ),
    Fixture(
        "lambda_scale",
        "c5-sunspots",
        "Flatten, Dense(12), Lambda(lambda x: x * 400.0): refused, naming Rescaling(400.0)",
        _lambda_scale,
        "mean_absolute_error",
        ((60, 1), 0.0, 1.0, False),
    ),
)


def _randomize(model: Any, rng: np.random.Generator) -> None:
    """Give every trainable weight a distinct random value (zeros and ones would hide a
    swap); a Normalization keeps the mean and variance it adapted."""
    for layer in model.layers:
        if layer.__class__.__name__ == "Normalization" or not layer.weights:
            continue
        values = [rng.normal(0.0, 0.4, tuple(w.shape)) for w in layer.weights]
        layer.set_weights([v.astype(np.float32) for v in values])


def main() -> int:
    os.environ.setdefault("KERAS_BACKEND", "tensorflow")
    import keras

    if not keras.__version__.startswith("3."):
        print(f"keras is {keras.__version__}, not Keras 3: see the docstring")
        return 2
    major, minor = keras.__version__.split(".")[:2]
    folder = FIXTURES / f"keras{major}.{minor}"
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Any] = {
        "generator": "tools/make_keras3_fixtures.py",
        "keras": keras.__version__,
        "backend": keras.backend.backend(),
        "formats": list(FORMATS),
        "models": {},
    }
    for number, spec in enumerate(FIXTURES_LIST):
        keras.utils.set_random_seed(number)
        model = spec.build(keras)
        loss = keras.losses.Huber() if spec.loss == "huber" else spec.loss
        model.compile(optimizer="adam", loss=loss)
        shape, low, high, integer = spec.probe
        x = probe_inputs(shape, low, high, integer)
        if spec.exact:
            model.layers[0].set_weights([np.array([[3.0]], "float32"), np.array([1.0], "float32")])
        else:
            _randomize(model, np.random.default_rng(200 + number))
        pred = np.asarray(model.predict(x, verbose=0), dtype=np.float32)
        sizes = {}
        not_saved = {}
        for fmt in FORMATS:
            path = folder / f"{spec.name}.{fmt}"
            try:
                model.save(str(path))
            except Exception as exc:  # Keras 3.0's .h5 writer fails on Bidirectional
                path.unlink(missing_ok=True)
                first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
                not_saved[fmt] = f"{type(exc).__name__}: {first}"
                print(f"{path.relative_to(FIXTURES)}: not saved ({not_saved[fmt]})")
                continue
            sizes[fmt] = path.stat().st_size
            print(f"{path.relative_to(FIXTURES)}: {sizes[fmt]} bytes, {pred.shape}")
        expected["models"][spec.name] = {
            "problem": spec.problem,
            "what": spec.what,
            "loss": spec.loss,
            "probe": {"shape": list(shape), "low": low, "high": high, "integer": integer},
            "prediction_shape": list(pred.shape),
            "predictions": [float(v) for v in pred.reshape(-1)],
            "bytes": sizes,
            "not_saved": not_saved,  # what this Keras raised when saving in that format
        }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
