"""The image datasets, prepared once into class folders: clip art and horses or humans.

Each is built in a temporary folder beside its destination and published in one rename with
a ``.complete`` marker, so a folder is either whole or absent; `*_dirs()` prepares it on
first use. Preparation shows a progress bar on a terminal unless told to be quiet.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path
from typing import Any

from grader.core.atomic_files import publish, remove, scratch_dir
from grader.data.download import Progress
from grader.data.errors import DataError
from grader.data.registry import get_dataset
from grader.data.settings import data_home
from grader.data.sources import locate

__all__ = [
    "CLIPART_CLASSES",
    "HORSES_CLASSES",
    "HORSES_IMAGE_SIZE",
    "IMAGE_SIZE",
    "clipart_dirs",
    "clipart_root",
    "horses_or_humans_dirs",
    "horses_root",
    "prepare_clipart",
    "prepare_horses_or_humans",
]

IMAGE_SIZE = 150  # clip art (the offline stand-in)
HORSES_IMAGE_SIZE = 300  # the exam's horses-or-humans starter: 300x300 RGB
MAX_PIXELS = 40_000_000
CLIPART_CLASSES = ("animals", "people")
HORSES_CLASSES = ("horses", "humans")


def _complete(tmp: Path, root: Path) -> Path:
    """Mark a prepared folder complete and move it into place in one rename."""
    (tmp / ".complete").write_text("ok\n")
    return publish(tmp, root)


# --------------------------------------------------------------------------- clip art


CLIPART_VERSION = 5  # raised when preparation changes (5: the .deb's links as pictures)


def clipart_root() -> Path:
    return data_home() / "prepared" / f"clipart-{IMAGE_SIZE}-v{CLIPART_VERSION}"


def clipart_dirs() -> tuple[Path, Path]:
    """(train_dir, eval_dir), each with one sub-folder per class; prepared on first use."""
    root = prepare_clipart()
    return root / "train", root / "eval"


def prepare_clipart(progress: bool = False) -> Path:
    from PIL import Image, ImageOps

    root = clipart_root()
    if (root / ".complete").exists():
        return root
    png = locate(get_dataset("openclipart"), "png", progress=progress)
    files = sorted(
        (cls, p)
        for cls in CLIPART_CLASSES
        for p in (png / cls).rglob("*")
        if p.suffix.lower() == ".png" and p.is_file()
    )
    if not files:
        raise DataError(
            f"no PNG files under {png}/animals or {png}/people; reinstall openclipart-png"
        )
    bar = Progress("preparing clip art", unit="pictures", enabled=progress)
    skipped = 0
    with scratch_dir(root.parent, "clipart") as tmp:
        seen: set[str] = set()
        kept: list[tuple[str, str, str, Any]] = []
        for i, (cls, path) in enumerate(files, 1):
            bar(i, len(files))
            try:
                with Image.open(path) as im:
                    if im.width * im.height > MAX_PIXELS:
                        skipped += 1
                        continue
                    rgba = im.convert("RGBA")
            except (OSError, Image.DecompressionBombError):
                skipped += 1
                continue
            white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            rgb = Image.alpha_composite(white, rgba).convert("RGB")
            rgb = ImageOps.pad(rgb, (IMAGE_SIZE, IMAGE_SIZE), color=(255, 255, 255))
            # Some drawings are in several folders or files; keep one copy of each picture and
            # split by the prepared pixels, so no picture is both trained on and held out.
            content = hashlib.sha256(rgb.tobytes()).hexdigest()
            if content in seen:
                continue
            seen.add(content)
            kept.append((cls, content, content[:10] + "-" + path.stem[:40], rgb))
        bar.close()
        # A stratified split: within each class, every fifth picture in content-hash order
        # is held out, so both splits keep the classes' proportions.
        for cls in CLIPART_CLASSES:
            pictures = sorted((k for k in kept if k[0] == cls), key=lambda k: k[1])
            for rank, (_, _, stem, rgb) in enumerate(pictures):
                out = tmp / ("eval" if rank % 5 == 0 else "train") / cls / f"{stem}.png"
                out.parent.mkdir(parents=True, exist_ok=True)
                rgb.save(out, optimize=False)
        (tmp / "SKIPPED").write_text(f"{skipped}\n")
        published = _complete(tmp, root)
    for older in range(1, CLIPART_VERSION):  # what an older tfcert prepared
        remove(root.with_name(f"clipart-{IMAGE_SIZE}-v{older}"))
    return published


# --------------------------------------------------------------------------- horses or humans


def horses_root() -> Path:
    return data_home() / "prepared" / f"horses-or-humans-{HORSES_IMAGE_SIZE}"


def horses_or_humans_dirs() -> tuple[Path, Path]:
    """(train_dir, eval_dir) with horses/ and humans/, 300x300; downloaded on first use."""
    root = prepare_horses_or_humans()
    return root / "train", root / "eval"


def prepare_horses_or_humans(progress: bool = False) -> Path:
    from PIL import Image

    root = horses_root()
    if (root / ".complete").exists():
        return root
    ds = get_dataset("horses-or-humans")
    parts = {
        "train": locate(ds, "horse-or-human.zip", progress=progress),
        "eval": locate(ds, "validation-horse-or-human.zip", progress=progress),
    }
    with scratch_dir(root.parent, "horses") as tmp:
        for split, archive in parts.items():
            with zipfile.ZipFile(archive) as z:
                names = sorted(z.namelist())
                bar = Progress(
                    f"preparing horses or humans ({split})", unit="files", enabled=progress
                )
                for i, name in enumerate(names, 1):
                    bar(i, len(names))
                    folder, _, base = name.rpartition("/")
                    cls = folder.split("/")[-1]
                    if cls not in HORSES_CLASSES or not base.lower().endswith(".png"):
                        continue
                    with z.open(name) as f, Image.open(f) as im:
                        if im.width * im.height > MAX_PIXELS:
                            continue
                        rgb = im.convert("RGB").resize((HORSES_IMAGE_SIZE, HORSES_IMAGE_SIZE))
                    out = tmp / split / cls / base
                    out.parent.mkdir(parents=True, exist_ok=True)
                    rgb.save(out)
                bar.close()
        return _complete(tmp, root)
