"""Benchmark and calibrate: train every reference solution and its course-style baseline,
grade trivial and untrained models, time the grader; print the tables and write them into
the docs.

    make benchmark            # or: .venv/bin/python tools/benchmark.py [PROBLEM ...]

Every number comes from this run on this machine. Each training runs in its own process
(so peak memory is that run's own), with a callback that grades the model after every epoch
on the held-out split, to find the training time at which it first reaches 5/5 (the time
spent grading is not counted). Tables written: docs/includes/calibration.md,
docs/includes/benchmark.md, docs/includes/grading-speed.md, and a Korean twin of each
(`<name>.ko.md`, for the Korean pages; `--korean-only` rewrites just those).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import runpy
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from grader import Problem

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As tools/run_solution.py: TensorFlow's default (oneDNN on), never the slow setting.
os.environ.pop("TF_ENABLE_ONEDNN_OPTS", None)

ROOT = Path(__file__).resolve().parent.parent
INCLUDES = ROOT / "docs" / "includes"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from run_solution import peak_memory_kib  # noqa: E402


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _data_here(problem: Problem) -> bool:
    """Offline problems always; an online one when its files are already on this machine (the
    exam's Sunspots.csv through TFCERT_LOCAL_DATA=../shared/datasets, say)."""
    if not problem.online_only:
        return True
    import grader
    from grader.data.sources import find_local

    dataset = grader.get_dataset(problem.dataset)
    return all(find_local(dataset, key) for key in dataset.files)


def machine() -> str:
    return f"{_cpu_name()}, {os.cpu_count()} cores, Python {platform.python_version()}"


# --------------------------------------------------------------------------- one training


def _train_one(problem_id: str, source: Path, out: Path) -> None:
    """Runs in a child process: train `source`, tracking the score after every epoch."""
    import keras
    import numpy as np

    import grader

    problem = grader.get_problem(problem_id)
    x_eval, y_eval = problem.evaluation_inputs()
    log: list[dict[str, Any]] = []
    start: float | None = None  # when the first fit began
    excluded = 0.0  # seconds spent grading after epochs: not training time

    class Tracker(keras.callbacks.Callback):
        def on_train_begin(self, logs: dict[str, Any] | None = None) -> None:
            nonlocal start
            if start is None:
                start = time.perf_counter()

        def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
            nonlocal excluded
            assert start is not None  # on_train_begin came first
            t0 = time.perf_counter()
            x = x_eval
            shape = tuple(self.model.inputs[0].shape)[1:]
            if None not in shape and x.shape[1:] != shape:
                x = x.reshape((len(x), *shape))
            pred = np.asarray(self.model.predict(x, verbose=0, batch_size=256))
            value = problem.measure(y_eval, pred).value
            t1 = time.perf_counter()
            log.append(
                {
                    "epoch": len(log) + 1,
                    "seconds": t0 - start - excluded,
                    "value": value,
                    "score": problem.scale.score(value),
                }
            )
            excluded += t1 - t0

    original_fit = keras.Model.fit

    def fit(self: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["callbacks"] = [*(kwargs.get("callbacks") or []), Tracker()]
        return original_fit(self, *args, **kwargs)

    keras.Model.fit = fit
    keras.utils.set_random_seed(42)  # the baselines do not seed themselves; the solutions do
    namespace = runpy.run_path(str(source), run_name="benchmark")
    started = time.perf_counter()
    model = namespace["solution_model"]()
    total = time.perf_counter() - started - excluded
    model.save(out / "mymodel.h5")
    first_five = next((e["seconds"] for e in log if e["score"] == 5), None)
    report = {
        "train_seconds": total,
        "epochs": len(log),
        "seconds_to_five": first_five,
        "peak_memory_mb": peak_memory_kib() / 1024,
        "per_epoch": log,
    }
    (out / "run.json").write_text(json.dumps(report))


def train(problem_id: str, source: Path, out: Path) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, __file__, "--one", problem_id, str(source), str(out)],
        capture_output=True,
        text=True,
        cwd=out,
    )
    if proc.returncode != 0:
        raise SystemExit(f"training {source} failed:\n{proc.stderr[-2000:]}")
    report: dict[str, Any] = json.loads((out / "run.json").read_text())
    return report


# --------------------------------------------------------------------------- trivial models


def trivial_model(problem: Problem) -> tuple[Any, str]:
    """The model that knows nothing but the data's simplest statistic."""
    import keras
    import numpy as np

    inputs = keras.Input(shape=problem.input_shape)
    if problem.category in (2, 3, 4):  # majority class
        data = problem.load_training()
        if problem.category == 3:
            counts = [len(list((data / c).iterdir())) for c in problem.constants["CLASSES"]]
            majority = int(np.argmax(counts))
        else:
            labels = np.asarray(data[1])
            classes = problem.output_shape[0] if problem.output_shape[0] > 1 else 2
            majority = int(np.bincount(labels, minlength=classes).argmax())
        units = problem.output_shape[0]
        flat = keras.layers.Flatten()(inputs)
        if units == 1:
            bias = 5.0 if majority == 1 else -5.0
            out = keras.layers.Dense(
                1,
                activation="sigmoid",
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(bias),
            )(flat)
        else:
            b = np.full(units, -5.0)
            b[majority] = 5.0
            out = keras.layers.Dense(
                units,
                activation="softmax",
                kernel_initializer="zeros",
                bias_initializer=keras.initializers.Constant(b),
            )(flat)
        return keras.Model(inputs, out), "majority class"
    if problem.category == 1:  # the mean of the training ys, whatever the input
        _, ys = problem.load_training()
        out = keras.layers.Dense(
            1,
            kernel_initializer="zeros",
            bias_initializer=keras.initializers.Constant(float(np.mean(ys))),
        )(inputs)
        return keras.Model(inputs, out), "mean of ys"
    # time series: repeat the last observed value over the horizon
    steps = problem.input_shape[0]
    assert steps is not None  # a time series window has a fixed length
    horizon = problem.output_shape[0]
    last = keras.layers.Cropping1D((steps - 1, 0))(inputs)
    last = keras.layers.Flatten()(last)
    out = keras.layers.RepeatVector(horizon)(last)
    out = keras.layers.Reshape(problem.output_shape)(out)
    return keras.Model(inputs, out), "last value"


# --------------------------------------------------------------------------- the tables


# The Korean pages include a twin of each table (`<name>.ko.md`): the same numbers, with the
# headers, model names and the footer in Korean. Made from the English table, so that
# `--korean-only` can redo the twins without training anything.
KOREAN_WORDS = (
    ("| problem | model | metric | value | score |", "| 문제 | 모델 | 지표 | 값 | 점수 |"),
    (
        "| problem | epochs | train s | peak MB | metric | score | margin to 5/5 | s to 5/5 "
        "| baseline train s | baseline s to 5/5 | baseline score | ratio |",
        "| 문제 | 에포크 | 학습 초 | 최대 MB | 지표 | 점수 | 5/5까지 여유 | 5/5까지 초 "
        "| 기준 모델 학습 초 | 기준 모델 5/5까지 초 | 기준 모델 점수 | 비율 |",
    ),
    ("| problem | fastest s | median s |", "| 문제 | 가장 빠른 초 | 중앙값 초 |"),
    ("| trivial (majority class) |", "| 가장 단순한 모델(가장 많은 클래스) |"),
    ("| trivial (last value) |", "| 가장 단순한 모델(마지막 값) |"),
    ("| trivial (mean of ys) |", "| 가장 단순한 모델(ys의 평균) |"),
    ("| untrained (course model) |", "| 학습 안 한 강의식 모델 |"),
    ("| course-style baseline |", "| 강의식 기준 모델 |"),
    ("| reference solution |", "| 참고 풀이 |"),
    ("| accuracy |", "| 정확도 |"),
    ("| accuracy ", "| 정확도 "),
    ("Total training time of the reference solutions: ", "참고 풀이의 학습 시간 합계: "),
    ("_Measured ", "_측정: "),
    (" on ", ", "),
    (" cores, Python ", "코어, Python "),
    ("; load average at the end ", "; 끝날 때의 부하 평균 "),
    (" with `make benchmark`._", " (`make benchmark`)._"),
)


def korean_twin(english: str) -> str:
    """The Korean twin of a table this tool wrote: headers, model names and footer translated."""
    text = english
    for en, ko in KOREAN_WORDS:
        text = text.replace(en, ko)
    return text.replace(" s.\n", "초.\n")


def write_korean_twins() -> None:
    """Write `<name>.ko.md` beside each English table that exists."""
    for name in ("calibration", "benchmark", "grading-speed"):
        english = INCLUDES / f"{name}.md"
        if english.exists():
            (INCLUDES / f"{name}.ko.md").write_text(korean_twin(english.read_text()))


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main(argv: list[str]) -> int:
    if argv[:1] == ["--one"]:
        _train_one(argv[1], Path(argv[2]), Path(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("problems", nargs="*", help="problem ids (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only, do not update docs")
    parser.add_argument(
        "--korean-only",
        action="store_true",
        help="only rewrite the Korean twins (<name>.ko.md) of the tables already written",
    )
    args = parser.parse_args(argv)
    if args.korean_only:
        write_korean_twins()
        return 0

    import grader

    # Online-only problems (their data needs the internet) cannot be measured offline.
    ids = args.problems or [pid for pid, p in grader.PROBLEMS.items() if _data_here(p)]
    calibration, bench, speed = [], [], []
    with tempfile.TemporaryDirectory(prefix="tfcert-bench-") as tmp:
        for pid in ids:
            problem = grader.get_problem(pid)
            work = Path(tmp) / pid
            work.mkdir()
            print(f"== {pid}", flush=True)

            def row(
                name: str, path: Path, problem: Problem = problem, pid: str = pid
            ) -> grader.Result:
                result = grader.grade(path, problem)
                calibration.append((pid, name, result.metric, result.value, result.score))
                print(
                    f"   {name:<28} {result.metric} {result.value:.4f} -> {result.score}/5",
                    flush=True,
                )
                return result

            trivial, label = trivial_model(problem)
            trivial.save(work / "trivial.h5")
            row(f"trivial ({label})", work / "trivial.h5")

            baseline_src = ROOT / "tools" / "baselines" / f"{pid}.py"
            import keras

            keras.utils.set_random_seed(42)
            untrained = runpy.run_path(str(baseline_src), run_name="benchmark")["build_model"]()
            untrained.save(work / "untrained.h5")
            row("untrained (course model)", work / "untrained.h5")

            base_run = train(pid, baseline_src, work / "baseline")
            base = row("course-style baseline", work / "baseline" / "mymodel.h5")
            ours_run = train(pid, ROOT / "examples" / pid / "solution.py", work / "ours")
            ours = row("reference solution", work / "ours" / "mymodel.h5")

            margin = abs(ours.value - problem.scale.bound(5))
            base_time = base_run["seconds_to_five"]
            ours_time = ours_run["seconds_to_five"]
            ratio = (base_time / ours_time) if base_time and ours_time else None
            bench.append(
                (
                    pid,
                    ours_run["epochs"],
                    ours_run["train_seconds"],
                    ours_run["peak_memory_mb"],
                    ours.metric,
                    ours.value,
                    ours.score,
                    margin,
                    ours_time,
                    base_run["train_seconds"],
                    base_time,
                    base.score,
                    ratio,
                )
            )
            timings = []
            for _ in range(3):
                t0 = time.perf_counter()
                grader.grade(work / "ours" / "mymodel.h5", problem)
                timings.append(time.perf_counter() - t0)
            speed.append((pid, min(timings), statistics.median(timings)))

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    stamp = f"{datetime.date.today().isoformat()} on {machine()}; load average at the end {load}"
    cal_md = [
        "| problem | model | metric | value | score |",
        "|---|---|---|---|---|",
        *(f"| `{p}` | {m} | {k} | {v:.4f} | {s}/5 |" for p, m, k, v, s in calibration),
    ]
    bench_md = [
        "| problem | epochs | train s | peak MB | metric | score | margin to 5/5 | s to 5/5 "
        "| baseline train s | baseline s to 5/5 | baseline score | ratio |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *(
            f"| `{p}` | {e} | {t:.1f} | {mem:.0f} | {k} {v:.4f} | {s}/5 | {mg:.4f} | {fmt(t5)} "
            f"| {bt:.1f} | {fmt(bt5)} | {bs}/5 | {fmt(r, 2) + 'x' if r else '-'} |"
            for p, e, t, mem, k, v, s, mg, t5, bt, bt5, bs, r in bench
        ),
    ]
    total_train = sum(b[2] for b in bench)
    bench_md.append("")
    bench_md.append(f"Total training time of the reference solutions: {total_train:.0f} s.")
    speed_md = [
        "| problem | fastest s | median s |",
        "|---|---|---|",
        *(f"| `{p}` | {a:.2f} | {m:.2f} |" for p, a, m in speed),
    ]
    footer = f"\n_Measured {stamp} with `make benchmark`._\n"
    print("\nCalibration\n" + "\n".join(cal_md))
    print("\nSolutions vs course-style baselines\n" + "\n".join(bench_md))
    print("\nGrading time per model (TensorFlow already imported)\n" + "\n".join(speed_md))
    if not args.no_write and not args.problems:
        INCLUDES.mkdir(parents=True, exist_ok=True)
        (INCLUDES / "calibration.md").write_text("\n".join(cal_md) + "\n" + footer)
        (INCLUDES / "benchmark.md").write_text("\n".join(bench_md) + "\n" + footer)
        (INCLUDES / "grading-speed.md").write_text("\n".join(speed_md) + "\n" + footer)
        write_korean_twins()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
