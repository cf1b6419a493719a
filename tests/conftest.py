"""Shared fixtures for the grader's tests: model files, the CLI in-process, data settings.

`models` gives the tiny model files of tests/model_builders.py (`models.get(name)` builds
one on first use; `models.copy(name, dest)` for a test that corrupts one); `marker` is the
file that code which must never run writes to; `cli` runs `tfcert` in-process; the data
fixtures give a test an empty data home or none at all. The process-wide settings (quiet
TensorFlow, the exam's Sunspots.csv through TFCERT_LOCAL_DATA) are made in
`pytest_configure`, before any test module is imported, not as a side effect of importing
this file.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from model_builders import MARKER_ENV, Models, custom_layer_class

# pytest-markdown-docs would otherwise import this file as a module of docstring tests.
collect_ignore = ["conftest.py"]

# The exam's Sunspots.csv may never be shipped (CC BY-NC 4.0): tests read the copy in
# ../shared/datasets beside the repository, through the documented TFCERT_LOCAL_DATA, when
# it is there; a test that needs it skips, saying why, when it is not (`shared_sunspots`).
SHARED_DATASETS = Path(__file__).resolve().parents[1].parent / "shared" / "datasets"


def pytest_configure(config: pytest.Config) -> None:
    """Process-wide settings, made once before any test module (or TensorFlow) is imported."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    if (SHARED_DATASETS / "Sunspots.csv").is_file():
        os.environ.setdefault("TFCERT_LOCAL_DATA", str(SHARED_DATASETS))


@pytest.fixture(autouse=True)
def _loopback_is_never_proxied(monkeypatch: pytest.MonkeyPatch) -> None:
    """With http_proxy set and no no_proxy, urllib would send the tests' 127.0.0.1 servers'
    requests to the proxy; real hosts still go through it."""
    for name in ("no_proxy", "NO_PROXY"):
        current = os.environ.get(name, "")
        monkeypatch.setenv(name, ",".join(filter(None, [current, "127.0.0.1", "localhost", "::1"])))


@pytest.fixture(scope="session")
def models(tmp_path_factory: pytest.TempPathFactory) -> Models:
    return Models(tmp_path_factory.mktemp("models"))


@pytest.fixture
def marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A path that the trap code (Lambda, custom layer) writes to if it ever runs."""
    path = tmp_path / "code-ran.marker"
    monkeypatch.setenv(MARKER_ENV, str(path))
    return path


# --------------------------------------------------------------------------- the CLI in-process


class CliRun:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"CliRun(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[[Sequence[str]], CliRun]:
    """Run `tfcert ARGS` in-process; returns exit code, stdout and stderr."""
    from grader.__main__ import main

    def run(argv: Sequence[str]) -> CliRun:
        capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse: --help, usage errors
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        except BaseException:
            out, err = capsys.readouterr()
            pytest.fail(f"tfcert {' '.join(argv)} raised:\n{traceback.format_exc()}\nstderr: {err}")
        out, err = capsys.readouterr()
        return CliRun(code, out, err)

    return run


def assert_one_line(text: str) -> None:
    """A message meant for people: one non-empty line, no traceback."""
    assert text.strip(), "empty message"
    assert "\n" not in text.strip(), f"more than one line: {text!r}"
    assert "Traceback" not in text, text


@pytest.fixture
def custom_layer() -> type:
    """The registered custom layer class (its name is tfcert_test>MarkerLayer)."""
    return custom_layer_class()


@pytest.fixture
def one_line() -> Callable[[str], None]:
    return assert_one_line


# --------------------------------------------------------------------------- data settings


@pytest.fixture
def shared_sunspots() -> Path:
    """The exam's Sunspots.csv: the copy in ../shared/datasets beside the repository, or the
    one `tfcert data prepare sunspots-exam` fetched from its origin (the GitHub workflow)."""
    path = SHARED_DATASETS / "Sunspots.csv"
    if path.is_file():
        return path
    from grader.data.registry import DATASETS
    from grader.data.sources import find_local

    found = find_local(DATASETS["sunspots-exam"], "Sunspots.csv")
    if found is None:
        pytest.skip(
            "the exam's Sunspots.csv is neither in ../shared/datasets beside the repository nor "
            "prepared (tfcert data prepare sunspots-exam fetches it from its origin)"
        )
    return Path(found.path)


@pytest.fixture
def empty_data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty data home (its download cache inside) for one test, through the documented
    settings: installed dataset packages ignored, no TFCERT_LOCAL_DATA, downloads allowed."""
    from grader.data import readers, readers_series

    home = tmp_path / "tfcert-data"
    monkeypatch.setenv("TFCERT_DATA_HOME", str(home))
    monkeypatch.setenv("TFCERT_IGNORE_INSTALLED_DATA", "1")
    for name in ("TFCERT_DOWNLOAD_CACHE", "TFCERT_LOCAL_DATA", "TFCERT_OFFLINE"):
        monkeypatch.delenv(name, raising=False)
    for reader in (
        readers.fashion_mnist,
        readers_series.household_power,
        readers_series.sunspots_exam,
    ):
        reader.cache_clear()  # per-process caches of data read from elsewhere
    return home


@pytest.fixture
def data_cut_off(empty_data_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No dataset anywhere: an empty data home, installed packages ignored, downloads
    forbidden (TFCERT_OFFLINE=1). Only files shipped inside tfcert remain."""
    monkeypatch.setenv("TFCERT_OFFLINE", "1")
    return empty_data_home


# --------------------------------------------------------------------------- the data marker

# Fixtures that need the prepared datasets: a complete site build publishes every problem's
# evaluation data (tools/build_site.py); the learner's kernel and home prepare data. Tests
# that use them are marked `data`, as the tests that grade on held-out data are by hand, so that
# `make test-unit` (the fast CI job, no dataset) can leave them out.
NEEDS_DATA = frozenset({"site", "published", "reader_home", "learner_kernel"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEEDS_DATA & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.data)
