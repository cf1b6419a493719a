"""Check that a command left the working tree as it found it (`make test` runs its tests
between the two halves):

    python tools/tree_unchanged.py save .cache/tree-before.json
    ... the tests ...
    python tools/tree_unchanged.py check .cache/tree-before.json

`save` records every path git reports as changed or untracked (not ignored) with the
SHA-256 of its contents; `check` fails, naming each path, where that record differs: a
tracked file the tests rewrote, a file they left behind. Work in progress that was there
before stays allowed, so a contributor's own edits never fail the check.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _git(*args: str) -> bytes:
    # safe.directory: a CI container's checkout may belong to another user.
    cmd = ["git", "-c", f"safe.directory={ROOT}", "-C", str(ROOT), *args]
    return subprocess.run(cmd, check=True, capture_output=True).stdout


def snapshot() -> dict[str, str]:
    """Changed and untracked paths (git's view), each with the SHA-256 of what is there."""
    listed = _git("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    state = {}
    for entry in listed.split(b"\0"):
        if not entry:
            continue
        path = entry[3:].decode("utf-8", "surrogateescape")
        file = ROOT / path
        if file.is_file():
            state[path] = hashlib.sha256(file.read_bytes()).hexdigest()
        else:
            state[path] = "deleted" if not file.exists() else "not a file"
    return state


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("save", "check"):
        print("usage: tree_unchanged.py save|check FILE", file=sys.stderr)
        return 2
    record = Path(argv[1])
    if argv[0] == "save":
        record.parent.mkdir(parents=True, exist_ok=True)
        record.write_text(json.dumps(snapshot(), indent=1, sort_keys=True), encoding="utf-8")
        return 0
    before = json.loads(record.read_text(encoding="utf-8"))
    after = snapshot()
    changed = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
    if changed:
        print(
            "tree_unchanged: the tests changed the working tree (tests check the tree, they "
            "never write it; `make measurements` renews what the site shows):",
            file=sys.stderr,
        )
        for path in changed:
            print(f"  {path}", file=sys.stderr)
        return 1
    print("tree_unchanged: the tests left the working tree as they found it")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
