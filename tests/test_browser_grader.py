"""The in-browser grader (docs/grade-in-browser.md) against the Python grader.

In Debian's Chromium, through the built page (a file chosen with Playwright's
set_input_files, the problem picked in the form), every model is graded by the page and by
`grader.grade()` in this process:

- real models of every problem the page supports get the same score and a metric equal
  within 1e-5, with the same --explain lines: each reference solution's mymodel.h5 (kept by
  tests/test_solutions.py, see tests/trained_models.py; skipped, saying so, before that test
  has trained it) and the course-style models of tests/browser_grader_models.py, trained
  here briefly on the real training data;
- every file of tests/fixtures/keras2 and keras3 (each Keras version learners saved with,
  .h5 and .keras, each category's model, the course's Lambda) gets, on one page load, the
  score and metric (within 1e-5) and --explain lines of `grader.grade()`, or its refusal;
- bad files get the Python grader's own code and reason (conftest's `models`), and what only
  `tfcert grade` can grade (a layer the page does not compute) gets the page's refusal,
  never a score;
- no request leaves 127.0.0.1, and before a file is dropped the page loads none of the
  grader's libraries or data.

The tests of what the site's build makes (tools/browser_grader_export.py: the encoding, the
measure check, the licence and missing-data rules) need no browser.
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from browser_grader_models import COURSE, text_model
from browser_support import ROOT, Tab, grade_on_page, load_tool
from trained_models import trained_model

import grader
from grader.data.errors import DataError
from grader.problems.catalog import PROBLEMS

pytest_plugins = ["browser_support", "trained_models"]

hook = load_tool("mkdocs_browser_grader")
export = load_tool("browser_grader_export")
PAGE = "grade-in-browser/"
TOLERANCE = 1e-5  # float32 in both, other kernels: the metrics agree to about 1e-7
browser = pytest.mark.browser


def _keras() -> Any:
    import keras

    keras.utils.set_random_seed(0)
    return keras


OFFLINE = [pid for pid, p in PROBLEMS.items() if not p.online_only]


@pytest.fixture(scope="session")
def course_models(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Path]:
    """The course-style model (problem, name), trained on first use, once per session."""
    folder = tmp_path_factory.mktemp("course-models")
    built: dict[tuple[str, str], Path] = {}

    def get(problem: str, name: str) -> Path:
        if (problem, name) not in built:
            path = folder / f"{problem}-{name}.h5"
            COURSE[problem, name](_keras()).save(path)
            built[problem, name] = path
        return built[problem, name]

    return get


# ------------------------------------------------------------------------ the page


def manifest(site: Any) -> dict[str, Any]:
    path = Path(site.site_dir) / hook.OUT / "manifest.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def grade_in_page(tab: Tab, site: Any, path: Path, problem: str, page: str = PAGE) -> Any:
    """What the page makes of `path` for `problem`: its outcome object (grade.js)."""
    if tab.page.url != site.url(page):
        tab.goto(site.url(page))
    return grade_on_page(tab.page, path, problem)


def cli_text(result: grader.Result) -> str:
    """What `tfcert grade --explain` prints for a result."""
    lines = [result.summary(), grader.explain(result), *(f"note: {n}" for n in result.notes)]
    return "\n".join(lines)


_TOKEN = re.compile(r"-?\d+\.\d+|\S+")


def assert_same_report(page: str, python: str) -> None:
    """The same lines; a printed decimal may differ by one in its last digit (the metrics
    agree to about 1e-7, and a value that close to a rounding edge prints either way)."""
    if page == python:
        return
    a, b = page.splitlines(), python.splitlines()
    assert len(a) == len(b), f"page:\n{page}\npython:\n{python}"
    for x, y in zip(a, b, strict=True):
        tx, ty = _TOKEN.findall(x), _TOKEN.findall(y)
        assert len(tx) == len(ty), f"page: {x!r}\npython: {y!r}"
        for s, t in zip(tx, ty, strict=True):
            if s == t:
                continue
            assert re.fullmatch(r"-?\d+\.\d+", s) and re.fullmatch(r"-?\d+\.\d+", t), (x, y)
            ulp = 10.0 ** -len(s.split(".")[1])
            assert abs(float(s) - float(t)) <= 1.5 * ulp, f"page: {x!r}\npython: {y!r}"


AGREEMENT: dict[str, float] = {}  # the largest metric difference seen, per problem


def check_same_as_grader(tab: Tab, site: Any, path: Path, problem: str) -> None:
    expected = grader.grade(path, problem)
    outcome = grade_in_page(tab, site, path, problem)
    assert outcome["status"] == "graded", outcome
    got = outcome["result"]
    diff = abs(got["value"] - expected.value)
    AGREEMENT[problem] = max(AGREEMENT.get(problem, 0.0), diff)
    print(f"\n{problem} {path.name}: {expected.summary()}; |page - python| = {diff:.2e}")
    assert diff <= TOLERANCE, (got["value"], expected.value)
    assert got["score"] == expected.score, (got, expected.summary())
    for key in ("problem", "metric", "count", "unit", "needed_for_five", "next_score"):
        assert got[key] == getattr(expected, key), key
    assert got["notes"] == list(expected.notes)
    assert_same_report(outcome["text"], cli_text(expected))
    tab.assert_clean()


@browser
@pytest.mark.parametrize(("problem", "name"), list(COURSE), ids=[f"{p}:{n}" for p, n in COURSE])
def test_course_models_grade_as_the_grader_does(
    site: Any, tab: Tab, course_models: Callable[[str, str], Path], problem: str, name: str
) -> None:
    check_same_as_grader(tab, site, course_models(problem, name), problem)


@browser
@pytest.mark.parametrize("problem", OFFLINE)
def test_reference_solutions_grade_as_the_grader_does(
    site: Any, tab: Tab, trained_models_dir: Path, problem: str
) -> None:
    entry = next(p for p in manifest(site)["problems"] if p["id"] == problem)
    if entry.get("why_not") == "licence":
        pytest.skip(f"{problem}: its data's licence ({entry['licence']}) keeps it off the page")
    path = trained_model(trained_models_dir, problem)
    if path is None:
        pytest.skip(
            f"{problem}'s reference solution has not been trained in this checkout yet "
            "(tests/test_solutions.py keeps it in artifacts/trained-models/)"
        )
    check_same_as_grader(tab, site, path, problem)


def test_every_problem_the_page_supports_has_models(site: Any) -> None:
    supported = {p["id"] for p in manifest(site)["problems"] if p["available"]}
    assert supported, "the page supports no problem in this build"
    assert supported <= {problem for problem, _ in COURSE}
    assert supported <= set(OFFLINE)


# Files the Python grader rejects, and the problem each is graded for (tests/conftest.py).
REJECTED = {
    "text.h5": "c1-basic-regression",
    "random.h5": "c1-basic-regression",
    "zip-renamed.h5": "c1-basic-regression",
    "h5-renamed.keras": "c1-basic-regression",
    "model.txt": "c1-basic-regression",
    "upper.H5": "c1-basic-regression",
    "empty.h5": "c1-basic-regression",
    "truncated.h5": "c1-basic-regression",
    "weights-only.h5": "c1-basic-regression",
    "dataset-only.h5": "c1-basic-regression",
    "bad-json.h5": "c1-basic-regression",
    "not-a-model-config.h5": "c1-basic-regression",
    "deep-json.h5": "c1-basic-regression",
    "huge-int-json.h5": "c1-basic-regression",
    "lambda.h5": "c1-basic-regression",
    "lambda-nested.h5": "c1-basic-regression",
    "lambda-activation.h5": "c1-basic-regression",
    "custom.h5": "c1-basic-regression",
    "c1-two-outputs.h5": "c1-basic-regression",
    "c1-wide-input.h5": "c1-basic-regression",
    "c1-good.h5": "c2-fashion-mnist",  # the wrong shape
    "c2-int-input.h5": "c2-fashion-mnist",
    "c2-linear.h5": "c2-fashion-mnist",
    "c2-nan.h5": "c2-fashion-mnist",
    "c4-string-input.h5": "c4-rotten-tomatoes",
}


@browser
@pytest.mark.parametrize("name", list(REJECTED))
def test_bad_files_get_the_graders_reason(
    site: Any, tab: Tab, models: Any, custom_layer: type, name: str
) -> None:
    path = models.get(name)
    problem = REJECTED[name]
    with pytest.raises(grader.Rejected) as rejected:
        grader.grade(path, problem)
    outcome = grade_in_page(tab, site, path, problem)
    assert outcome["status"] == "rejected", outcome
    assert (outcome["code"], outcome["reason"]) == (rejected.value.code, rejected.value.reason)
    assert outcome["text"] == f"{problem}: rejected: {rejected.value.reason}"
    tab.assert_clean()


FIXTURES = ROOT / "tests" / "fixtures"


def version_fixtures() -> list[tuple[Path, str]]:
    """(file, problem) for every model file of tests/fixtures/keras2 and keras3."""
    found = []
    for expected in sorted(FIXTURES.glob("keras*/*/expected.json")):
        models = json.loads(expected.read_text(encoding="utf-8"))["models"]
        for name, meta in models.items():
            formats = meta["bytes"] if isinstance(meta["bytes"], dict) else {"h5": meta["bytes"]}
            if "keras_bytes" in meta:  # a .keras archive saved by tf.keras 2.13-2.15
                formats = {**formats, "keras": meta["keras_bytes"]}
            for fmt in formats:
                found.append((expected.parent / f"{name}.{fmt}", meta["problem"]))
    return found


def test_every_saved_version_is_a_fixture() -> None:
    files = version_fixtures()
    sets = {path.parent.name for path, _ in files}
    assert {"tf2.3", "tf2.9", "tf2.16", "tf2.21", "keras3.0", "keras3.8", "keras3.15"} <= sets
    assert {path.suffix for path, _ in files} == {".h5", ".keras"}
    assert all(path.is_file() for path, _ in files)


@browser
def test_every_keras_version_grades_as_the_grader_does(site: Any, tab: Tab) -> None:
    """One page load, every fixture: graded equal, or refused with the same reason."""
    available = {p["id"] for p in manifest(site)["problems"] if p["available"]}
    tab.goto(site.url(PAGE))
    checked, skipped, failures = 0, [], []
    for path, problem in version_fixtures():
        shown = f"{path.parent.name}/{path.name}"
        if problem not in available or problem not in PROBLEMS:
            skipped.append(f"{shown} ({problem} not on this page)")
            continue
        try:
            expected: Any = grader.grade(path, problem)
        except grader.Rejected as exc:
            expected = exc
        outcome = grade_on_page(tab.page, path, problem)
        checked += 1
        if isinstance(expected, grader.Rejected):
            said = (outcome.get("code"), outcome.get("reason"))
            if said != (expected.code, expected.reason):
                failures.append(f"{shown}: page {said}, python {expected.code}: {expected.reason}")
            print(f"\n{shown}: both refuse ({expected.code})")
            continue
        if outcome["status"] != "graded":
            failures.append(f"{shown}: page {outcome}, python {expected.summary()}")
            continue
        got = outcome["result"]
        diff = abs(got["value"] - expected.value)
        print(f"\n{shown}: {expected.summary()}; |page - python| = {diff:.2e}")
        if diff > TOLERANCE or got["score"] != expected.score:
            failures.append(f"{shown}: page {got['score']}/5 {got['value']}, {expected.summary()}")
            continue
        try:
            assert got["notes"] == list(expected.notes)
            assert_same_report(outcome["text"], cli_text(expected))
        except AssertionError as exc:
            failures.append(f"{shown}: {exc}")
    assert not failures, "\n".join(failures)
    if not checked:
        pytest.skip("no fixture's problem is on the page in this build: " + "; ".join(skipped))
    tab.assert_clean()


def _layer_norm(tmp: Path) -> Path:
    keras = _keras()
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.LayerNormalization(), keras.layers.Dense(1)]
    )
    model.save(tmp / "layer-norm.h5")
    return tmp / "layer-norm.h5"


@browser
def test_what_only_tfcert_grades_is_refused_not_scored(site: Any, tab: Tab, tmp_path: Path) -> None:
    path = _layer_norm(tmp_path)
    grader.grade(path, "c1-basic-regression")  # the Python grader scores it
    outcome = grade_in_page(tab, site, path, "c1-basic-regression")
    assert outcome["status"] == "rejected", outcome
    assert outcome["code"] == "browser-unsupported"
    assert outcome["reason"].startswith("this page cannot grade ")
    assert "`tfcert grade`" in outcome["reason"]
    assert "'LayerNormalization'" in outcome["reason"]
    tab.assert_clean()


@browser
@pytest.mark.parametrize("suffix", [".h5", ".keras"])
def test_a_text_model_built_for_another_length_gets_the_graders_reason(
    site: Any, tab: Tab, tmp_path: Path, suffix: str
) -> None:
    """#20: Embedding, Flatten, Dense built for 120 words, graded for c4-rotten-tomatoes
    (32): refused by both before predicting, with the length to build for."""
    path = tmp_path / f"long{suffix}"
    text_model(_keras(), 120).save(path)
    with pytest.raises(grader.Rejected) as rejected:
        grader.grade(path, "c4-rotten-tomatoes")
    assert rejected.value.reason.startswith("this model takes sequences of 120 words")
    outcome = grade_in_page(tab, site, path, "c4-rotten-tomatoes")
    assert outcome["status"] == "rejected", outcome
    assert (outcome["code"], outcome["reason"]) == (rejected.value.code, rejected.value.reason)
    tab.assert_clean()


@browser
def test_a_keras_archive_grades_as_the_grader_does(site: Any, tab: Tab, models: Any) -> None:
    check_same_as_grader(tab, site, models.get("c1-good.keras"), "c1-basic-regression")


@browser
def test_the_page_stays_light_until_a_file_is_dropped(site: Any, tab: Tab, models: Any) -> None:
    tab.goto(site.url(PAGE))
    tab.page.wait_for_function("document.getElementById('tfcert-grader').dataset.state")
    heavy = [u for u in tab.requests if f"/{hook.OUT}/" in u or "/browser-grader/grade" in u]
    assert not heavy, f"loaded before any file was dropped: {heavy}"
    options = tab.page.locator("#tfcert-grader-problem option")
    disabled = options.evaluate_all("os => os.filter(o => o.disabled).map(o => o.value)")
    online = [pid for pid, p in PROBLEMS.items() if p.online_only]
    assert set(online) <= set(disabled)
    grade_in_page(tab, site, models.get("c1-good.h5"), "c1-basic-regression")
    assert any(f"/{hook.OUT}/vendor/" in u for u in tab.requests)
    tab.assert_clean()


@browser
def test_the_korean_page_grades_too(site: Any, tab: Tab, models: Any) -> None:
    path = models.get("c1-good.h5")
    tab.goto(site.url("ko/" + PAGE))
    assert tab.page.locator("label[for=tfcert-grader-problem]").inner_text() == "문제"
    outcome = grade_in_page(tab, site, path, "c1-basic-regression", page="ko/" + PAGE)
    assert outcome["text"] == cli_text(grader.grade(path, "c1-basic-regression"))
    assert "업로드" in tab.page.locator("#tfcert-grader-status").inner_text()
    tab.assert_clean()


def test_the_site_publishes_only_what_licences_allow(site: Any) -> None:
    data = manifest(site)
    published = {p["id"] for p in data["problems"] if p["available"]}
    files = {f.name for f in (Path(site.site_dir) / hook.OUT / "data").iterdir()}
    for pid, problem in PROBLEMS.items():
        mine = {f for f in files if f.startswith(pid + ".")}
        if problem.online_only:  # the exam's Sunspots.csv (CC BY-NC) among them
            assert pid not in published and not mine, pid
        assert bool(mine) == (pid in published), pid


def test_the_manifest_holds_the_python_problems_numbers(site: Any) -> None:
    for entry in manifest(site)["problems"]:
        problem = PROBLEMS[entry["id"]]
        assert entry["scale"] == dataclasses.asdict(problem.scale)
        assert entry["contract"]["text"] == problem.contract()


# ------------------------------------------------------------------ the hook, no browser


@pytest.mark.parametrize(
    "array",
    [
        np.arange(24, dtype=np.float32).reshape(6, 4) / np.float32(255),  # whole 255ths
        np.array([[0.5, np.nan], [0.25, 1e-8]], dtype=np.float64),
        np.arange(12, dtype=np.int64).reshape(3, 4) * 1000,
        np.arange(3, dtype=np.uint8),
    ],
    ids=["pixels", "float64-nan", "int", "labels"],
)
def test_encoding_round_trips(array: np.ndarray) -> None:
    back = export.decode(export.encode(array))
    assert back.shape == array.shape
    assert np.array_equal(back.astype(array.dtype), array, equal_nan=array.dtype.kind == "f")


def test_sliding_windows_are_stored_once() -> None:
    series = np.concatenate([np.random.default_rng(0).random((40, 3)), np.full((4, 3), np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(series, 5, axis=0).transpose(0, 2, 1)
    encoded = export.encode(np.ascontiguousarray(windows))
    assert encoded.spec["windows"] == {"count": 40, "length": 5}
    assert len(encoded.data) == series.nbytes
    assert np.array_equal(export.decode(encoded), windows, equal_nan=True)


def test_a_measure_the_page_does_not_compute_stops_the_build() -> None:
    from mkdocs.exceptions import PluginError

    problem = PROBLEMS["c1-basic-regression"]
    _, y = problem.evaluation_inputs()

    def doubled(y: np.ndarray, pred: np.ndarray) -> grader.Evaluation:
        e = problem.measure(y, pred)
        return dataclasses.replace(e, value=2 * e.value)

    assert export.describe_measure(problem, y)["kind"] == "regression"
    with pytest.raises(PluginError, match="no longer matches"):
        export.describe_measure(dataclasses.replace(problem, measure=doubled), y)


def test_missing_data_or_a_forbidding_licence_is_listed_not_published() -> None:
    from grader.data.registry import DATASETS

    def missing() -> Any:
        raise DataError("not prepared on this machine")

    entry, files = export._problem_entry(
        dataclasses.replace(PROBLEMS["c2-fashion-mnist"], evaluation_inputs=missing), DATASETS
    )
    assert (entry["available"], entry["why_not"], files) == (False, "data", {})
    # The exam's Sunspots.csv is CC BY-NC: never published, even by an offline problem.
    offline = dataclasses.replace(PROBLEMS["c5-sunspots-exam"], online_only=False)
    entry, files = export._problem_entry(offline, DATASETS)
    assert (entry["available"], entry["why_not"], files) == (False, "licence", {})


def test_without_the_npm_packages_the_build_says_so(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(export, "NODE_MODULES", tmp_path)  # a machine where `npm ci` never ran
    libraries, why = export._libraries()
    assert libraries is None
    assert "npm ci" in why
