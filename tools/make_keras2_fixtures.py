"""Rebuild tests/fixtures/keras2/: exam-era model files saved by Keras 2.

People kept the `mymodel.h5` files they made for the exam with TensorFlow 2.x, whose
tf.keras was Keras 2; the grader loads with Keras 3, so tests/test_keras2_models.py needs
real Keras 2 files. This script builds one small model per exam category the way the course
and the exam's starters wrote them (input_shape= on the first layer, Embedding(input_length=),
activation=tf.nn.relu, short loss names such as "mse"), gives every weight a random value
(a weight loaded into the wrong place then changes the predictions), saves each with
model.save("<name>.h5"), and records in expected.json what Keras 2 predicted on the probe
inputs (`probe_inputs`: integer arithmetic, so the tests make the same inputs). It also
writes layers.json, the Keras 2 configs of the built-in layers an exam model might use.

It runs under any TensorFlow 2.x and writes tests/fixtures/keras2/tf<major.minor>/. The
committed sets cover every release learners saved with: each TensorFlow from 2.0 to 2.12
(the exam's set-up guides named tensorflow==2.3.0 in 2020 and 2.9.0 in 2022; the last patch
release of each is used), 2.15 (the last whose tf.keras is Keras 2), tf-keras 2.16 (the first
tf-keras, for TensorFlow 2.16, the first TensorFlow whose tf.keras is Keras 3) and tf-keras
2.21, the last Keras 2. Each needs its own venv (the project's has Keras 3), for example:

    python3.7 -m venv tf20 && tf20/bin/pip install "tensorflow==2.0.*" "protobuf<3.20" \
        "h5py<3" "gast==0.2.2"
    python3.7 -m venv tf21 && tf21/bin/pip install "tensorflow-cpu==2.1.*" "protobuf<3.20" \
        "h5py<3"
    python3.8 -m venv tf22 && tf22/bin/pip install "tensorflow-cpu==2.2.*" "protobuf<3.20" \
        "h5py<3"
    python3.8 -m venv tf23 && tf23/bin/pip install "tensorflow-cpu==2.3.*" "protobuf<3.20"
    python3.8 -m venv tf24 && tf24/bin/pip install "tensorflow-cpu==2.4.*" "protobuf<3.20"
    python3.9 -m venv tf25 && tf25/bin/pip install "tensorflow-cpu==2.5.*" "protobuf<3.20"
    python3.9 -m venv tf26 && tf26/bin/pip install "tensorflow-cpu==2.6.*" "keras==2.6.*" \
        "numpy<1.20" "protobuf<3.20"
    python3.9 -m venv tf27 && tf27/bin/pip install "tensorflow-cpu==2.7.*" "keras==2.7.*" \
        "numpy<2" "protobuf<3.20"
    python3.10 -m venv tf28 && tf28/bin/pip install "tensorflow-cpu==2.8.*" "keras==2.8.*" \
        "numpy<2" "protobuf<3.20"
    python3.10 -m venv tf29 && tf29/bin/pip install "tensorflow-cpu==2.9.*" "numpy<2" \
        "protobuf<3.20"
    python3.10 -m venv tf210 && tf210/bin/pip install "tensorflow-cpu==2.10.*" "numpy<2" \
        "protobuf<3.20"
    python3.10 -m venv tf211 && tf211/bin/pip install "tensorflow-cpu==2.11.*" "numpy<2" \
        "protobuf<3.20"
    python3.11 -m venv tf212 && tf212/bin/pip install "tensorflow-cpu==2.12.*"
    python3.11 -m venv tf213 && tf213/bin/pip install "tensorflow-cpu==2.13.*"
    python3.11 -m venv tf214 && tf214/bin/pip install "tensorflow-cpu==2.14.*"
    python3.11 -m venv tf215 && tf215/bin/pip install "tensorflow-cpu==2.15.*"
    python3.11 -m venv tf216 && tf216/bin/pip install "tensorflow-cpu==2.16.*" "tf-keras==2.16.*"
    python3.11 -m venv tf221 && tf221/bin/pip install "tensorflow-cpu==2.21.*" \
        && tf221/bin/pip install --no-deps "tf-keras==2.21.*"
    tf20/bin/python tools/make_keras2_fixtures.py    # and so on, for each venv up to tf215
    TF_USE_LEGACY_KERAS=1 tf216/bin/python tools/make_keras2_fixtures.py
    TF_USE_LEGACY_KERAS=1 tf221/bin/python tools/make_keras2_fixtures.py

TensorFlow 2.0-2.11 (Keras 2.2.4-tf to 2.11) published no wheels for Python 3.11; their
sets need the older Pythons they were built for (3.7 for 2.0 and 2.1, 3.8 for 2.2-2.4, 3.9
for 2.5-2.7, 3.10 for 2.8-2.11, as above). TensorFlow 2.0's tf.keras is 2.2.4-tf, 2.1's and
2.2's 2.3.0-tf, 2.3's and 2.4's 2.4.0, later ones the TensorFlow version. 2.0 and 2.1 have no
augmentation layers, so their c3 model starts with the convolution; 2.2 has no RandomZoom,
and its Rescaling has no offset. Normalization(axis=None) is made from 2.6 on (before, the
layer was experimental). 2.12-2.15 publish Python 3.11 wheels.
tools/make_keras3_fixtures.py makes the Keras 3 sets (tests/fixtures/keras3/).

*.h5 is git-ignored: add the files with `git add -f`. A rebuild draws other random weights,
so commit each folder's .h5 files and expected.json together.
"""

from __future__ import annotations

import json
import os
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# This script runs under Python 3.7 (TensorFlow 2.0, 2.1): no newer syntax at run time.
FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "keras2"
PROBE_COUNT = 6


def probe_inputs(shape: tuple[int, ...], low: float, high: float, integer: bool) -> np.ndarray:
    """PROBE_COUNT inputs of `shape`, the same on every machine and numpy version: a
    multiplicative hash of the element index (integers only), mapped to [low, high)."""
    count = PROBE_COUNT * int(np.prod(shape))
    index = np.arange(count, dtype=np.uint64)
    hashed = (index * np.uint64(2654435761) + np.uint64(40503)) % np.uint64(2**32)
    if integer:
        values = np.uint64(int(low)) + hashed % np.uint64(int(high - low))
        ints: np.ndarray = values.astype(np.int32).reshape((PROBE_COUNT, *shape))
        return ints
    unit = hashed.astype(np.float64) / 2**32
    floats: np.ndarray = (low + (high - low) * unit).astype(np.float32)
    return floats.reshape((PROBE_COUNT, *shape))


def _layer(tf: Any, name: str) -> Any:
    """A layer class by name; TensorFlow 2.3 kept the preprocessing layers in experimental."""
    layers = tf.keras.layers
    found = getattr(layers, name, None)
    if found is None:
        found = getattr(layers.experimental.preprocessing, name)
    return found


@dataclass(frozen=True)
class Fixture:
    name: str
    problem: str  # the grader problem whose contract the model meets
    what: str
    build: Callable[[Any], Any]  # tensorflow module -> model
    loss: str  # a loss name, or "huber" for the Huber() object the course used
    optimizer: str
    metrics: tuple[str, ...]
    probe: tuple[tuple[int, ...], float, float, bool]  # shape, low, high, integer
    train_steps: int = 0  # a few steps put the optimizer's state in the file, as after fit()
    exact: bool = False  # c1: the relation's own weights, so that the grader gives 5/5


def _c1(tf: Any) -> Any:
    return tf.keras.Sequential([tf.keras.layers.Dense(units=1, input_shape=[1])])


def _c2_dense(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Flatten(input_shape=(28, 28)),
            layers.Dense(8, activation=tf.nn.relu),
            layers.Dropout(0.2),
            layers.Dense(10, activation=tf.nn.softmax),
        ]
    )


def _c2_cnn_functional(tf: Any) -> Any:
    layers = tf.keras.layers
    inputs = tf.keras.Input(shape=(28, 28))
    x = layers.Reshape((28, 28, 1))(inputs)
    x = layers.Conv2D(4, (3, 3), activation="relu")(x)
    x = layers.MaxPooling2D(2, 2)(x)
    x = layers.Flatten()(x)
    outputs = layers.Dense(10, activation="softmax")(x)
    return tf.keras.Model(inputs=inputs, outputs=outputs)


def _has_augmentation_layers(tf: Any) -> bool:
    """RandomFlip came with TensorFlow 2.2: before it, the course augmented with
    ImageDataGenerator, outside the model."""
    layers = tf.keras.layers
    return hasattr(layers, "RandomFlip") or hasattr(
        getattr(getattr(layers, "experimental", None), "preprocessing", None), "RandomFlip"
    )


def _c3_cnn(tf: Any) -> Any:
    layers = tf.keras.layers
    if _has_augmentation_layers(tf):
        first = [
            _layer(tf, "RandomFlip")("horizontal", input_shape=(150, 150, 3)),
            _layer(tf, "RandomRotation")(0.1),
            layers.Conv2D(4, (3, 3), activation="relu"),
        ]
    else:
        first = [layers.Conv2D(4, (3, 3), activation="relu", input_shape=(150, 150, 3))]
    return tf.keras.Sequential(
        [
            *first,
            layers.MaxPooling2D(2, 2),
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.MaxPooling2D(2, 2),
            layers.Conv2D(8, (3, 3), activation="relu"),
            layers.MaxPooling2D(2, 2),
            layers.BatchNormalization(),
            layers.Flatten(),
            layers.Dropout(0.5),
            layers.Dense(4, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


# c4-rotten-tomatoes: vocabulary 5000, length 32 (embedding width kept small for file size).
VOCAB, LENGTH = 5000, 32


def _c4_gap(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Embedding(VOCAB, 2, input_length=LENGTH),
            layers.GlobalAveragePooling1D(),
            layers.Dense(6, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def _c4_bilstm(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Embedding(VOCAB, 2, input_length=LENGTH),
            layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
            layers.Bidirectional(layers.LSTM(4)),
            layers.Dense(6, activation="relu"),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def _c4_conv_gru(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Embedding(VOCAB, 2, input_length=LENGTH),
            layers.Conv1D(8, 5, activation="relu"),
            layers.MaxPooling1D(2),
            layers.Bidirectional(layers.GRU(8)),
            layers.Dense(1, activation="sigmoid"),
        ]
    )


def _c5_weather(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Conv1D(8, 3, padding="causal", activation="relu", input_shape=(14, 4)),
            layers.LSTM(8, return_sequences=True),
            layers.LSTM(8),
            layers.Dense(28),
            layers.Reshape((7, 4)),
        ]
    )


def _c5_sunspots(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Conv1D(
                filters=8,
                kernel_size=5,
                strides=1,
                padding="causal",
                activation="relu",
                input_shape=[60, 1],
            ),
            layers.LSTM(8, return_sequences=True),
            layers.GRU(8, reset_after=False),
            layers.Dense(8, activation="relu"),
            layers.Dense(12),
        ]
    )


def _c5_normalization(tf: Any) -> Any:
    """The course's Normalization(axis=None) (one mean and variance for the whole series), or
    None before TensorFlow 2.6, whose Normalization was still experimental."""
    if tuple(int(part) for part in tf.__version__.split(".")[:2]) < (2, 6):
        return None
    try:
        normalization = _layer(tf, "Normalization")(axis=None, input_shape=[60, 1])
    except (AttributeError, TypeError, ValueError):
        return None
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [normalization, layers.Flatten(), layers.Dense(8, activation="relu"), layers.Dense(12)]
    )


def _c5_household(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Conv1D(8, 3, padding="causal", activation="relu", input_shape=(24, 7)),
            layers.Bidirectional(layers.LSTM(8, return_sequences=True)),
            layers.SimpleRNN(8, return_sequences=True),
            layers.Dense(7),
        ]
    )


# A real lambda (its bytecode goes into the file) that writes the file named by
# $TFCERT_TEST_MARKER if anything ever runs it: the tests check that nothing does.
LAMBDA_TRAP = lambda x: (  # noqa: E731
    [
        __import__("pathlib").Path(m).write_text("ran")
        for m in [__import__("os").environ.get("TFCERT_TEST_MARKER")]
        if m
    ],
    x,
)[1]


def _keras_package_version() -> str:
    import keras  # TensorFlow 2.6-2.15's own Keras 2

    return str(keras.__version__)


def relative_filename(code: types.CodeType, name: str) -> types.CodeType:
    """The bytecode names the file it came from: keep this machine's path out of the repo
    (a lambda saved into a fixture names `name`, the script's path in the repository)."""
    consts = tuple(
        relative_filename(c, name) if isinstance(c, types.CodeType) else c for c in code.co_consts
    )
    if hasattr(code, "replace"):
        return code.replace(co_filename=name, co_consts=consts)
    # Python 3.7 (TensorFlow 2.0 and 2.1 publish no wheel for a later one): no replace(),
    # and the constructor takes 3.7's arguments, not the ones mypy knows
    make: Any = types.CodeType
    rebuilt: types.CodeType = make(
        code.co_argcount,
        code.co_kwonlyargcount,
        code.co_nlocals,
        code.co_stacksize,
        code.co_flags,
        code.co_code,
        consts,
        code.co_names,
        code.co_varnames,
        name,
        code.co_name,
        code.co_firstlineno,
        code.co_lnotab,
        code.co_freevars,
        code.co_cellvars,
    )
    return rebuilt


LAMBDA_TRAP.__code__ = relative_filename(LAMBDA_TRAP.__code__, "tools/make_keras2_fixtures.py")


def _lambda_trap(tf: Any) -> Any:
    layers = tf.keras.layers
    return tf.keras.Sequential(
        [
            layers.Dense(1, input_shape=[1]),
            layers.Lambda(LAMBDA_TRAP),
            layers.Dense(1),
        ]
    )


FIXTURES_LIST = (
    Fixture(
        "c1_dense_mse",
        "c1-basic-regression",
        "Dense(units=1, input_shape=[1]), SGD, loss='mse'; weights y = 3x + 1 exactly",
        _c1,
        "mse",
        "sgd",
        (),
        ((1,), -10.0, 10.0, False),
        exact=True,
    ),
    Fixture(
        "c2_dense",
        "c2-fashion-mnist",
        "Flatten(input_shape=(28, 28)), Dense(tf.nn.relu), Dropout, Dense(10, tf.nn.softmax)",
        _c2_dense,
        "sparse_categorical_crossentropy",
        "adam",
        ("accuracy",),
        ((28, 28), 0.0, 1.0, False),
    ),
    Fixture(
        "c2_cnn_functional",
        "c2-fashion-mnist",
        "functional API: Input((28, 28)), Reshape, Conv2D, MaxPooling2D, Dense(10, softmax)",
        _c2_cnn_functional,
        "sparse_categorical_crossentropy",
        "adam",
        ("accuracy",),
        ((28, 28), 0.0, 1.0, False),
    ),
    Fixture(
        "c3_cnn",
        "c3-clipart",
        "RandomFlip, RandomRotation, 3 x Conv2D + MaxPooling2D, BatchNormalization, Dense",
        _c3_cnn,
        "binary_crossentropy",
        "rmsprop",
        ("accuracy",),
        ((150, 150, 3), 0.0, 1.0, False),
    ),
    Fixture(
        "c4_embedding_gap",
        "c4-rotten-tomatoes",
        "Embedding(input_length=32), GlobalAveragePooling1D, Dense(1, sigmoid)",
        _c4_gap,
        "binary_crossentropy",
        "adam",
        ("accuracy",),
        ((LENGTH,), 0, VOCAB, True),
    ),
    Fixture(
        "c4_bilstm",
        "c4-rotten-tomatoes",
        "Embedding(input_length=32), 2 x Bidirectional(LSTM), Dense(1, sigmoid)",
        _c4_bilstm,
        "binary_crossentropy",
        "adam",
        ("accuracy",),
        ((LENGTH,), 0, VOCAB, True),
    ),
    Fixture(
        "c4_conv_gru",
        "c4-rotten-tomatoes",
        "Embedding(input_length=32), Conv1D, MaxPooling1D, Bidirectional(GRU), Dense(1)",
        _c4_conv_gru,
        "binary_crossentropy",
        "adam",
        ("accuracy",),
        ((LENGTH,), 0, VOCAB, True),
    ),
    Fixture(
        "c5_weather_conv_lstm",
        "c5-seattle-weather",
        "Conv1D(causal), 2 x LSTM, Dense(28), Reshape((7, 4)), loss='mae', after fit()",
        _c5_weather,
        "mae",
        "adam",
        ("mae",),
        ((14, 4), 0.0, 1.0, False),
        train_steps=2,
    ),
    Fixture(
        "c5_sunspots_conv_lstm_gru",
        "c5-sunspots",
        "Conv1D(causal), LSTM, GRU(reset_after=False), Dense(12), Huber loss",
        _c5_sunspots,
        "huber",
        "sgd",
        ("mae",),
        ((60, 1), 0.0, 1.0, False),
    ),
    Fixture(
        "c5_household_bilstm",
        "c5-household-power",
        "Conv1D(causal), Bidirectional(LSTM), SimpleRNN, Dense(7): (24, 7) -> (24, 7)",
        _c5_household,
        "mean_absolute_error",
        "adam",
        ("mae",),
        ((24, 7), 0.0, 1.0, False),
    ),
    Fixture(
        "lambda_trap",
        "c1-basic-regression",
        "Dense, Lambda (code that writes $TFCERT_TEST_MARKER), Dense: must never load",
        _lambda_trap,
        "mean_squared_error",
        "sgd",
        (),
        ((1,), -10.0, 10.0, False),
    ),
    # Last, so that the seeds of the models above stay what they were.
    Fixture(
        "c5_sunspots_normalization",
        "c5-sunspots",
        "Normalization(axis=None), Flatten, Dense(8), Dense(12): saved as axis []",
        _c5_normalization,
        "mae",
        "adam",
        ("mae",),
        ((60, 1), 0.0, 1.0, False),
    ),
)

# Built-in layers an exam model might hold, each called once on an input of this shape so
# that its saved config is the one a trained model has (BatchNormalization's axis changes).
_IMAGE, _SEQUENCE = (8, 8, 3), (6, 4)
CATALOGUE: tuple[tuple[str, tuple[Any, ...], dict[str, Any], tuple[int, ...]], ...] = (
    ("Dense", (3,), {"kernel_regularizer": "l2"}, _SEQUENCE),
    ("Dense", (3,), {"dtype": "mixed_float16"}, _SEQUENCE),
    ("Activation", ("relu",), {}, _SEQUENCE),
    ("Dropout", (0.1,), {}, _SEQUENCE),
    ("Flatten", (), {}, _IMAGE),
    ("Reshape", ((4, -1),), {}, _SEQUENCE),
    ("Conv1D", (2, 3), {"padding": "causal"}, _SEQUENCE),
    ("Conv2D", (2, 3), {}, _IMAGE),
    ("MaxPooling1D", (), {}, _SEQUENCE),
    ("MaxPooling2D", (), {}, _IMAGE),
    ("AveragePooling2D", (), {}, _IMAGE),
    ("GlobalAveragePooling1D", (), {}, _SEQUENCE),
    ("GlobalMaxPooling1D", (), {}, _SEQUENCE),
    ("GlobalAveragePooling2D", (), {}, _IMAGE),
    ("BatchNormalization", (), {}, _IMAGE),
    ("LayerNormalization", (), {}, _SEQUENCE),
    ("Embedding", (10, 2), {"input_length": 5}, (5,)),
    ("LSTM", (2,), {}, _SEQUENCE),
    ("GRU", (2,), {}, _SEQUENCE),
    ("SimpleRNN", (2,), {}, _SEQUENCE),
    ("Bidirectional", ("LSTM",), {}, _SEQUENCE),
    ("TimeDistributed", ("Dense",), {}, _SEQUENCE),
    ("Conv2DTranspose", (2, 3), {}, _IMAGE),
    ("DepthwiseConv2D", (3,), {}, _IMAGE),
    ("SeparableConv2D", (2, 3), {}, _IMAGE),
    ("SpatialDropout1D", (0.1,), {}, _SEQUENCE),
    ("LeakyReLU", (), {}, _SEQUENCE),
    ("ReLU", (), {}, _SEQUENCE),
    ("PReLU", (), {}, _SEQUENCE),
    ("Rescaling", (1 / 255.0,), {}, _IMAGE),
    ("Resizing", (4, 4), {}, _IMAGE),
    ("RandomFlip", ("horizontal",), {}, _IMAGE),
    ("RandomRotation", (0.2,), {}, _IMAGE),
    ("RandomZoom", (0.2,), {}, _IMAGE),
    ("RandomTranslation", (0.1, 0.1), {}, _IMAGE),
    ("RandomContrast", (0.1,), {}, _IMAGE),
    ("RandomCrop", (4, 4), {}, _IMAGE),
)


def _catalogue(tf: Any) -> list[Any]:
    configs = []
    for name, args, kwargs, shape in CATALOGUE:
        try:
            cls = _layer(tf, name)
        except AttributeError:
            continue  # not in this TensorFlow
        try:
            if name in ("Bidirectional", "TimeDistributed"):
                layer = cls(_layer(tf, args[0])(2))
            else:
                layer = cls(*args, **kwargs)
            dtype = "int32" if name == "Embedding" else "float32"
            layer(tf.keras.Input(shape, dtype=dtype))
        except (TypeError, ValueError) as exc:  # an argument this TensorFlow lacks
            print(f"layers.json: {name}{args} {kwargs} skipped ({exc})")
            continue
        configs.append({"class_name": name, "config": layer.get_config()})
    return configs


def _randomize(model: Any, rng: np.random.Generator) -> None:
    """Give every weight a distinct random value (zeros and ones would hide a swap)."""
    for layer in model.layers:
        values = []
        for weight in layer.weights:
            shape = tuple(weight.shape)
            if weight.name.split("/")[-1].split(":")[0] == "count":
                values.append(np.asarray(weight.numpy()))  # Normalization's counter, unused
            elif "variance" in weight.name:  # moving_variance, Normalization's variance
                values.append(rng.uniform(0.5, 1.5, shape))
            else:
                values.append(rng.normal(0.0, 0.4, shape))
        if values:
            layer.set_weights([v if v.dtype.kind in "iu" else v.astype(np.float32) for v in values])


def _json_default(value: Any) -> Any:
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (tuple, set)):
        return list(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def main() -> int:
    import tensorflow as tf

    major, minor = (int(part) for part in tf.__version__.split(".")[:2])
    if (major, minor) >= (2, 16):
        # TensorFlow 2.16+ brings Keras 3; tf-keras is Keras 2, chosen by this variable.
        if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
            print("TensorFlow >= 2.16: run with TF_USE_LEGACY_KERAS=1 and tf-keras installed")
            return 2
        import tf_keras

        keras_version = tf_keras.__version__
    else:
        # TensorFlow 2.6-2.15 ship Keras as the `keras` package, whose tf.keras proxy has no
        # __version__ of its own.
        keras_version = getattr(tf.keras, "__version__", None) or _keras_package_version()
    if not keras_version.startswith("2."):
        print(f"tf.keras is Keras {keras_version}, not Keras 2: see the docstring")
        return 2
    folder = FIXTURES / f"tf{major}.{minor}"
    folder.mkdir(parents=True, exist_ok=True)
    expected: dict[str, Any] = {
        "generator": "tools/make_keras2_fixtures.py",
        "tensorflow": tf.__version__,
        "keras": keras_version,
        "probe_count": PROBE_COUNT,
        "models": {},
    }
    for number, spec in enumerate(FIXTURES_LIST):
        tf.random.set_seed(number)
        model = spec.build(tf)
        if model is None:
            print(f"{spec.name}: not made (this TensorFlow lacks its layer)")
            continue
        loss = tf.keras.losses.Huber() if spec.loss == "huber" else spec.loss
        model.compile(optimizer=spec.optimizer, loss=loss, metrics=list(spec.metrics))
        shape, low, high, integer = spec.probe
        x = probe_inputs(shape, low, high, integer)
        if spec.train_steps:
            y = np.asarray(model.predict(x, verbose=0))
            model.fit(x, np.clip(y, 0.0, 1.0), epochs=spec.train_steps, verbose=0)
        if spec.exact:
            model.layers[0].set_weights([np.array([[3.0]], "float32"), np.array([1.0], "float32")])
        else:
            _randomize(model, np.random.default_rng(100 + number))
        pred = np.asarray(model.predict(x, verbose=0), dtype=np.float32)
        path = folder / f"{spec.name}.h5"
        model.save(str(path))
        expected["models"][spec.name] = {
            "problem": spec.problem,
            "what": spec.what,
            "loss": spec.loss,
            "probe": {"shape": list(shape), "low": low, "high": high, "integer": integer},
            "prediction_shape": list(pred.shape),
            "predictions": [float(v) for v in pred.reshape(-1)],
            "bytes": path.stat().st_size,
        }
        print(f"{path.relative_to(FIXTURES)}: {path.stat().st_size} bytes, {pred.shape}")
        if spec.exact and (major, minor) >= (2, 13):
            # tf.keras 2.13-2.15 also wrote .keras archives, which Keras 3 does not read
            archive = folder / f"{spec.name}.keras"
            model.save(str(archive))
            expected["models"][spec.name]["keras_bytes"] = archive.stat().st_size
    (folder / "expected.json").write_text(json.dumps(expected, indent=1) + "\n")
    catalogue = {"tensorflow": tf.__version__, "keras": keras_version, "layers": _catalogue(tf)}
    text = json.dumps(catalogue, indent=1, default=_json_default)
    (folder / "layers.json").write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
