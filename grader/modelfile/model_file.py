"""A model file read once: its digest, format, config, Keras version and translation.

`read_model_file(path)` checks the path (a regular file with a model file's extension and a
size under the limit), reads the file's bytes in one go and takes what the grader needs
from those bytes with h5py (for .h5) or zipfile (for .keras), never with Keras: the model
config, the loss it was compiled with, the weights it declares and, for an exam-era .h5 saved
by Keras 2, that version and the config translated for Keras 3 (grader.modelfile.keras2).
The `ModelFile` it returns is what inspection checks, what the grader loads the model from
and whose SHA-256 the result reports. Anything wrong is `Rejected`, in one line that says
what to do; nothing in the file is imported or run.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import stat
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.modelfile.keras2 import Keras2Translation, keras2_version, translate_config

__all__ = [
    "MAX_BYTES",
    "MAX_CONFIG_BYTES",
    "MAX_WEIGHT_BYTES",
    "REASONS",
    "ModelFile",
    "Rejected",
    "hdf5_loader_misreads",
    "read_model_file",
    "refusal",
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


# Why a file is refused, by key: (the reason, a template of `{name}` fields, and its code).
# The in-browser grader shows the same words: tools/browser_grader_export.py puts REASONS
# (with inspection.REASONS) into the page's manifest, and inspect.js fills the templates.
REASONS: dict[str, tuple[str, str]] = {
    "missing": ("{path} does not exist: check the path (the starter writes mymodel.h5)", "missing"),
    "unreadable-path": (
        "{path} cannot be read ({error}): check the path and its permissions",
        "unreadable",
    ),
    "not-a-file": ("{path} is not a file: give the path of the saved model", "missing"),
    "unreadable": ("{path} cannot be read ({error}): check its permissions", "unreadable"),
    "extension-case": (
        "the extension {suffix} must be lower case for Keras to load it: rename the file to "
        "{renamed}",
        "extension",
    ),
    "extension": (
        "{name} is not a model file: the grader takes .h5 (as the exam did) or .keras",
        "extension",
    ),
    "empty": ("the file is empty: the save did not finish; run the starter again", "empty"),
    "too-large": (
        "the file is {mib} MiB, over the {limit_mib} MiB limit: exam models are a few MiB; "
        "check that this is the model you meant",
        "too-large",
    ),
    "grew-too-large": (
        "the file is over the {limit_mib} MiB limit: exam models are a few MiB; check that "
        "this is the model you meant",
        "too-large",
    ),
    "too-many-weights": (
        "the file declares {gib} GiB of weights, over the grader's {limit_gib} GiB limit (exam "
        "models hold a few MiB): this is not a model for these problems; check the layer sizes "
        "(units, filters, Embedding rows)",
        "too-large",
    ),
    "not-zip": (
        "the .keras file is not a zip archive: save it again with model.save()",
        "not-model",
    ),
    "not-hdf5": (
        "the file is not HDF5 (wrong signature): it is not a saved Keras model; save it with "
        "model.save('mymodel.h5')",
        "not-model",
    ),
    "truncated": (
        "the file is truncated (the save was interrupted or the copy is incomplete): save the "
        "model again",
        "truncated",
    ),
    "corrupt-h5": (
        "the file is not a readable HDF5 model ({error}): save it again with "
        "model.save('mymodel.h5')",
        "corrupt",
    ),
    "no-config": (
        "the file has no model config (saved with save_weights?): save the whole model with "
        "model.save('mymodel.h5')",
        "no-config",
    ),
    "no-config-json": (
        "the .keras archive has no config.json: save it again with model.save('mymodel.keras')",
        "no-config",
    ),
    "config-json-too-large": (
        "the .keras archive's config.json is too large to be a model config: save the model again",
        "bad-config",
    ),
    "unpacks-too-large": (
        "the .keras archive unpacks to {mib} MiB, over the {limit_mib} MiB limit: check that "
        "this is the model you meant",
        "too-large",
    ),
    "corrupt-zip": (
        "the .keras file is not a readable zip archive (truncated or corrupted): save it again",
        "corrupt",
    ),
    "keras2-archive": (
        "the .keras archive was saved by Keras {version}, whose .keras layout Keras 3 does not "
        "read: save the model as .h5 with that Keras (model.save('mymodel.h5'), which the grader "
        "translates for Keras 3), or save it again with Keras 3",
        "keras2-archive",
    ),
    "bad-json": (
        "the model config inside the file is corrupted JSON: save the model again",
        "bad-config",
    ),
    "not-model-config": (
        "the model config inside the file is not a Keras model config: save the model again",
        "bad-config",
    ),
}


def refusal(key: str, **values: object) -> Rejected:
    """The `Rejected` of REASONS[key], its fields filled in."""
    text, code = REASONS[key]
    return Rejected(text.format(**values), code)


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
class ModelFile:
    """What the grader read from a model file, once: everything after this works on it."""

    path: Path
    format: str  # "h5" or "keras"
    sha256: str  # of the bytes read, the ones inspected
    # The model config Keras will build ({"class_name": ..., "config": ...}, compile_config
    # left out): for a Keras 2 file, the translated one.
    config: dict[str, Any]
    loss: str | None  # the loss the model was compiled with, as the file names it
    # For an exam-era file saved by Keras 2: its version and the translation of its config.
    keras2_version: str | None = None
    keras2: Keras2Translation | None = None
    # The Keras version the file says saved it (any version; None when it names none).
    saved_by: str | None = None
    # A Keras 3 .h5 that Keras' HDF5 loader would build wrongly (see `hdf5_loader_misreads`):
    # its config, untranslated, for the grader to build the model from as it does a Keras 2
    # file's, and the note that says why.
    from_config: Keras2Translation | None = None


def _short(path: object, limit: int = 160) -> str:
    text = str(path)
    return text if len(text) <= limit else text[: limit // 2] + "..." + text[-limit // 2 :]


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    if isinstance(value, str):
        return value
    # A damaged or hand-made file may hold a number or an array here: not a JSON document.
    return ""


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
        raise refusal(
            "too-many-weights", gib=f"{declared / 2**30:.1f}", limit_gib=MAX_WEIGHT_BYTES // 2**30
        )


def _read_h5(data: bytes) -> tuple[str, str | None, str | None, str | None]:
    """(model config, training config, Keras 2 version, any Keras version) of an HDF5
    file's bytes."""
    import h5py

    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            raw = f.attrs.get("model_config")
            training = f.attrs.get("training_config")
            version = keras2_version(f.attrs)
            saved_by = _version_text(f.attrs.get("keras_version"))
            declared = _declared_bytes(f)
    except Exception as exc:  # h5py raises OSError, KeyError, RuntimeError... on damaged files
        text = str(exc).lower()
        if "truncated" in text:
            raise refusal("truncated") from None
        raise refusal("corrupt-h5", error=exc.__class__.__name__) from None
    if raw is None:
        raise refusal("no-config")
    _check_declared(declared)
    return _text(raw), (_text(training) if training is not None else None), version, saved_by


def _version_text(value: Any) -> str | None:
    """A version string as a file stores it ("3.0.5"), or None for anything else."""
    text = _text(value) if isinstance(value, bytes | str) else ""
    return text if 0 < len(text) <= 40 and all(c.isalnum() or c in ".-+" for c in text) else None


# Built-in layers whose `axis` may be a list of any length (Keras 3 saves axis=None as []);
# the page reads both (tools/browser_grader_export.py).
AXIS_LIST_LAYERS = ("Normalization", "LayerNormalization", "UnitNormalization")
MISREAD_NOTE = (
    "{names} with a list of axes that Keras' HDF5 loader would drop (axis=None is saved as []): "
    "built by Keras' ordinary loader instead, as saved"
)


def hdf5_loader_misreads(config: dict[str, Any]) -> Keras2Translation | None:
    """A Keras 3 .h5 config that Keras' own HDF5 loader would build wrongly, put right.

    That loader (keras.src.legacy.saving.saving_utils.model_from_config, used for every layer
    saved without a "module", as Keras 3's .h5 writer saves them; still so in Keras 3.15)
    keeps a layer's `axis` only when it is a number or a one-item list: an empty list
    (Normalization(axis=None), saved as `axis: []`) or a list of several axes is dropped and
    the layer falls back to axis=-1, so its weights no longer fit ("Weight expects shape (1,).
    Received saved weight with shape ()"). The config itself is right: given the module
    `keras.layers` (only for the built-in layers above), Keras' ordinary deserializer builds
    it as saved. Returns the config with that module added (a new object) and a note, or
    None when no layer needs it. Only data is changed; nothing from the file is run."""
    if not any(True for _ in _misread_layers(config)):
        return None
    fixed = copy.deepcopy(config)
    names = []
    for layer in _misread_layers(fixed):
        layer["module"] = "keras.layers"
        layer["registered_name"] = None
        names.append(f"{layer['class_name']} {str(layer['config'].get('name'))!r}")
    return Keras2Translation(fixed, (MISREAD_NOTE.format(names=", ".join(sorted(names))),))


def _misread_layers(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The layer configs (no module, an axis list of other than one item) of `config`."""
    found: list[dict[str, Any]] = []
    stack: list[Any] = [config]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            inner = item.get("config")
            if (
                item.get("class_name") in AXIS_LIST_LAYERS
                and "module" not in item
                and isinstance(inner, dict)
                and isinstance(inner.get("axis"), list)
                and len(inner["axis"]) != 1
            ):
                found.append(item)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def _read_keras(data: bytes) -> tuple[str, str | None]:
    """The model config of a .keras archive's bytes, and the Keras version its metadata.json
    names."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            names = set(z.namelist())
            if "config.json" not in names:
                raise refusal("no-config-json")
            if z.getinfo("config.json").file_size > MAX_CONFIG_BYTES:
                raise refusal("config-json-too-large")
            raw = z.read("config.json").decode("utf-8", errors="replace")
            unpacked = sum(info.file_size for info in z.infolist())
            if unpacked > MAX_BYTES:
                _check_declared(unpacked)
                raise refusal(
                    "unpacks-too-large", mib=f"{unpacked / 2**20:.0f}", limit_mib=MAX_BYTES // 2**20
                )
            if "model.weights.h5" in names:
                _check_declared(_declared_in_member(z, "model.weights.h5"))
            saved_by = None
            if "metadata.json" in names and z.getinfo("metadata.json").file_size < 64 * 1024:
                try:
                    metadata = json.loads(z.read("metadata.json"))
                except (ValueError, RecursionError):
                    metadata = None
                if isinstance(metadata, dict):
                    saved_by = _version_text(metadata.get("keras_version"))
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError):
        raise refusal("corrupt-zip") from None
    return raw, saved_by


def _declared_in_member(z: zipfile.ZipFile, name: str) -> int:
    """The weights that the HDF5 file stored inside a .keras archive declares."""
    import h5py

    try:
        with h5py.File(io.BytesIO(z.read(name)), "r") as f:
            return _declared_bytes(f)
    except (OSError, KeyError, RuntimeError, ValueError):
        return 0  # unreadable weights: Keras' own load reports them


def _read_bytes(path: Path, shown: str) -> bytes:
    """The file's bytes, in one read (one more than the limit, to notice a file that grew)."""
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise refusal(
            "unreadable", path=shown, error=exc.strerror or exc.__class__.__name__
        ) from None
    if len(data) > MAX_BYTES:
        raise refusal("grew-too-large", limit_mib=MAX_BYTES // 2**20)
    if not data:
        raise refusal("empty")
    return data


def read_model_file(path: str | Path) -> ModelFile:
    """Read a model file once, without running any of it; raise `Rejected` when it cannot be
    graded as a file (missing, not a model file, too large, damaged, no model config).
    Whether its layers are safe to load is `grader.modelfile.inspection`'s question."""
    path = Path(path)
    shown = _short(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError, ValueError):  # ValueError: a NUL in the name
        raise refusal("missing", path=shown) from None
    except OSError as exc:  # permission denied on a folder, name too long, a symlink loop...
        raise refusal(
            "unreadable-path", path=shown, error=exc.strerror or exc.__class__.__name__
        ) from None
    if not stat.S_ISREG(info.st_mode):
        raise refusal("not-a-file", path=shown)
    suffix = path.suffix
    if suffix.lower() in (".h5", ".hdf5", ".keras") and suffix != suffix.lower():
        raise refusal("extension-case", suffix=suffix, renamed=_short(path.stem + suffix.lower()))
    if suffix not in (".h5", ".hdf5", ".keras"):
        raise refusal("extension", name=_short(path.name))
    size = info.st_size
    if size == 0:
        raise refusal("empty")
    if size > MAX_BYTES:
        raise refusal("too-large", mib=f"{size / 2**20:.0f}", limit_mib=MAX_BYTES // 2**20)
    data = _read_bytes(path, shown)
    version = None
    training = None
    if suffix == ".keras":
        if not data.startswith(_ZIP_SIGNATURE):
            raise refusal("not-zip")
        raw, saved_by = _read_keras(data)
        if saved_by is not None and saved_by.startswith("2."):  # tf.keras 2.13-2.15 wrote .keras
            raise refusal("keras2-archive", version=saved_by)
        fmt = "keras"
    else:
        if data[:8] != _HDF5_SIGNATURE:
            raise refusal("not-hdf5")
        raw, training, version, saved_by = _read_h5(data)
        fmt = "h5"
    try:
        config = json.loads(raw)
    except (ValueError, RecursionError):  # JSONDecodeError, over-long integers, deep nesting
        raise refusal("bad-json") from None
    if not isinstance(config, dict) or "class_name" not in config:
        raise refusal("not-model-config")
    # load_model(compile=False) drops the compile config (optimizer, loss, metrics) unread.
    config = {k: v for k, v in config.items() if k != "compile_config"}
    translation = None
    from_config = None
    if version is not None:  # checked as Keras 3 will see it; the translation adds no class
        translation = translate_config(config)
        # Keras 2.6+ saved Normalization(axis=None) as axis [] too: built as Keras 3 files are
        misread = hdf5_loader_misreads(translation.config)
        if misread is not None:
            translation = Keras2Translation(misread.config, translation.notes + misread.notes)
        config = dict(translation.config)
    elif fmt == "h5":
        from_config = hdf5_loader_misreads(config)
        if from_config is not None:  # checked as Keras will build it
            config = dict(from_config.config)
    loss = None
    if training:
        try:
            loss_cfg = json.loads(training).get("loss")
            loss = loss_cfg if isinstance(loss_cfg, str) else json.dumps(loss_cfg)[:80]
        except (json.JSONDecodeError, AttributeError):
            loss = None
    return ModelFile(
        path,
        fmt,
        hashlib.sha256(data).hexdigest(),
        config,
        loss,
        version,
        translation,
        saved_by,
        from_config,
    )
