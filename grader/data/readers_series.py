"""The time series of category 5 as arrays: one reader per dataset, never a held-out split
mixed in."""

from __future__ import annotations

import csv
import functools
import gzip
import io
from dataclasses import dataclass

import numpy as np

from grader.data.errors import DataError
from grader.data.readers import locate
from grader.data.registry import get_dataset
from grader.data.settings import data_home
from grader.data.unpack import read_text

__all__ = [
    "WEATHER_COLUMNS",
    "RawSeries",
    "SeriesSplit",
    "diesel_prices",
    "household_power",
    "melbourne_temperatures",
    "seattle_weather",
    "sunspots",
    "sunspots_exam",
]

WEATHER_COLUMNS = ("precipitation", "temp_max", "temp_min", "wind")


# --------------------------------------------------------------------------- time series


@dataclass(frozen=True)
class SeriesSplit:
    train: np.ndarray  # normalised, shape (time, features)
    eval: np.ndarray  # normalised with the training statistics
    minimum: np.ndarray
    maximum: np.ndarray
    columns: tuple[str, ...]


def seattle_weather(held_out_days: int = 365) -> SeriesSplit:
    path = locate("seattle-weather", "seattle-weather.csv")
    with open(path, encoding="utf-8", newline="") as f:
        rows = sorted(csv.DictReader(f), key=lambda r: r["date"])
    values = np.array([[float(r[c]) for c in WEATHER_COLUMNS] for r in rows], dtype=np.float64)
    train, held = values[:-held_out_days], values[-held_out_days:]
    lo, hi = train.min(axis=0), train.max(axis=0)

    def scale(a: np.ndarray) -> np.ndarray:
        scaled: np.ndarray = ((a - lo) / (hi - lo)).astype(np.float32)
        return scaled

    return SeriesSplit(scale(train), scale(held), lo, hi, WEATHER_COLUMNS)


def sunspots(held_out_months: int = 500) -> SeriesSplit:
    path = locate("sunspots", "sunspots.txt.gz")
    with gzip.open(path, "rt") as f:
        values = np.array(f.read().split(), dtype=np.float64).reshape(-1, 1)
    train, held = values[:-held_out_months], values[-held_out_months:]
    hi = train.max(axis=0)
    lo = np.zeros_like(hi)
    return SeriesSplit(
        (train / hi).astype(np.float32), (held / hi).astype(np.float32), lo, hi, ("sunspots",)
    )


@dataclass(frozen=True)
class RawSeries:
    """A recorded series as its file holds it, not normalised (the problem does that).

    `values` is float64, shape (rows,) for one column or (rows, columns); `times` holds each
    row's time stamp (numpy datetime64); `columns` names the value columns in file order.
    Arrays are read-only: the reader caches them per process.
    """

    values: np.ndarray
    times: np.ndarray
    columns: tuple[str, ...]


def _read_series(dataset: str, key: str, time_column: int, unit: str) -> RawSeries:
    ds = get_dataset(dataset)
    file = ds.files[key]
    assert file.values is not None  # the registry verifies these files by their values
    text = read_text(locate(ds, key), file.values.member)
    header = next(csv.reader([text.split("\n", 1)[0].rstrip("\r")]))
    cols = file.values.columns

    def column(usecols: int | tuple[int, ...], dtype: str) -> np.ndarray:
        table: np.ndarray = np.loadtxt(
            io.StringIO(text), delimiter=",", skiprows=1, usecols=usecols, dtype=dtype, ndmin=1
        )
        table.flags.writeable = False
        return table

    values = column(cols[0] if len(cols) == 1 else cols, "float64")
    if len(values) != file.values.rows:
        raise DataError(
            f"{dataset}: {len(values)} rows where {file.values.rows} were expected; delete "
            f"{data_home() / 'raw' / dataset} and run `tfcert data prepare {dataset}`"
        )
    times = column(time_column, f"datetime64[{unit}]")
    return RawSeries(values, times, tuple(header[c] for c in cols))


@functools.lru_cache(maxsize=1)
def household_power() -> RawSeries:
    """The exam's household power file: 86,400 one-minute rows x 7 float64 columns.

    Columns in file order (Global_active_power, Global_reactive_power, Voltage,
    Global_intensity, Sub_metering_1, Sub_metering_2, Sub_metering_3), as the starter's
    ``pd.read_csv(..., index_col='datetime').values`` gives them; `times` is the datetime
    column (minutes).
    """
    return _read_series("household-power", "household_power.zip", 0, "m")


@functools.lru_cache(maxsize=1)
def sunspots_exam() -> RawSeries:
    """The exam's Sunspots.csv: 3,235 monthly means (float64, shape (3235,)) and their dates.

    The file's first column, the starter's `time_step`, is the row number 0..3234.
    """
    return _read_series("sunspots-exam", "Sunspots.csv", 1, "D")


def _read_dated_column(dataset: str, key: str, rows: int) -> RawSeries:
    """A CSV of a date column and one value column (quotes allowed), verified by its bytes
    where it was found, checked for its row count here."""
    with open(locate(dataset, key), encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    header, body = table[0], [r for r in table[1:] if r]
    if len(body) != rows:
        raise DataError(
            f"{dataset}: {len(body)} rows where {rows} were expected; delete "
            f"{data_home() / 'raw' / dataset} and run `tfcert data prepare {dataset}`"
        )
    values = np.array([float(r[1]) for r in body], dtype=np.float64)
    times = np.array([r[0] for r in body], dtype="datetime64[D]")
    values.flags.writeable = False
    times.flags.writeable = False
    return RawSeries(values, times, (header[1],))


@functools.lru_cache(maxsize=1)
def melbourne_temperatures() -> RawSeries:
    """The course's daily minimum temperatures in Melbourne: 3,650 days, 1981-01-01 to
    1990-12-31, degrees Celsius (float64, shape (3650,)), and their dates."""
    return _read_dated_column("melbourne-temperatures", "daily-min-temperatures.csv", 3650)


@functools.lru_cache(maxsize=1)
def diesel_prices() -> RawSeries:
    """The exam's weekly U.S. diesel retail prices: 1,424 weeks, 1994-03-21 to 2021-06-28,
    dollars per gallon (float64, shape (1424,)), oldest first, and their dates."""
    return _read_dated_column("diesel-prices", "Weekly_U.S.Diesel_Retail_Prices.csv", 1424)
