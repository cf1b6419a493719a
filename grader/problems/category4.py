"""Category 4, NLP text classification: review snippets, the exam's sarcasm headlines, the
course's BBC news topics and IMDB reviews."""

from __future__ import annotations

from typing import Any

import numpy as np

from grader.data import readers, readers_text
from grader.data.errors import DataError
from grader.problems.definition import Evaluation, Problem, Scale, classification
from grader.problems.text_encoder import TextEncoder

__all__ = [
    "BBC_TOPICS",
    "C4",
    "C4_BBC",
    "C4_IMDB",
    "C4_SARCASM",
    "PROBLEMS",
    "SARCASM_CLASSES",
    "bbc_encoder",
    "c4_encoder",
    "imdb_encoder",
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


# Dicoding's practice exam, PROBLEM B4 (Leons21/Simulasi-TensorFlow-Development,
# Problem_B4.py) fixed these ("DO NOT CHANGE THIS CODE ... or you can not pass this test"),
# split the file without shuffling (training_portion .8), fitted the tokenizer on the
# training part and encoded the topics with a second Tokenizer, whose ids start at 1: hence
# its last layer, Dense(6, activation='softmax') ("DO not change the last layer").
C4_BBC: dict[str, Any] = {
    "VOCAB_SIZE": 1000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 120,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "post",
    "OOV_TOKEN": "<OOV>",
    "TRAINING_PORTION": 0.8,
}
# Output i is topic i; the label Tokenizer gives no topic id 0.
BBC_TOPICS = ("(no topic)", "sport", "business", "politics", "tech", "entertainment")


def _bbc_split() -> tuple[tuple[list[str], np.ndarray], tuple[list[str], np.ndarray]]:
    texts, topics, by_id = readers_text.bbc_news()
    if by_id[1:] != BBC_TOPICS[1:]:
        raise DataError(
            f"bbc-text.csv has the topics {', '.join(by_id[1:])}; the course's file has "
            f"{', '.join(BBC_TOPICS[1:])}"
        )
    labels = np.array([by_id.index(t) for t in topics], dtype=np.int64)
    n = int(len(texts) * C4_BBC["TRAINING_PORTION"])
    return (texts[:n], labels[:n]), (texts[n:], labels[n:])


def _c4_bbc_training() -> tuple[list[str], np.ndarray]:
    return _bbc_split()[0]


def bbc_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the c4-bbc-news starter builds: fitted on the training articles."""
    texts = training_texts if training_texts is not None else _c4_bbc_training()[0]
    return TextEncoder.fit(texts, C4_BBC["VOCAB_SIZE"], C4_BBC["OOV_TOKEN"])


def _bbc_measure(y: np.ndarray, pred: np.ndarray) -> Evaluation:
    """Accuracy over the six outputs; no article has topic 0, so it has no accuracy of its
    own to show (the confusion matrix still shows any article the model gives it)."""
    evaluation = classification(y, pred, BBC_TOPICS, "articles")
    evaluation.details["per_class_accuracy"].pop(BBC_TOPICS[0], None)
    return evaluation


def _c4_bbc_eval() -> tuple[np.ndarray, np.ndarray]:
    (train_texts, _), (texts, labels) = _bbc_split()
    c = C4_BBC
    x = bbc_encoder(train_texts).encode(texts, c["MAX_LENGTH"], c["PADDING_TYPE"], c["TRUNC_TYPE"])
    return x, labels


# Dicoding's practice exam, PROBLEM A4 (Leons21/Simulasi-TensorFlow-Development,
# Problem_A4.py), as the course's IMDB notebook: tensorflow_datasets' imdb_reviews, the
# tokenizer fitted on the 25,000 training reviews, the 25,000 test reviews for validation,
# and a last layer of one sigmoid neuron. It pads with pad_sequences' default ('pre': the
# starter sets no padding) and cuts at the end ('post').
C4_IMDB: dict[str, Any] = {
    "VOCAB_SIZE": 10000,
    "EMBEDDING_DIM": 16,
    "MAX_LENGTH": 120,
    "TRUNC_TYPE": "post",
    "PADDING_TYPE": "pre",
    "OOV_TOKEN": "<OOV>",
}


def _c4_imdb_training() -> tuple[list[str], np.ndarray]:
    train, _ = readers_text.imdb_reviews()
    return train.texts, train.labels


def imdb_encoder(training_texts: list[str] | None = None) -> TextEncoder:
    """The encoder the c4-imdb starter builds: fitted on the 25,000 training reviews."""
    texts = training_texts if training_texts is not None else _c4_imdb_training()[0]
    return TextEncoder.fit(texts, C4_IMDB["VOCAB_SIZE"], C4_IMDB["OOV_TOKEN"])


def _c4_imdb_eval() -> tuple[np.ndarray, np.ndarray]:
    train, test = readers_text.imdb_reviews()
    c = C4_IMDB
    encoder = imdb_encoder(train.texts)
    x = encoder.encode(test.texts, c["MAX_LENGTH"], c["PADDING_TYPE"], c["TRUNC_TYPE"])
    return x, test.labels


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
        title="NLP text classification: sarcastic news headlines (needs internet once)",
        dataset="sarcasm",
        summary=(
            "The exam's own category 4 problem: is a news headline sarcastic? Encoded "
            "with the exam's fixed settings (vocabulary 1000, length 120, post padding "
            "and truncation, '<OOV>', vocabulary from the first 20,000 headlines); "
            "trained on the first 20,000 records of sarcasm.json and scored on the rest. "
            "Downloaded once (5.6 MB; no checksum is published, so it is checked by its "
            "records)."
        ),
        input_shape=(C4_SARCASM["MAX_LENGTH"],),
        accepted_input_shapes=((None,),),
        output_shape=(1,),
        output_range=(0.0, 1.0),
        input_kind="int",
        # Our calibration (tools/benchmark.py c4-sarcasm, on a copy of the file's 26,709
        # records): majority class 0.563 and the untrained model 0.437 score 0/5; the
        # course's model and ours reach 0.81-0.82, near the 0.83 ceiling candidates
        # reported. The starter gave no bound; a Dicoding simulation asked for > 75%.
        scale=Scale("accuracy", five=0.79, step=0.02, higher_is_better=True),
        constants=dict(C4_SARCASM),
        load_training=_c4_sarcasm_training,
        evaluation_inputs=_c4_sarcasm_eval,
        measure=lambda y, p: classification(y, p, SARCASM_CLASSES, "headlines"),
        online_only=True,
    ),
    Problem(
        id="c4-bbc-news",
        starter="c4_bbc_news.py",
        category=4,
        title="NLP text classification: the topic of a BBC news article (needs internet once)",
        dataset="bbc-news",
        summary=(
            "Five topics of BBC news articles (sport, business, politics, tech, "
            "entertainment), encoded with the practice exam's fixed settings (vocabulary "
            "1000, length 120, post padding and truncation, '<OOV>', vocabulary from the "
            "training articles); trained on the first 80% of bbc-text.csv, scored on the "
            "last 445 articles. Six softmax outputs: topic ids start at 1, as the "
            "starter's label Tokenizer numbers them."
        ),
        input_shape=(C4_BBC["MAX_LENGTH"],),
        accepted_input_shapes=((None,),),
        output_shape=(len(BBC_TOPICS),),
        output_range=(0.0, 1.0),
        input_kind="int",
        # Our calibration (tools/benchmark.py c4-bbc-news): the starter asked for accuracy
        # above 91%; the trivial and untrained models stay near a fifth.
        scale=Scale("accuracy", five=0.91, step=0.03, higher_is_better=True),
        constants=dict(C4_BBC),
        load_training=_c4_bbc_training,
        evaluation_inputs=_c4_bbc_eval,
        measure=_bbc_measure,
        online_only=True,
    ),
    Problem(
        id="c4-imdb",
        starter="c4_imdb.py",
        category=4,
        title="NLP text classification: IMDB movie reviews (needs internet once)",
        dataset="imdb-reviews",
        summary=(
            "Binary sentiment of full IMDB reviews, encoded with the course's settings "
            "(vocabulary 10000, length 120, padded at the start and cut at the end, "
            "'<OOV>', vocabulary from the 25,000 training reviews); scored on the 25,000 "
            "test reviews. Threshold from the practice exam's starter, not calibrated here."
        ),
        input_shape=(C4_IMDB["MAX_LENGTH"],),
        accepted_input_shapes=((None,),),
        output_shape=(1,),
        output_range=(0.0, 1.0),
        input_kind="int",
        # NOT calibrated here (the 84 MB archive could not be fetched on the machine that
        # built this): 5/5 above the practice starter's stated "accuracy and
        # validation_accuracy > 83%".
        scale=Scale("accuracy", five=0.83, step=0.03, higher_is_better=True),
        constants=dict(C4_IMDB),
        load_training=_c4_imdb_training,
        evaluation_inputs=_c4_imdb_eval,
        measure=lambda y, p: classification(y, p, ("negative", "positive"), "reviews"),
        online_only=True,
    ),
)
