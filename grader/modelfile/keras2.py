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
    "NOTES",
    "RULES",
    "Keras2Translation",
    "build_translated",
    "keras2_version",
    "load_translated",
    "translate_config",
]

# The translation, as data: RULES says what to rewrite and NOTES how to say it. This module
# applies them (translate_config) and the in-browser grader's keras2.js applies the same
# RULES, exported into the page's manifest by tools/browser_grader_export.py: one set of
# rules, two small interpreters, checked equal on every fixture by tests/js/keras2.test.mjs.
#
# Each rule of "layer" is tried, in order, on every layer config (wrapped ones too):
# - "classes": the class names it applies to (absent: every class); "except": names it skips;
# - "when": {key: value} that must all hold (a number equals a number, a bool only a bool);
# - "remove": keys deleted when any is present; "rename": [old, new], when old is present
#   and new is not; "default": {key: value} set where the key is absent; "unwrap": a key
#   whose one-item list of a whole number becomes the number;
#   "policy": a key whose {"class_name": "Policy", "config": {"name": N}} becomes N when N
#   is one of "names"; "functions": keys whose function name (a string, or a builtin
#   {"class_name": "function", "config": N}) is renamed by the mapping "names";
# - "note": the kind of change, a key of NOTES, noted with the layer's class and name.
_RECURRENT = ["LSTM", "GRU", "SimpleRNN", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D"]
RULES: dict[str, Any] = {
    # Model classes whose layers are translated (nested ones too).
    "models": ["Sequential", "Functional", "Model"],
    # Keras 2 wrote a Sequential model's input shape on its first layer (and, from about
    # TensorFlow 2.2, on an InputLayer before it as well). Keras 3 wants it on an InputLayer:
    # one named after the first layer plus "suffix" (plus "_" until no layer has that name).
    "sequential_input": {
        "key": "batch_input_shape",
        "suffix": "_input",
        "unnamed": "input",
        "dtype": "float32",
    },
    "layer": [
        {
            "note": "input_shape",
            "classes": ["InputLayer"],
            "rename": ["batch_input_shape", "batch_shape"],
        },
        {"note": "input_shape", "except": ["InputLayer"], "remove": ["batch_input_shape"]},
        # Keras 3 removed the argument; time_major=True is left for Keras to refuse.
        {
            "note": "time_major",
            "classes": _RECURRENT,
            "when": {"time_major": False},
            "remove": ["time_major"],
        },
        {"note": "input_length", "classes": ["Embedding"], "remove": ["input_length"]},
        # Random augmentation layers: Keras 2.10+ wrote rng_type, some versions force_generator.
        {
            "note": "rng_type",
            "classes": [
                "RandomFlip",
                "RandomRotation",
                "RandomZoom",
                "RandomTranslation",
                "RandomContrast",
                "RandomCrop",
                "RandomBrightness",
            ],
            "remove": ["rng_type", "force_generator"],
        },
        {
            "note": "groups",
            "classes": [
                "DepthwiseConv1D",
                "DepthwiseConv2D",
                "SeparableConv1D",
                "SeparableConv2D",
                "Conv1DTranspose",
                "Conv2DTranspose",
                "Conv3DTranspose",
            ],
            "when": {"groups": 1},
            "remove": ["groups"],
        },
        {
            "note": "separable_kernel",
            "classes": ["SeparableConv1D", "SeparableConv2D"],
            "remove": ["kernel_initializer", "kernel_regularizer", "kernel_constraint"],
        },
        {
            "note": "spatial_dropout",
            "classes": ["SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D"],
            "remove": ["trainable", "noise_shape"],
        },
        {"note": "alpha", "classes": ["LeakyReLU"], "rename": ["alpha", "negative_slope"]},
        # Rescaling's offset came with TensorFlow 2.3; Keras 3 needs it (0.0: no shift).
        {"note": "offset", "classes": ["Rescaling"], "default": {"offset": 0.0}},
        {"note": "axis", "classes": ["BatchNormalization"], "unwrap": "axis"},
        {
            "note": "policy",
            "policy": "dtype",
            "names": [
                "float16",
                "float32",
                "float64",
                "bfloat16",
                "mixed_float16",
                "mixed_bfloat16",
            ],
        },
        # TensorFlow's own function names that old tf.keras saved for tf.nn.softmax and friends.
        {
            "note": "activation",
            "functions": ["activation", "recurrent_activation"],
            "names": {"softmax_v2": "softmax", "log_softmax_v2": "log_softmax"},
        },
    ],
    # Keras 3 looks a wrapped layer up by its module, which files from TensorFlow 2.12 and
    # earlier do not name: given to the built-in layers listed (anything else is left as it is),
    # then the wrapped layer is translated as any other.
    "wrappers": {
        "classes": ["Bidirectional", "TimeDistributed"],
        "keys": ["layer", "backward_layer"],
        "note": "wrapped_module",
        "module": "keras.layers",
        "wrappable": [
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
        ],
    },
}
_MODELS = frozenset(RULES["models"])

# One line per kind of change; {names} lists the layers it was made on.
NOTES = {
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
    "offset": "Rescaling without an offset (TensorFlow 2.2) given offset 0.0 on {names}",
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
            out.append(NOTES[kind].format(names=listed))
        return tuple(out)


def translate_config(config: Mapping[str, Any]) -> Keras2Translation:
    """Rewrite a Keras 2 model config (the .h5 file's `model_config` JSON, parsed) for Keras 3.

    Pure: the argument is not changed, nothing is imported or run. Only the differences
    listed in RULES are rewritten, on built-in Keras classes; a config that has none of
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
        _sequential_input(layers)
    for layer in layers:
        if isinstance(layer, dict):
            _layer(layer, notes)


def _sequential_input(layers: list[Any]) -> None:
    """RULES["sequential_input"]: an InputLayer before a first layer that holds the shape."""
    rule = RULES["sequential_input"]
    if not layers or not isinstance(layers[0], dict):
        return
    first = layers[0]
    first_config = first.get("config")
    if first.get("class_name") == "InputLayer" or not isinstance(first_config, dict):
        return
    shape = first_config.get(rule["key"])
    if not isinstance(shape, list):
        return
    name = first_config.get("name")
    taken = {
        layer.get("config", {}).get("name")
        for layer in layers
        if isinstance(layer, dict) and isinstance(layer.get("config"), dict)
    }
    input_name = f"{name}{rule['suffix']}" if isinstance(name, str) else rule["unnamed"]
    while input_name in taken:
        input_name += "_"
    dtype = first_config.get("dtype")
    layers.insert(
        0,
        {
            "class_name": "InputLayer",
            "config": {
                "batch_shape": shape,
                "dtype": dtype if isinstance(dtype, str) else rule["dtype"],
                "sparse": False,
                "name": input_name,
            },
        },
    )


def _same(value: Any, wanted: Any) -> bool:
    """JSON equality as both interpreters read it: a bool equals only a bool, a number any
    equal number (1 and 1.0 alike, as JavaScript cannot tell them apart)."""
    if isinstance(wanted, bool) or isinstance(value, bool):
        return value is wanted
    if isinstance(wanted, int | float) and isinstance(value, int | float):
        return value == wanted
    return bool(value == wanted)


def _whole(value: Any) -> bool:
    return (
        isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer()
    )


def _apply(rule: dict[str, Any], config: dict[str, Any]) -> bool:
    """Apply one rule of RULES["layer"] to a layer's config in place; True when it changed it."""
    if "when" in rule and not all(
        key in config and _same(config[key], value) for key, value in rule["when"].items()
    ):
        return False
    if "remove" in rule:
        if not any(key in config for key in rule["remove"]):
            return False
        for key in rule["remove"]:
            config.pop(key, None)
        return True
    if "rename" in rule:
        old, new = rule["rename"]
        if old not in config or new in config:
            return False
        config[new] = config.pop(old)
        return True
    if "default" in rule:
        missing = {key: value for key, value in rule["default"].items() if key not in config}
        config.update(missing)
        return bool(missing)
    if "unwrap" in rule:
        value = config.get(rule["unwrap"])
        if not (isinstance(value, list) and len(value) == 1 and _whole(value[0])):
            return False
        config[rule["unwrap"]] = int(value[0])
        return True
    if "policy" in rule:
        dtype = config.get(rule["policy"])
        if not isinstance(dtype, dict) or dtype.get("class_name") != "Policy":
            return False
        inner = dtype.get("config")
        name = inner.get("name") if isinstance(inner, dict) else None
        if name not in rule["names"]:
            return False
        config[rule["policy"]] = name
        return True
    changed = False
    for key in rule.get("functions", ()):
        renamed = _function_name(config.get(key), rule["names"])
        if renamed is not None:
            config[key] = renamed
            changed = True
    return changed


def _function_name(value: Any, names: dict[str, str]) -> str | None:
    """The new name for a function saved by one of `names`' keys, else None."""
    if isinstance(value, str):
        return names.get(value)
    if (
        isinstance(value, dict)
        and value.get("class_name") == "function"
        and value.get("module") in (None, "builtins")
        and isinstance(value.get("config"), str)
    ):
        return names.get(value["config"])
    return None


def _layer(layer: dict[str, Any], notes: _Notes) -> None:
    """Translate one layer config in place: RULES["layer"] in order, then what it wraps."""
    kind = layer.get("class_name")
    config = layer.get("config")
    if not isinstance(kind, str) or not isinstance(config, dict):
        return
    if kind in _MODELS:
        _model(layer, notes)
        return
    for rule in RULES["layer"]:
        if "classes" in rule and kind not in rule["classes"]:
            continue
        if kind in rule.get("except", ()):
            continue
        if _apply(rule, config):
            notes.add(rule["note"], layer)
    wrappers = RULES["wrappers"]
    if kind in wrappers["classes"]:
        for key in wrappers["keys"]:
            wrapped = config.get(key)
            if isinstance(wrapped, dict):
                if "module" not in wrapped and wrapped.get("class_name") in wrappers["wrappable"]:
                    wrapped["module"] = wrappers["module"]
                    wrapped["registered_name"] = None
                    notes.add(wrappers["note"], wrapped)
                _layer(wrapped, notes)


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
