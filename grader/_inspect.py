"""Look inside a model file before Keras deserializes anything from it.

Model files are untrusted: a Lambda layer stores Python bytecode, and a custom layer names
code that would be imported. This module reads the file's JSON config with h5py (for .h5)
or zipfile (for .keras), never with Keras, and refuses anything but built-in Keras layers.
"""

from __future__ import annotations

import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["MAX_BYTES", "Rejected", "inspect_file"]

MAX_BYTES = 256 * 1024 * 1024
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"


# Keras serializes some plain values as {"class_name": "__tuple__", ...} without a module.
_SERIALIZATION_MARKERS = frozenset(
    {"Functional", "Sequential", "Model", "InputLayer", "__tuple__", "__numpy__",
     "__keras_tensor__", "__ellipsis__", "__slice__", "__typespec__", "__tensor__"}
)


class Rejected(Exception):
    """The file cannot be graded; `reason` is one line that says what to do."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Inspection:
    format: str  # "h5" or "keras"
    layer_classes: tuple[str, ...]
    loss: str | None


def _read_h5_config(path: Path) -> tuple[str, str | None]:
    import h5py

    try:
        with h5py.File(path, "r") as f:
            raw = f.attrs.get("model_config")
            training = f.attrs.get("training_config")
    except OSError as exc:
        text = str(exc).lower()
        if "truncated" in text:
            raise Rejected(
                "the file is truncated (the save was interrupted or the copy is incomplete): "
                "save the model again",
                "truncated",
            ) from None
        raise Rejected(
            f"the file is not a readable HDF5 model ({exc.__class__.__name__}): save it again "
            "with model.save('mymodel.h5')",
            "corrupt",
        ) from None
    if raw is None:
        raise Rejected(
            "the file has no model config (saved with save_weights?): save the whole model with "
            "model.save('mymodel.h5')",
            "no-config",
        )
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    if isinstance(training, bytes):
        training = training.decode("utf-8", errors="replace")
    return str(raw), (str(training) if training is not None else None)


def _read_keras_config(path: Path) -> tuple[str, str | None]:
    try:
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "config.json" not in names:
                raise Rejected(
                    "the .keras archive has no config.json: save it again with "
                    "model.save('mymodel.keras')",
                    "no-config",
                )
            raw = z.read("config.json").decode("utf-8", errors="replace")
    except (zipfile.BadZipFile, OSError, EOFError):
        raise Rejected(
            "the .keras file is not a readable zip archive (truncated or corrupted): save it again",
            "corrupt",
        ) from None
    return raw, None


def _walk(node: Any, found: list[dict[str, Any]]) -> None:
    if isinstance(node, dict):
        if "class_name" in node:
            found.append(node)
        for value in node.values():
            _walk(value, found)
    elif isinstance(node, list):
        for value in node:
            _walk(value, found)


def _is_builtin(obj: dict[str, Any]) -> bool:
    import keras

    name = obj.get("class_name")
    if not isinstance(name, str):
        return False
    registered = obj.get("registered_name")
    if isinstance(registered, str) and registered not in (name, f"keras>{name}") and ">" in registered:
        return False
    module = obj.get("module")
    if module is None:
        # Keras 2 (tf-keras) files name classes without a module.
        return any(
            hasattr(ns, name)
            for ns in (keras.layers, keras.initializers, keras.regularizers, keras.constraints,
                       keras.optimizers, keras.losses, keras.metrics, keras.activations, keras)
        ) or name in _SERIALIZATION_MARKERS
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def inspect_file(path: str | Path) -> Inspection:
    """Check a model file without running any code from it; raise `Rejected` when unsafe."""
    path = Path(path)
    if not path.exists():
        raise Rejected(f"{path} does not exist: check the path (the starter writes mymodel.h5)", "missing")
    if not path.is_file():
        raise Rejected(f"{path} is not a file: give the path of the saved model", "missing")
    suffix = path.suffix
    if suffix.lower() in (".h5", ".hdf5", ".keras") and suffix != suffix.lower():
        raise Rejected(
            f"the extension {suffix} must be lower case for Keras to load it: rename the file "
            f"to {path.stem}{suffix.lower()}",
            "extension",
        )
    if suffix not in (".h5", ".hdf5", ".keras"):
        raise Rejected(
            f"{path.name} is not a model file: the grader takes .h5 (as the exam did) or .keras",
            "extension",
        )
    size = path.stat().st_size
    if size == 0:
        raise Rejected("the file is empty: the save did not finish; run the starter again", "empty")
    if size > MAX_BYTES:
        raise Rejected(
            f"the file is {size / 2**20:.0f} MiB, over the {MAX_BYTES // 2**20} MiB limit: "
            "exam models are a few MiB; check that this is the model you meant",
            "too-large",
        )
    with open(path, "rb") as f:
        head = f.read(8)
    if suffix == ".keras":
        if not head.startswith(_ZIP_SIGNATURE):
            raise Rejected("the .keras file is not a zip archive: save it again with model.save()", "not-model")
        raw, training = _read_keras_config(path)
        fmt = "keras"
    else:
        if head != _HDF5_SIGNATURE:
            raise Rejected(
                "the file is not HDF5 (wrong signature): it is not a saved Keras model; save it "
                "with model.save('mymodel.h5')",
                "not-model",
            )
        raw, training = _read_h5_config(path)
        fmt = "h5"
    try:
        config = json.loads(raw)
    except json.JSONDecodeError:
        raise Rejected("the model config inside the file is corrupted JSON: save the model again", "bad-config") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise Rejected("the model config inside the file is not a Keras model config: save the model again", "bad-config")
    objects: list[dict[str, Any]] = []
    _walk(config, objects)
    classes = tuple(str(o.get("class_name")) for o in objects)
    if "Lambda" in classes:
        raise Rejected(
            "the model has a Lambda layer, which the grader never runs (the exam refused them too): "
            "replace it with a built-in layer such as Reshape, Rescaling or Normalization",
            "lambda",
        )
    for obj in objects:
        if not _is_builtin(obj):
            name = obj.get("registered_name") or obj.get("class_name")
            raise Rejected(
                f"the model uses {name!r}, which is not a built-in Keras class: the grader loads "
                "built-in layers only, so rewrite it with built-in layers",
                "custom-layer",
            )
    loss = None
    if training:
        try:
            loss_cfg = json.loads(training).get("loss")
            loss = loss_cfg if isinstance(loss_cfg, str) else json.dumps(loss_cfg)[:80]
        except (json.JSONDecodeError, AttributeError):
            loss = None
    return Inspection(fmt, classes, loss)
