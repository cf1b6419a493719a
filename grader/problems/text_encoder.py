"""A deterministic word-index encoder: what the exam's Keras `Tokenizer` did, without Keras 2.

Keras 3 dropped `keras.preprocessing.text.Tokenizer`. The exam's category 4 starters built a
word index from the training sentences, mapped words outside the `vocab_size` most frequent
ones to an OOV index and padded the sequences. `TextEncoder` does the same, and its
vocabulary depends only on the sentences and the settings (ties in frequency are broken
alphabetically), so the grader can rebuild exactly the encoding your model was trained on.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["TextEncoder", "standardize"]

# The characters the exam-era Tokenizer removed by default (its `filters` argument).
_FILTERS = re.compile(r"[!\"#$%&()*+,\-./:;<=>?@\[\\\]^_`{|}~\t\n]")


def standardize(text: str) -> list[str]:
    """Lower-case, drop punctuation, split on white space."""
    return _FILTERS.sub(" ", text.lower()).split()


@dataclass(frozen=True)
class TextEncoder:
    """Maps words to integers: 0 is padding, 1 the OOV token, then words by frequency."""

    vocabulary: tuple[str, ...]  # index i holds the word with id i; [0] = "", [1] = OOV

    @classmethod
    def fit(
        cls, sentences: Iterable[str], vocab_size: int, oov_token: str = "<OOV>"
    ) -> TextEncoder:
        if vocab_size < 3:
            raise ValueError("vocab_size must be at least 3 (padding, OOV and one word)")
        counts = Counter(word for s in sentences for word in standardize(s))
        counts.pop(oov_token, None)
        ranked = sorted(counts, key=lambda w: (-counts[w], w))[: vocab_size - 2]
        return cls(("", oov_token, *ranked))

    @property
    def vocab_size(self) -> int:
        return len(self.vocabulary)

    def encode(
        self,
        sentences: Sequence[str],
        max_length: int,
        padding: str = "post",
        truncating: str = "post",
    ) -> np.ndarray:
        """Integer sequences of shape (len(sentences), max_length), dtype int32."""
        if padding not in ("pre", "post") or truncating not in ("pre", "post"):
            raise ValueError("padding and truncating must be 'pre' or 'post'")
        index = {w: i for i, w in enumerate(self.vocabulary) if i >= 2}
        out = np.zeros((len(sentences), max_length), dtype=np.int32)
        for row, sentence in enumerate(sentences):
            ids = [index.get(w, 1) for w in standardize(sentence)]
            if len(ids) > max_length:
                ids = ids[:max_length] if truncating == "post" else ids[-max_length:]
            if not ids:
                continue
            if padding == "post":
                out[row, : len(ids)] = ids
            else:
                out[row, max_length - len(ids) :] = ids
        return out
