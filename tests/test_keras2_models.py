"""Model files saved by the Keras versions learners used, graded by the grader's Keras 3.

Keras 2: the files in tests/fixtures/keras2/ were saved by every TensorFlow from 2.0 (Keras
2.2.4-tf, the first exam year's) to 2.12, among them 2.3 and 2.9 (the exam's pins); by 2.15
(the last TensorFlow whose tf.keras is Keras 2); and by tf-keras 2.16 and 2.21
(TF_USE_LEGACY_KERAS=1; 2.21 is the last Keras 2), by tools/make_keras2_fixtures.py, which
also wrote what Keras 2 predicted for each on fixed probe inputs. They load in Keras 3
through grader.modelfile.keras2. TensorFlow 2.0-2.11 publish no wheels for Python 3.11: their
sets are made with the older Pythons they were built for (3.7 to 3.10).

Keras 3: tests/fixtures/keras3/ holds .h5 and .keras files saved by Keras 3.0.5 and 3.8.0
(with TensorFlow 2.16) and by the grader's own Keras (3.15), by
tools/make_keras3_fixtures.py, with the same probe inputs. A Normalization(axis=None) saved
as .h5 by any of them is misread by Keras' own HDF5 loader
(grader.modelfile.model_file.hdf5_loader_misreads).

A file is right when the grader's Keras predicts the same numbers: every weight has a
distinct random value there, so one loaded into the wrong place would show.
"""

from __future__ import annotations

import base64
import copy
import json
import re
from pathlib import Path
from typing import Any

import h5py
import numpy as np
import pytest
from browser_support import load_tool

from grader import Rejected
from grader.modelfile.inspection import inspect_file
from grader.modelfile.keras2 import (
    build_translated,
    keras2_version,
    load_translated,
    translate_config,
)
from grader.modelfile.model_file import read_model_file

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "keras2"
SETS = sorted(folder.name for folder in FIXTURES.iterdir() if folder.is_dir())
generator = load_tool("make_keras2_fixtures")

# Keras 3 and Keras 2 run the same float32 arithmetic in other orders (oneDNN, fused LSTM
# kernels): measured differences were below 1e-6; a misplaced weight moves outputs by 0.01+.
TOLERANCE = 1e-5


def _expected(folder: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / folder / "expected.json").read_text())
    return data


def _config(path: Path) -> dict[str, Any]:
    with h5py.File(path, "r") as f:
        raw = f.attrs["model_config"]
    data: dict[str, Any] = json.loads(raw.decode() if isinstance(raw, bytes) else raw)
    return data


MODELS = [
    (folder, name)
    for folder in SETS
    for name in _expected(folder)["models"]
    if name != "lambda_trap"
]

# What each model needs translated, by the words of its notes. Files from TensorFlow 2.12
# and earlier do not name the module of a layer inside Bidirectional; tf-keras 2.21's random
# augmentation layers write rng_type, those of TensorFlow 2.9 and tf-keras 2.16 did not.
NOTES = {
    "c1_dense_mse": ["input shape"],
    "c2_dense": ["input shape"],
    "c2_cnn_functional": ["input shape"],
    "c3_cnn": ["input shape", "BatchNormalization axis"],
    "c4_embedding_gap": ["input shape", "input_length"],
    "c4_bilstm": ["input shape", "input_length", "time_major"],
    "c4_conv_gru": ["input shape", "input_length", "time_major"],
    "c5_weather_conv_lstm": ["input shape", "time_major"],
    "c5_sunspots_conv_lstm_gru": ["input shape", "time_major"],
    "c5_household_bilstm": ["input shape", "time_major"],
    # Keras 2.6+ saved Normalization(axis=None) as axis [], which Keras' HDF5 loader drops
    "c5_sunspots_normalization": ["input shape", "with a list of axes"],
}
WRAPPED = {"c4_bilstm", "c4_conv_gru", "c5_household_bilstm"}


def _version(folder: str) -> tuple[int, int]:
    """The TensorFlow release a set was saved with: "tf2.10" -> (2, 10)."""
    major, minor = folder.removeprefix("tf").split(".")
    return int(major), int(minor)


def _notes_wanted(folder: str, name: str) -> list[str]:
    wanted = list(NOTES[name])
    if name in WRAPPED and _version(folder) <= (2, 12):
        wanted.append("module keras.layers")
    if name == "c3_cnn" and folder == "tf2.21":
        wanted.append("rng_type")
    return wanted


def test_the_fixture_sets_are_there():
    # every TensorFlow 2.0-2.15 (2.15: the last tf.keras 2), tf-keras 2.16 and 2.21
    saved_with = sorted(f"tf2.{minor}" for minor in (*range(16), 16, 21))
    assert saved_with == SETS, SETS
    for folder in SETS:
        expected = _expected(folder)
        assert expected["keras"].startswith("2."), folder
        for name, meta in expected["models"].items():
            path = FIXTURES / folder / f"{name}.h5"
            assert path.stat().st_size == meta["bytes"], path
            assert path.stat().st_size < 200_000, path


@pytest.mark.parametrize(("folder", "name"), MODELS, ids=[f"{f}-{n}" for f, n in MODELS])
def test_keras2_file_predicts_what_keras2_predicted(folder, name):
    path = FIXTURES / folder / f"{name}.h5"
    meta = _expected(folder)["models"][name]
    assert read_model_file(path).keras2_version == _expected(folder)["keras"]
    inspect_file(path)  # the grader's refusal runs first and lets these through
    translation = read_model_file(path).keras2  # the translation the grader loads with
    assert translation is not None
    notes = " | ".join(translation.notes)
    for words in _notes_wanted(folder, name):
        assert words in notes, (words, translation.notes)
    assert len(translation.notes) == len(_notes_wanted(folder, name)), translation.notes
    model = load_translated(path, translation)
    probe = meta["probe"]
    x = generator.probe_inputs(tuple(probe["shape"]), probe["low"], probe["high"], probe["integer"])
    want = np.asarray(meta["predictions"], dtype=np.float32).reshape(meta["prediction_shape"])
    got = np.asarray(model.predict(x, verbose=0))
    assert got.shape == want.shape
    assert float(np.abs(got - want).max()) < TOLERANCE
    # The probe tells weights apart: outputs differ from input to input.
    assert float(np.ptp(want)) > 100 * TOLERANCE


ARCHIVES = [
    folder for folder in SETS if "keras_bytes" in _expected(folder)["models"]["c1_dense_mse"]
]


@pytest.mark.parametrize("folder", ARCHIVES)
def test_a_keras2_archive_is_refused_saying_what_to_do(folder, one_line):
    """tf.keras 2.13-2.15 wrote .keras archives too; Keras 3 cannot read them (it fails on
    their Keras 2 configs), so the grader says to save .h5 (which it translates) instead."""
    path = FIXTURES / folder / "c1_dense_mse.keras"
    assert path.stat().st_size == _expected(folder)["models"]["c1_dense_mse"]["keras_bytes"]
    with pytest.raises(Rejected) as refused:
        read_model_file(path)
    assert refused.value.code == "keras2-archive"
    one_line(refused.value.reason)
    assert f"saved by Keras {_expected(folder)['keras']}" in refused.value.reason
    assert "model.save('mymodel.h5')" in refused.value.reason


def test_there_is_a_keras2_archive():
    assert ARCHIVES, "no Keras 2 .keras fixture (tools/make_keras2_fixtures.py under TF 2.13+)"


def test_translation_does_not_change_its_argument():
    config = _config(FIXTURES / "tf2.9" / "c4_bilstm.h5")
    before = copy.deepcopy(config)
    translation = translate_config(config)
    assert config == before
    assert translation.config != config


def test_keras3_files_are_left_alone(tmp_path):
    import keras

    model = keras.Sequential(
        [
            keras.Input((32,)),
            keras.layers.Embedding(50, 4),
            keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
            keras.layers.GRU(2),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    h5 = tmp_path / "mymodel.h5"
    model.save(h5)
    assert read_model_file(h5).keras2_version is None
    config = _config(h5)
    translation = translate_config(config)
    assert translation.notes == ()
    assert translation.config == config
    native = tmp_path / "mymodel.keras"
    model.save(native)
    assert read_model_file(native).keras2_version is None


def test_keras2_version_is_read_from_the_attributes():
    """Keras 2 with TensorFlow only: Keras 3, no version, or another backend is not one."""
    assert keras2_version({"keras_version": b"2.9.0", "backend": b"tensorflow"}) == "2.9.0"
    assert keras2_version({"keras_version": "2.3.1"}) == "2.3.1"
    assert keras2_version({"keras_version": b"3.15.1", "backend": b"tensorflow"}) is None
    assert keras2_version({"keras_version": b"2.1.6", "backend": b"theano"}) is None
    assert keras2_version({"keras_version": 2}) is None
    assert keras2_version({}) is None


@pytest.mark.parametrize("folder", SETS)
def test_a_keras2_lambda_is_refused_and_never_run(folder, marker):
    path = FIXTURES / folder / "lambda_trap.h5"
    with pytest.raises(Rejected) as refused:
        inspect_file(path)
    assert refused.value.code == "lambda"
    assert "use tf.keras.layers.Rescaling(400.0)" in refused.value.reason
    config = _config(path)
    translation = translate_config(config)
    lambdas = [layer for layer in config["config"]["layers"] if layer["class_name"] == "Lambda"]
    kept = [
        layer for layer in translation.config["config"]["layers"] if layer["class_name"] == "Lambda"
    ]
    assert len(lambdas) == 1
    assert kept == lambdas  # not touched, not named in a note
    code = base64.b64decode(lambdas[0]["config"]["function"][0])
    assert b"TFCERT_TEST_MARKER" in code  # the trap is armed...
    assert re.search(rb"/(root|home|work|tmp|Users)/", code) is None  # ...and names no path
    assert not any("Lambda" in note for note in translation.notes)
    # Even called directly, past the grader's refusal, Keras' safe mode refuses to build it.
    with pytest.raises(Exception, match=r"(?i)lambda|unsafe|safe_mode"):
        load_translated(path, translation)
    assert not marker.exists()


# Catalogued layers the translation does not make loadable yet, and why (none today: TF
# 2.2's Rescaling without an offset is given offset 0.0 by the "offset" rule).
NOT_YET_TRANSLATED: set[tuple[str, str]] = set()


@pytest.mark.parametrize("folder", SETS)
def test_every_catalogued_keras2_layer_builds_in_keras3(folder):
    """layers.json: the Keras 2 config of each built-in layer an exam model might use."""
    catalogue = json.loads((FIXTURES / folder / "layers.json").read_text())
    # TensorFlow 2.0 and 2.1 predate the preprocessing layers (RandomFlip came with 2.2),
    # 2.2 has them but RandomZoom (2.3)
    least = 25 if _version(folder) < (2, 2) else 35 if _version(folder) == (2, 2) else 36
    assert len(catalogue["layers"]) >= least
    for layer in catalogue["layers"]:
        config = {"class_name": "Sequential", "config": {"name": "one", "layers": [layer]}}
        translation = translate_config(config)
        if (folder, layer["class_name"]) in NOT_YET_TRANSLATED:
            # Still refused: when the translation learns it, drop the entry.
            with pytest.raises(KeyError):
                build_translated(translation)
            continue
        model = build_translated(translation)  # warnings are errors in this suite
        assert len(model.layers) == 1, layer["class_name"]


def test_tensorflow_internal_activation_names_are_translated():
    """TensorFlow before 2.3 saved tf.nn.softmax as 'softmax_v2' (tf-keras' activations
    module says so); a file written that way predicts as before once translated."""
    path = FIXTURES / "tf2.9" / "c2_dense.h5"
    config = _config(path)
    last = config["config"]["layers"][-1]["config"]
    assert last["activation"] == "softmax"
    last["activation"] = "softmax_v2"
    translation = translate_config(config)
    assert any("softmax_v2" in note for note in translation.notes)
    model = load_translated(path, translation)
    meta = _expected("tf2.9")["models"]["c2_dense"]
    probe = meta["probe"]
    x = generator.probe_inputs(tuple(probe["shape"]), probe["low"], probe["high"], probe["integer"])
    want = np.asarray(meta["predictions"], dtype=np.float32).reshape(meta["prediction_shape"])
    assert float(np.abs(model.predict(x, verbose=0) - want).max()) < TOLERANCE


def test_a_time_major_true_layer_is_not_translated():
    """time_major=True changes what the layer computes: left for Keras to refuse."""
    config = _config(FIXTURES / "tf2.9" / "c5_weather_conv_lstm.h5")
    lstm = next(layer for layer in config["config"]["layers"] if layer["class_name"] == "LSTM")
    lstm["config"]["time_major"] = True
    translation = translate_config(config)
    layers = translation.config["config"]["layers"]
    kept = next(layer for layer in layers if layer["class_name"] == "LSTM")
    assert kept["config"]["time_major"] is True
    with pytest.raises(ValueError, match="time_major"):
        build_translated(translation)


# ------------------------------------------------------------------ through the grader

GRADABLE = [
    (folder, name, info["problem"])
    for folder in SETS
    for name, info in _expected(folder)["models"].items()
    if name != "lambda_trap"
]


@pytest.mark.data
@pytest.mark.parametrize(
    ("folder", "name", "problem"), GRADABLE, ids=[f"{f}-{n}" for f, n, _ in GRADABLE]
)
def test_keras2_files_are_graded_by_tfcert_grade(cli, one_line, folder, name, problem):
    """Each typical Keras 2 model, from every saved set, gets a score from `tfcert grade`
    and the note of what was translated."""
    import grader

    if problem not in grader.PROBLEMS:
        pytest.skip(f"{problem} is not a problem of this version")
    run = cli(["grade", str(FIXTURES / folder / f"{name}.h5"), "--problem", problem])
    assert run.code == 0, run  # a score, not a refusal (3)
    assert re.match(rf"{re.escape(problem)}: [0-5]/5 \(", run.out), run.out
    assert run.err == ""
    (note,) = [line for line in run.out.splitlines() if "saved by Keras 2." in line]
    one_line(note)
    for words in _notes_wanted(folder, name):
        assert words in note, (words, note)


def test_exam_era_c1_file_scores_five_with_the_translation_explained(cli):
    """Its weights are exactly y = 3x + 1, so the score says the weights landed in place."""
    for folder in SETS:
        run = cli(
            ["grade", str(FIXTURES / folder / "c1_dense_mse.h5"), "-p", "c1-basic-regression"]
        )
        assert run.code == 0, run
        assert run.out.startswith("c1-basic-regression: 5/5")
        assert "note: saved by Keras 2." in run.out and "translated for Keras 3" in run.out


# ------------------------------------------------------------------ files saved by Keras 3

KERAS3 = Path(__file__).resolve().parent / "fixtures" / "keras3"
KERAS3_SETS = sorted(folder.name for folder in KERAS3.iterdir() if folder.is_dir())
# The Rescaling(400.0) model multiplies by 400, so float32 rounding grows with it: compare
# relative to the largest output (measured: 7.6e-5 on outputs near 600, 0.0 elsewhere).
RELATIVE = 1e-6


def _expected3(folder: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((KERAS3 / folder / "expected.json").read_text())
    return data


KERAS3_FILES = [
    (folder, name, fmt, info["problem"])
    for folder in KERAS3_SETS
    for name, info in _expected3(folder)["models"].items()
    for fmt in info["bytes"]
]
KERAS3_IDS = [f"{f}-{n}.{x}" for f, n, x, _ in KERAS3_FILES]
KERAS3_MODELS = [case for case in KERAS3_FILES if case[1] != "lambda_scale"]
KERAS3_MODEL_IDS = [f"{f}-{n}.{x}" for f, n, x, _ in KERAS3_MODELS]


def _keras3_probe(folder: str, name: str) -> tuple[np.ndarray, np.ndarray]:
    meta = _expected3(folder)["models"][name]
    probe = meta["probe"]
    x = generator.probe_inputs(tuple(probe["shape"]), probe["low"], probe["high"], probe["integer"])
    want = np.asarray(meta["predictions"], dtype=np.float32).reshape(meta["prediction_shape"])
    return x, want


def test_the_keras3_fixture_sets_are_there():
    """Keras 3.0 (the first Keras 3, with TensorFlow 2.16), 3.8 and 3.15, each model in
    both formats, except what Keras 3.0 could not save: its .h5 writer fails on
    Bidirectional, so a learner of that version had no such .h5 either."""
    assert KERAS3_SETS == ["keras3.0", "keras3.15", "keras3.8"], KERAS3_SETS
    for folder in KERAS3_SETS:
        expected = _expected3(folder)
        assert expected["keras"].startswith(folder.removeprefix("keras") + "."), folder
        assert len(expected["models"]) == 8
        for name, meta in expected["models"].items():
            for fmt, size in meta["bytes"].items():
                path = KERAS3 / folder / f"{name}.{fmt}"
                assert path.stat().st_size == size < 200_000, path
            assert set(meta["bytes"]) | set(meta["not_saved"]) == {"h5", "keras"}, name
    assert _expected3("keras3.0")["keras"] == "3.0.5"
    assert set(_expected3("keras3.0")["models"]["c4_bilstm"]["not_saved"]) == {"h5"}


@pytest.mark.parametrize(("folder", "name", "fmt", "problem"), KERAS3_MODELS, ids=KERAS3_MODEL_IDS)
def test_keras3_file_predicts_what_its_keras_predicted(folder, name, fmt, problem):
    """The grader's own loading (grading._load: Keras' loader, or the saved config where
    Keras' HDF5 loader would misread it) gives back the model that was saved."""
    from grader.problems.grading import _load

    inspection = inspect_file(KERAS3 / folder / f"{name}.{fmt}")
    assert inspection.keras2_version is None
    assert inspection.file.saved_by == _expected3(folder)["keras"]
    rebuilt = inspection.file.from_config
    if name == "c5_sunspots_normalization" and fmt == "h5":
        assert rebuilt is not None
        (note,) = rebuilt.notes
        assert "Normalization 'normalization' with a list of axes" in note, note
    else:
        assert rebuilt is None
    model = _load(inspection)
    x, want = _keras3_probe(folder, name)
    got = np.asarray(model.predict(x, verbose=0))
    assert got.shape == want.shape
    assert float(np.abs(got - want).max()) <= RELATIVE * max(1.0, float(np.abs(want).max()))
    assert float(np.ptp(want)) > 1e-3  # the probe tells weights apart


@pytest.mark.parametrize("folder", KERAS3_SETS)
def test_keras_own_hdf5_loader_misreads_normalization_axis_none(folder):
    """Why hdf5_loader_misreads exists: Keras' own .h5 loader turns the saved axis=[] into
    axis=-1, whose weights no longer fit. When this stops failing, Keras has fixed it."""
    import keras

    path = KERAS3 / folder / "c5_sunspots_normalization.h5"
    with pytest.raises(ValueError, match=r"Shape mismatch.*Received saved weight with shape \(\)"):
        keras.saving.load_model(path, compile=False, safe_mode=True)


def test_only_the_misread_layer_is_given_a_module():
    """The rebuilt config differs from the saved one by the module of that one layer."""
    from grader.modelfile.model_file import hdf5_loader_misreads

    path = KERAS3 / "keras3.0" / "c5_sunspots_normalization.h5"
    config = _config(path)
    before = copy.deepcopy(config)
    rebuilt = hdf5_loader_misreads(config)
    assert rebuilt is not None and config == before
    changed = [
        (old, new)
        for old, new in zip(
            config["config"]["layers"], rebuilt.config["config"]["layers"], strict=True
        )
        if old != new
    ]
    ((old, new),) = changed
    assert old["class_name"] == "Normalization" and old["config"]["axis"] == []
    assert new == {**old, "module": "keras.layers", "registered_name": None}
    # One item, a number or another class: Keras' loader reads those right; left alone.
    for axis in ([-1], -1):
        config["config"]["layers"][1]["config"]["axis"] = axis
        assert hdf5_loader_misreads(config) is None
    config["config"]["layers"][1]["config"]["axis"] = []
    config["config"]["layers"][1]["class_name"] = "Custom"
    assert hdf5_loader_misreads(config) is None


@pytest.mark.parametrize("folder", KERAS3_SETS)
@pytest.mark.parametrize("fmt", ["h5", "keras"])
def test_the_course_scaling_lambda_is_refused_naming_rescaling(folder, fmt, one_line):
    """Lambda(lambda x: x * 400.0), saved by Keras 3: refused unread, and the reason names
    the built-in that does the same, Rescaling(400.0)."""
    path = KERAS3 / folder / f"lambda_scale.{fmt}"
    with pytest.raises(Rejected) as refused:
        inspect_file(path)
    assert refused.value.code == "lambda"
    one_line(refused.value.reason)
    assert "if it multiplies by a constant, e.g. x * 400.0" in refused.value.reason
    assert "use tf.keras.layers.Rescaling(400.0)" in refused.value.reason
    assert "Reshape, Rescaling or Normalization" in refused.value.reason
    # The stored bytecode names no path of the machine that made it.
    layers = read_model_file(path).config["config"]["layers"]
    (scale,) = [layer for layer in layers if layer["class_name"] == "Lambda"]
    code = base64.b64decode(scale["config"]["function"]["config"]["code"])
    assert b"make_keras3_fixtures.py" in code
    assert re.search(rb"/(root|home|work|tmp|Users)/", code) is None


@pytest.mark.parametrize("folder", KERAS3_SETS)
def test_rescaling_does_what_the_course_lambda_did(folder):
    """The replacement the reason names computes x * 400.0, as the Lambda did."""
    import keras

    x, want = _keras3_probe(folder, "c5_sunspots_rescaling")
    model = keras.saving.load_model(
        KERAS3 / folder / "c5_sunspots_rescaling.keras", compile=False, safe_mode=True
    )
    unscaled = keras.Model(model.inputs, model.layers[-2].output)
    assert model.layers[-1].__class__.__name__ == "Rescaling"
    scaled = np.asarray(unscaled.predict(x, verbose=0)) * 400.0
    assert float(np.abs(scaled - want).max()) <= RELATIVE * float(np.abs(want).max())


@pytest.mark.data
@pytest.mark.parametrize(("folder", "name", "fmt", "problem"), KERAS3_FILES, ids=KERAS3_IDS)
def test_keras3_files_are_graded_by_tfcert_grade(cli, one_line, folder, name, fmt, problem):
    """Every Keras 3 fixture through `tfcert grade`: a score, c1's exact weights 5/5, the
    Normalization(axis=None) .h5 with a note of how it was loaded; the Lambda refused."""
    import grader

    if problem not in grader.PROBLEMS:
        pytest.skip(f"{problem} is not a problem of this version")
    run = cli(["grade", str(KERAS3 / folder / f"{name}.{fmt}"), "--problem", problem])
    if name == "lambda_scale":
        assert run.code == 3, run
        one_line(run.err)
        assert "use tf.keras.layers.Rescaling(400.0)" in run.err
        return
    assert run.code == 0, run
    assert run.err == ""
    assert re.match(rf"{re.escape(problem)}: [0-5]/5 \(", run.out), run.out
    if name == "c1_dense":
        assert run.out.startswith(f"{problem}: 5/5"), run.out
    notes = [line for line in run.out.splitlines() if "HDF5 loader" in line]
    if name == "c5_sunspots_normalization" and fmt == "h5":
        (note,) = notes
        one_line(note)
        assert f"saved by Keras {_expected3(folder)['keras']} as .h5" in note, note
    else:
        assert notes == []
