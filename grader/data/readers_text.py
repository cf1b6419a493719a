"""The text datasets of category 4 as texts and labels: one reader per dataset, the held-out
split apart."""

from __future__ import annotations

import bz2
import csv
import functools
import hashlib
import json
import re
import tarfile
from collections import Counter
from dataclasses import dataclass

import numpy as np

from grader.data.errors import DataError
from grader.data.readers import locate

__all__ = ["TextSplit", "bbc_news", "imdb_reviews", "rotten_tomatoes", "sarcasm_headlines"]


# --------------------------------------------------------------------------- rotten tomatoes


@dataclass(frozen=True)
class TextSplit:
    texts: list[str]
    labels: np.ndarray


def rotten_tomatoes() -> tuple[TextSplit, TextSplit]:
    """(training, held-out evaluation) review snippets; label 1 = fresh, 0 = rotten."""
    path = locate("rotten-tomatoes", "rotten_tomatoes_corpus_full.csv.bz2")
    seen: dict[str, int] = {}
    with bz2.open(path, "rt", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = {"fresh": 1, "rotten": 0}.get(row["category"])
            text = " ".join(row["text"].split())
            if label is None or not text or text in seen:
                continue
            seen[text] = label
    order = sorted(seen, key=lambda t: hashlib.sha256(t.encode()).hexdigest())
    labels = np.array([seen[t] for t in order], dtype=np.int64)
    held = 2000
    return (
        TextSplit(order[:-held], labels[:-held]),
        TextSplit(order[-held:], labels[-held:]),
    )


# --------------------------------------------------------------------------- sarcasm


def sarcasm_headlines() -> tuple[list[str], np.ndarray]:
    """Every (headline, is_sarcastic) of the exam's sarcasm.json, in file order.

    The file is one JSON array of {"article_link", "headline", "is_sarcastic"} objects. No
    checksum is published for it, so its shape is checked here, with one clear message.
    """
    path = locate("sarcasm", "sarcasm.json")
    where = f"{path} (the sarcasm dataset)"
    try:
        with open(path, encoding="utf-8") as f:
            records = json.load(f)
    except json.JSONDecodeError as exc:
        lines = ""
        if exc.msg == "Extra data":
            lines = " (one record a line, JSON Lines, as Kaggle's copy is)"
        raise DataError(
            f"{where} is not one JSON document{lines}: the exam's file is one JSON array "
            f"of records ({exc.msg}, line {exc.lineno})"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataError(f"{where} cannot be read as UTF-8 JSON ({exc})") from None
    if not isinstance(records, list):
        raise DataError(
            f"{where} is not one JSON array of records (JSON Lines, as Kaggle's copy is, "
            "is not the exam's format): use the file from the exam's URL"
        )
    texts, labels = [], []
    for i, record in enumerate(records):
        headline = record.get("headline") if isinstance(record, dict) else None
        label = record.get("is_sarcastic") if isinstance(record, dict) else None
        if not isinstance(headline, str) or label not in (0, 1) or isinstance(label, bool):
            raise DataError(
                f"{where}: record {i} is not a {{headline: text, is_sarcastic: 0 or 1}} object"
            )
        texts.append(headline)
        labels.append(int(label))
    return texts, np.array(labels, dtype=np.int64)


# --------------------------------------------------------------------------- bbc news

BBC_ARTICLES = 2225


def bbc_news() -> tuple[list[str], list[str], tuple[str, ...]]:
    """(texts, topics, topics by id) of the course's bbc-text.csv, in file order.

    Topic ids are what the starter's label `Tokenizer` gives: 1 for the most frequent topic,
    then by frequency (ties alphabetically); id 0 names no topic. The file is checked by its
    SHA-256 when it is fetched; here its shape is checked, with one clear message.
    """
    path = locate("bbc-news", "bbc-text.csv")
    where = f"{path} (the bbc-news dataset)"
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.reader(f))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"{where} cannot be read as a UTF-8 CSV ({exc})") from None
    if not rows or rows[0] != ["category", "text"] or len(rows) != BBC_ARTICLES + 1:
        raise DataError(
            f"{where} is not the course's bbc-text.csv: expected a (category, text) header "
            f"and {BBC_ARTICLES:,} articles, found {max(len(rows) - 1, 0):,} rows"
        )
    if any(len(row) != 2 or not row[0] or not row[1] for row in rows[1:]):
        raise DataError(f"{where}: every row must hold a topic and a text")
    topics = [row[0] for row in rows[1:]]
    counts = Counter(topics)
    by_id = ("", *sorted(counts, key=lambda t: (-counts[t], t)))
    return [row[1] for row in rows[1:]], topics, by_id


# --------------------------------------------------------------------------- imdb reviews

_IMDB_MEMBER = re.compile(r"aclImdb/(train|test)/(pos|neg)/[^/]+\.txt")
IMDB_REVIEWS = 25000  # in each split


@functools.lru_cache(maxsize=1)
def imdb_reviews() -> tuple[TextSplit, TextSplit]:
    """(training, test) reviews of the Large Movie Review Dataset; label 1 = positive.

    Each split in file-name order (TensorFlow Datasets shuffles them; the encoder's
    vocabulary does not depend on the order). Cached per process: the archive is 84 MB.
    """
    path = locate("imdb-reviews", "aclImdb_v1.tar.gz")
    where = f"{path} (the imdb-reviews dataset)"
    found: dict[str, list[tuple[str, str, int]]] = {"train": [], "test": []}
    try:
        with tarfile.open(path, "r:gz") as archive:
            for member in archive:
                match = _IMDB_MEMBER.fullmatch(member.name)
                if match is None or not member.isfile():
                    continue
                handle = archive.extractfile(member)
                if handle is None:
                    continue
                text = handle.read().decode("utf-8")
                split, polarity = match.groups()
                found[split].append((member.name, text, 1 if polarity == "pos" else 0))
    except (OSError, EOFError, tarfile.TarError, UnicodeDecodeError) as exc:
        raise DataError(f"{where} cannot be read as the reviews' tar.gz archive ({exc})") from None
    splits = []
    for name in ("train", "test"):
        rows = sorted(found[name])
        if len(rows) != IMDB_REVIEWS:
            raise DataError(
                f"{where} holds {len(rows):,} labelled {name} reviews; the archive has "
                f"{IMDB_REVIEWS:,}: fetch it again with `tfcert data prepare imdb-reviews`"
            )
        splits.append(
            TextSplit([r[1] for r in rows], np.array([r[2] for r in rows], dtype=np.int64))
        )
    return splits[0], splits[1]
