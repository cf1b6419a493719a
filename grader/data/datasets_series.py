"""The time series of category 5: Seattle weather, sunspots, the exam's household power,
Sunspots.csv and U.S. diesel prices, and the course's Melbourne minimum temperatures."""

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
    Dataset(
        name="melbourne-temperatures",
        title="Daily minimum temperatures in Melbourne, Australia, 1981-1990 (3,650 days)",
        licence=(
            "Australian Bureau of Meteorology data; the copies state no licence: never shipped"
        ),
        citation=(
            "Australian Bureau of Meteorology, via Rob Hyndman's Time Series Data Library; "
            "the copy in Jason Brownlee's Datasets repository, which the course also uses."
        ),
        homepage="https://github.com/jbrownlee/Datasets",
        files={
            "daily-min-temperatures.csv": DataFile(
                "daily-min-temperatures.csv",
                "8b9de63ed6789492bf497625e7f9beb96a63d367b4b0a21754006f749fa5e5da",
                urls=(
                    "https://raw.githubusercontent.com/jbrownlee/Datasets/"
                    "d20fcb6402ae34e653d4513b00f39257bb37ed7f/daily-min-temperatures.csv",
                    "https://raw.githubusercontent.com/jbrownlee/Datasets/master/"
                    "daily-min-temperatures.csv",
                ),
                size=67921,
            ),
        },
        preparation=(
            "Columns: date, minimum temperature in degrees Celsius, one row a day; the "
            "course split it at day 2500."
        ),
        notes=(
            "The practice exam's URL, pinned to a commit first. The course's own copy "
            "(https-deeplearning-ai/tensorflow-1-public, C4/W4/assignment/data) has the "
            "same bytes. No licence is stated for the data, so tfcert downloads it for you "
            "and never ships it."
        ),
    ),
    Dataset(
        name="diesel-prices",
        title=(
            "Weekly U.S. No 2 diesel retail prices, on-highway, all types: 1,424 weeks, "
            "1994-03-21 to 2021-06-28 (the exam's category 5 file)"
        ),
        licence="Public domain (U.S. Energy Information Administration)",
        citation=(
            "U.S. Energy Information Administration, Weekly Retail Gasoline and Diesel "
            "Prices, series EMD_EPD2D_PTE_NUS_DPG; the exam's cleaned copy (oldest week "
            "first), as re-published in Duo-Keyboard-Koalition/"
            "Weekly_US_Diesel_Retail_Prices_Prediction."
        ),
        homepage="https://www.eia.gov/dnav/pet/pet_pri_gnd_dcus_nus_w.htm",
        files={
            "Weekly_U.S.Diesel_Retail_Prices.csv": DataFile(
                "data/files/Weekly_U.S.Diesel_Retail_Prices.csv",
                "8fcfc12747e716a44cf6d49983b0572b031aae018d67c4b74dace2c92b7fa8c1",
                urls=(
                    "https://raw.githubusercontent.com/Duo-Keyboard-Koalition/"
                    "Weekly_US_Diesel_Retail_Prices_Prediction/"
                    "5b46229754fbe6d5b1315d507f69b87b69f0197d/"
                    "Weekly_U.S.Diesel_Retail_Prices.csv",
                ),
                size=28959,
            ),
        },
        package=Shipped(),
        preparation=(
            "Columns: week, price in dollars per gallon, oldest week first; the problem "
            "normalises it as the exam's starter does."
        ),
        notes=(
            "Shipped inside tfcert: EIA data is a U.S. government work "
            "(https://www.eia.gov/about/copyrights_reuse.php). The file is the copy "
            "published beside the exam's starter, verified by its bytes."
        ),
    ),
)
