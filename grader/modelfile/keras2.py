"""Exam-era model files: read a Keras 2 .h5 config the way Keras 3 expects it.

Candidates saved `mymodel.h5` with TensorFlow 2.x, whose tf.keras was Keras 2 (the exam's
set-up guides pinned TensorFlow 2.3 and later 2.9); the last Keras 2 is the tf-keras package.
Keras 3 reads most of those files but refuses a few arguments Keras 2 wrote into every config
(an LSTM's `time_major=False` above all), so nearly every category 4 and 5 model failed.

`translate_config` rewrites those differences on the JSON config, as data: it never imports
or runs anything named in the file, touches only built-in Keras layer classes it knows, and
leaves everything else (a Lambda, a custom class) as it was, for the grader's own refusal.
`load_translated` builds the model from the translated config with Keras' safe mode on and
loads the weights from the same file. Files saved by Keras 3 are never translated
(`keras2_version` returns None for their attributes).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "Keras2Translation",
    "build_translated",
    "keras2_version",
    "load_translated",
    "translate_config",
]

# Recurrent layers whose Keras 2 config holds `time_major` (Keras 3 removed the argument).
_RECURRENT = frozenset({"LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"})
# Random augmentation layers: Keras 2.10+ wrote `rng_type`, some versions `force_generator`.
_RANDOM = frozenset(
    {
        "RandomFlip",
        "RandomRotation",
        "RandomZoom",
        "RandomTranslation",
        "RandomContrast",
        "RandomCrop",
        "RandomBrightness",
    }
)
# Layers whose Keras 2 config holds `groups` (always 1 there) but whose Keras 3 class has none.
_NO_GROUPS = frozenset(
    {
        "DepthwiseConv1D",
        "DepthwiseConv2D",
        "SeparableConv1D",
        "SeparableConv2D",
        "Conv1DTranspose",
        "Conv2DTranspose",
        "Conv3DTranspose",
    }
)
_SEPARABLE = frozenset({"SeparableConv1D", "SeparableConv2D"})
_SPATIAL_DROPOUT = frozenset({"SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"})
_MODELS = frozenset({"Sequential", "Functional", "Model"})
_WRAPPERS = frozenset({"Bidirectional", "TimeDistributed"})
# Built-in layers a wrapper may hold; Keras 3 looks a wrapped layer up by its module, which
# files from TensorFlow 2.12 and earlier do not name. Anything else is left as it is.
_WRAPPABLE = frozenset(
    {
        "LSTM",
        "GRU",
        "SimpleRNN",
        "Dense",
        "Conv1D",
        "Conv2D",
        "Conv3D",
        "MaxPooling1D",
        "MaxPooling2D",
        "AveragePooling1D",
        "AveragePooling2D",
        "GlobalAveragePooling1D",
        "GlobalMaxPooling1D",
        "Flatten",
        "Dropout",
        "BatchNormalization",
        "LayerNormalization",
        "Embedding",
        "Activation",
        "Reshape",
    }
)
# Dtype policies Keras 2 wrote as {"class_name": "Policy", "config": {"name": ...}}.
_POLICY_NAMES = frozenset(
    {"float16", "float32", "float64", "bfloat16", "mixed_float16", "mixed_bfloat16"}
)
# TensorFlow's own function names that old tf.keras saved for tf.nn.softmax and friends.
_TF_ACTIVATION_NAMES = {"softmax_v2": "softmax", "log_softmax_v2": "log_softmax"}

# One line per kind of change; {names} lists the layers it was made on.
_NOTES = {
    "time_major": (
        "time_major=False removed from {names}: Keras 3 has no such argument and always runs "
        "batch-major, which False meant"
    ),
    "input_length": (
        "input_length removed from {names}: Keras 3's Embedding takes the length from the "
        "input shape, which the file also stores"
    ),
    "input_shape": (
        "the input shape (Keras 2's batch_input_shape on {names}) kept on the Input layer "
        "only, as Keras 3's batch_shape"
    ),
    "wrapped_module": (
        "the layers wrapped in Bidirectional or TimeDistributed ({names}) given their module "
        "keras.layers, which Keras 3 needs and files from TensorFlow 2.12 and earlier lack"
    ),
    "rng_type": (
        "rng_type/force_generator removed from {names}: Keras 3's augmentation layers have "
        "no such argument (they do nothing at prediction time)"
    ),
    "groups": "groups=1 removed from {names}: Keras 3 has no groups argument for these layers",
    "separable_kernel": (
        "the unused kernel_initializer/kernel_regularizer/kernel_constraint removed from "
        "{names} (separable convolutions use their depthwise and pointwise settings)"
    ),
    "spatial_dropout": (
        "trainable/noise_shape removed from {names}: Keras 3's SpatialDropout takes neither"
    ),
    "alpha": "LeakyReLU alpha renamed negative_slope on {names}",
    "axis": "BatchNormalization axis [n] written as n on {names}",
    "policy": "dtype policy written as its name on {names}",
    "activation": (
        "TensorFlow's internal activation name (softmax_v2, log_softmax_v2) written as the "
        "Keras name on {names}"
    ),
}


@dataclass(frozen=True)
class Keras2Translation:
    """A Keras 2 model config rewritten for Keras 3, and what was changed."""

    config: dict[str, Any]  # {"class_name": ..., "config": ...}, a new object
    notes: tuple[str, ...]  # one line per kind of change, for --explain; empty when none


def keras2_version(attrs: Mapping[str, Any]) -> str | None:
    """The Keras version an .h5 file was saved with, when that is Keras 2 with TensorFlow.

    `attrs` are the file's root attributes, as h5py reads them (grader.modelfile.model_file
    reads the file). None for a Keras 3 file, or a Keras 2 file from another backend (Theano,
    CNTK: their weights are laid out otherwise).
    """
    version = _attr_text(attrs.get("keras_version"))
    backend = _attr_text(attrs.get("backend"))
    if version is None or not version.startswith("2."):
        return None
    if backend is not None and backend != "tensorflow":
        return None
    return version


def _attr_text(value: object) -> str | None:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return value if isinstance(value, str) else None


class _Notes:
    def __init__(self) -> None:
        self._names: dict[str, list[str]] = {}

    def add(self, kind: str, layer: Mapping[str, Any]) -> None:
        config = layer.get("config")
        name = config.get("name") if isinstance(config, Mapping) else None
        shown = f"{layer.get('class_name')} {name!r}" if isinstance(name, str) else "a layer"
        names = self._names.setdefault(kind, [])
        if shown not in names:
            names.append(shown)

    def lines(self) -> tuple[str, ...]:
        out = []
        for kind, names in self._names.items():
            listed = ", ".join(names[:4]) + (
                f" and {len(names) - 4} more" if len(names) > 4 else ""
            )
            out.append(_NOTES[kind].format(names=listed))
        return tuple(out)


def translate_config(config: Mapping[str, Any]) -> Keras2Translation:
    """Rewrite a Keras 2 model config (the .h5 file's `model_config` JSON, parsed) for Keras 3.

    Pure: the argument is not changed, nothing is imported or run. Only the differences
    listed in _NOTES are rewritten, on built-in Keras classes; a config that has none of
    them (a Keras 3 config, for one) comes back equal, with no notes.
    """
    translated = copy.deepcopy(dict(config))
    notes = _Notes()
    _model(translated, notes)
    return Keras2Translation(translated, notes.lines())


def _model(model: dict[str, Any], notes: _Notes) -> None:
    """Translate a Sequential or functional model config in place (nested ones too)."""
    inner = model.get("config")
    if model.get("class_name") not in _MODELS or not isinstance(inner, dict):
        return
    layers = inner.get("layers")
    if not isinstance(layers, list):
        return
    if model.get("class_name") == "Sequential":
        _sequential_input(layers, notes)
    for layer in layers:
        if isinstance(layer, dict):
            _layer(layer, notes)


def _sequential_input(layers: list[Any], notes: _Notes) -> None:
    """Keras 2 wrote a Sequential model's input shape on its first layer (and, from about
    TensorFlow 2.2, on an InputLayer before it as well). Keras 3 wants it on an InputLayer."""
    if not layers or not isinstance(layers[0], dict):
        return
    first = layers[0]
    first_config = first.get("config")
    if first.get("class_name") == "InputLayer" or not isinstance(first_config, dict):
        return
    shape = first_config.get("batch_input_shape")
    if not isinstance(shape, list):
        return
    name = first_config.get("name")
    taken = {
        layer.get("config", {}).get("name")
        for layer in layers
        if isinstance(layer, dict) and isinstance(layer.get("config"), dict)
    }
    input_name = f"{name}_input" if isinstance(name, str) else "input"
    while input_name in taken:
        input_name += "_"
    dtype = first_config.get("dtype")
    layers.insert(
        0,
        {
            "class_name": "InputLayer",
            "config": {
                "batch_shape": shape,
                "dtype": dtype if isinstance(dtype, str) else "float32",
                "sparse": False,
                "name": input_name,
            },
        },
    )


def _layer(layer: dict[str, Any], notes: _Notes) -> None:
    """Translate one layer config in place."""
    kind = layer.get("class_name")
    config = layer.get("config")
    if not isinstance(kind, str) or not isinstance(config, dict):
        return
    if kind in _MODELS:
        _model(layer, notes)
        return
    if kind == "InputLayer":
        if "batch_input_shape" in config and "batch_shape" not in config:
            config["batch_shape"] = config.pop("batch_input_shape")
            notes.add("input_shape", layer)
    elif "batch_input_shape" in config:
        del config["batch_input_shape"]
        notes.add("input_shape", layer)
    if kind in _RECURRENT and config.get("time_major") is False:
        del config["time_major"]
        notes.add("time_major", layer)
    if kind == "Embedding" and "input_length" in config:
        del config["input_length"]
        notes.add("input_length", layer)
    if kind in _RANDOM and ("rng_type" in config or "force_generator" in config):
        config.pop("rng_type", None)
        config.pop("force_generator", None)
        notes.add("rng_type", layer)
    if kind in _NO_GROUPS and config.get("groups") == 1:
        del config["groups"]
        notes.add("groups", layer)
    if kind in _SEPARABLE:
        unused = ("kernel_initializer", "kernel_regularizer", "kernel_constraint")
        if any(key in config for key in unused):
            for key in unused:
                config.pop(key, None)
            notes.add("separable_kernel", layer)
    if kind in _SPATIAL_DROPOUT and ("trainable" in config or "noise_shape" in config):
        config.pop("trainable", None)
        config.pop("noise_shape", None)
        notes.add("spatial_dropout", layer)
    if kind == "LeakyReLU" and "alpha" in config and "negative_slope" not in config:
        config["negative_slope"] = config.pop("alpha")
        notes.add("alpha", layer)
    if kind == "BatchNormalization":
        axis = config.get("axis")
        if isinstance(axis, list) and len(axis) == 1 and isinstance(axis[0], int):
            config["axis"] = axis[0]
            notes.add("axis", layer)
    _policy(layer, config, notes)
    for key in ("activation", "recurrent_activation"):
        renamed = _activation_name(config.get(key))
        if renamed is not None:
            config[key] = renamed
            notes.add("activation", layer)
    if kind in _WRAPPERS:
        for key in ("layer", "backward_layer"):
            wrapped = config.get(key)
            if isinstance(wrapped, dict):
                if "module" not in wrapped and wrapped.get("class_name") in _WRAPPABLE:
                    wrapped["module"] = "keras.layers"
                    wrapped["registered_name"] = None
                    notes.add("wrapped_module", wrapped)
                _layer(wrapped, notes)


def _policy(layer: dict[str, Any], config: dict[str, Any], notes: _Notes) -> None:
    dtype = config.get("dtype")
    if not isinstance(dtype, dict) or dtype.get("class_name") != "Policy":
        return
    inner = dtype.get("config")
    name = inner.get("name") if isinstance(inner, dict) else None
    if name in _POLICY_NAMES:
        config["dtype"] = name
        notes.add("policy", layer)


def _activation_name(value: Any) -> str | None:
    """The Keras name for TensorFlow's internal function names, else None."""
    if isinstance(value, str):
        return _TF_ACTIVATION_NAMES.get(value)
    if (
        isinstance(value, dict)
        and value.get("class_name") == "function"
        and value.get("module") in (None, "builtins")
        and isinstance(value.get("config"), str)
    ):
        return _TF_ACTIVATION_NAMES.get(value["config"])
    return None


def build_translated(translation: Keras2Translation) -> Any:
    """The model a translated config describes, with fresh weights.

    Built with Keras' safe mode on (a Lambda is refused, never run) from built-in classes
    only: the top level is named as keras.Sequential or keras.Model, and Keras looks the
    layers up among its own. Raises what Keras raises (ValueError, TypeError...).
    """
    import keras

    kind = translation.config.get("class_name")
    if kind not in _MODELS:
        raise ValueError(f"the file's model config is a {kind!r}, not a Sequential or Model")
    top = {
        "module": "keras",
        "class_name": "Sequential" if kind == "Sequential" else "Model",
        "config": copy.deepcopy(translation.config.get("config")),
        "registered_name": None,
    }
    return keras.saving.deserialize_keras_object(top, safe_mode=True)


def load_translated(path: str | Path, translation: Keras2Translation) -> Any:
    """`build_translated`, then the weights from the .h5 file at `path` (by layer order, as
    Keras loads every .h5). Call it only for a file the grader's inspection accepted."""
    model = build_translated(translation)
    model.load_weights(str(path))
    return model
