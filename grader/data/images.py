"""The image datasets, prepared once into class folders: clip art, and the archives of
horses or humans, rock-paper-scissors and cats vs dogs.

Each is built in a temporary folder beside its destination and published in one rename with
a ``.complete`` marker, so a folder is either whole or absent; `*_dirs()` prepares it on
first use. Preparation shows a progress bar on a terminal unless told to be quiet.
"""

from __future__ import annotations

import hashlib
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader.core.atomic_files import publish, remove, scratch_dir
from grader.data.download import Progress
from grader.data.errors import DataError
from grader.data.registry import get_dataset
from grader.data.settings import data_home
from grader.data.sources import locate

__all__ = [
    "CATS_DOGS",
    "CATS_DOGS_CLASSES",
    "CLIPART_CLASSES",
    "HORSES",
    "HORSES_CLASSES",
    "HORSES_IMAGE_SIZE",
    "IMAGE_SIZE",
    "RPS",
    "RPS_CLASSES",
    "ImageArchives",
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


# --------------------------------------------------------------------------- image archives


@dataclass(frozen=True)
class ImageArchives:
    """A dataset shipped as zip archives of class folders, prepared into train/ and eval/.

    `splits` maps each prepared split to (archive key, member prefix): an image belongs to
    a split when its path in that archive starts with the prefix, and to the class named
    by its parent folder. `size`: images are decoded and resized to size x size RGB PNG
    (None: their bytes are kept as they are). `counts`: how many images each split must
    hold, or the archive is refused.
    """

    dataset: str
    folder: str  # the prepared folder's name under data_home()/prepared
    classes: tuple[str, ...]
    splits: dict[str, tuple[str, str]]
    counts: dict[str, int]
    size: int | None = None

    def root(self) -> Path:
        return data_home() / "prepared" / self.folder

    def dirs(self) -> tuple[Path, Path]:
        """(train_dir, eval_dir), each with one sub-folder per class; prepared on first use."""
        root = self.prepare()
        return root / "train", root / "eval"

    def prepare(self, progress: bool = False) -> Path:
        root = self.root()
        if (root / ".complete").exists():
            return root
        ds = get_dataset(self.dataset)
        archives = {
            split: locate(ds, key, progress=progress) for split, (key, _) in self.splits.items()
        }
        with scratch_dir(root.parent, self.folder) as tmp:
            for split, archive in archives.items():
                key, prefix = self.splits[split]
                try:
                    kept = self._unpack(
                        archive, prefix, tmp / split, f"{self.dataset} ({split})", progress
                    )
                except (zipfile.BadZipFile, OSError) as exc:
                    raise DataError(f"{key} of {self.dataset} could not be read ({exc})") from None
                if kept != self.counts[split]:
                    raise DataError(
                        f"{key} holds {kept} {split} images of {self.dataset} under "
                        f"{prefix or 'its top folder'}, not the {self.counts[split]} expected: "
                        "it is not the archive tfcert knows"
                    )
            return _complete(tmp, root)

    def _unpack(self, archive: Path, prefix: str, out: Path, what: str, progress: bool) -> int:
        from PIL import Image

        kept = 0
        with zipfile.ZipFile(archive) as z:
            names = sorted(n for n in z.namelist() if n.startswith(prefix))
            bar = Progress(f"preparing {what}", unit="files", enabled=progress)
            for i, name in enumerate(names, 1):
                bar(i, len(names))
                folder, _, base = name.rpartition("/")
                cls = folder.split("/")[-1]
                if (
                    cls not in self.classes
                    or not base.lower().endswith(IMAGE_SUFFIXES)
                    or base.startswith("._")  # a Mac's resource forks, under __MACOSX/
                    or name.startswith("__MACOSX/")
                ):
                    continue
                dest = out / cls / base
                dest.parent.mkdir(parents=True, exist_ok=True)
                if self.size is None:
                    with z.open(name) as f, dest.open("wb") as g:
                        shutil.copyfileobj(f, g)
                else:
                    with z.open(name) as f, Image.open(f) as im:
                        if im.width * im.height > MAX_PIXELS:
                            continue
                        rgb = im.convert("RGB").resize((self.size, self.size))
                    rgb.save(dest)
                kept += 1
            bar.close()
        return kept


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg")

# The exam's horses or humans, at its 300x300 (the 150x150 problem resizes when it loads).
HORSES = ImageArchives(
    "horses-or-humans",
    f"horses-or-humans-{HORSES_IMAGE_SIZE}",
    HORSES_CLASSES,
    {"train": ("horse-or-human.zip", ""), "eval": ("validation-horse-or-human.zip", "")},
    {"train": 1027, "eval": 256},
    size=HORSES_IMAGE_SIZE,
)
RPS_CLASSES = ("paper", "rock", "scissors")
RPS = ImageArchives(
    "rock-paper-scissors",
    "rock-paper-scissors-v1",
    RPS_CLASSES,
    {"train": ("rps.zip", "rps/"), "eval": ("rps-test-set.zip", "rps-test-set/")},
    {"train": 2520, "eval": 372},
)
CATS_DOGS_CLASSES = ("cats", "dogs")
CATS_DOGS = ImageArchives(
    "cats-and-dogs-filtered",
    "cats-and-dogs-filtered-v1",
    CATS_DOGS_CLASSES,
    {
        "train": ("cats_and_dogs_filtered.zip", "cats_and_dogs_filtered/train/"),
        "eval": ("cats_and_dogs_filtered.zip", "cats_and_dogs_filtered/validation/"),
    },
    {"train": 2000, "eval": 1000},
)


def horses_root() -> Path:
    return HORSES.root()


def horses_or_humans_dirs() -> tuple[Path, Path]:
    """(train_dir, eval_dir) with horses/ and humans/, 300x300; downloaded on first use."""
    return HORSES.dirs()


def prepare_horses_or_humans(progress: bool = False) -> Path:
    return HORSES.prepare(progress)
