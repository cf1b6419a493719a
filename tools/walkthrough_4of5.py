"""Train and grade the steps of the "Stuck at 4/5" walk-through, and write what they printed.

    python tools/walkthrough_4of5.py

Each step trains a model for c2-fashion-mnist on the CPU (seconds to a minute each), saves
it as mymodel.h5 in a temporary folder, grades it with the grader library exactly as
`tfcert grade mymodel.h5 --problem c2-fashion-mnist` does, and writes the output to
docs/includes/walkthrough-c2-<step>.md, which docs/stuck-at-4.md and its Korean twin include.

The models are not defined here: they are the Python block of docs/stuck-at-4.md that
defines `dense_model()` and `conv_model()` (that block also runs as a test of the page), so
what the page shows is what was trained. Needs the Fashion-MNIST files in place
(`tfcert data prepare fashion-mnist`).
"""

from __future__ import annotations

import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np

    # ((x_train, y_train), (x_valid, y_valid))
    Split = tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "stuck-at-4.md"
INCLUDES = ROOT / "docs" / "includes"
PROBLEM_ID = "c2-fashion-mnist"
COMMAND = f"$ tfcert grade mymodel.h5 --problem {PROBLEM_ID}"

# (include name, model builder from the page, epochs, batch size, print --explain too).
# The dense steps train as the course does (Keras' default batch of 32); the convolution
# step as the category 2 solution does (batches of 64).
STEPS = [
    ("step1", "dense_model", 1, 32, False),
    ("step2", "dense_model", 5, 32, True),
    ("step3", "dense_model", 15, 32, False),
    ("step4", "conv_model", 4, 64, True),
]

_FENCE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)


def page_models() -> dict[str, Any]:
    """Run the page's block that defines the models and return its names."""
    blocks = [b for b in _FENCE.findall(PAGE.read_text(encoding="utf-8")) if "def conv_model" in b]
    if len(blocks) != 1:
        raise SystemExit(f"{PAGE.name}: expected one Python block defining conv_model()")
    names: dict[str, Any] = {"__name__": "walkthrough_models"}
    exec(compile(blocks[0], str(PAGE), "exec"), names)
    return names


def fashion_mnist() -> Split:
    """The exam's own call, scaled to [0, 1], with the last 5,000 training images held back
    for validation (the test images are what the grader scores: they never steer training)."""
    import tensorflow as tf

    (x_train, y_train), _ = tf.keras.datasets.fashion_mnist.load_data()
    x_train = x_train / 255.0
    return (x_train[:-5000], y_train[:-5000]), (x_train[-5000:], y_train[-5000:])


def run_step(
    build: Callable[[], Any], epochs: int, batch_size: int, explain: bool, data: Split, folder: Path
) -> str:
    import keras
    import tensorflow as tf

    import grader

    keras.utils.set_random_seed(42)
    tf.config.experimental.enable_op_determinism()
    (x_train, y_train), (x_valid, y_valid) = data
    model = build()
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        epochs=epochs,
        batch_size=batch_size,
        validation_data=(x_valid, y_valid),
        verbose=0,
    )
    seconds = time.perf_counter() - start
    path = folder / "mymodel.h5"
    model.save(path)
    result = grader.grade(path, grader.get_problem(PROBLEM_ID))
    val = history.history["val_accuracy"]
    lines = [
        f"{build.__name__}(), {epochs} epoch{'s' if epochs > 1 else ''}, batches of "
        f"{batch_size}: trained in "
        f"{seconds:.0f} s; val_accuracy by epoch " + " ".join(f"{v:.3f}" for v in val),
        COMMAND + (" --explain" if explain else ""),
        result.summary(),
    ]
    if explain:
        lines.append(grader.explain(result))
    lines += [f"note: {note}" for note in result.notes]
    return "\n".join(lines)


def main() -> int:
    import keras
    import tensorflow as tf

    models = page_models()
    data = fashion_mnist()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, builder, epochs, batch_size, explain in STEPS:
            text = run_step(models[builder], epochs, batch_size, explain, data, Path(tmp))
            print(text, flush=True)
            block = f"```text\n{text}\n```\n"
            (INCLUDES / f"walkthrough-c2-{name}.md").write_text(block, encoding="utf-8")
    total = time.perf_counter() - started
    run = (
        f"python tools/walkthrough_4of5.py: TensorFlow {tf.__version__}, Keras "
        f"{keras.__version__}, {os.cpu_count()} CPU cores, {total / 60:.1f} min in all, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    print(run)
    (INCLUDES / "walkthrough-c2-run.md").write_text(f"```text\n{run}\n```\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
