"""Look inside a model file before Keras deserializes anything from it.

Model files are untrusted: a Lambda layer stores Python bytecode, and a custom layer names
code that would be imported. This module checks the JSON config that
grader.modelfile.model_file read from the file (with h5py or zipfile, never with Keras) and
refuses anything but built-in Keras layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.modelfile.keras2 import Keras2Translation
from grader.modelfile.model_file import ModelFile, Rejected, read_model_file

__all__ = [
    "CLASS_NAMESPACES",
    "FUNCTION_NAMESPACES",
    "LAMBDA_REASON",
    "REASONS",
    "SERIALIZATION_MARKERS",
    "UNSAFE_BUILTINS",
    "Inspection",
    "Rejected",
    "inspect",
    "inspect_file",
    "keras_namespace",
]

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
# What to put in a Lambda's place. Its code is never read (no unmarshalling, even to look
# at it), so the reason names the built-in for each thing the course's Lambdas did, as a
# condition: x * 400.0 ending the time-series models, tf.expand_dims(x, axis=-1) starting them.
LAMBDA_REASON = (
    "the model has a Lambda layer, which the grader never runs (the exam refused them too): "
    "replace it with a built-in layer such as Reshape, Rescaling or Normalization; if it "
    "multiplies by a constant, e.g. x * 400.0, use tf.keras.layers.Rescaling(400.0) "
    "(Rescaling(scale, offset) for x * scale + offset); if it adds an axis, e.g. "
    "tf.expand_dims(x, axis=-1), use tf.keras.layers.Reshape((-1, 1))"
)
# Why a model is refused, by key, as model_file.REASONS: (a template of `{name}` fields, its
# code). `{name}` is filled with the repr() of the name the file gives.
REASONS: dict[str, tuple[str, str]] = {
    "lambda": (LAMBDA_REASON, "lambda"),
    "stored-code": (
        "the model stores Python code (a lambda used as an activation or a function), which "
        "the grader never runs: use a built-in activation name such as 'relu'",
        "lambda",
    ),
    "unsafe-layer": (
        "the model uses {name}, which runs code from outside the model file: the grader loads "
        "self-contained models of built-in layers only",
        "unsafe-layer",
    ),
    "keras-function": (
        "the model names the function {module}.{function}, which is not an activation, loss "
        "or metric: the grader refuses it; save the model again",
        "unsafe-layer",
    ),
    "custom-function": (
        "the model uses the function {name}, which is not a built-in Keras function: use a "
        "built-in activation name such as 'relu'",
        "custom-layer",
    ),
    "custom-class": (
        "the model uses {name}, which is not a built-in Keras class: the grader loads built-in "
        "layers only, so rewrite it with built-in layers",
        "custom-layer",
    ),
}


def _refusal(key: str, **values: object) -> Rejected:
    text, code = REASONS[key]
    return Rejected(text.format(**values), code)


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


@dataclass(frozen=True)
class Inspection:
    """A model file the grader accepted: what was read from it, once, and its classes."""

    file: ModelFile
    layer_classes: tuple[str, ...]

    @property
    def format(self) -> str:
        return self.file.format  # "h5" or "keras"

    @property
    def loss(self) -> str | None:
        return self.file.loss

    @property
    def keras2_version(self) -> str | None:
        return self.file.keras2_version

    @property
    def keras2(self) -> Keras2Translation | None:
        return self.file.keras2


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


def inspect_file(path: str | Path) -> Inspection:
    """Check a model file without running any code from it; raise `Rejected` when unsafe."""
    return inspect(read_model_file(path))


def inspect(file: ModelFile) -> Inspection:
    """Check what was read from a model file; raise `Rejected` when it is not safe to load."""
    config = file.config
    objects: list[dict[str, Any]] = []
    code: list[dict[str, Any]] = []
    _walk(config, objects, code)
    classes = tuple(str(o.get("class_name")) for o in objects)
    if "Lambda" in classes:
        raise _refusal("lambda")
    if code or "__lambda__" in classes:
        raise _refusal("stored-code")
    for obj in objects:
        if obj.get("class_name") in UNSAFE_BUILTINS:
            raise _refusal("unsafe-layer", name=repr(obj.get("class_name")))
        if not _is_builtin(obj):
            if obj.get("class_name") == "function":
                fn = obj.get("config")
                module = obj.get("module")
                if isinstance(module, str) and (module == "keras" or module.startswith("keras.")):
                    raise _refusal("keras-function", module=module, function=fn)
                raise _refusal("custom-function", name=repr(fn))
            name = obj.get("registered_name") or obj.get("class_name")
            raise _refusal("custom-class", name=repr(name))
    return Inspection(file, classes)
