"""Tiny model files for the grader's tests, built on demand, once per session.

Every model here is small enough to save in milliseconds and to grade in well under a
second (Fashion-MNIST's 10,000 test images included). Models whose score matters get their
weights set by hand (c1: y = 3x + 1 exactly), so no test depends on training.

`Models.get(name)` builds the file on first use and returns its path; the names are listed
in `BUILDERS`. Files that must stay untouched are never modified after building: a test that
corrupts one works on a copy (`Models.copy(name, dest)`). Some files hold code that must
never run (a Lambda, a custom layer): run, it writes the file that $TFCERT_TEST_MARKER names
(the `marker` fixture of tests/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

MARKER_ENV = "TFCERT_TEST_MARKER"


# ------------------------------------------------------------------ code that must never run


# A real `lambda`, so that Keras stores its bytecode in the file (a named function would be
# stored by name only). When run, it writes the file named by $TFCERT_TEST_MARKER.
LAMBDA_TRAP = lambda x: (  # noqa: E731
    [
        __import__("pathlib").Path(m).write_text("ran")
        for m in [__import__("os").environ.get("TFCERT_TEST_MARKER")]
        if m
    ],
    x,
)[1]


def lambda_trap(x):
    """A named function used as an activation: writes the marker file when run."""
    import os

    marker = os.environ.get("TFCERT_TEST_MARKER")
    if marker:
        with open(marker, "w") as f:
            f.write("the Lambda's code ran\n")
    return x


def _custom_layer_class() -> type:
    import keras

    @keras.saving.register_keras_serializable(package="tfcert_test")
    class MarkerLayer(keras.layers.Layer):
        """A custom layer that writes the marker file whenever it is called or built."""

        def _touch(self) -> None:
            marker = os.environ.get(MARKER_ENV)
            if marker:
                with open(marker, "w") as f:
                    f.write("the custom layer's code ran\n")

        def build(self, input_shape):
            self._touch()

        def call(self, x):
            self._touch()
            return x

    return MarkerLayer


_CUSTOM: list[type] = []


def custom_layer_class() -> type:
    if not _CUSTOM:
        _CUSTOM.append(_custom_layer_class())
    return _CUSTOM[0]


# --------------------------------------------------------------------------- builders


def _keras():
    import keras

    keras.utils.set_random_seed(0)
    return keras


def _c1(weight: float, bias: float):
    keras = _keras()
    import numpy as np

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.set_weights([np.array([[weight]], "float32"), np.array([bias], "float32")])
    return model


def _c2_dense(activation: str | None = "softmax"):
    keras = _keras()
    return keras.Sequential(
        [
            keras.Input((28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation=activation),
        ]
    )


def _c4_model(length: int | None):
    from grader.problems.catalog import C4

    keras = _keras()
    return keras.Sequential(
        [
            keras.Input((length,)),
            keras.layers.Embedding(C4["VOCAB_SIZE"], 4),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )


def _edit_h5_config(path: Path, edit: Callable[[str], str]) -> None:
    import h5py

    with h5py.File(path, "r+") as f:
        raw = f.attrs["model_config"]
        raw = raw.decode() if isinstance(raw, bytes) else str(raw)
        f.attrs["model_config"] = edit(raw)


class Models:
    """Model files built on demand, once per session, in one temporary folder."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._built: dict[str, Path] = {}

    def get(self, name: str) -> Path:
        if name not in self._built:
            path = self.root / name
            # Building calls the trap code (Keras traces a model when it is made): keep the
            # marker of the test that asked for this file out of it.
            armed = os.environ.pop(MARKER_ENV, None)
            try:
                BUILDERS[name](self, path)
            finally:
                if armed is not None:
                    os.environ[MARKER_ENV] = armed
            assert path.exists() or name == "missing.h5", name
            self._built[name] = path
        return self._built[name]

    def copy(self, name: str, dest: Path) -> Path:
        shutil.copyfile(self.get(name), dest)
        return dest


def _save(model: Any, path: Path) -> None:
    model.save(path)


def _b_c1_good(m: Models, p: Path) -> None:
    _save(_c1(3.0, 1.0), p)


def _b_c1_good_keras(m: Models, p: Path) -> None:
    _save(_c1(3.0, 1.0), p)


def _b_c1_weak(m: Models, p: Path) -> None:
    _save(_c1(2.0, 0.0), p)


def _b_c1_mse(m: Models, p: Path) -> None:
    model = _c1(3.0, 1.0)
    model.compile(optimizer="sgd", loss="mse")
    _save(model, p)


def _b_c1_mae(m: Models, p: Path) -> None:
    model = _c1(3.0, 1.0)
    model.compile(optimizer="sgd", loss="mae", metrics=["mae"])
    _save(model, p)


def _b_c1_mae_metric(m: Models, p: Path) -> None:
    model = _c1(3.0, 1.0)
    model.compile(optimizer="sgd", loss="mean_absolute_error", metrics=["mae"])
    _save(model, p)


def _b_c1_wide(m: Models, p: Path) -> None:
    keras = _keras()
    _save(keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)]), p)


def _b_c1_two_outputs(m: Models, p: Path) -> None:
    keras = _keras()
    _save(keras.Sequential([keras.Input((1,)), keras.layers.Dense(2)]), p)


def _b_c2_small(m: Models, p: Path) -> None:
    _save(_c2_dense("softmax"), p)


def _b_c2_linear(m: Models, p: Path) -> None:
    import numpy as np

    model = _c2_dense(None)
    kernel, bias = model.get_weights()
    model.set_weights([kernel, bias - np.float32(5.0)])  # every output is negative somewhere
    _save(model, p)


def _b_c2_nan(m: Models, p: Path) -> None:
    import numpy as np

    model = _c2_dense("softmax")
    kernel, bias = model.get_weights()
    bias[3] = np.nan
    model.set_weights([kernel, bias])
    _save(model, p)


def _b_c2_int_input(m: Models, p: Path) -> None:
    keras = _keras()
    inp = keras.Input((28, 28), dtype="int32")
    out = keras.layers.Dense(10, activation="softmax")(keras.layers.Flatten()(inp))
    _save(keras.Model(inp, out), p)


def _b_c2_channel(m: Models, p: Path) -> None:
    keras = _keras()
    _save(
        keras.Sequential(
            [
                keras.Input((28, 28, 1)),
                keras.layers.Flatten(),
                keras.layers.Dense(10, activation="softmax"),
            ]
        ),
        p,
    )


def _b_c4_small(m: Models, p: Path) -> None:
    from grader.problems.catalog import C4

    _save(_c4_model(C4["MAX_LENGTH"]), p)


def _b_c4_ragged(m: Models, p: Path) -> None:
    _save(_c4_model(None), p)


def _b_c4_string(m: Models, p: Path) -> None:
    m.copy("c4-small.h5", p)
    _edit_h5_config(
        p, lambda s: s.replace('"dtype": "float32", "sparse"', '"dtype": "string", "sparse"', 1)
    )


def _b_c5w_small(m: Models, p: Path) -> None:
    keras = _keras()
    _save(
        keras.Sequential(
            [
                keras.Input((14, 4)),
                keras.layers.Flatten(),
                keras.layers.Dense(28),
                keras.layers.Reshape((7, 4)),
            ]
        ),
        p,
    )


def _save_quietly(model: Any, path: Path) -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "The object being serialized includes a `lambda`"
        _save(model, path)


def _b_lambda(m: Models, p: Path) -> None:
    keras = _keras()
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Lambda(LAMBDA_TRAP), keras.layers.Dense(1)]
    )
    _save_quietly(model, p)


def _b_lambda_nested(m: Models, p: Path) -> None:
    keras = _keras()
    inner = keras.Sequential([keras.Input((1,)), keras.layers.Lambda(LAMBDA_TRAP)], name="inner")
    inp = keras.Input((1,))
    out = keras.layers.Dense(1)(inner(inp))
    _save_quietly(keras.Model(inp, out), p)


def _b_lambda_activation(m: Models, p: Path) -> None:
    keras = _keras()
    _save_quietly(
        keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation=lambda_trap)]), p
    )


def _b_lambda_inline(m: Models, p: Path) -> None:
    keras = _keras()
    _save_quietly(
        keras.Sequential([keras.Input((1,)), keras.layers.Dense(1, activation=LAMBDA_TRAP)]), p
    )


def _b_custom(m: Models, p: Path) -> None:
    keras = _keras()
    marker_layer = custom_layer_class()
    _save(keras.Sequential([keras.Input((1,)), marker_layer(), keras.layers.Dense(1)]), p)


def _b_custom_spoofed(m: Models, p: Path) -> None:
    """The custom layer's config edited to claim a Keras module and a built-in-looking name."""
    m.copy("custom.keras", p)
    _rewrite_keras_config(
        p,
        lambda s: _CUSTOM_MODULE.sub(
            '"module": "keras.layers", "class_name": "MarkerLayer"', s
        ).replace(
            '"registered_name": "tfcert_test>MarkerLayer"', '"registered_name": "MarkerLayer"'
        ),
    )


def _b_custom_spoofed_registered(m: Models, p: Path) -> None:
    """The custom layer claims keras.layers but keeps its registered name."""
    m.copy("custom.keras", p)
    _rewrite_keras_config(
        p, lambda s: _CUSTOM_MODULE.sub('"module": "keras.layers", "class_name": "MarkerLayer"', s)
    )


# The custom class's module is whatever module defined it ("conftest" here, null in __main__).
_CUSTOM_MODULE = re.compile(r'"module": (null|"[^"]*"), "class_name": "MarkerLayer"')


def _rewrite_keras_config(path: Path, edit: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as z:
        members = {name: z.read(name) for name in z.namelist()}
    before = members["config.json"].decode()
    after = edit(before)
    assert after != before, "the edit did not apply"
    members["config.json"] = after.encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)


def _b_builtin_fn_keras(m: Models, p: Path) -> None:
    """A valid model compiled with function objects (saved as module "builtins")."""
    keras = _keras()
    model = _c1(3.0, 1.0)
    model.compile(
        optimizer="sgd",
        loss=keras.losses.mean_squared_error,
        metrics=[keras.metrics.mean_absolute_error],
    )
    _save(model, p)


def _b_builtins_gadget(m: Models, p: Path) -> None:
    """A .keras config whose activation names a Python builtin (the CVE-2025-1550 shape)."""
    m.copy("c1-good.keras", p)
    _rewrite_keras_config(
        p,
        lambda s: s.replace(
            '"activation": "linear"',
            '"activation": {"module": "builtins", "class_name": "function", "config": "exec", '
            '"registered_name": "function"}',
            1,
        ),
    )


def _b_keras_module_gadget(m: Models, p: Path) -> None:
    """A .keras config whose activation names a non-modelling Keras function."""
    m.copy("c1-good.keras", p)
    _rewrite_keras_config(
        p,
        lambda s: s.replace(
            '"activation": "linear"',
            '"activation": {"module": "keras.utils", "class_name": "function", '
            '"config": "get_file", "registered_name": null}',
            1,
        ),
    )


def _b_tfsm(m: Models, p: Path) -> None:
    """A layer that would load (and run) a SavedModel from a path named in the file."""
    m.copy("c1-good.keras", p)
    _rewrite_keras_config(
        p,
        lambda s: s.replace(
            '"module": "keras.layers", "class_name": "Dense"',
            '"module": "keras.layers", "class_name": "TFSMLayer"',
            1,
        ),
    )


def _b_weights_only(m: Models, p: Path) -> None:
    model = _c1(3.0, 1.0)
    tmp = p.with_name("weights-only.weights.h5")
    model.save_weights(tmp)
    os.replace(tmp, p)


def _b_dataset_only(m: Models, p: Path) -> None:
    import h5py
    import numpy as np

    with h5py.File(p, "w") as f:
        f["x"] = np.arange(10)


def _b_bad_json(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)
    _edit_h5_config(p, lambda s: s[: len(s) // 2])  # cut in the middle: invalid JSON


def _b_not_a_model_config(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)
    _edit_h5_config(p, lambda s: "[1, 2, 3]")


def _b_deep_json(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)
    _edit_h5_config(
        p, lambda s: '{"class_name": "Sequential", "config": ' + "[" * 100_000 + "]" * 100_000 + "}"
    )


def _b_huge_int_json(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)
    _edit_h5_config(p, lambda s: '{"class_name": "Sequential", "config": ' + "9" * 5000 + "}")


def _b_truncated(m: Models, p: Path) -> None:
    data = m.get("c1-good.h5").read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _b_random(m: Models, p: Path) -> None:
    import random

    p.write_bytes(random.Random(7).randbytes(4096))


def _b_text(m: Models, p: Path) -> None:
    p.write_text("this is not a model, it is a text file\n" * 20)


def _b_zip_as_h5(m: Models, p: Path) -> None:
    m.copy("c1-good.keras", p)


def _b_h5_as_keras(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)


def _b_upper(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)


def _b_txt(m: Models, p: Path) -> None:
    m.copy("c1-good.h5", p)


def _b_empty(m: Models, p: Path) -> None:
    p.write_bytes(b"")


def _b_directory(m: Models, p: Path) -> None:
    p.mkdir()


def _b_missing(m: Models, p: Path) -> None:
    pass


def _b_keras_truncated(m: Models, p: Path) -> None:
    data = m.get("c1-good.keras").read_bytes()
    p.write_bytes(data[: len(data) // 2])


def _b_keras_corrupt(m: Models, p: Path) -> None:
    """A .keras whose compressed config.json is overwritten with garbage (CRC mismatch)."""
    src = m.get("c2-small.keras")
    data = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as z:
        info = z.getinfo("config.json")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for i in range(start, start + min(64, info.compress_size)):
        data[i] ^= 0x5A
    p.write_bytes(bytes(data))


def _b_keras_no_config(m: Models, p: Path) -> None:
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))


BUILDERS: dict[str, Callable[[Models, Path], None]] = {
    "c1-good.h5": _b_c1_good,
    "c1-good.keras": _b_c1_good_keras,
    "c1-weak.h5": _b_c1_weak,
    "c1-mse.h5": _b_c1_mse,
    "c1-mae.h5": _b_c1_mae,
    "c1-mae-metric.h5": _b_c1_mae_metric,
    "c1-wide-input.h5": _b_c1_wide,
    "c1-two-outputs.h5": _b_c1_two_outputs,
    "c2-small.h5": _b_c2_small,
    "c2-small.keras": _b_c2_small,
    "c2-linear.h5": _b_c2_linear,
    "c2-nan.h5": _b_c2_nan,
    "c2-int-input.h5": _b_c2_int_input,
    "c2-channel.h5": _b_c2_channel,
    "c4-small.h5": _b_c4_small,
    "c4-ragged.h5": _b_c4_ragged,
    "c4-string-input.h5": _b_c4_string,
    "c5w-small.h5": _b_c5w_small,
    "lambda.h5": _b_lambda,
    "lambda.keras": _b_lambda,
    "lambda-nested.h5": _b_lambda_nested,
    "lambda-activation.keras": _b_lambda_activation,
    "lambda-activation.h5": _b_lambda_activation,
    "lambda-inline.keras": _b_lambda_inline,
    "custom.h5": _b_custom,
    "custom.keras": _b_custom,
    "custom-spoofed.keras": _b_custom_spoofed,
    "custom-spoofed-registered.keras": _b_custom_spoofed_registered,
    "builtin-functions.keras": _b_builtin_fn_keras,
    "builtins-gadget.keras": _b_builtins_gadget,
    "keras-module-gadget.keras": _b_keras_module_gadget,
    "tfsm.keras": _b_tfsm,
    "weights-only.h5": _b_weights_only,
    "dataset-only.h5": _b_dataset_only,
    "bad-json.h5": _b_bad_json,
    "not-a-model-config.h5": _b_not_a_model_config,
    "deep-json.h5": _b_deep_json,
    "huge-int-json.h5": _b_huge_int_json,
    "truncated.h5": _b_truncated,
    "random.h5": _b_random,
    "text.h5": _b_text,
    "zip-renamed.h5": _b_zip_as_h5,
    "h5-renamed.keras": _b_h5_as_keras,
    "upper.H5": _b_upper,
    "model.txt": _b_txt,
    "empty.h5": _b_empty,
    "directory.h5": _b_directory,
    "missing.h5": _b_missing,
    "truncated.keras": _b_keras_truncated,
    "corrupt.keras": _b_keras_corrupt,
    "no-config.keras": _b_keras_no_config,
}
