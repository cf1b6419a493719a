"""Bad model files that the safety check refuses before Keras ever reads them.

Each case asserts the `Rejected.code`, that the reason is one line, that Keras' loader was
never called (the check happens on the raw file), and that the `tfcert grade` command exits
with 3 and prints one line on stderr without a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

import grader
from grader import Rejected, grade, inspect_file
from grader.modelfile import model_file as model_file_module
from grader.problems import grading as grade_module

C1 = "c1-basic-regression"
C2 = "c2-fashion-mnist"
C4 = "c4-rotten-tomatoes"

# (file built by model_builders.BUILDERS, problem, expected Rejected.code)
CASES = [
    ("missing.h5", C1, "missing"),
    ("directory.h5", C1, "missing"),
    ("empty.h5", C1, "empty"),
    ("truncated.h5", C1, "truncated"),
    ("random.h5", C1, "not-model"),
    ("text.h5", C1, "not-model"),
    ("zip-renamed.h5", C1, "not-model"),
    ("h5-renamed.keras", C1, "not-model"),
    ("upper.H5", C1, "extension"),
    ("model.txt", C1, "extension"),
    ("dataset-only.h5", C1, "no-config"),
    ("weights-only.h5", C1, "no-config"),
    ("bad-json.h5", C1, "bad-config"),
    ("not-a-model-config.h5", C1, "bad-config"),
    ("deep-json.h5", C1, "bad-config"),
    ("huge-int-json.h5", C1, "bad-config"),
    ("truncated.keras", C2, "corrupt"),
    ("corrupt.keras", C2, "corrupt"),
    ("no-config.keras", C2, "no-config"),
    ("lambda.h5", C1, "lambda"),
    ("lambda.keras", C1, "lambda"),
    ("lambda-nested.h5", C1, "lambda"),
    ("lambda-activation.h5", C1, "custom-layer"),  # a named function: refused by name
    ("lambda-activation.keras", C1, "custom-layer"),
    ("lambda-inline.keras", C1, "lambda"),
    ("custom.h5", C1, "custom-layer"),
    ("custom.keras", C1, "custom-layer"),
    ("custom-spoofed-registered.keras", C1, "custom-layer"),
    ("builtins-gadget.keras", C1, "custom-layer"),
    ("keras-module-gadget.keras", C1, "unsafe-layer"),
    ("tfsm.keras", C1, "unsafe-layer"),
]


@pytest.fixture
def keras_never_loads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Fail loudly if the grader hands the file to Keras' loader."""
    calls: list[Path] = []

    def refuse(path: Path):
        calls.append(path)
        raise AssertionError(f"Keras was asked to load {path}")

    monkeypatch.setattr(grade_module, "_load", refuse)
    return calls


@pytest.mark.parametrize(("name", "problem", "code"), CASES, ids=[c[0] for c in CASES])
def test_rejected_before_keras(
    models, cli, marker, keras_never_loads, name, problem, code, one_line
):
    path = models.get(name)
    with pytest.raises(Rejected) as info:
        grade(path, problem)
    assert info.value.code == code, info.value.reason
    one_line(info.value.reason)
    assert str(info.value) == info.value.reason

    # The same answer from the check alone.
    with pytest.raises(Rejected) as again:
        inspect_file(path)
    assert (again.value.code, again.value.reason) == (code, info.value.reason)

    run = cli(["grade", str(path), "--problem", problem])
    assert run.code == 3, run
    assert run.out == ""
    one_line(run.err)
    assert run.err.startswith(f"tfcert: {problem}: rejected: ")
    assert info.value.reason in run.err

    assert keras_never_loads == []
    assert not marker.exists(), "code from the model file ran"


@pytest.mark.parametrize("name", ["lambda.h5", "lambda.keras", "lambda-nested.h5"])
def test_a_lambda_refusal_names_the_built_in_for_each_course_lambda(models, name):
    """What the course's Lambdas did has a built-in: the reason names the exact one for each,
    as a condition, since the Lambda's code is never read (issue #20)."""
    from grader.modelfile.inspection import LAMBDA_REASON

    with pytest.raises(Rejected) as info:
        inspect_file(models.get(name))
    assert info.value.reason == LAMBDA_REASON
    assert "such as Reshape, Rescaling or Normalization" in LAMBDA_REASON
    assert (
        "if it multiplies by a constant, e.g. x * 400.0, use tf.keras.layers.Rescaling(400.0) "
        "(Rescaling(scale, offset) for x * scale + offset)"
    ) in LAMBDA_REASON
    assert (
        "if it adds an axis, e.g. tf.expand_dims(x, axis=-1), use tf.keras.layers.Reshape((-1, 1))"
    ) in LAMBDA_REASON


def test_the_named_replacements_compute_what_the_course_lambdas_did():
    """Rescaling(400.0) is x * 400.0, Rescaling(a, offset=b) is x * a + b, and Reshape((-1, 1))
    is tf.expand_dims(x, axis=-1) on windows of any length."""
    import keras

    x = np.arange(12, dtype="float32").reshape(3, 4) / 7
    assert np.allclose(keras.layers.Rescaling(400.0)(x), x * 400.0)
    assert np.allclose(keras.layers.Rescaling(2.0, offset=-1.0)(x), x * 2.0 - 1.0)
    windows = keras.Input((None,))
    expanded = keras.Model(windows, keras.layers.Reshape((-1, 1))(windows))
    assert np.array_equal(expanded.predict(x, verbose=0), np.expand_dims(x, axis=-1))


@pytest.mark.parametrize("name", ["lambda.h5", "custom.keras"])
def test_rejected_json_output(models, cli, name, one_line):
    import json

    run = cli(["grade", str(models.get(name)), "--problem", C1, "--json"])
    assert run.code == 3
    data = json.loads(run.out)
    assert data["problem"] == C1
    assert data["rejected"] in ("lambda", "custom-layer")
    one_line(data["reason"])
    one_line(run.err)


def test_file_over_the_size_cap(models, cli, monkeypatch, one_line):
    path = models.get("c1-good.h5")
    monkeypatch.setattr(model_file_module, "MAX_BYTES", path.stat().st_size - 1)
    with pytest.raises(Rejected) as info:
        grade(path, C1)
    assert info.value.code == "too-large"
    one_line(info.value.reason)
    run = cli(["grade", str(path), "-p", C1])
    assert run.code == 3
    one_line(run.err)
    monkeypatch.setattr(model_file_module, "MAX_BYTES", path.stat().st_size)
    assert grade(path, C1).score == 5  # exactly at the cap is allowed


# --------------------------------------------------------------------------- odd paths


def _odd_path(kind: str, tmp: Path, models) -> str:
    if kind == "name-too-long":
        return str(tmp / ("m" * 5000 + ".h5"))
    if kind == "nul-in-name":
        return str(tmp / "a\0b.h5")
    if kind == "newline-in-name":
        return str(tmp / "line\nbreak\x1b[31m.h5")
    if kind == "fifo":
        os.mkfifo(tmp / "pipe.h5")
        return str(tmp / "pipe.h5")
    if kind == "dangling-symlink":
        (tmp / "dangling.h5").symlink_to(tmp / "nowhere.h5")
        return str(tmp / "dangling.h5")
    if kind == "symlink-loop":
        (tmp / "loop.h5").symlink_to(tmp / "loop.h5")
        return str(tmp / "loop.h5")
    if kind == "under-a-file":
        return str(models.get("c1-good.h5") / "inside.h5")
    raise AssertionError(kind)


ODD = [
    ("name-too-long", "unreadable"),
    ("nul-in-name", "missing"),
    ("newline-in-name", "missing"),
    ("fifo", "missing"),
    ("dangling-symlink", "missing"),
    ("symlink-loop", "unreadable"),
    ("under-a-file", "missing"),
]


@pytest.mark.parametrize(("kind", "code"), ODD, ids=[k for k, _ in ODD])
def test_odd_paths(models, cli, tmp_path, one_line, kind, code):
    path = _odd_path(kind, tmp_path, models)
    with pytest.raises(Rejected) as info:
        grade(path, C1)
    assert info.value.code == code, info.value.reason
    one_line(info.value.reason)
    assert "\x1b" not in info.value.reason
    assert len(info.value.reason) < 400
    if "\0" not in path:  # a command-line argument cannot hold a NUL
        run = cli(["grade", path, "-p", C1])
        assert run.code == 3
        one_line(run.err)


def test_unreadable_file(models, monkeypatch, one_line):
    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(model_file_module, "open", denied, raising=False)
    with pytest.raises(Rejected) as info:
        grade(models.get("c1-good.h5"), C1)
    assert info.value.code == "unreadable"
    assert "Permission denied" in info.value.reason
    one_line(info.value.reason)


@pytest.mark.parametrize("name", ["c1-good.h5", "c1-good.keras"])
def test_the_grader_reads_a_model_file_once(models, monkeypatch, name):
    """Signature, config, Keras version, declared weights and digest come from one read of
    the file's bytes (h5py and zipfile read those bytes, not the path); only Keras' own
    loader opens the file again, for the weights."""
    import builtins
    import hashlib

    import h5py

    path = models.get(name)
    opened: list[object] = []
    h5_paths: list[object] = []
    real_h5 = h5py.File

    def spy_open(file, *args, **kwargs):
        opened.append(file)
        return builtins.open(file, *args, **kwargs)

    def spy_h5(name, *args, **kwargs):
        if not hasattr(name, "read"):
            h5_paths.append(name)
        return real_h5(name, *args, **kwargs)

    monkeypatch.setattr(model_file_module, "open", spy_open, raising=False)
    monkeypatch.setattr(h5py, "File", spy_h5)
    inspection = inspect_file(path)
    assert opened == [path]
    assert h5_paths == []
    monkeypatch.setattr(h5py, "File", real_h5)  # Keras' loader opens it by path
    opened.clear()
    result = grade(path, C1)
    assert opened == [path]  # grading reads the file once too: the digest is of that read
    assert result.file_sha256 == inspection.file.sha256
    assert result.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_symlink_to_a_model_is_graded(models, tmp_path):
    link = tmp_path / "mymodel.h5"
    link.symlink_to(models.get("c1-good.h5"))
    assert grade(link, C1).score == 5


def test_hdf5_extension_is_accepted(models, tmp_path):
    path = models.copy("c1-good.h5", tmp_path / "mymodel.hdf5")
    assert inspect_file(path).format == "h5"
    assert grade(path, C1).score == 5


# --------------------------------------------------------------------------- code never runs


def test_lambda_is_never_deserialized(models, marker, monkeypatch):
    """The Lambda's function writes a marker when run; grading must not run it."""
    import keras

    loads: list[object] = []
    real = keras.saving.load_model

    def spy(*args, **kwargs):
        loads.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(keras.saving, "load_model", spy)
    for name in ("lambda.h5", "lambda.keras", "lambda-nested.h5", "lambda-inline.keras"):
        with pytest.raises(Rejected) as info:
            grade(models.get(name), C1)
        assert info.value.code == "lambda"
    with pytest.raises(Rejected) as info:
        grade(models.get("lambda-activation.h5"), C1)
    assert "lambda_trap" in info.value.reason
    assert loads == []
    assert not marker.exists()

    # Control: the trap is armed. Keras with safe_mode=False does run the stored bytecode.
    monkeypatch.setattr(keras.saving, "load_model", real)
    real(models.get("lambda.h5"), compile=False, safe_mode=False)
    assert marker.exists(), "the Lambda trap never fires, so the test above proves nothing"


def test_custom_layer_is_never_run(models, marker):
    import keras
    import numpy as np

    for name in ("custom.h5", "custom.keras", "custom-spoofed-registered.keras"):
        with pytest.raises(Rejected) as info:
            grade(models.get(name), C1)
        assert info.value.code == "custom-layer"
        assert "MarkerLayer" in info.value.reason
    assert not marker.exists()

    # Control: the class is registered in this process, so Keras itself would run it.
    model = keras.saving.load_model(models.get("custom.keras"), compile=False)
    model.predict(np.zeros((1, 1), "float32"), verbose=0)
    assert marker.exists()


def test_custom_layer_spoofing_a_keras_module(models, marker, monkeypatch, custom_layer, one_line):
    """A config that claims module keras.layers for a class that is not in Keras.

    When the class is registered in the grading process under its bare name (a notebook
    that defined it, say), Keras would resolve it from the registry: the grader must not.
    """
    import keras

    path = models.get("custom-spoofed.keras")
    with pytest.raises(Rejected) as info:
        grade(path, C1)
    assert info.value.code in ("custom-layer", "load-failed")
    one_line(info.value.reason)

    monkeypatch.setitem(keras.saving.get_custom_objects(), "MarkerLayer", custom_layer)
    with pytest.raises(Rejected) as info:
        grade(path, C1)
    assert info.value.code == "custom-layer"
    assert not marker.exists()


# --------------------------------------------------------------------------- what passes


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("c1-good.h5", "h5"),
        ("c1-good.keras", "keras"),
        ("c2-small.h5", "h5"),
        ("builtin-functions.keras", "keras"),
    ],
)
def test_inspection_of_valid_files(models, name, fmt):
    info = inspect_file(models.get(name))
    assert info.format == fmt
    assert "Dense" in info.layer_classes
    assert "Lambda" not in info.layer_classes


def test_builtin_functions_are_not_custom(models):
    """loss=keras.losses.mean_squared_error is saved as module "builtins": still built-in."""
    result = grade(models.get("builtin-functions.keras"), C1)
    assert result.score == 5


def test_mse_loss_is_noted(models):
    info = inspect_file(models.get("c1-mse.h5"))
    assert info.loss == "mse"
    assert inspect_file(models.get("c1-good.h5")).loss is None


def test_public_names():
    assert grader.Rejected is Rejected
    assert grader.inspect_file is inspect_file
    exc = Rejected("one line", "code")
    assert (exc.reason, exc.code, str(exc)) == ("one line", "code", "one line")
