"""Look inside a model file before Keras deserializes anything from it.

Model files are untrusted: a Lambda layer stores Python bytecode, and a custom layer names
code that would be imported. This module reads the file's JSON config with h5py (for .h5)
or zipfile (for .keras), never with Keras, and refuses anything but built-in Keras layers.
"""

from __future__ import annotations

import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.modelfile.keras2 import Keras2Translation, keras2_version, translate_config

__all__ = [
    "CLASS_NAMESPACES",
    "FUNCTION_NAMESPACES",
    "MAX_BYTES",
    "MAX_WEIGHT_BYTES",
    "SERIALIZATION_MARKERS",
    "UNSAFE_BUILTINS",
    "Rejected",
    "inspect_file",
    "keras_namespace",
]

MAX_BYTES = 256 * 1024 * 1024
# What the weights a file declares may add up to once unpacked. Chunked, compressed HDF5
# datasets of zeros declare gigabytes in a few kilobytes, and Keras allocates all of it
# before it fails; the largest reference solution holds about 10 MiB of weights.
MAX_WEIGHT_BYTES = 1024 * 1024 * 1024
# A model's config.json is kilobytes; a bigger one is a zip bomb or not a model.
MAX_CONFIG_BYTES = 64 * 1024 * 1024
_HDF5_SIGNATURE = b"\x89HDF\r\n\x1a\n"
_ZIP_SIGNATURE = b"PK\x03\x04"


# Keras serializes some plain values as {"class_name": "__tuple__", ...} without a module.
SERIALIZATION_MARKERS = frozenset(
    {
        "Functional",
        "Sequential",
        "Model",
        "InputLayer",
        "__tuple__",
        "__numpy__",
        "__keras_tensor__",
        "__ellipsis__",
        "__slice__",
        "__typespec__",
        "__tensor__",
    }
)
# Built-in Keras layers that load or run code from outside the model file (a SavedModel on
# disk, a pickled torch module, a JAX/Flax function): never graded.
UNSAFE_BUILTINS = frozenset({"TFSMLayer", "TorchModuleWrapper", "JaxLayer", "FlaxLayer"})
# Where a class named without a module (Keras 2 files) is looked up: keras.<namespace>, and
# "" for keras itself. The in-browser grader's build reads the same list.
CLASS_NAMESPACES = (
    "layers",
    "initializers",
    "regularizers",
    "constraints",
    "optimizers",
    "losses",
    "metrics",
    "activations",
    "",
)
# Where Keras looks up a function saved by name (serialization_lib.BUILTIN_MODULES).
FUNCTION_NAMESPACES = (
    "activations",
    "losses",
    "metrics",
    "initializers",
    "regularizers",
    "constraints",
    "optimizers",
)


class Rejected(Exception):
    """The file cannot be graded; `reason` is one line that says what to do."""

    def __init__(self, reason: str, code: str) -> None:
        # Reasons quote names and paths taken from the file: never let one break the line
        # or send control characters to a terminal.
        reason = "".join(ch if ch.isprintable() else " " for ch in str(reason)).strip()
        super().__init__(reason)
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Inspection:
    format: str  # "h5" or "keras"
    layer_classes: tuple[str, ...]
    loss: str | None
    # For an exam-era file saved by Keras 2: its version and the config translated for
    # Keras 3 (checked here like any other config), which the grader then loads.
    keras2_version: str | None = None
    keras2: Keras2Translation | None = None


def _read_h5_config(path: Path) -> tuple[str, str | None]:
    import h5py

    try:
        with h5py.File(path, "r") as f:
            raw = f.attrs.get("model_config")
            training = f.attrs.get("training_config")
            declared = _declared_bytes(f)
    except Exception as exc:  # h5py raises OSError, KeyError, RuntimeError... on damaged files
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
    _check_declared(declared)
    return _text(raw), (_text(training) if training is not None else None)


def _declared_bytes(h5: Any) -> int:
    """The bytes every dataset in an open HDF5 file declares, read from metadata only."""
    import h5py

    total = 0

    def visit(_name: str, obj: Any) -> None:
        nonlocal total
        if isinstance(obj, h5py.Dataset):
            count = 1
            for dim in obj.shape or ():
                count *= int(dim)
            total += count * int(obj.dtype.itemsize)

    h5.visititems(visit)
    return total


def _check_declared(declared: int) -> None:
    if declared > MAX_WEIGHT_BYTES:
        raise Rejected(
            f"the file declares {declared / 2**30:.1f} GiB of weights, over the grader's "
            f"{MAX_WEIGHT_BYTES // 2**30} GiB limit (exam models hold a few MiB): this is not a "
            "model for these problems; check the layer sizes (units, filters, Embedding rows)",
            "too-large",
        )


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    # A damaged or hand-made file may hold a number or an array here: not a JSON document.
    return ""


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
            if z.getinfo("config.json").file_size > MAX_CONFIG_BYTES:
                raise Rejected(
                    "the .keras archive's config.json is too large to be a model config: save "
                    "the model again",
                    "bad-config",
                )
            raw = z.read("config.json").decode("utf-8", errors="replace")
            unpacked = sum(info.file_size for info in z.infolist())
            if unpacked > MAX_BYTES:
                _check_declared(unpacked)
                raise Rejected(
                    f"the .keras archive unpacks to {unpacked / 2**20:.0f} MiB, over the "
                    f"{MAX_BYTES // 2**20} MiB limit: check that this is the model you meant",
                    "too-large",
                )
            if "model.weights.h5" in names:
                _check_declared(_declared_in_member(z, "model.weights.h5"))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        raise Rejected(
            "the .keras file is not a readable zip archive (truncated or corrupted): save it again",
            "corrupt",
        ) from None
    return raw, None


def _declared_in_member(z: zipfile.ZipFile, name: str) -> int:
    """The weights that the HDF5 file stored inside a .keras archive declares."""
    import io

    import h5py

    try:
        with h5py.File(io.BytesIO(z.read(name)), "r") as f:
            return _declared_bytes(f)
    except (OSError, KeyError, RuntimeError, ValueError):
        return 0  # unreadable weights: Keras' own load reports them


def _walk(node: Any, found: list[dict[str, Any]], code: list[dict[str, Any]]) -> None:
    """Collect every serialized object (a dict with "class_name") and every dict that holds
    serialized Python bytecode. Iterative: a hostile config may nest thousands deep."""
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            if "class_name" in item:
                found.append(item)
            if _is_bytecode(item):
                code.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _is_bytecode(obj: dict[str, Any]) -> bool:
    """Keras' serialized Python functions: {"value": [base64 code, defaults, closure]} (a
    lambda activation), or a Keras 2 Lambda's {"function": [...], "function_type": "lambda"}."""
    if obj.get("function_type") == "lambda":
        return True
    value = obj.get("value")
    return (
        isinstance(value, list)
        and len(value) == 3
        and isinstance(value[0], str)
        and set(obj) <= {"value", "class_name", "config"}
    )


def _builtin_function(obj: dict[str, Any]) -> bool:
    """A function saved by name resolves to a Keras activation, loss, metric... only."""
    import keras

    name = obj.get("config")
    module = obj.get("module")
    if not isinstance(name, str) or not isinstance(module, str) or name.startswith("_"):
        return False
    if keras.saving.get_registered_object(name) is not None:
        return False  # Keras would take the one registered in this process
    if module == "builtins":
        spaces: tuple[str, ...] = FUNCTION_NAMESPACES
    elif module.startswith("keras.") and module[len("keras.") :] in FUNCTION_NAMESPACES:
        spaces = (module[len("keras.") :],)
    else:
        return False
    return any(callable(getattr(getattr(keras, ns), name, None)) for ns in spaces)


def _is_builtin(obj: dict[str, Any]) -> bool:
    import keras

    name = obj.get("class_name")
    if not isinstance(name, str):
        return False
    if name == "function":
        return _builtin_function(obj)
    registered = obj.get("registered_name")
    if (
        isinstance(registered, str)
        and registered not in (name, f"keras>{name}")
        and ">" in registered
    ):
        return False
    # Keras resolves a class from this process's registry of custom objects before its own
    # layers: a class registered under this name would be custom code, whatever the module.
    if (
        keras.saving.get_registered_object(registered if isinstance(registered, str) else name)
        is not None
    ):
        return False
    module = obj.get("module")
    if module is None:
        if name.startswith("_"):
            return name in SERIALIZATION_MARKERS
        # Keras 2 (tf-keras) files name classes without a module.
        return (
            any(hasattr(keras_namespace(ns), name) for ns in CLASS_NAMESPACES)
            or name in SERIALIZATION_MARKERS
        )
    return isinstance(module, str) and (module == "keras" or module.startswith("keras."))


def keras_namespace(name: str) -> Any:
    """keras.<name>, or keras itself for ""."""
    import keras

    return getattr(keras, name) if name else keras


def _short(path: object, limit: int = 160) -> str:
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "..." + text[-limit // 2 :]


def inspect_file(path: str | Path) -> Inspection:
    """Check a model file without running any code from it; raise `Rejected` when unsafe."""
    path = Path(path)
    shown = _short(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        raise Rejected(
            f"{shown} does not exist: check the path (the starter writes mymodel.h5)", "missing"
        ) from None
    except OSError as exc:  # permission denied on a folder, name too long, a symlink loop...
        raise Rejected(
            f"{shown} cannot be read ({exc.strerror or exc.__class__.__name__}): check the path "
            "and its permissions",
            "unreadable",
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise Rejected(f"{shown} is not a file: give the path of the saved model", "missing")
    suffix = path.suffix
    if suffix.lower() in (".h5", ".hdf5", ".keras") and suffix != suffix.lower():
        raise Rejected(
            f"the extension {suffix} must be lower case for Keras to load it: rename the file "
            f"to {_short(path.stem + suffix.lower())}",
            "extension",
        )
    if suffix not in (".h5", ".hdf5", ".keras"):
        raise Rejected(
            f"{_short(path.name)} is not a model file: the grader takes .h5 (as the exam did) "
            "or .keras",
            "extension",
        )
    size = info.st_size
    if size == 0:
        raise Rejected("the file is empty: the save did not finish; run the starter again", "empty")
    if size > MAX_BYTES:
        raise Rejected(
            f"the file is {size / 2**20:.0f} MiB, over the {MAX_BYTES // 2**20} MiB limit: "
            "exam models are a few MiB; check that this is the model you meant",
            "too-large",
        )
    try:
        with open(path, "rb") as f:
            head = f.read(8)
    except OSError as exc:
        raise Rejected(
            f"{shown} cannot be read ({exc.strerror or exc.__class__.__name__}): check its "
            "permissions",
            "unreadable",
        ) from None
    if suffix == ".keras":
        if not head.startswith(_ZIP_SIGNATURE):
            raise Rejected(
                "the .keras file is not a zip archive: save it again with model.save()", "not-model"
            )
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
    except (ValueError, RecursionError):  # JSONDecodeError, over-long integers, deep nesting
        raise Rejected(
            "the model config inside the file is corrupted JSON: save the model again", "bad-config"
        ) from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise Rejected(
            "the model config inside the file is not a Keras model config: save the model again",
            "bad-config",
        )
    # load_model(compile=False) drops the compile config (optimizer, loss, metrics) unread.
    config = {k: v for k, v in config.items() if k != "compile_config"}
    version = keras2_version(path) if fmt == "h5" else None
    translation = None
    if version is not None:  # checked as Keras 3 will see it; the translation adds no class
        translation = translate_config(config)
        config = dict(translation.config)
    objects: list[dict[str, Any]] = []
    code: list[dict[str, Any]] = []
    _walk(config, objects, code)
    classes = tuple(str(o.get("class_name")) for o in objects)
    if "Lambda" in classes:
        raise Rejected(
            "the model has a Lambda layer, which the grader never runs (the exam refused them "
            "too): replace it with a built-in layer such as Reshape, Rescaling or Normalization",
            "lambda",
        )
    if code or "__lambda__" in classes:
        raise Rejected(
            "the model stores Python code (a lambda used as an activation or a function), which "
            "the grader never runs: use a built-in activation name such as 'relu'",
            "lambda",
        )
    for obj in objects:
        if obj.get("class_name") in UNSAFE_BUILTINS:
            raise Rejected(
                f"the model uses {obj.get('class_name')!r}, which runs code from outside the model "
                "file: the grader loads self-contained models of built-in layers only",
                "unsafe-layer",
            )
        if not _is_builtin(obj):
            if obj.get("class_name") == "function":
                fn = obj.get("config")
                module = obj.get("module")
                if isinstance(module, str) and (module == "keras" or module.startswith("keras.")):
                    raise Rejected(
                        f"the model names the function {module}.{fn}, which is not an activation, "
                        "loss or metric: the grader refuses it; save the model again",
                        "unsafe-layer",
                    )
                raise Rejected(
                    f"the model uses the function {fn!r}, which is not a built-in Keras function: "
                    "use a built-in activation name such as 'relu'",
                    "custom-layer",
                )
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
    return Inspection(fmt, classes, loss, version, translation)
