"""c4-sarcasm end to end, against a file in the exam's format served on 127.0.0.1.

The exam's sarcasm.json cannot be fetched here, and tfcert never downloads it (no checksum is
published): the user saves it into TFCERT_LOCAL_DATA. These tests do the same with a FORMAT
STAND-IN: one JSON array of {"article_link", "headline", "is_sarcastic"} records whose
"headline" is a real Rotten Tomatoes review snippet (the project's c4 data) and whose
"is_sarcastic" holds that snippet's real label, 1 = fresh, 0 = rotten (not sarcasm), with an
empty "article_link". The first 20,000 records are the project's training snippets (all
10,752, then the first 9,248 again: the stand-in needs more records than the exam's
TRAINING_SIZE); the 2,000 after them are the held-out snippets, never among the first 20,000.
So the tests check the pipeline (download, TFCERT_LOCAL_DATA, encoding with the exam's
constants, grading, refusals), not how well anything detects sarcasm.
"""

from __future__ import annotations

import functools
import http.server
import importlib.util
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

import grader
from grader.data import readers_text
from grader.data.errors import DataError

PROBLEM = "c4-sarcasm"
HELD = 2000
JSON_LINES = b'{"headline": "a", "is_sarcastic": 0}\n{"headline": "b", "is_sarcastic": 1}\n'
STARTER = Path(grader.__file__).parent / "starters" / "c4_sarcasm.py"


@functools.lru_cache(maxsize=1)
def stand_in_records() -> tuple[dict[str, object], ...]:
    train, held = readers_text.rotten_tomatoes()
    n = grader.get_problem(PROBLEM).constants["TRAINING_SIZE"]
    texts = (train.texts * 2)[:n] + held.texts
    labels = np.concatenate([train.labels, train.labels])[:n].tolist() + held.labels.tolist()
    return tuple(
        {"article_link": "", "headline": t, "is_sarcastic": int(y)}
        for t, y in zip(texts, labels, strict=True)
    )


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """The URL of a folder served over HTTP on 127.0.0.1 (files are written into it later)."""
    root = tmp_path / "served"
    root.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture
def user_copy(tmp_path: Path, served: str, monkeypatch: pytest.MonkeyPatch):
    """Serve `records` as sarcasm.json, download it as a user would, point tfcert at it."""
    records = stand_in_records()  # read before the data settings change below

    def put(payload: bytes | None = None) -> Path:
        text = payload if payload is not None else json.dumps(list(records)).encode()
        (tmp_path / "served" / "sarcasm.json").write_bytes(text)
        local = tmp_path / "my-downloads"
        local.mkdir(exist_ok=True)
        with urllib.request.urlopen(served + "sarcasm.json", timeout=30) as response:
            (local / "sarcasm.json").write_bytes(response.read())
        monkeypatch.setenv("TFCERT_LOCAL_DATA", str(local))
        monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "data-home"))
        monkeypatch.setenv("TFCERT_OFFLINE", "1")  # tfcert itself downloads nothing
        return local / "sarcasm.json"

    return put


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


def test_the_starter_imports_without_the_data(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("TFCERT_LOCAL_DATA", raising=False)
    monkeypatch.setenv("TFCERT_DATA_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    module = _starter_module()
    assert module.VOCAB_SIZE == 1000
    with pytest.raises(DataError, match="TFCERT_LOCAL_DATA"):
        module.load_data()


@pytest.mark.slow
def test_served_file_is_trained_saved_and_graded(tmp_path, user_copy, cli, one_line) -> None:
    import keras

    user_copy()
    problem = grader.get_problem(PROBLEM)
    c = problem.constants
    x, y = _starter_module().load_data()
    assert x.shape == (c["TRAINING_SIZE"], c["MAX_LENGTH"]) and x.max() < c["VOCAB_SIZE"]
    assert len(y) == c["TRAINING_SIZE"]

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

    run = cli(["grade", str(tmp_path / "mymodel.h5"), "-p", PROBLEM, "--json"])
    assert run.code == 0, run
    result = json.loads(run.out)
    assert result["problem"] == PROBLEM and result["metric"] == "accuracy"
    assert result["count"] == HELD and result["unit"] == "headlines"
    assert 0.0 <= result["value"] <= 1.0 and 0 <= result["score"] <= 5
    confusion = np.array(result["details"]["confusion"])
    assert confusion.sum() == HELD
    held_positive = sum(int(r["is_sarcastic"]) for r in stand_in_records()[-HELD:])
    assert confusion[1].sum() == held_positive  # the scored records are the file's last 2,000

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


@pytest.mark.parametrize(
    ("payload", "finding"),
    [
        (JSON_LINES, "JSON Lines"),
        (b'{"headline": "a", "is_sarcastic": 0}', "not one JSON array"),
        (b'[{"headline": "a", "is_sarcastic": "yes"}]', "record 0"),
        (b'[{"article_link": "", "headline": "a", "is_sarcastic": 1}]', "holds 1 headlines"),
    ],
    ids=["json-lines", "one-object", "bad-label", "too-few"],
)
def test_a_file_in_another_format_gets_one_clear_message(
    tmp_path, user_copy, cli, one_line, payload, finding
) -> None:
    import keras

    user_copy(payload)
    model = keras.Sequential([keras.Input((120,)), keras.layers.Dense(1, activation="sigmoid")])
    model.save(tmp_path / "m.h5")
    run = cli(["grade", str(tmp_path / "m.h5"), "-p", PROBLEM])
    assert run.code not in (0, 3), run
    one_line(run.err)
    assert finding in run.err and "sarcasm" in run.err
