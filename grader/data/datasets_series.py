"""The time series of category 5: Seattle weather, sunspots, and the exam's household power
and Sunspots.csv."""

from __future__ import annotations

from grader.data.dataset import (
    TF_DATA,
    DataFile,
    Dataset,
    PyPIWheel,
    Shipped,
    Values,
)

__all__ = ["DATASETS"]

DATASETS: tuple[Dataset, ...] = (
    Dataset(
        name="seattle-weather",
        title="Seattle daily weather 2012-2015: precipitation, temp_max, temp_min, wind",
        licence="Public domain (NOAA), as distributed with vega-datasets",
        citation="NOAA daily observations for Seattle, via the vega-datasets collection.",
        homepage="https://github.com/vega/vega-datasets",
        files={
            "seattle-weather.csv": DataFile(
                "vega_datasets/_data/seattle-weather.csv",
                "62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
                urls=(
                    "https://raw.githubusercontent.com/altair-viz/vega_datasets/v0.9.0/"
                    "vega_datasets/_data/seattle-weather.csv",
                ),
                size=47838,
            ),
        },
        package=PyPIWheel(
            "vega-datasets",
            "0.9.0",
            "vega_datasets-0.9.0-py3-none-any.whl",
            "3d7c63917be6ca9b154b565f4779a31fedce57b01b5b9d99d8a34a7608062a1d",
            210822,
        ),
        preparation=(
            "Read the four numeric columns in date order; the last 365 days (2015) are "
            "the held-out evaluation split; min-max normalise every column with the "
            "training split's minimum and maximum."
        ),
    ),
    Dataset(
        name="sunspots",
        title="Monthly mean sunspot numbers, January 1749 - December 1983 (2,820 months)",
        licence="MIT (as distributed with pmdarima); the series is public (SIDC)",
        citation=(
            "Andrews, D. F. and Herzberg, A. M. (1985) Data, Springer; R datasets::sunspots;"
            " packaged by pmdarima."
        ),
        homepage="https://www.sidc.be/SILSO/",
        files={
            "sunspots.txt.gz": DataFile(
                "pmdarima/datasets/data/sunspots.txt.gz",
                "da008320ca46c8fb7d4c08a6dc5ba1282be9209c8b943a7ca5ea5d5409d0b36a",
                urls=(
                    "https://raw.githubusercontent.com/alkaline-ml/pmdarima/v2.1.1/"
                    "pmdarima/datasets/data/sunspots.txt.gz",
                ),
                size=5944,
            ),
        },
        # pmdarima has compiled parts: one platform's wheel, the same data file in each.
        package=PyPIWheel(
            "pmdarima",
            "2.1.1",
            "pmdarima-2.1.1-cp311-cp311-manylinux2014_x86_64.manylinux_2_17_x86_64"
            ".manylinux_2_28_x86_64.whl",
            "e8148ff1f4cdb9a07164247eb3e6dddc1baef6e226d38528bd3fdf5d160f8dee",
            698040,
        ),
        preparation=(
            "Read the 2,820 values in month order and divide by the training split's "
            "maximum; the last 500 months are the held-out evaluation split."
        ),
    ),
    Dataset(
        name="household-power",
        title=(
            "Household power consumption: 86,400 one-minute readings of 7 measures, "
            "the first 60 days (the exam's category 5 file since July 2021)"
        ),
        licence="CC BY 4.0",
        citation=(
            "Georges Hebrail and Alice Berard, EDF R&D, Clamart, France: Individual "
            "household electric power consumption, via the UCI Machine Learning "
            "Repository; the subset and missing-value filling of the TensorFlow "
            "Developer Certificate's file."
        ),
        homepage=(
            "https://archive.ics.uci.edu/ml/datasets/"
            "individual+household+electric+power+consumption"
        ),
        files={
            "household_power.zip": DataFile(
                "data/files/household_power.zip",
                "573a2fc53ddf3c5d7b9561d7e5b67fab9bbdb476eca31bdb2b34158f0773b4e0",
                values=Values(
                    "fe955599115c4b4ab66e861e8a3bf4bc2e93ed51f6ceb0bfb493902172ddda13",
                    86400,
                    (1, 2, 3, 4, 5, 6, 7),
                    "household_power_consumption.csv",
                ),
                urls=(TF_DATA + "certificate/household_power.zip",),
                size=859850,
            ),
        },
        package=Shipped(),
        preparation=(
            "Read household_power_consumption.csv from the zip: a datetime column and 7 "
            "numeric columns, one row a minute; the problem normalises them as the "
            "exam's starter does."
        ),
        notes=(
            "Shipped inside tfcert (the licence allows it, with attribution; the zip "
            "holds its LICENSE.txt). Copies are verified by their values, not bytes."
        ),
    ),
    Dataset(
        name="sunspots-exam",
        title="Sunspots.csv: monthly mean sunspot numbers 1749-01 to 2018-07 (3,235 months)",
        licence="CC BY-NC 4.0 (SILSO, Royal Observatory of Belgium): never shipped",
        citation=(
            "SILSO World Data Center, Monthly Mean Total Sunspot Number, Royal "
            "Observatory of Belgium, Brussels."
        ),
        homepage="https://www.sidc.be/SILSO/",
        files={
            "Sunspots.csv": DataFile(
                "Sunspots.csv",
                values=Values(
                    "dd0c03f64010fdaf957d202bc56e767afbf04c2adcce0e3e3403e9877707b9bf",
                    3235,
                    (2,),
                ),
                urls=(
                    TF_DATA + "Sunspots.csv",
                    "https://storage.googleapis.com/tensorflow-1-public/course4/Sunspots.csv",
                ),
            ),
        },
        preparation=(
            "Columns: index, date, monthly mean; the exam's older category 5 split it at step 3000."
        ),
        notes=(
            "The URL of the exam's older category 5 starter, then the course's copy. "
            "Copies differ in bytes (line ends, a header cell), so a download is verified "
            "by a digest of its values. The licence is non-commercial: tfcert downloads "
            "it for you and never ships it."
        ),
    ),
)
