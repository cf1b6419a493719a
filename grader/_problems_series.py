"""The time-series problems of category 5: their constants, data windows and contracts."""

from __future__ import annotations

import numpy as np

from grader import _data
from grader._problem import Problem, Scale, forecast_mae, windows

__all__ = ["C5_SUNSPOTS", "C5_WEATHER", "SERIES_PROBLEMS"]

C5_WEATHER = {"N_PAST": 14, "N_FUTURE": 7, "SHIFT": 1, "BATCH_SIZE": 32, "N_FEATURES": 4}
C5_SUNSPOTS = {"WINDOW_SIZE": 60, "N_FUTURE": 12, "BATCH_SIZE": 32, "SHUFFLE_BUFFER_SIZE": 1000}


def _c5_weather_training() -> np.ndarray:
    return _data.seattle_weather().train


def _c5_weather_eval() -> tuple[np.ndarray, np.ndarray]:
    split = _data.seattle_weather()
    n_past, n_future = C5_WEATHER["N_PAST"], C5_WEATHER["N_FUTURE"]
    series = np.concatenate([split.train[-n_past:], split.eval])
    return windows(series, n_past, n_future)


def _c5_sunspots_training() -> np.ndarray:
    return _data.sunspots().train.reshape(-1)


def _c5_sunspots_eval() -> tuple[np.ndarray, np.ndarray]:
    split = _data.sunspots()
    w, h = C5_SUNSPOTS["WINDOW_SIZE"], C5_SUNSPOTS["N_FUTURE"]
    series = np.concatenate([split.train[-w:], split.eval])
    x, y = windows(series, w, h)
    return x, y.reshape(len(y), h)


SERIES_PROBLEMS: tuple[Problem, ...] = (
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
        measure=lambda y, p: forecast_mae(y, p, _data.WEATHER_COLUMNS),
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
)
