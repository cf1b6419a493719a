"""Lighthouse scores of the built site: three pages, mobile and desktop, written into the docs.

    .venv/bin/python tools/lighthouse.py             # build, serve, measure, write the table
    .venv/bin/python tools/lighthouse.py --runs 3    # the median of three runs per cell
    .venv/bin/python tools/lighthouse.py --no-write  # print the table only

The site is built into a temporary folder (`mkdocs build --strict`) and served on
127.0.0.1 under the path of `site_url` (/tfcert/, as GitHub Pages serves it), compressed
with gzip as GitHub Pages compresses it: tools/serve_site.py. Lighthouse (pinned in
package.json; `npm ci`, which tools/setup.sh runs) drives Debian's Chromium: CHROME_PATH,
else /usr/bin/chromium.

Writes docs/includes/lighthouse.md (a snippet that docs/contributing/site-quality.md and its
Korean page include; docs/includes/ is not a page of the site). The tests use the same build
and server (tests/browser_support.py) and this runner (tests/test_lighthouse.py).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from serve_site import served_site

ROOT = Path(__file__).resolve().parent.parent
INCLUDE = ROOT / "docs" / "includes" / "lighthouse.md"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"

# Debian's Chromium, headless, quiet: nothing it does on its own reaches the network.
# Not `--disable-gpu` (Lighthouse does not pass it either): with it, Chromium here sometimes
# held the first paint until about 1.2 s after DOMContentLoaded with the main thread idle,
# and Lighthouse's simulation then counted every task before that paint against FCP, LCP and
# TBT (2 runs of 4 on the category page: performance 90 and 92 instead of 97 to 100; the
# same page painted at about 0.2 s in 4 runs of 4 without the flag).
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PAGES = {
    "home": "",
    "category": "categories/category2/",
    "notebook": "examples/c2-fashion-mnist/solution/",
}
FORM_FACTORS = ("mobile", "desktop")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CATEGORY_TITLES = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
# The goals (the tests check a budget a few points under them: tests/test_lighthouse.py).
GOALS = {
    ("performance", "mobile"): 95,
    ("performance", "desktop"): 98,
    ("accessibility", None): 100,
    ("best-practices", None): 100,
    ("seo", None): 95,
}
METRICS = {
    "first-contentful-paint": "FCP",
    "largest-contentful-paint": "LCP",
    "total-blocking-time": "TBT",
    "cumulative-layout-shift": "CLS",
}


def goal(category: str, form_factor: str) -> int:
    return GOALS.get((category, form_factor), GOALS.get((category, None), 0))


# ------------------------------------------------------------------------------ browsers


def find_chromium() -> str | None:
    """Debian's Chromium (or CHROME_PATH), or None."""
    candidates = [os.environ.get("CHROME_PATH", ""), "/usr/bin/chromium"]
    candidates += [shutil.which(n) or "" for n in ("chromium", "chromium-browser")]
    for c in candidates:
        if c and os.path.isfile(c) and os.access(c, os.X_OK):
            return c
    return None


def chromium_version(chrome: str) -> str:
    try:
        out = subprocess.run([chrome, "--version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "Chromium"
    m = re.search(r"(\d+)\.[\d.]+", out.stdout)
    return f"Chromium {m.group(1)}" if m else "Chromium"


def lighthouse_missing() -> str | None:
    """Why Lighthouse cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "Node.js is not installed (Lighthouse needs node and npm)"
    if not LIGHTHOUSE.exists():
        return "Lighthouse is not installed: run `npm ci` (tools/setup.sh does) at the repo root"
    return None


def lighthouse_version() -> str:
    lock = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"]["node_modules/lighthouse"]["version"])


@dataclass
class Result:
    page: str
    form_factor: str
    url: str
    scores: dict[str, int]  # category -> 0..100
    metrics: dict[str, str]  # FCP, LCP, TBT, CLS as Lighthouse displays them
    failed: dict[str, list[str]] = field(default_factory=dict)  # category -> audit titles
    seconds: float = 0.0
    # Lighthouse's measure of the host CPU at the time of the run (environment.benchmarkIndex):
    # the same machine measures lower when it is busy, and then scores lower on mobile.
    benchmark_index: float | None = None


def run_lighthouse(
    url: str, form_factor: str, chrome: str, out_dir: Path, page: str = ""
) -> Result:
    """One Lighthouse run (about 20 to 30 s); the JSON report is kept in out_dir."""
    out_dir.mkdir(parents=True, exist_ok=True)
    report = out_dir / f"{page or 'page'}-{form_factor}.json"
    cmd = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        "--only-categories=" + ",".join(CATEGORIES),
        "--chrome-flags=" + " ".join(CHROME_FLAGS),
        "--max-wait-for-load=60000",
    ]
    if form_factor == "desktop":
        cmd.append("--preset=desktop")
    env = {**os.environ, "CHROME_PATH": chrome}
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    seconds = time.monotonic() - start
    if proc.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return parse_report(json.loads(report.read_text(encoding="utf-8")), page, form_factor, seconds)


def parse_report(data: dict[str, Any], page: str, form_factor: str, seconds: float = 0.0) -> Result:
    if data.get("runtimeError"):
        raise RuntimeError(f"lighthouse: {data['runtimeError']}")
    audits = data["audits"]
    scores, failed = {}, {}
    for name in CATEGORIES:
        category = data["categories"][name]
        if category.get("score") is None:
            raise RuntimeError(f"lighthouse gave no {name} score for {data['finalDisplayedUrl']}")
        scores[name] = round(category["score"] * 100)
        titles = []
        for ref in category["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "").replace("\u00a0", " ")
                shown = f" ({value})" if value else ""
                titles.append(f"{ref['id']}{shown}")
        failed[name] = titles
    metrics = {
        short: audits[key].get("displayValue", "").replace("\u00a0", " ")
        for key, short in METRICS.items()
    }
    url = data.get("finalDisplayedUrl") or data.get("finalUrl", "")
    index = data.get("environment", {}).get("benchmarkIndex")
    return Result(page, form_factor, url, scores, metrics, failed, seconds, index)


def median_result(runs: list[Result]) -> Result:
    """Per-category median of several runs (metrics and failures: the median run's)."""
    if len(runs) == 1:
        return runs[0]
    by_perf = sorted(runs, key=lambda r: r.scores["performance"])
    mid = by_perf[len(by_perf) // 2]
    scores = {c: round(statistics.median(r.scores[c] for r in runs)) for c in CATEGORIES}
    return Result(
        mid.page,
        mid.form_factor,
        mid.url,
        scores,
        mid.metrics,
        mid.failed,
        sum(r.seconds for r in runs),
        mid.benchmark_index,
    )


# -------------------------------------------------------------------------------- report


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(results: list[Result]) -> str:
    """Two narrow tables (they fit the page's column): scores, then the mobile metrics."""
    by_page: dict[str, dict[str, Result]] = {}
    for r in results:
        by_page.setdefault(r.page, {})[r.form_factor] = r
    head = ["Page"] + [f"{CATEGORY_TITLES[c]}" for c in CATEGORIES]
    lines = [_row(head), "|---|" + "--:|" * len(CATEGORIES)]
    for page, runs in by_page.items():
        cells = [page]
        for c in CATEGORIES:
            shown = []
            for form_factor in FORM_FACTORS:
                if form_factor in runs:
                    score = runs[form_factor].scores[c]
                    shown.append(f"{score}{'' if score >= goal(c, form_factor) else ' ⚠'}")
            cells.append(" / ".join(shown))
        lines.append(_row(cells))
    lines += ["", _row(["Page", "Device", *METRICS.values()]), "|---|---|" + "--:|" * len(METRICS)]
    for r in results:
        lines.append(_row([r.page, r.form_factor] + [r.metrics[m] for m in METRICS.values()]))
    return "\n".join(lines)


def pages_line(results: list[Result]) -> str:
    seen = dict.fromkeys((r.page, urlsplit(r.url).path) for r in results)
    return ", ".join(f"{page} `{path}`" for page, path in seen)


def _in_sentence(title: str) -> str:
    """A title as written mid-sentence: 'Best practices' -> 'best practices', 'SEO' stays."""
    return title if title.isupper() else title.lower()


def goals_line() -> str:
    mobile, desktop = goal("performance", "mobile"), goal("performance", "desktop")
    perf = f"performance {mobile} mobile / {desktop} desktop"
    rest = ", ".join(
        f"{_in_sentence(CATEGORY_TITLES[c])} {goal(c, 'mobile')}" for c in CATEGORIES[1:]
    )
    return f"{perf}, {rest}"


def write_include(
    results: list[Result], chrome: str, runs: int, load: float, indexes: list[float]
) -> None:
    """docs/includes/lighthouse.md: the table and how it was measured."""
    today = datetime.date.today().isoformat()
    median = f", the median of {runs} runs per row (taken round by round)" if runs > 1 else ""
    cpu = (
        f"; Lighthouse's CPU benchmark index {min(indexes):.0f} to {max(indexes):.0f}"
        if indexes
        else ""
    )
    text = (
        f"{table(results)}\n\n"
        f"_Scores: {' / '.join(FORM_FACTORS)}. Pages: {pages_line(results)}. "
        f"Lighthouse {lighthouse_version()}, {chromium_version(chrome)}, {today}{median}; "
        "the site built with `mkdocs build --strict` and served from 127.0.0.1 with gzip, "
        "mobile with Lighthouse's simulated slow 4G and CPU slowdown, on "
        f"{os.cpu_count()} CPU cores (load average {load:.1f}{cpu}); mobile performance moves by "
        "several points from run to run, more on a busy machine. "
        f"Goals: {goals_line()} (⚠ below the goal). "
        "Re-run: `.venv/bin/python tools/lighthouse.py`._\n"
    )
    INCLUDE.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=1, help="runs per page and form factor")
    parser.add_argument("--no-write", action="store_true", help=f"do not write {INCLUDE.name}")
    parser.add_argument("--reports", type=Path, help="keep the JSON reports in this folder")
    args = parser.parse_args(argv)

    chrome = find_chromium()
    if chrome is None:
        print("lighthouse: Chromium not found (apt-get install chromium)", file=sys.stderr)
        return 2
    missing = lighthouse_missing()
    if missing:
        print(f"lighthouse: {missing}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="tfcert-lighthouse-") as tmp:
        return _measure(args, chrome, args.reports or Path(tmp))


def _measure(args: argparse.Namespace, chrome: str, reports: Path) -> int:
    results: list[Result] = []
    loads: list[float] = []  # the machine's load average before each run
    cells = [(page, form_factor) for page in PAGES for form_factor in FORM_FACTORS]
    runs: dict[tuple[str, str], list[Result]] = {cell: [] for cell in cells}
    with served_site() as site:
        print(f"built the site in {site.build_seconds:.1f} s, serving {site.base_url}")
        # Round by round, every page in each: a machine that gets busier (or quieter) during
        # the measurement moves every page's median alike, not only the last page's.
        for i in range(args.runs):
            for page, form_factor in cells:
                loads.append(os.getloadavg()[0])
                out = reports / f"run{i + 1}"
                url = site.url(PAGES[page])
                runs[page, form_factor].append(run_lighthouse(url, form_factor, chrome, out, page))
            if args.runs > 1:
                print(f"round {i + 1} of {args.runs} done", flush=True)
        for page, form_factor in cells:
            result = median_result(runs[page, form_factor])
            results.append(result)
            worst = "; ".join(f"{c}: {', '.join(f)}" for c, f in result.failed.items() if f)
            print(
                f"{page:9} {form_factor:8} "
                + " ".join(f"{c}={result.scores[c]}" for c in CATEGORIES)
                + f"  ({result.seconds:.0f} s)"
                + (f"  below 100: {worst}" if worst else "")
            )
    print()
    print(table(results))
    if not args.no_write:
        indexes = [r.benchmark_index for rs in runs.values() for r in rs if r.benchmark_index]
        write_include(results, chrome, args.runs, statistics.mean(loads), indexes)
        print(f"\nwrote {INCLUDE.relative_to(ROOT)}")
    if args.reports:
        print(f"reports: {args.reports}")
    below = [
        f"{r.page}/{r.form_factor} {c} {r.scores[c]} < {goal(c, r.form_factor)}"
        for r in results
        for c in CATEGORIES
        if r.scores[c] < goal(c, r.form_factor)
    ]
    if below:
        print("below the goals: " + "; ".join(below))
    return 0


if __name__ == "__main__":
    sys.exit(main())
