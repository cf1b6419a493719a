"""Build the site (English and Korean) the one way it is built everywhere.

    .venv/bin/python tools/build_site.py site/              # what `make build` runs
    .venv/bin/python tools/build_site.py --complete site/   # what the Pages job publishes

`mkdocs build --strict` into a folder. With --complete (the Pages job, `make build`, the
tests of the built site), the build also fails where a page would be published degraded:
the in-browser grader without its vendored libraries (`npm ci`) or without the evaluation
data of a problem it may publish (`tfcert data prepare`). The tests (tests/browser_support.py)
and Lighthouse (tools/lighthouse.py) build through `build_site()` here, the Pages workflow
and `make build` through this command, so that what is published is what was tested.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

from site_address import ROOT, SITE_URL_ENV

# Set for one build: tools/mkdocs_browser_grader.py then fails instead of publishing a
# degraded grader page.
COMPLETE_ENV = "TFCERT_SITE_COMPLETE"
# Where `npm ci` puts the in-browser grader's libraries (package.json).
NODE_MODULES = ROOT / "node_modules"


class BuildFailed(RuntimeError):
    """`mkdocs build --strict` failed; the message holds its output."""


def build_site(site_dir: Path, site_url: str | None = None, *, complete: bool = True) -> float:
    """`mkdocs build --strict` into site_dir (for site_url where given: the local server's
    address); returns the seconds it took. `complete`: fail where a page would be degraded."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url is not None:
        env[SITE_URL_ENV] = site_url
    env.pop(COMPLETE_ENV, None)
    if complete:
        env[COMPLETE_ENV] = "1"
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site_dir)]
    start = time.monotonic()
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise BuildFailed(f"mkdocs build --strict failed:\n{proc.stdout}\n{proc.stderr}")
    return time.monotonic() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site_dir", type=Path, help="where to write the site, e.g. site/")
    parser.add_argument(
        "--complete",
        action="store_true",
        help="fail where a page would be degraded (the browser grader's libraries or data)",
    )
    args = parser.parse_args(argv)
    try:
        seconds = build_site(args.site_dir, complete=args.complete)
    except BuildFailed as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"built {args.site_dir} in {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
