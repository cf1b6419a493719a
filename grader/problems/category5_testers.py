"""What the exam-style time-series testers did, shared by the category 5 problems.

The exam's starters normalised a series in one quirky way and their testers forecast fixed
windows in batches of 32; the problems in `category5` and `category5_variants` score a
model on exactly those windows. Here too: the persistence forecast (repeat the last value),
the yardstick `--explain` prints beside every forecasting model.
"""

from __future__ import annotations

import numpy as np

__all__ = ["TESTER_BATCH", "exam_normalise", "persistence_forecast", "tester_window_starts"]

# The testers forecast in batches of 32; the household and diesel ones dropped the last
# partial batch, which decides how many windows they scored.
TESTER_BATCH = 32


def exam_normalise(values: np.ndarray) -> np.ndarray:
    """The exam starters' normalisation, quirk included: subtract the minimum, then divide by
    the maximum (not by max - min), both taken over every row of the file (both halves).
    Per column for a table (household power), one scalar pair for a single series."""
    data = np.asarray(values, dtype=np.float64)
    normalised: np.ndarray = (data - data.min(axis=0)) / data.max(axis=0)
    return normalised


def tester_window_starts(rows: int, window: int, split: int, drop_remainder: bool) -> np.ndarray:
    """The first row of each window that the exam's tester compared with the validation part.

    The tester forecast every `window`-row window of the whole series (one row apart) in
    batches of TESTER_BATCH, dropping the last partial batch when `drop_remainder`, and
    kept forecasts [split - window : -1]. Window i ends at row i + window - 1, so its
    forecast is compared with row i + window, from row `split` on. Each forecast depends on
    its own window only, so forecasting just these windows gives the tester's numbers (a
    stateful RNN, which carries state from batch to batch, is the exception: not graded).
    """
    forecast = rows - window + 1
    if drop_remainder:
        forecast -= forecast % TESTER_BATCH
    return np.arange(split - window, forecast - 1)


def persistence_forecast(x: np.ndarray, output_shape: tuple[int, ...]) -> np.ndarray:
    """The forecast that repeats each window's last observed value (every feature) over the
    whole horizon, in the problem's output shape: the yardstick a forecasting model must
    beat to have learned anything about what comes next."""
    rows = len(x)
    last = np.asarray(x).reshape(rows, x.shape[1], -1)[:, -1:, :]
    return np.repeat(last, output_shape[0], axis=1).reshape(rows, *output_shape)
