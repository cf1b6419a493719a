"""Category 4's variants beside the review snippets: c4-bbc-news (the practice exam's five
BBC topics, six softmax outputs).

The articles may not be shipped: the tests that need them find the real bbc-text.csv through
`online_data_folder` (TFCERT_LOCAL_DATA or `tfcert data prepare bbc-news`) and skip, saying
why, where it is absent. The others check the registry entry, the starter's contract and the
reader's refusals on files written here.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import numpy as np
import pytest

import grader
from grader.data import readers_text
from grader.data.errors import DataError
from grader.data.registry import DATASETS
from grader.problems.category4 import BBC_TOPICS, C4_BBC, bbc_encoder

BBC = "c4-bbc-news"
STARTERS = Path(grader.__file__).parent / "starters"


def _starter_constants(name: str) -> dict[str, object]:
    """The upper-case constants a starter assigns, read without running it."""
    tree = ast.parse((STARTERS / name).read_text(encoding="utf-8"))
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.targets[0], ast.Name)
        and node.targets[0].id.isupper()
    }


# --------------------------------------------------------------------------- bbc news


def test_bbc_is_fetched_from_its_origin_and_never_shipped() -> None:
    ds = DATASETS["bbc-news"]
    assert ds.online_only and ds.downloadable  # fetched and verified, never in the package
    assert "non-commercial" in ds.licence
    (file,) = ds.files.values()
    assert file.sha256 is not None and len(file.sha256) == 64
    assert file.urls and all(url.startswith("https://") for url in file.urls)
    assert any("dicodingacademy" in url for url in file.urls)  # the starter's own address


def test_bbc_keeps_the_practice_starters_contract() -> None:
    problem = grader.get_problem(BBC)
    assert problem.constants == {
        "VOCAB_SIZE": 1000,
        "EMBEDDING_DIM": 16,
        "MAX_LENGTH": 120,
        "TRUNC_TYPE": "post",
        "PADDING_TYPE": "post",
        "OOV_TOKEN": "<OOV>",
        "TRAINING_PORTION": 0.8,
    }
    # Six outputs: the label Tokenizer numbers the five topics from 1.
    assert problem.output_shapes == ((6,),) and len(BBC_TOPICS) == 6
    assert problem.contract() == "input (None, 120) or (None, None) int; output (None, 6) in [0, 1]"
    assert _starter_constants("c4_bbc_news.py") == problem.constants
    assert problem.online_only and problem.starter == "c4_bbc_news.py"
    # The starter's own bound (accuracy above 91%) is the bound for 5/5.
    assert problem.scale.higher_is_better and problem.scale.score(0.915) == 5
    assert problem.scale.score(0.905) == 4


def test_bbc_shows_no_accuracy_for_topic_zero() -> None:
    """No article has topic 0: its row would always read 0.000, the worst class."""
    problem = grader.get_problem(BBC)
    y = np.array([1, 2, 3, 4, 5, 5])
    pred = np.eye(6, dtype=np.float32)[[1, 2, 3, 4, 5, 0]]  # the last one answers topic 0
    evaluation = problem.measure(y, pred)
    assert evaluation.value == pytest.approx(5 / 6)
    assert list(evaluation.details["per_class_accuracy"]) == list(BBC_TOPICS[1:])
    assert evaluation.details["confusion"][5][0] == 1  # still counted where it went


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)


@pytest.mark.parametrize(
    ("rows", "finding"),
    [
        ([["topic", "body"], ["tech", "a b"]], "not the course's bbc-text.csv"),
        ([["category", "text"]] + [["tech", "a"]] * 10, "found 10 rows"),
        ([["category", "text"]] + [["tech", ""]] * readers_text.BBC_ARTICLES, "topic and a text"),
    ],
    ids=["header", "too-few", "empty-text"],
)
def test_a_wrong_bbc_file_gets_one_clear_message(tmp_path, monkeypatch, rows, finding) -> None:
    path = tmp_path / "bbc-text.csv"
    _write_csv(path, rows)
    monkeypatch.setattr(readers_text, "locate", lambda dataset, key: path)
    with pytest.raises(DataError, match=finding) as caught:
        readers_text.bbc_news()
    assert "\n" not in str(caught.value) and "bbc-news" in str(caught.value)


def test_other_topics_are_refused(tmp_path, monkeypatch) -> None:
    path = tmp_path / "bbc-text.csv"
    names = ["sport", "business", "politics", "tech", "weather"]
    _write_csv(path, [["category", "text"]] + [[names[i % 5], "x"] for i in range(2225)])
    monkeypatch.setattr(readers_text, "locate", lambda dataset, key: path)
    with pytest.raises(DataError, match="weather"):
        grader.load_training_data(BBC)


@pytest.fixture
def bbc_data(monkeypatch) -> Path:
    from data_support import online_data_folder

    folder = online_data_folder("bbc-news")
    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(folder))
    return folder


@pytest.mark.data
def test_the_real_bbc_file_splits_as_the_starter_does(bbc_data) -> None:
    texts, topics, by_id = readers_text.bbc_news()
    assert len(texts) == len(topics) == 2225
    assert by_id == ("", *BBC_TOPICS[1:])
    sentences, labels = grader.load_training_data(BBC)
    n = int(2225 * C4_BBC["TRAINING_PORTION"])
    assert len(sentences) == len(labels) == n == 1780
    assert sentences == texts[:n]  # file order, no shuffling
    x, y = grader.get_problem(BBC).evaluation_inputs()
    assert x.shape == (2225 - n, 120) and len(y) == 2225 - n
    assert set(np.unique(labels)) == set(np.unique(y)) == {1, 2, 3, 4, 5}
    assert x.min() >= 0 and x.max() < C4_BBC["VOCAB_SIZE"]
    # The vocabulary is the training articles' only.
    assert bbc_encoder(sentences) == bbc_encoder()


@pytest.mark.data
def test_the_most_frequent_topic_scores_nothing(bbc_data, tmp_path) -> None:
    problem = grader.get_problem(BBC)
    _, labels = grader.load_training_data(BBC)
    _, y = problem.evaluation_inputs()
    guess = np.zeros((len(y), 6), dtype=np.float32)
    guess[:, np.bincount(labels).argmax()] = 1.0
    evaluation = problem.measure(y, guess)
    assert 0.1 < evaluation.value < 0.35
    assert problem.scale.score(evaluation.value) == 0


# --------------------------------------------------------------------------- imdb reviews

IMDB = "c4-imdb"


def test_imdb_is_the_archive_tensorflow_datasets_checks() -> None:
    ds = DATASETS["imdb-reviews"]
    assert ds.online_only and ds.downloadable
    (file,) = ds.files.values()
    # tensorflow_datasets/url_checksums/imdb_reviews.txt: the size and SHA-256 it publishes.
    assert file.size == 84125825
    assert file.sha256 == "c40f74a18d3b61f90feba1e17730e0d38e8b97c05fde7008942e91923d1658fe"
    assert file.urls == ("https://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",)


def test_imdb_keeps_the_practice_starters_contract() -> None:
    problem = grader.get_problem(IMDB)
    assert problem.constants == {
        "VOCAB_SIZE": 10000,
        "EMBEDDING_DIM": 16,
        "MAX_LENGTH": 120,
        "TRUNC_TYPE": "post",
        "PADDING_TYPE": "pre",  # pad_sequences' default: the starter sets no padding
        "OOV_TOKEN": "<OOV>",
    }
    assert _starter_constants("c4_imdb.py") == problem.constants
    assert problem.contract() == "input (None, 120) or (None, None) int; output (None, 1) in [0, 1]"
    assert problem.online_only and problem.starter == "c4_imdb.py"
    # The starter's stated bound, "accuracy and validation_accuracy > 83%", is 5/5's.
    assert problem.scale.score(0.835) == 5 and problem.scale.score(0.825) == 4


def _tar_gz(path: Path, members: dict[str, bytes]) -> None:
    import io
    import tarfile

    with tarfile.open(path, "w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))


@pytest.fixture
def imdb_file(tmp_path, monkeypatch):
    path = tmp_path / "aclImdb_v1.tar.gz"
    monkeypatch.setattr(readers_text, "locate", lambda dataset, key: path)
    readers_text.imdb_reviews.cache_clear()
    yield path
    readers_text.imdb_reviews.cache_clear()


def test_an_incomplete_imdb_archive_gets_one_clear_message(imdb_file) -> None:
    _tar_gz(
        imdb_file,
        {
            "aclImdb/train/pos/0_9.txt": b"A fine film.",
            "aclImdb/train/neg/0_2.txt": b"Dull.",
            "aclImdb/train/unsup/0_0.txt": b"Unlabelled.",
            "aclImdb/test/pos/0_10.txt": b"Loved it.",
        },
    )
    with pytest.raises(DataError, match="holds 2 labelled train reviews") as caught:
        readers_text.imdb_reviews()
    assert "\n" not in str(caught.value) and "imdb-reviews" in str(caught.value)


def test_a_file_that_is_no_archive_gets_one_clear_message(imdb_file) -> None:
    imdb_file.write_bytes(b"<html>not found</html>")
    with pytest.raises(DataError, match="cannot be read as the reviews"):
        readers_text.imdb_reviews()


@pytest.mark.data
def test_the_real_imdb_archive_has_both_splits(monkeypatch) -> None:
    from data_support import online_data_folder

    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(online_data_folder("imdb-reviews")))
    readers_text.imdb_reviews.cache_clear()
    train, test = readers_text.imdb_reviews()
    assert len(train.texts) == len(test.texts) == 25000
    assert train.labels.sum() == test.labels.sum() == 12500  # balanced, as published
    assert not set(train.texts[:100]) & set(test.texts)


# --------------------------------------------------------------------------- sarcasm


@pytest.mark.data
def test_the_real_sarcasm_file_calibrates_the_scale(monkeypatch) -> None:
    """On the exam's 26,709 records: always answering the majority class scores 0/5."""
    from data_support import online_data_folder

    monkeypatch.setenv("TFCERT_LOCAL_DATA", str(online_data_folder("sarcasm")))
    texts, labels = readers_text.sarcasm_headlines()
    assert len(texts) == 26709
    problem = grader.get_problem("c4-sarcasm")
    _, y = problem.evaluation_inputs()
    assert len(y) == 26709 - 20000
    majority = np.full((len(y), 1), float(np.bincount(labels[:20000]).argmax()))
    evaluation = problem.measure(y, majority)
    assert 0.5 < evaluation.value < 0.6 and problem.scale.score(evaluation.value) == 0
