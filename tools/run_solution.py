"""Train one solution file in this process and save its model: the harness behind the
solution tests, the calibration and the benchmark.

    python tools/run_solution.py examples/c2-fashion-mnist/solution.py OUT_DIR

Writes OUT_DIR/mymodel.h5 and OUT_DIR/run.json (training seconds, peak memory, epochs and
the per-epoch history that the training curves are drawn from).
"""

from __future__ import annotations

import json
import os
import resource
import runpy
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# TensorFlow's default, oneDNN on, trains convolutions about 2.5x faster here than
# TF_ENABLE_ONEDNN_OPTS=0; results differ slightly between the two, so every training run
# uses the default, whatever the calling environment says.
os.environ.pop("TF_ENABLE_ONEDNN_OPTS", None)


def peak_memory_kib() -> int:
    """This process's peak resident memory. Linux keeps ru_maxrss across exec, so a child of a
    big process (pytest, the benchmark) would report its parent's size: read VmHWM, which
    starts afresh with the new program, where it exists."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: run_solution.py SOLUTION.py OUT_DIR", file=sys.stderr)
        return 2
    source, out = Path(argv[0]), Path(argv[1])
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    namespace = runpy.run_path(str(source), run_name="solution")
    imported = time.perf_counter()
    model = namespace["solution_model"]()
    trained = time.perf_counter()
    model.save(out / "mymodel.h5")
    history = getattr(getattr(model, "history", None), "history", None) or {}
    peak_kib = peak_memory_kib()
    report = {
        "solution": source.as_posix(),
        "train_seconds": round(trained - imported, 2),
        "total_seconds": round(time.perf_counter() - started, 2),
        "peak_memory_mb": round(peak_kib / 1024, 1),
        "epochs": len(next(iter(history.values()), [])),
        "history": {k: [float(v) for v in vs] for k, vs in history.items()},
    }
    (out / "run.json").write_text(json.dumps(report, indent=2))
    print(json.dumps({k: v for k, v in report.items() if k != "history"}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
