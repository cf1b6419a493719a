"""The text datasets of category 4 as texts and labels: one reader per dataset, the held-out
split apart."""

from __future__ import annotations

import bz2
import csv
import hashlib
import json
from dataclasses import dataclass

import numpy as np

from grader.data.errors import DataError
from grader.data.readers import locate

__all__ = ["TextSplit", "rotten_tomatoes", "sarcasm_headlines"]


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
