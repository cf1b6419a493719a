"""c4-sarcasm end to end, with the exam's sarcasm.json served from a file server on 127.0.0.1
in place of its origin URL.

No checksum is published for the file, so `tfcert data prepare sarcasm` verifies a download
by its records: the registry pins a digest of every record's article_link, headline and
is_sarcastic. The tests serve:

- the real file, where a copy is on this machine (`online_data_folder`; the tests are marked
  `data` and skip, saying how to get it, where it is not): accepted, trained on and graded;
  the same file with one headline changed is refused;
- small made-up files in other formats (JSON Lines, one object, a record without a field, a
  well-formed array of one record), only to check that each is refused with one clear line.
  None of them is ever accepted, so no model is trained on made-up data.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from data_support import Web, online_data_folder, register, serve

import grader
from grader.data import registry
from grader.data.errors import DataError
from grader.data.sources import raw_path

PROBLEM = "c4-sarcasm"
RECORDS = 26709
STARTER = Path(grader.__file__).parent / "starters" / "c4_sarcasm.py"
PATH = "/sarcasm.json"  # where the local server serves the file


@pytest.fixture(scope="session")
def real_sarcasm() -> bytes:
    """The bytes of the real sarcasm.json on this machine, read before any test changes the
    data settings; skips the test (with how to get the file) where there is none."""
    return (online_data_folder("sarcasm") / "sarcasm.json").read_bytes()


@pytest.fixture
def origin(empty_data_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Web]:
    """An empty data home, and the sarcasm dataset's origin moved to a server on 127.0.0.1:
    what the test puts at PATH is what `tfcert data prepare sarcasm` downloads."""
    real = registry.DATASETS["sarcasm"]
    with serve() as web:
        file = dataclasses.replace(real.files["sarcasm.json"], urls=(web.url + PATH,))
        register(monkeypatch, dataclasses.replace(real, files={"sarcasm.json": file}))
        yield web


def _one_headline_changed(data: bytes) -> bytes:
    """The same bytes but for one more letter at the start of the first headline."""
    marker = b'"headline": "'
    at = data.index(marker) + len(marker)
    return data[:at] + b"x" + data[at:]


def _starter_module():
    spec = importlib.util.spec_from_file_location("c4_sarcasm_starter", STARTER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_problem_has_the_exams_constants() -> None:
    problem = grader.get_problem(PROBLEM)
    assert problem.constants == {
        "VOCAB_SIZE": 1000,
        "EMBEDDING_DIM": 16,
        "MAX_LENGTH": 120,
        "TRUNC_TYPE": "post",
        "PADDING_TYPE": "post",
        "OOV_TOKEN": "<OOV>",
        "TRAINING_SIZE": 20000,
    }
    assert problem.online_only and problem.output_shapes == ((1,),)
    assert problem.contract() == "input (None, 120) or (None, None) int; output (None, 1) in [0, 1]"


def test_the_file_is_downloadable_and_verified_by_its_records() -> None:
    dataset = registry.DATASETS["sarcasm"]
    values = dataset.files["sarcasm.json"].values
    assert dataset.downloadable and values is not None
    assert values.fields and values.rows > grader.get_problem(PROBLEM).constants["TRAINING_SIZE"]


def test_the_starter_imports_without_the_data(data_cut_off) -> None:
    module = _starter_module()
    assert module.VOCAB_SIZE == 1000
    with pytest.raises(DataError, match="tfcert data prepare sarcasm"):
        module.load_data()


@pytest.mark.data
def test_the_real_file_is_accepted_and_a_changed_one_refused(
    real_sarcasm, origin, cli, one_line
) -> None:
    copy = raw_path(registry.DATASETS["sarcasm"], "sarcasm.json")
    origin.files[PATH] = _one_headline_changed(real_sarcasm)
    run = cli(["data", "prepare", "sarcasm"])
    assert run.code == 4, run
    one_line(run.err)
    assert origin.url + PATH in run.err and "other values" in run.err
    assert f"{RECORDS} rows, {RECORDS} expected" in run.err  # the same count: one headline
    assert not copy.exists()

    origin.files[PATH] = real_sarcasm
    run = cli(["data", "prepare", "sarcasm"])
    assert run.code == 0, run
    assert copy.read_bytes() == real_sarcasm
    assert origin.hits == [PATH, PATH]


@pytest.mark.parametrize(
    ("payload", "finding"),
    [
        (
            b'{"article_link": "", "headline": "a", "is_sarcastic": 0}\n'
            b'{"article_link": "", "headline": "b", "is_sarcastic": 1}\n',
            "not the expected JSON records of sarcasm",
        ),
        (
            b'{"article_link": "", "headline": "a", "is_sarcastic": 0}',
            "not the expected JSON records of sarcasm",
        ),
        (b'[{"headline": "a", "is_sarcastic": 1}]', "not the expected JSON records of sarcasm"),
        (
            b'[{"article_link": "", "headline": "a", "is_sarcastic": 1}]',
            f"other values (1 rows, {RECORDS} expected",
        ),
    ],
    ids=["json-lines", "one-object", "no-article-link", "one-record"],
)
def test_a_download_in_another_form_gets_one_clear_message(
    origin, cli, one_line, payload, finding
) -> None:
    origin.files[PATH] = payload
    run = cli(["data", "prepare", "sarcasm"])
    assert run.code == 4, run
    one_line(run.err)
    assert finding in run.err and origin.url + PATH in run.err
    assert not raw_path(registry.DATASETS["sarcasm"], "sarcasm.json").exists()


@pytest.mark.data
@pytest.mark.slow
def test_the_real_file_is_downloaded_trained_saved_and_graded(
    real_sarcasm, origin, tmp_path, cli, one_line, monkeypatch
) -> None:
    import keras

    origin.files[PATH] = real_sarcasm
    problem = grader.get_problem(PROBLEM)
    c = problem.constants
    x, y = _starter_module().load_data()  # downloads it from 127.0.0.1 and verifies it
    assert origin.hits == [PATH]
    assert x.shape == (c["TRAINING_SIZE"], c["MAX_LENGTH"]) and x.max() < c["VOCAB_SIZE"]
    assert len(y) == c["TRAINING_SIZE"]
    monkeypatch.setenv("TFCERT_OFFLINE", "1")  # grading uses the verified copy

    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((c["MAX_LENGTH"],), dtype="int32"),
            keras.layers.Embedding(c["VOCAB_SIZE"], c["EMBEDDING_DIM"]),
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=2, batch_size=128, verbose=0)
    model.save(tmp_path / "mymodel.h5")

    held = json.loads(real_sarcasm)[c["TRAINING_SIZE"] :]
    run = cli(["grade", str(tmp_path / "mymodel.h5"), "-p", PROBLEM, "--json"])
    assert run.code == 0, run
    result = json.loads(run.out)
    assert result["problem"] == PROBLEM and result["metric"] == "accuracy"
    assert result["count"] == len(held) and result["unit"] == "headlines"
    assert 0.0 <= result["value"] <= 1.0 and 0 <= result["score"] <= 5
    confusion = np.array(result["details"]["confusion"])
    assert confusion.sum() == len(held)
    # The scored records are the file's last ones, after TRAINING_SIZE.
    assert confusion[1].sum() == sum(int(r["is_sarcastic"]) for r in held)

    small = keras.Sequential(
        [
            keras.Input((c["MAX_LENGTH"],), dtype="int32"),
            keras.layers.Embedding(500, c["EMBEDDING_DIM"]),  # the exam's vocabulary is 1000
            keras.layers.GlobalAveragePooling1D(),
            keras.layers.Dense(1, activation="sigmoid"),
        ]
    )
    small.save(tmp_path / "small-vocab.h5")
    run = cli(["grade", str(tmp_path / "small-vocab.h5"), "-p", PROBLEM, "--json"])
    assert run.code == 3, run
    assert json.loads(run.out)["rejected"] == "embedding-too-small"
    one_line(run.err)
    assert "500 rows" in run.err and "1000" in run.err and "VOCAB_SIZE" in run.err
