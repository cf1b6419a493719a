"""The exam's own category 5 problems are scored exactly as the exam's tester scored them.

Each test replays the tester's forecast the way the exam starter's "used in the tester" block
does it (tf.data windows over the whole normalised series, batches of 32, the same slicing),
written here from the starter's description and independent of grader.problems.category5,
and checks that grader.grade() gives the same MAE. The household problem's shipped data is
always there, and so is the diesel file (c5-diesel-prices, the exam's weekly U.S. diesel
prices); the sunspots tests need the exam's Sunspots.csv from ../shared/datasets.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

import grader
from grader.data import readers_series

HOUSEHOLD = "c5-household-power"
SUNSPOTS = "c5-sunspots-exam"
DIESEL = "c5-diesel-prices"

# Keras warns at the end of every predict() over a finite tf.data pipeline, as the tester ran.
pytestmark = pytest.mark.filterwarnings("ignore:Your input ran out of data:UserWarning")


def _keras():  # type: ignore[no-untyped-def]
    import keras

    return keras


def _last_value_model(steps: int, features: int):  # type: ignore[no-untyped-def]
    """Every output step repeats the window's last row (the trivial forecast)."""
    k = _keras()
    inputs = k.Input(shape=(steps, features))
    last = k.layers.Flatten()(k.layers.Cropping1D((steps - 1, 0))(inputs))
    return k.Model(inputs, k.layers.RepeatVector(steps)(last))


def _random_model(steps: int, features: int):  # type: ignore[no-untyped-def]
    """A seeded, untrained model whose every output depends on the whole window."""
    k = _keras()
    k.utils.set_random_seed(7)
    return k.Sequential(
        [
            k.Input(shape=(steps, features)),
            k.layers.Flatten(),
            k.layers.Dense(16, activation="tanh"),
            k.layers.Dense(steps * features),
            k.layers.Reshape((steps, features)),
            k.layers.Dense(features),
        ]
    )


def _forecast(model, series: np.ndarray, window: int, drop_remainder: bool) -> np.ndarray:  # type: ignore[no-untyped-def]
    """The tester's model_forecast: every window of the series, in batches of 32."""
    import tensorflow as tf

    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window))
    ds = ds.batch(32, drop_remainder=drop_remainder).prefetch(1)
    return np.asarray(model.predict(ds, verbose=0))


def _household_tester_mae(model) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    raw = np.array(readers_series.household_power().values)
    data = (raw - raw.min(axis=0)) / raw.max(axis=0)  # the starter's normalize_series
    split = int(len(data) * 0.5)
    forecast = _forecast(model, data, 24, drop_remainder=True)[split - 24 : -1, 0, :]
    x_valid = data[split:][: forecast.shape[0]]
    return float(np.mean(np.abs(x_valid.ravel() - forecast.ravel()))), forecast.shape[0]


def _sunspots_tester_mae(model) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    series = np.array(readers_series.sunspots_exam().values)
    series = (series - np.min(series)) / np.max(series)  # the starter's normalisation
    split = 3000
    forecast = _forecast(model, series[..., np.newaxis], 30, drop_remainder=False)
    forecast = forecast[split - 30 : -1, -1, 0]
    x_valid = series[split:]
    return float(np.mean(np.abs(x_valid - forecast))), forecast.shape[0]


def _diesel_tester_mae(model) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    raw = np.array(readers_series.diesel_prices().values).reshape(-1, 1)  # df.values
    data = (raw - raw.min(axis=0)) / raw.max(axis=0)  # the starter's normalize_series
    split = int(len(data) * 0.8)
    forecast = _forecast(model, data, 10, drop_remainder=True)[split - 10 : -1, 0, 0]
    x_valid = np.squeeze(data[split:][: forecast.shape[0]])
    return float(np.mean(np.abs(x_valid - forecast))), forecast.shape[0]


@pytest.mark.parametrize("build", [_last_value_model, _random_model])
def test_diesel_grade_is_the_testers_mae(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model = build(10, 1)
    path = tmp_path / "model.h5"
    model.save(path)
    expected, count = _diesel_tester_mae(model)
    result = grader.grade(path, DIESEL)
    assert (result.count, count) == (278, 278)
    assert result.value == pytest.approx(expected, abs=1e-6)
    if build is _last_value_model:
        # The number the problem's summary, its starter and the category page state.
        assert round(result.value, 4) == 0.0046
        assert result.score == 5
        steps = result.details["mae_per_step"]
        assert len(steps) == 10 and steps[0] == pytest.approx(result.value)
        assert steps[-1] > steps[0]


@pytest.mark.parametrize("build", [_last_value_model, _random_model])
def test_household_grade_is_the_testers_mae(build, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model = build(24, 7)
    path = tmp_path / "model.h5"
    model.save(path)
    expected, count = _household_tester_mae(model)
    result = grader.grade(path, HOUSEHOLD)
    assert (result.count, count) == (43191, 43191)
    assert result.value == pytest.approx(expected, abs=1e-6)
    if build is _last_value_model:
        # The number the problem's summary and the category page state.
        assert round(result.value, 4) == 0.0118
        assert result.score == 5


def test_household_reports_all_steps_beside_the_scored_one(tmp_path: Path) -> None:
    model = _last_value_model(24, 7)
    path = tmp_path / "model.h5"
    model.save(path)
    result = grader.grade(path, HOUSEHOLD)
    details = result.details
    steps = details["mae_per_step"]
    assert len(steps) == 24
    assert steps[0] == pytest.approx(result.value)
    # Later minutes are harder to guess from the last one: the tester scores the easiest.
    assert steps[-1] > 3 * steps[0]
    assert steps[0] < details["mae_all_steps"] < steps[-1]


def test_household_scale_follows_the_starters_hint() -> None:
    scale = grader.get_problem(HOUSEHOLD).scale
    assert scale.bound(5) == pytest.approx(0.055)
    assert scale.score(0.0549) == 5 and scale.score(0.0551) == 4
    assert scale.score(0.1195) == 0  # a constant: each column's training mean


@pytest.mark.parametrize("build", [_last_value_model, _random_model])
def test_sunspots_grade_is_the_testers_mae(build, tmp_path: Path, shared_sunspots: Path) -> None:  # type: ignore[no-untyped-def]
    model = build(30, 1)
    path = tmp_path / "model.h5"
    model.save(path)
    expected, count = _sunspots_tester_mae(model)
    result = grader.grade(path, SUNSPOTS)
    assert (result.count, count) == (235, 235)
    assert result.value == pytest.approx(expected, abs=1e-6)
    if build is _last_value_model:
        assert round(result.value, 4) == 0.0405
        assert result.score == 5


def test_sunspots_accepts_the_starters_open_length_input(
    tmp_path: Path, shared_sunspots: Path
) -> None:
    k = _keras()
    k.utils.set_random_seed(3)
    model = k.Sequential(
        [k.Input(shape=(None, 1)), k.layers.Conv1D(4, 3, padding="causal"), k.layers.Dense(1)]
    )
    path = tmp_path / "model.h5"
    model.save(path)
    expected, _ = _sunspots_tester_mae(model)
    assert grader.grade(path, SUNSPOTS).value == pytest.approx(expected, abs=1e-6)


def test_sunspots_scale_is_the_exams_formula() -> None:
    """score = min(5, ceil(17 - 100 * MAE)) as quoted from the tester, never below 0 here."""
    scale = grader.get_problem(SUNSPOTS).scale
    for mae in np.arange(0.0005, 0.25, 0.001):
        exam = min(5, math.ceil(17 - 100 * mae))
        assert scale.score(float(mae)) == max(0, exam), mae
    assert scale.score(0.1299) == 5 and scale.score(0.1301) == 4
