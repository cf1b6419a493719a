"""The examples as notebooks: the set-up cell that lets each stand alone, and running each
top to bottom in a fresh kernel, as a learner's Jupyter or Colab does.

examples/<problem>/solution.py (jupytext percent format) is the one home of each lesson.

- `setup_cell(problem_id)` is the first code cell of every example: it installs tfcert where
  it is missing (Colab, a fresh Jupyter; the package's Source URL in pyproject.toml) and
  prepares only that problem's data. Where both are ready it does nothing (about 0.5 s).
  `python tools/example_notebooks.py setup` writes it into every example (after the title
  cell, replacing an older version); tests/test_solutions.py checks each starts with it.
- `execute(problem_id, workdir, python, env)` runs the example as a notebook in a fresh
  kernel (nbclient; the ipykernel of `python`, by default this one) with `workdir` as its
  folder, so the last cell saves
  workdir/mymodel.h5. Two hidden cells measure the run as tools/run_solution.py does
  (seconds inside solution_model(), the kernel's peak memory from VmHWM, the last fit's
  per-epoch history) and write workdir/run.json; they are removed again. It returns the
  notebook with outputs fit to publish: long streams cut to their last lines, no absolute
  path of this machine, no timing metadata, cells numbered 1, 2, ...
- `save(notebook, path)` writes it (examples/<problem>/solution.ipynb, which the site
  renders with its outputs and offers for download and for Colab).
"""

from __future__ import annotations

import json
import os
import re
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jupyter_client.manager import AsyncKernelManager
    from nbformat import NotebookNode

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
KEEP_LINES = 6  # of a long output stream (the training log): its last lines
HIDDEN = "tfcert-harness"  # metadata tag of the cells that measure a run


def source_url() -> str:
    """The package's Source URL, from pyproject.toml's [project.urls]."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    found = re.search(r'^Source = "([^"]+)"', text, flags=re.M)
    if found is None:
        raise ValueError("pyproject.toml names no Source URL in [project.urls]")
    return found.group(1)


SETUP = """\
# Set-up, for Colab or any fresh Jupyter: install tfcert (the grader and the exam's
# starters) where it is missing, then prepare this problem's data. Where both are
# ready, as in a clone of the repository, it does nothing.
import importlib.util
import subprocess
import sys

if importlib.util.find_spec("grader") is None:
    pip = [sys.executable, "-m", "pip", "install", "-q"]
    if importlib.util.find_spec("tensorflow") is not None:  # Colab: keep its TensorFlow
        pip.append("--no-deps")  # (tensorflow and tensorflow-cpu must not share a venv)
    package = "tfcert @ {url}/archive/refs/heads/main.zip"
    subprocess.run([*pip, package], check=True)
    importlib.invalidate_caches()

import grader

PROBLEM = grader.get_problem("{problem}")
if PROBLEM.dataset in grader.DATASETS:  # data written in the starter needs none
    prepare = ["-m", "grader", "data", "prepare", PROBLEM.dataset, "-q"]
    subprocess.run([sys.executable, *prepare], check=True)"""


def setup_cell(problem_id: str) -> str:
    """The first code cell of examples/<problem_id>/solution.py."""
    return SETUP.replace("{url}", source_url()).replace("{problem}", problem_id)


def problems() -> list[str]:
    return sorted(p.parent.name for p in EXAMPLES.glob("*/solution.py"))


def read(problem_id: str) -> NotebookNode:
    import jupytext

    notebook: NotebookNode = jupytext.read(EXAMPLES / problem_id / "solution.py")
    return notebook


def cells_of(notebook: NotebookNode) -> list[tuple[str, str]]:
    """(type, source) of every cell: what the .py and the .ipynb must agree on."""
    return [(c.cell_type, c.source) for c in notebook.cells]


def current_executed(problem_id: str) -> Path | None:
    """examples/<problem>/solution.ipynb where it is the executed form of solution.py as it is
    now (the same cells); None where it is missing or older."""
    import nbformat

    executed = EXAMPLES / problem_id / "solution.ipynb"
    if not executed.is_file():
        return None
    saved = nbformat.read(executed, as_version=4)
    return executed if cells_of(saved) == cells_of(read(problem_id)) else None


def write_setup(problem_id: str) -> bool:
    """Make the set-up cell the example's first code cell (replacing an older version of it);
    True when the file changed. The rest of the file is left as it is, byte for byte."""
    path = EXAMPLES / problem_id / "solution.py"
    text = path.read_text(encoding="utf-8")
    cell = f"# %%\n{setup_cell(problem_id)}\n\n"
    first = re.search(r"^# %%[ \t]*\n", text, flags=re.M)
    if first is None:
        raise ValueError(f"{path}: no code cell")
    start = first.start()
    rest = text[start:]
    if "importlib.util.find_spec" in rest.split("\n# %%", 1)[0]:  # an older set-up cell
        end = re.search(r"^# %%", rest[1:], flags=re.M)
        rest = rest[1 + end.start() :] if end else ""
    new = text[:start] + cell + rest
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


# ------------------------------------------------------------------------ running them

BEFORE = """\
import time as _time
_tfcert_run = {"train_seconds": 0.0}
_tfcert_started = _time.perf_counter()
"""

AROUND = """\
_tfcert_solution_model = solution_model


def solution_model():
    started = _time.perf_counter()
    try:
        return _tfcert_solution_model()
    finally:
        _tfcert_run["train_seconds"] += _time.perf_counter() - started
"""


def _peak_memory_source() -> str:
    """tools/run_solution.py's peak_memory_kib, as source: read, not imported (importing
    run_solution changes TF_ENABLE_ONEDNN_OPTS in the importing process)."""
    import ast

    text = (ROOT / "tools" / "run_solution.py").read_text(encoding="utf-8")
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef) and node.name == "peak_memory_kib":
            return "import resource\n\n" + (ast.get_source_segment(text, node) or "")
    raise ValueError("tools/run_solution.py defines no peak_memory_kib")


AFTER = """\
import json as _json

_tfcert_tools = {}
exec(_TFCERT_PEAK_MEMORY, _tfcert_tools)
_tfcert_peak_kib = _tfcert_tools["peak_memory_kib"]
_history = getattr(getattr(model, "history", None), "history", None) or {}
_tfcert_run.update(
    train_seconds=round(_tfcert_run["train_seconds"], 2),
    total_seconds=round(_time.perf_counter() - _tfcert_started, 2),
    peak_memory_mb=round(_tfcert_peak_kib() / 1024, 1),
    epochs=len(next(iter(_history.values()), [])),
    history={k: [float(v) for v in vs] for k, vs in _history.items()},
)
with open("run.json", "w", encoding="utf-8") as _f:
    _json.dump(_tfcert_run, _f, indent=2)
"""


def _hidden(source: str) -> NotebookNode:
    from nbformat.v4 import new_code_cell

    cell: NotebookNode = new_code_cell(source, metadata={"tags": [HIDDEN]})
    return cell


# ipykernel_launcher's start, with a folder of kernel packages appended to sys.path: after
# the environment's own packages, so it adds ipykernel without replacing any of them.
_LAUNCH_WITH = """\
import sys
del sys.path[0]  # the working folder, as ipykernel_launcher does (IPython puts it back)
sys.path.append({folder!r})
from ipykernel import kernelapp
kernelapp.launch_new_instance()
"""


def _kernel_manager(folder: Path, python: Path, kernel_packages: Path | None) -> AsyncKernelManager:
    """A kernel of the Python `python` (whose environment has tfcert), whatever kernels
    Jupyter knows; ipykernel from `kernel_packages` where that environment has none."""
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = folder / "kernels" / "tfcert"
    spec.mkdir(parents=True)
    if kernel_packages is None:
        launch = ["-m", "ipykernel_launcher"]
    else:
        launch = ["-c", _LAUNCH_WITH.format(folder=str(kernel_packages))]
    argv = [str(python), *launch, "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"})
    )
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return AsyncKernelManager(kernel_name="tfcert", kernel_spec_manager=specs)


def execute(
    problem_id: str,
    workdir: Path,
    timeout: float = 900,
    python: Path | None = None,
    env: dict[str, str] | None = None,
    kernel_packages: Path | None = None,
) -> NotebookNode:
    """Run the example top to bottom in a fresh kernel in `workdir`; return the notebook with
    its publishable outputs. workdir/run.json holds the measurements.

    The kernel is `python` (default: this Python) in the environment `env` (default: this
    process's), with ipykernel taken from `kernel_packages` where given; the tests pass the
    wheel-only venv's python, a learner's environment and ipykernel installed beside that
    venv (tests/learner_venv.py)."""
    from nbclient import NotebookClient

    notebook = read(problem_id)
    main = max(
        i
        for i, c in enumerate(notebook.cells)
        if c.cell_type == "code" and "solution_model()" in c.source
    )
    cells = list(notebook.cells)
    after = f"_TFCERT_PEAK_MEMORY = {_peak_memory_source()!r}\n" + AFTER
    cells.insert(main + 1, _hidden(after))
    cells.insert(main, _hidden(AROUND))
    cells.insert(0, _hidden(BEFORE))
    notebook.cells = cells
    python = Path(python or sys.executable)
    env = {**(os.environ if env is None else env), "TF_CPP_MIN_LOG_LEVEL": "2"}
    # As tools/run_solution.py: TensorFlow's default (oneDNN on) for every training run.
    env.pop("TF_ENABLE_ONEDNN_OPTS", None)
    with tempfile.TemporaryDirectory(prefix="tfcert-kernel-") as kernels:
        client = NotebookClient(
            notebook,
            km=_kernel_manager(Path(kernels), python, kernel_packages),
            timeout=timeout,
            allow_errors=False,
            record_timing=False,
            resources={"metadata": {"path": str(workdir)}},
        )
        client.execute(env=env, cleanup_kc=True)  # shut the kernel down, close its sockets
    notebook.cells = [c for c in notebook.cells if HIDDEN not in c.metadata.get("tags", [])]
    homes = [Path(env[k]) for k in ("HOME", "USERPROFILE") if env.get(k)]
    venv = python.parent.parent  # <venv>/bin/python
    return publishable(notebook, [workdir, ROOT, Path.home(), Path(sys.prefix), venv, *homes])


def _scrub(text: str, folders: list[Path]) -> str:
    """No absolute path of this machine: a known folder becomes '.', any other absolute
    path keeps only what follows site-packages/ or its last two parts."""
    text = re.sub(r"(?:/[\w.+-]+)+/site-packages/", "", text)
    for folder in sorted({str(f) for f in folders}, key=len, reverse=True):
        text = text.replace(folder + os.sep, "").replace(folder, ".")
    return re.sub(r"(?<![\w.:/])(?:/[\w.+-]+)+/([\w.+-]+/[\w.+-]+)", r".../\1", text)


# TensorFlow's C++ log lines (absl's format: level, date, time, thread, file:line]) and absl's
# notice before them: start-up noise whatever TF_CPP_MIN_LOG_LEVEL says, and timestamps.
NATIVE_LOG = re.compile(
    r"^(?:[IWEF]\d{4} \d\d:\d\d:\d+\.\d+ +\d+ [\w.]+:\d+\].*"
    r"|WARNING: All log messages before absl::InitializeLog\(\) is called.*)\n?",
    flags=re.M,
)


def _cut(text: str) -> str:
    lines = text.splitlines(keepends=True)
    if len(lines) <= KEEP_LINES:
        return text
    return f"[... {len(lines) - KEEP_LINES} lines before]\n" + "".join(lines[-KEEP_LINES:])


def _merged(outputs: list[NotebookNode]) -> list[NotebookNode]:
    """Consecutive stream outputs of one name (stdout, stderr) as one, as Jupyter shows them."""
    merged: list[NotebookNode] = []
    for output in outputs:
        previous = merged[-1] if merged else None
        if (
            output.output_type == "stream"
            and previous is not None
            and previous.output_type == "stream"
            and previous.name == output.name
        ):
            previous.text += output.text
        else:
            merged.append(output)
    return merged


def publishable(notebook: NotebookNode, folders: list[Path]) -> NotebookNode:
    count = 0
    for i, cell in enumerate(notebook.cells):
        cell.id = f"cell-{i}"
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        count += 1
        cell.execution_count = count
        # Native log lines out first, so that the stream text around them is shown as one.
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _scrub(NATIVE_LOG.sub("", output.text), folders)
        kept = [o for o in cell.outputs if o.output_type != "stream" or o.text]
        cell.outputs = _merged(kept)
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = _cut(output.text)
            elif output.output_type in ("execute_result", "display_data"):
                if "execution_count" in output:
                    output.execution_count = count
                data = output.get("data", {})
                for key in list(data):
                    if key != "text/plain" and not key.startswith("image/"):
                        del data[key]
                if "text/plain" in data:
                    data["text/plain"] = _cut(_scrub(data["text/plain"], folders))
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return notebook


def save(notebook: NotebookNode, path: Path) -> None:
    import nbformat

    text = nbformat.writes(notebook) + "\n"
    partial = path.with_suffix(".ipynb.part")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def main(argv: list[str]) -> int:
    if argv != ["setup"]:
        print("usage: example_notebooks.py setup", file=sys.stderr)
        return 2
    for problem_id in problems():
        if write_setup(problem_id):
            print(f"wrote the set-up cell of examples/{problem_id}/solution.py")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
