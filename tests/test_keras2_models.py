"""Exam-era model files: Keras 2 .h5 files load in Keras 3 through grader.modelfile.keras2.

The files in tests/fixtures/keras2/ were saved by TensorFlow 2.3 and 2.9 (the exam's pins)
and by tf-keras 2.21 (the last Keras 2), by tools/make_keras2_fixtures.py, which also wrote
what Keras 2 predicted for each on fixed probe inputs. A file is right when Keras 3, after
the translation, predicts the same numbers: every weight has a distinct random value there,
so one loaded into the wrong place would show.
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
# augmentation layers write rng_type, TensorFlow 2.9's did not.
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
}
WRAPPED = {"c4_bilstm", "c4_conv_gru", "c5_household_bilstm"}


def _notes_wanted(folder: str, name: str) -> list[str]:
    wanted = list(NOTES[name])
    if name in WRAPPED and folder in ("tf2.3", "tf2.9"):
        wanted.append("module keras.layers")
    if name == "c3_cnn" and folder == "tf2.21":
        wanted.append("rng_type")
    return wanted


def test_the_fixture_sets_are_there():
    assert SETS == ["tf2.21", "tf2.3", "tf2.9"]
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
    config = _config(path)
    translation = translate_config(config)
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


@pytest.mark.parametrize("folder", SETS)
def test_every_catalogued_keras2_layer_builds_in_keras3(folder):
    """layers.json: the Keras 2 config of each built-in layer an exam model might use."""
    catalogue = json.loads((FIXTURES / folder / "layers.json").read_text())
    assert len(catalogue["layers"]) >= 36
    for layer in catalogue["layers"]:
        config = {"class_name": "Sequential", "config": {"name": "one", "layers": [layer]}}
        translation = translate_config(config)
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
    (name, info["problem"])
    for name, info in _expected("tf2.9")["models"].items()
    if name != "lambda_trap"
]


@pytest.mark.data
@pytest.mark.parametrize(("name", "problem"), GRADABLE, ids=[n for n, _ in GRADABLE])
def test_exam_era_files_are_graded_not_rejected(name, problem):
    """Each typical exam-era model (saved with the exam's TensorFlow 2.9 pin) gets a score."""
    import grader

    if problem not in grader.PROBLEMS:
        pytest.skip(f"{problem} is not a problem of this version")
    result = grader.grade(FIXTURES / "tf2.9" / f"{name}.h5", problem)
    assert 0 <= result.score <= 5
    (note,) = [n for n in result.notes if n.startswith("saved by Keras 2.")]
    for words in _notes_wanted("tf2.9", name):
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
