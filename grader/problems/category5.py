"""The time-series problems of category 5: their constants, data windows and contracts.

Two of them are the exam's own: c5-household-power and c5-sunspots-exam keep the exam
starter's data, normalisation and constants, and score a model on exactly the number the
exam's tester computed (the forecast slicing of the starter's "used in the tester" block).
The variants candidates met beside them (sunspots one month ahead, Melbourne's minimum
temperatures, U.S. diesel prices) are in `category5_variants`; `PROBLEMS` holds them all.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from grader.data import readers_series
from grader.problems import category5_variants
from grader.problems.category5_testers import (
    exam_normalise,
    persistence_forecast,
    tester_window_starts,
)
from grader.problems.definition import Evaluation, Problem, Scale, forecast_mae, windows

__all__ = [
    "C5_HOUSEHOLD",
    "C5_SUNSPOTS",
    "C5_SUNSPOTS_EXAM",
    "C5_WEATHER",
    "PROBLEMS",
    "exam_normalise",
    "persistence_forecast",
    "persistence_mae",
    "tester_window_starts",
]

C5_WEATHER = {"N_PAST": 14, "N_FUTURE": 7, "SHIFT": 1, "BATCH_SIZE": 32, "N_FEATURES": 4}
C5_SUNSPOTS = {"WINDOW_SIZE": 60, "N_FUTURE": 12, "BATCH_SIZE": 32, "SHUFFLE_BUFFER_SIZE": 1000}


def _c5_weather_training() -> np.ndarray:
    return readers_series.seattle_weather().train


def _c5_weather_eval() -> tuple[np.ndarray, np.ndarray]:
    split = readers_series.seattle_weather()
    n_past, n_future = C5_WEATHER["N_PAST"], C5_WEATHER["N_FUTURE"]
    series = np.concatenate([split.train[-n_past:], split.eval])
    return windows(series, n_past, n_future)


def _c5_sunspots_training() -> np.ndarray:
    return readers_series.sunspots().train.reshape(-1)


def _c5_sunspots_eval() -> tuple[np.ndarray, np.ndarray]:
    split = readers_series.sunspots()
    w, h = C5_SUNSPOTS["WINDOW_SIZE"], C5_SUNSPOTS["N_FUTURE"]
    series = np.concatenate([split.train[-w:], split.eval])
    x, y = windows(series, w, h)
    return x, y.reshape(len(y), h)


# --------------------------------------------------------------------------- the exam's own

# The household-power starter's constants. SPLIT_TIME is the starter's int(len(data) * 0.5)
# of the file's 86,400 rows.
C5_HOUSEHOLD: dict[str, Any] = {
    "SPLIT_TIME": 43200,
    "N_PAST": 24,
    "N_FUTURE": 24,
    "SHIFT": 1,
    "BATCH_SIZE": 32,
    "N_FEATURES": 7,
}
# The older sunspots starter's constants (split_time, window_size, batch_size,
# shuffle_buffer_size).
C5_SUNSPOTS_EXAM: dict[str, Any] = {
    "SPLIT_TIME": 3000,
    "WINDOW_SIZE": 30,
    "BATCH_SIZE": 32,
    "SHUFFLE_BUFFER_SIZE": 1000,
}


def _c5_household_training() -> np.ndarray:
    # The whole file, as the exam's starter read it: it normalises over all rows and uses
    # the second half (the rows the tester scores) as its validation set.
    return np.array(readers_series.household_power().values)


def _c5_household_eval() -> tuple[np.ndarray, np.ndarray]:
    c = C5_HOUSEHOLD
    data = exam_normalise(readers_series.household_power().values)
    n_past, n_future = c["N_PAST"], c["N_FUTURE"]
    starts = tester_window_starts(len(data), n_past, c["SPLIT_TIME"], drop_remainder=True)
    x = sliding_window_view(data, n_past, axis=0)[starts].transpose(0, 2, 1)
    # Targets for all 24 forecast minutes (NaN past the file's end): only the first is
    # scored; the others are reported beside it.
    padded = np.concatenate([data, np.full((n_future - 1, data.shape[1]), np.nan)])
    y = sliding_window_view(padded, n_future, axis=0)[starts + n_past].transpose(0, 2, 1)
    return x.astype(np.float32), y


def _c5_household_measure(y: np.ndarray, pred: np.ndarray) -> Evaluation:
    """The tester's MAE: the first forecast minute of each window against its row, all 7
    features. Beside it, what Keras' val_mae would average: all 24 minutes."""
    err = np.abs(pred.astype(np.float64) - y)  # NaN where the file has no row
    first = err[:, 0, :]
    columns = readers_series.household_power().columns
    details: dict[str, Any] = {
        "mae_per_feature": dict(zip(columns, first.mean(axis=0).tolist(), strict=True)),
        "mae_per_step": np.nanmean(err, axis=(0, 2)).tolist(),
        "mae_all_steps": float(np.nanmean(err)),
    }
    return Evaluation(float(first.mean()), len(y), "windows", details)


def _c5_sunspots_exam_training() -> np.ndarray:
    # The whole series, as the exam's starter read it (it normalises over all of it).
    return np.array(readers_series.sunspots_exam().values)


def _c5_sunspots_exam_eval() -> tuple[np.ndarray, np.ndarray]:
    c = C5_SUNSPOTS_EXAM
    series = exam_normalise(readers_series.sunspots_exam().values)
    w = c["WINDOW_SIZE"]
    starts = tester_window_starts(len(series), w, c["SPLIT_TIME"], drop_remainder=False)
    x = sliding_window_view(series, w)[starts][..., np.newaxis]
    return x.astype(np.float32), series[starts + w]


def _c5_sunspots_exam_measure(y: np.ndarray, pred: np.ndarray) -> Evaluation:
    """The tester's MAE: the last step of each window's forecast against the next month."""
    err = np.abs(pred[:, -1, 0].astype(np.float64) - y)
    return Evaluation(float(err.mean()), len(y), "windows")


_OWN: tuple[Problem, ...] = (
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
        measure=lambda y, p: forecast_mae(y, p, readers_series.WEATHER_COLUMNS),
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
        measure=lambda y, p: forecast_mae(y, p, ("sunspots",)),
    ),
    Problem(
        id="c5-household-power",
        starter="c5_household_power.py",
        category=5,
        title="Time series: the exam's household power forecast (24 minutes of 7 readings)",
        dataset="household-power",
        summary=(
            "The exam's category 5 since July 2021: from the past 24 minutes of 7 readings "
            "predict the next 24 minutes of all 7, normalised as the exam's starter did "
            "((x - min) / max per column over the whole file). Scored as the exam's tester "
            "did: the first forecast minute of every window whose next minute lies in the "
            "second half (43,191 windows), MAE over the 7 features. 5/5 needs the starter's "
            "hint, 0.055, on that number. Lenient: repeating the last minute scores 0.0118 "
            "(5/5), and no model tried here beat it by 1%, so no bar can ask for better."
        ),
        input_shape=(C5_HOUSEHOLD["N_PAST"], C5_HOUSEHOLD["N_FEATURES"]),
        output_shape=(C5_HOUSEHOLD["N_FUTURE"], C5_HOUSEHOLD["N_FEATURES"]),
        output_range=None,
        input_kind="float",
        # The starter's hint for top marks, "a validation MAE of approximately 0.055 or less";
        # one point per 0.01 as in the exam's sunspots formula (calibration: tools/benchmark.py).
        scale=Scale("MAE", five=0.055, step=0.01, higher_is_better=False),
        constants=dict(C5_HOUSEHOLD),
        load_training=_c5_household_training,
        evaluation_inputs=_c5_household_eval,
        measure=_c5_household_measure,
    ),
    Problem(
        id="c5-sunspots-exam",
        starter="c5_sunspots_exam.py",
        category=5,
        title="Time series: the exam's older sunspots problem and its score formula "
        "(needs internet once)",
        dataset="sunspots-exam",
        summary=(
            "The exam's older category 5: Sunspots.csv's 3,235 monthly means, normalised "
            "as the starter did ((x - min) / max), split at month 3000, windows of 30 "
            "months whose target is the window shifted by one. Scored as the exam's tester "
            "did: the last step of the forecast of each window ending just before a "
            "validation month (235 windows), and the exam's own formula "
            "min(5, ceil(17 - 100 * MAE)), here never below 0. Lenient: repeating the last "
            "month scores 5/5."
        ),
        input_shape=(C5_SUNSPOTS_EXAM["WINDOW_SIZE"], 1),
        # The starter's first layer: "the input shape will be [None,1]".
        accepted_input_shapes=((None, 1),),
        output_shape=(C5_SUNSPOTS_EXAM["WINDOW_SIZE"], 1),
        output_range=None,
        input_kind="float",
        # The tester's formula: 4 + (0.13 - MAE) / 0.01 = 17 - 100 * MAE, ceil, at most 5.
        scale=Scale("MAE", five=0.13, step=0.01, higher_is_better=False),
        constants=dict(C5_SUNSPOTS_EXAM),
        load_training=_c5_sunspots_exam_training,
        evaluation_inputs=_c5_sunspots_exam_eval,
        measure=_c5_sunspots_exam_measure,
        online_only=True,
    ),
)
PROBLEMS: tuple[Problem, ...] = (*_OWN, *category5_variants.PROBLEMS)


# --------------------------------------------------------------------------- persistence


_PERSISTENCE: dict[str, float] = {}


def persistence_mae(problem: Problem) -> float:
    """The problem's own metric for the persistence forecast, on the held-out windows a model
    is scored on (`problem.evaluation_inputs`, measured by `problem.measure`). Raises
    `DataError` where the held-out data is missing."""
    if problem.id not in _PERSISTENCE:
        x, y = problem.evaluation_inputs()
        pred = persistence_forecast(x, problem.output_shape)
        _PERSISTENCE[problem.id] = problem.measure(y, pred).value
    return _PERSISTENCE[problem.id]
