"""Category 4, NLP text classification: review snippets and the exam's sarcasm headlines."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.data import readers, readers_text
from grader.data.errors import DataError
from grader.problems.definition import Problem, Scale, classification
from grader.problems.text_encoder import TextEncoder

__all__ = [
    "C4",
    "C4_SARCASM",
    "PROBLEMS",
    "SARCASM_CLASSES",
    "c4_encoder",
    "sarcasm_encoder",
]

C4: dict[str, Any] = {
    "VOCAB_SIZE": 5000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 32,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_SIZE": 9000,
}


def _c4_training() -> tuple[list[str], np.ndarray]:
    train, _ = readers_text.rotten_tomatoes()
    return train.texts, train.labels


def c4_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the category 4 starter builds: fitted on the first TRAINING_SIZE snippets."""
    texts = training_texts if training_texts is not None else _c4_training()[0]
    return TextEncoder.fit(texts[: C4["TRAINING_SIZE"]], C4["VOCAB_SIZE"], C4["OOV_TOKEN"])


def _c4_eval() -> tuple[np.ndarray, np.ndarray]:
    train, held = readers_text.rotten_tomatoes()
    encoder = c4_encoder(train.texts)
    x = encoder.encode(held.texts, C4["MAX_LENGTH"], C4["PADDING_TYPE"], C4["TRUNC_TYPE"])
    return x, held.labels


# The exam's sarcasm starter fixed these ("DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT
# WORK"); the filled copies train on the first TRAINING_SIZE records and validate on the rest.
C4_SARCASM: dict[str, Any] = {
    "VOCAB_SIZE": 1000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 120,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_SIZE": 20000,
}
SARCASM_CLASSES = ("not sarcastic", "sarcastic")


def _sarcasm_records() -> tuple[list[str], np.ndarray]:
    """Every (headline, is_sarcastic) of the exam's sarcasm.json, checked to hold more
    records than the starter trains on (the rest are scored)."""
    texts, labels = readers_text.sarcasm_headlines()
    if len(texts) <= C4_SARCASM["TRAINING_SIZE"]:
        path = readers.locate("sarcasm", "sarcasm.json")
        raise DataError(
            f"{path} (the sarcasm dataset) holds {len(texts)} headlines; the exam's file has "
            f"more than {C4_SARCASM['TRAINING_SIZE']:,} (the first "
            f"{C4_SARCASM['TRAINING_SIZE']:,} train, the rest are scored): use the file from "
            "the exam's URL"
        )
    return texts, labels


def _c4_sarcasm_training() -> tuple[list[str], np.ndarray]:
    texts, labels = _sarcasm_records()
    n = C4_SARCASM["TRAINING_SIZE"]
    return texts[:n], labels[:n]


def sarcasm_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the c4-sarcasm starter builds: fitted on the TRAINING_SIZE first headlines."""
    texts = training_texts if training_texts is not None else _c4_sarcasm_training()[0]
    c = C4_SARCASM
    return TextEncoder.fit(texts[: c["TRAINING_SIZE"]], c["VOCAB_SIZE"], c["OOV_TOKEN"])


def _c4_sarcasm_eval() -> tuple[np.ndarray, np.ndarray]:
    texts, labels = _sarcasm_records()
    c = C4_SARCASM
    n = c["TRAINING_SIZE"]
    encoder = sarcasm_encoder(texts[:n])
    x = encoder.encode(texts[n:], c["MAX_LENGTH"], c["PADDING_TYPE"], c["TRUNC_TYPE"])
    return x, labels[n:]


PROBLEMS: tuple[Problem, ...] = (
    Problem(
        id="c4-rotten-tomatoes",
        starter="c4_rotten_tomatoes.py",
        category=4,
        title="NLP text classification: fresh or rotten movie-review snippets",
        dataset="rotten-tomatoes",
        summary=(
            "Binary sentiment of short review snippets, encoded with the starter's fixed "
            "settings (vocabulary 5000, length 32, post padding and truncation, '<OOV>', "
            "vocabulary from the first 9,000 training snippets)."
        ),
        input_shape=(C4["MAX_LENGTH"],),
        accepted_input_shapes=((None,),),
        output_shape=(1,),
        output_range=(0.0, 1.0),
        input_kind="int",
        scale=Scale("accuracy", five=0.74, step=0.02, higher_is_better=True),
        constants=dict(C4),
        load_training=_c4_training,
        evaluation_inputs=_c4_eval,
        measure=lambda y, p: classification(y, p, ("rotten", "fresh"), "reviews"),
    ),
    Problem(
        id="c4-sarcasm",
        starter="c4_sarcasm.py",
        category=4,
        title="NLP text classification: sarcastic news headlines (your own download)",
        dataset="sarcasm",
        summary=(
            "The exam's own category 4 problem: is a news headline sarcastic? Encoded "
            "with the exam's fixed settings (vocabulary 1000, length 120, post padding "
            "and truncation, '<OOV>', vocabulary from the first 20,000 headlines); "
            "trained on the first 20,000 records of sarcasm.json and scored on the rest. "
            "Thresholds not calibrated here."
        ),
        input_shape=(C4_SARCASM["MAX_LENGTH"],),
        accepted_input_shapes=((None,),),
        output_shape=(1,),
        output_range=(0.0, 1.0),
        input_kind="int",
        # NOT calibrated: tfcert cannot fetch the file (no checksum is published). The
        # starter gave no hint; a study group's notes record val_acc 0.83 and a Dicoding
        # simulation of this problem asked for more than 75%.
        scale=Scale("accuracy", five=0.80, step=0.02, higher_is_better=True),
        constants=dict(C4_SARCASM),
        load_training=_c4_sarcasm_training,
        evaluation_inputs=_c4_sarcasm_eval,
        measure=lambda y, p: classification(y, p, SARCASM_CLASSES, "headlines"),
        online_only=True,
    ),
)
