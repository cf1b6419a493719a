"""TextEncoder: the exam Tokenizer's behaviour (0 padding, 1 OOV, most frequent words first),
with a vocabulary that depends only on the sentences and the settings."""

from __future__ import annotations

import random

import numpy as np
import pytest

from grader import TextEncoder
from grader.problems.text_encoder import standardize

SENTENCES = [
    "The movie was great, great fun!",
    "the plot was thin; the acting was great",
    "Fun. Fun? FUN!",
    "an odd, odd film",
]


def test_standardize():
    assert standardize("Hello, World!  It's\tme.") == ["hello", "world", "it's", "me"]
    assert standardize("a-b/c_d (e) [f] {g} <h>") == ["a", "b", "c", "d", "e", "f", "g", "h"]
    assert standardize("") == []
    assert standardize("   \n ") == []


def test_vocabulary_layout():
    enc = TextEncoder.fit(SENTENCES, vocab_size=100)
    vocab = enc.vocabulary
    assert vocab[0] == "" and vocab[1] == "<OOV>"
    # Counts: fun 4; great, the and was 3 each (ties broken alphabetically); then the rest.
    assert vocab[2:6] == ("fun", "great", "the", "was")
    words = standardize(" ".join(SENTENCES))
    counts = {w: words.count(w) for w in set(words)}
    ranked = sorted(counts, key=lambda w: (-counts[w], w))
    assert list(vocab[2:]) == ranked
    assert enc.vocab_size == len(vocab) == 2 + len(counts)


def test_deterministic_and_order_free():
    first = TextEncoder.fit(SENTENCES, vocab_size=6)
    second = TextEncoder.fit(list(SENTENCES), vocab_size=6)
    shuffled = SENTENCES[:]
    random.Random(3).shuffle(shuffled)
    third = TextEncoder.fit(shuffled, vocab_size=6)
    assert first == second == third
    assert first.vocabulary == ("", "<OOV>", "fun", "great", "the", "was")
    assert hash(first) == hash(third)  # frozen: usable as a cache key


def test_vocab_size_caps_the_ids():
    enc = TextEncoder.fit(SENTENCES, vocab_size=5)
    assert enc.vocab_size == 5
    x = enc.encode(SENTENCES, max_length=12)
    assert x.max() < 5


def test_oov_is_one():
    enc = TextEncoder.fit(SENTENCES, vocab_size=5)  # "", OOV, fun, great, the
    x = enc.encode(["the unknown fun was"], max_length=4)
    assert x.tolist() == [[4, 1, 2, 1]]  # "was" is beyond the vocabulary size: OOV too


def test_oov_token_in_the_text_is_not_a_word():
    enc = TextEncoder.fit(["<OOV> <OOV> a", "OOV"], vocab_size=10, oov_token="OOV")
    assert enc.vocabulary.count("OOV") == 1 and enc.vocabulary[1] == "OOV"


@pytest.mark.parametrize(
    ("padding", "truncating", "short", "long"),
    [
        ("post", "post", [2, 3, 0, 0, 0], [2, 3, 4, 5, 6]),
        ("pre", "post", [0, 0, 0, 2, 3], [2, 3, 4, 5, 6]),
        ("post", "pre", [2, 3, 0, 0, 0], [4, 5, 6, 7, 8]),
        ("pre", "pre", [0, 0, 0, 2, 3], [4, 5, 6, 7, 8]),
    ],
)
def test_padding_and_truncating(padding, truncating, short, long):
    words = "a b c d e f g"
    # Frequencies 7..1 make the ids a=2, b=3, ... g=8.
    corpus = [" ".join(words.split()[: 7 - i]) for i in range(7)]
    enc = TextEncoder.fit(corpus, vocab_size=20)
    assert enc.vocabulary[2:9] == tuple(words.split())
    x = enc.encode(["a b", words], max_length=5, padding=padding, truncating=truncating)
    assert x.dtype == np.int32 and x.shape == (2, 5)
    assert x.tolist() == [short, long]


def test_exact_length_and_empty():
    enc = TextEncoder.fit(["a b c"], vocab_size=10)
    x = enc.encode(["a b c", "", "!!!"], max_length=3, padding="pre", truncating="pre")
    assert x.tolist() == [[2, 3, 4], [0, 0, 0], [0, 0, 0]]
    assert enc.encode([], max_length=4).shape == (0, 4)


def test_bad_arguments():
    with pytest.raises(ValueError, match="vocab_size"):
        TextEncoder.fit(SENTENCES, vocab_size=2)
    enc = TextEncoder.fit(SENTENCES, vocab_size=10)
    with pytest.raises(ValueError, match="padding"):
        enc.encode(SENTENCES, 5, padding="left")
    with pytest.raises(ValueError, match="truncating"):
        enc.encode(SENTENCES, 5, truncating="both")


def test_same_as_keras_text_vectorization_on_ids():
    """Keras 3's TextVectorization, given our vocabulary, maps words to the same ids
    (it also reserves 0 for padding and 1 for OOV)."""
    import keras

    enc = TextEncoder.fit(SENTENCES, vocab_size=8)
    layer = keras.layers.TextVectorization(
        vocabulary=list(enc.vocabulary[2:]),
        output_sequence_length=6,
        standardize="lower_and_strip_punctuation",
    )
    sentences = ["the great movie was fun", "an odd thin plot"]
    ours = enc.encode(sentences, max_length=6)
    theirs = np.asarray(layer(keras.ops.convert_to_tensor(sentences)))
    assert ours.tolist() == theirs.tolist()
