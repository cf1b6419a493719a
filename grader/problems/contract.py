"""What a model must be for a problem (inputs, outputs, dtype, vocabulary, predictions), and
the words of each refusal and note that grading gives.

The words are data, as grader.modelfile.model_file.REASONS: tools/browser_grader_export.py
puts REASONS, FIXES and NOTES into the in-browser grader's manifest and grade.js fills the
same templates, so that the page says what `tfcert grade` says.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.modelfile.model_file import Rejected
from grader.problems.definition import Problem

__all__ = [
    "FIXES",
    "FULL_LOSS_NAMES",
    "NOTES",
    "REASONS",
    "check_contract",
    "check_embeddings",
    "check_predictions",
    "input_shape_fix",
    "output_shape_fix",
    "refusal",
]

# Why a model is refused, by key: (a template of `{name}` fields, its code). Every field is
# filled with text made already (shapes as Python prints tuples, numbers as formatted).
REASONS: dict[str, tuple[str, str]] = {
    "inputs-outputs": (
        "the model has {inputs} inputs and {outputs} outputs; {problem} needs one of each: "
        "{contract}",
        "wrong-shape",
    ),
    "input-shape": (
        "the model's input shape is {shape}, but {problem} feeds {fed}: {fix}",
        "wrong-shape",
    ),
    # A text model built for another length than the problem's padded sequences: it passes
    # the (None, None) the problem accepts, then fails inside predict (a Flatten's Dense).
    "sequence-length": (
        "this model takes sequences of {length} words; {problem} feeds {fed} (the starter's "
        "MAX_LENGTH): build it with tf.keras.Input(shape=({fed},)) or pad to MAX_LENGTH = {fed}",
        "wrong-shape",
    ),
    "output-shape": (
        "the model's output shape is {shape}, but {problem} needs {needed}: {fix}",
        "wrong-shape",
    ),
    "strings": (
        "the model takes strings (TextVectorization inside the model does not survive .h5): "
        "encode the text outside the model, as the starter does",
        "wrong-dtype",
    ),
    "float-dtype": (
        "the model's input dtype is {dtype}, but {problem} feeds float32 values",
        "wrong-dtype",
    ),
    "int-dtype": ("the model's input dtype is {dtype}; {problem} feeds integer ids", "wrong-dtype"),
    "embedding-too-small": (
        "the Embedding layer {name} has {rows} rows, but {problem} encodes texts with a "
        "vocabulary of {vocabulary} (token ids up to {largest}): keep the starter's VOCAB_SIZE "
        "as the Embedding's input_dim",
        "embedding-too-small",
    ),
    "predict-failed": ("the model failed while predicting ({first})", "predict-failed"),
    "prediction-shape": (
        "the model returned predictions of shape {shape} for {count} inputs, but {problem} "
        "needs {needed}: change the last layer",
        "wrong-shape",
    ),
    "nan": (
        "the model predicted NaN or infinite values for {bad} of {count} inputs: training "
        "diverged; lower the learning rate or check the data scaling",
        "nan",
    ),
    "out-of-range": (
        "the model's outputs range over [{low}, {high}], outside [{lo}, {hi}]: end with a "
        "sigmoid (one unit) or softmax (several units)",
        "out-of-range",
    ),
}
# The one-line fixes that end the shape refusals ({fix} above).
FIXES: dict[str, str] = {
    "input-reshape": (
        "start the model with tf.keras.Input(shape={shape}) and add "
        "tf.keras.layers.Reshape({reshape}) as its first layer"
    ),
    "input-reshape-batch": (
        "start the model with tf.keras.Input(shape={shape}), without a batch size, and add "
        "tf.keras.layers.Reshape({reshape}) as its first layer"
    ),
    "input": "start the model with tf.keras.Input(shape={shape})",
    "input-batch": "start the model with tf.keras.Input(shape={shape}), without a batch size",
    "output-reshape": "add tf.keras.layers.Reshape({shape}) as the last layer",
    "output": "change the last layer",
}
# What a graded result notes about the file ({loss} and {full} are repr()s).
NOTES: dict[str, str] = {
    "keras2": (
        "saved by Keras {version} (an exam-era file); its config was translated for Keras 3 "
        "before loading: {done}"
    ),
    "keras2-unchanged": "nothing needed changing",
    "h5": "saved by Keras {version} as .h5: {notes}",
    "loss": (
        "compiled with loss={loss}: Keras 3 cannot reload that .h5 with compile=True; the "
        "grader loads with compile=False, but prefer the full name ({full})"
    ),
}
# Short loss names that Keras 3 saves into an .h5 and then cannot reload (compile=True).
FULL_LOSS_NAMES = {"mse": "mean_squared_error", "mae": "mean_absolute_error"}


def refusal(key: str, **values: object) -> Rejected:
    """The `Rejected` of REASONS[key], its fields filled in."""
    text, code = REASONS[key]
    return Rejected(text.format(**values), code)


def _shapes(shapes: tuple[tuple[Any, ...], ...], first: Any = None) -> str:
    return " or ".join(str((first, *s)) for s in shapes)


def _shape_ok(actual: tuple[Any, ...], wanted: tuple[Any, ...]) -> bool:
    return len(actual) == len(wanted) and all(
        a is None or w is None or a == w for a, w in zip(actual, wanted, strict=True)
    )


def _size(shape: tuple[Any, ...]) -> int | None:
    """How many values one example of `shape` holds; None when a dimension is unknown."""
    count = 1
    for dim in shape:
        if dim is None:
            return None
        count *= int(dim)
    return count


def _same_size(shape: tuple[Any, ...], shapes: tuple[tuple[Any, ...], ...]) -> Any:
    """The first of `shapes` that holds as many values as `shape` (both fully known)."""
    size = _size(shape)
    return next((s for s in shapes if size is not None and _size(s) == size), None)


def input_shape_fix(actual: tuple[Any, ...], fed: tuple[tuple[Any, ...], ...]) -> str:
    """The one-line fix for a model whose input shape `actual` (batch first) is not one of
    the shapes `fed`: a Reshape when only the arrangement differs, else the Input to use.
    A fixed batch size (Input(batch_shape=...) or batch_size=) is named too."""
    batch = "-batch" if actual[0] is not None else ""
    shape = tuple(actual[1:])
    same = _same_size(shape, fed)
    if same is not None:
        return FIXES["input-reshape" + batch].format(shape=same, reshape=shape)
    return FIXES["input" + batch].format(shape=fed[0])


def output_shape_fix(actual: tuple[Any, ...], needed: tuple[tuple[Any, ...], ...]) -> str:
    """The one-line fix for a model whose output shape `actual` (no batch) is not needed."""
    same = _same_size(actual, needed)
    return FIXES["output-reshape"].format(shape=same) if same is not None else FIXES["output"]


def _check_fed_length(full_in_shape: tuple[Any, ...], problem: Problem) -> None:
    """A model whose input fixes a dimension that an accepted shape leaves open (None) is
    still fed the problem's own shape there: a text model built for 120 words gets the
    problem's MAX_LENGTH, and fails inside predict (or, pooled, reads truncated texts)."""
    in_shape, fed = full_in_shape[1:], problem.input_shape
    if len(in_shape) != len(fed):
        return
    if all(a is None or f is None or a == f for a, f in zip(in_shape, fed, strict=True)):
        return
    if problem.input_kind == "int" and len(fed) == 1:
        raise refusal("sequence-length", length=in_shape[0], problem=problem.id, fed=fed[0])
    raise refusal(
        "input-shape",
        shape=full_in_shape,
        problem=problem.id,
        fed=_shapes((fed,)),
        fix=input_shape_fix(full_in_shape, (fed,)),
    )


def check_contract(model: Any, problem: Problem) -> tuple[Any, ...]:
    """The accepted input shape the model's input matches (its batch dimension left out);
    refused with what to change when the model is not one `problem` can grade."""
    if len(model.inputs) != 1 or len(model.outputs) != 1:
        raise refusal(
            "inputs-outputs",
            inputs=len(model.inputs),
            outputs=len(model.outputs),
            problem=problem.id,
            contract=problem.contract(),
        )
    full_in_shape = tuple(model.inputs[0].shape)  # the batch size too, when one is fixed
    in_shape = full_in_shape[1:]
    out_shape = tuple(model.outputs[0].shape)[1:]
    match = next((s for s in problem.input_shapes if _shape_ok(in_shape, s)), None)
    if match is None:
        raise refusal(
            "input-shape",
            shape=full_in_shape,
            problem=problem.id,
            fed=_shapes(problem.input_shapes),
            fix=input_shape_fix(full_in_shape, problem.input_shapes),
        )
    if None in match:
        _check_fed_length(full_in_shape, problem)
    if not any(_shape_ok(out_shape, s) for s in problem.output_shapes):
        raise refusal(
            "output-shape",
            shape=(None, *out_shape),
            problem=problem.id,
            needed=_shapes(problem.output_shapes),
            fix=output_shape_fix(out_shape, problem.output_shapes),
        )
    dtype = str(model.inputs[0].dtype)
    if "string" in dtype or dtype == "object":
        raise refusal("strings")
    if problem.input_kind == "float" and not dtype.startswith(("float", "bfloat")):
        raise refusal("float-dtype", dtype=dtype, problem=problem.id)
    if problem.input_kind == "int" and not dtype.startswith(("int", "uint", "float")):
        raise refusal("int-dtype", dtype=dtype, problem=problem.id)
    return match


def _all_layers(model: Any) -> list[Any]:
    """Every layer of a model, those of nested models included."""
    found = []
    for layer in getattr(model, "layers", ()):
        found.append(layer)
        found += _all_layers(layer)
    return found


def check_embeddings(model: Any, problem: Problem, largest_id: int) -> None:
    """An Embedding with fewer rows than the problem's vocabulary fails deep inside predict
    ("Graph execution error") on the first unknown id: say what is wrong before that."""
    vocabulary = problem.constants.get("VOCAB_SIZE", largest_id + 1)
    for layer in _all_layers(model):
        rows = getattr(layer, "input_dim", None)
        if layer.__class__.__name__ == "Embedding" and isinstance(rows, int) and rows <= largest_id:
            raise refusal(
                "embedding-too-small",
                name=repr(layer.name),
                rows=rows,
                problem=problem.id,
                vocabulary=vocabulary,
                largest=largest_id,
            )


def check_predictions(pred: np.ndarray, count: int, problem: Problem) -> None:
    """The predictions of `count` inputs: of a shape the problem needs, finite, and inside
    its output range."""
    if (
        pred.ndim == 0
        or len(pred) != count
        or not any(pred.shape[1:] == tuple(wanted) for wanted in problem.output_shapes)
    ):
        # The declared output shape can hide the real one (None dimensions): check what came out.
        raise refusal(
            "prediction-shape",
            shape=pred.shape,
            count=count,
            problem=problem.id,
            needed=_shapes(problem.output_shapes, count),
        )
    if not np.all(np.isfinite(pred)):
        # Count inputs, not values: how many outputs of one input a NaN weight poisons depends
        # on the CPU's kernels (a softmax may spread it to the whole row or not).
        bad = int((~np.isfinite(pred.reshape(len(pred), -1))).any(axis=1).sum())
        raise refusal("nan", bad=bad, count=len(pred))
    if problem.output_range is not None:
        lo, hi = problem.output_range
        if float(pred.min()) < lo - 1e-6 or float(pred.max()) > hi + 1e-6:
            raise refusal(
                "out-of-range",
                low=f"{pred.min():.3g}",
                high=f"{pred.max():.3g}",
                lo=f"{lo:g}",
                hi=f"{hi:g}",
            )
