"""Running a starter as the exam's plugin did: `python starter.py` in its category folder.

`run_starter` shows the starter's output live (up to a limit, then the last lines), stops it
and everything it started after a timeout or on Ctrl-C (its own process group: SIGTERM,
then SIGKILL), and never raises for the starter's sake.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import IO, Any, TextIO

from grader.exam.state import STARTER

__all__ = ["KEEP_LINES", "LIVE_LINES", "StarterRun", "crash_reason", "run_starter"]

KEEP_LINES = 200  # the last lines of a starter's output that are kept (and shown after a flood)
LIVE_LINES = 1000  # lines shown live before the rest is held back
MAX_LINE = 2000  # characters kept of one output line


@dataclass(frozen=True)
class StarterRun:
    """What running a starter did: exit code, why it was stopped (if it was), its output."""

    exit_code: int | None
    stopped: str | None  # None, "timeout" or "interrupted"
    lines: int  # lines of output in all
    tail: tuple[str, ...]  # the last KEEP_LINES of them
    seconds: float

    @property
    def last_line(self) -> str:
        return next((line.strip() for line in reversed(self.tail) if line.strip()), "")


class _Pump:
    """Reads a child's output: echoes it live up to a limit and keeps the last lines."""

    def __init__(self, stream: IO[bytes], echo: TextIO | None, keep: int, live: int) -> None:
        self.stream, self.echo, self.live = stream, echo, live
        self.tail: deque[tuple[int, str]] = deque(maxlen=keep)
        self.lines = 0

    def _say(self, text: str) -> None:
        if self.echo is None:
            return
        with contextlib.suppress(Exception):  # a closed terminal must not stop the reading
            self.echo.write(text + "\n")
            self.echo.flush()

    def _emit(self, raw: bytes, extra: int) -> None:
        text = raw.decode("utf-8", "replace").rstrip("\r\n")
        if extra:
            text += f" [... {extra} more characters]"
        self.lines += 1
        self.tail.append((self.lines, text))
        if self.lines <= self.live:
            self._say(text)
        elif self.lines == self.live + 1:
            self._say(
                f"[tfcert] more than {self.live} lines of output: the rest is not shown live; "
                f"when starter.py ends, its last lines (at most {self.tail.maxlen}) follow"
            )

    def run(self) -> None:
        pending = bytearray()
        extra = 0
        try:
            for chunk in iter(lambda: self.stream.readline(8192), b""):
                body = chunk.rstrip(b"\n")
                room = MAX_LINE - len(pending)
                pending += body[: max(room, 0)]
                extra += max(len(body) - max(room, 0), 0)
                if chunk.endswith(b"\n"):
                    self._emit(bytes(pending), extra)
                    pending, extra = bytearray(), 0
            if pending or extra:
                self._emit(bytes(pending), extra)
        except (OSError, ValueError):  # the pipe was closed under us: the child is gone
            pass

    def finish(self) -> None:
        """After a flood: say how much was not shown, then show the kept tail."""
        hidden = [(n, text) for n, text in self.tail if n > self.live]
        if not hidden:
            return
        skipped = self.lines - self.live - len(hidden)
        if skipped:
            self._say(f"[tfcert] ... {skipped} lines not shown ...")
        for _, text in hidden:
            self._say(text)


def _kill_group(proc: subprocess.Popen[bytes], grace: float) -> None:
    """Stop the child and everything it started (its process group)."""
    if os.name != "posix":  # pragma: no cover - Windows
        if proc.poll() is None:
            subprocess.run(
                ["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, check=False
            )
            with contextlib.suppress(OSError):
                proc.kill()
        return
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=grace)
    # Whatever is left of the group (the child itself, or processes it started) goes now.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


def run_starter(
    folder: str | os.PathLike[str],
    *,
    python: str | None = None,
    timeout: float | None = None,
    echo: TextIO | None = None,
    keep: int = KEEP_LINES,
    live: int = LIVE_LINES,
    grace: float = 3.0,
) -> StarterRun:
    """Run `python starter.py` in `folder`, as the exam's plugin did; never raises for its sake.

    Output (stdout and stderr together) is echoed to `echo` as it comes, up to `live` lines,
    and the last `keep` lines are kept; after `timeout` seconds, or on Ctrl-C, the starter and
    every process it started are stopped (SIGTERM, then SIGKILL after `grace` seconds).
    Raises OSError only when the interpreter cannot be started at all.
    """
    env = dict(os.environ)
    env["PYTHONUNBUFFERED"] = "1"  # the user's prints appear as they happen
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    options: dict[str, Any] = (
        {"start_new_session": True}
        if os.name == "posix"
        else {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)}
    )
    started = time.monotonic()
    proc = subprocess.Popen(
        [python or sys.executable, STARTER],
        cwd=os.fspath(folder),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        **options,
    )
    # Everything after Popen sits inside the try: a Ctrl-C that lands while the reader thread
    # is starting (the starter may already be printing) must still stop the starter's group.
    assert proc.stdout is not None
    pump = _Pump(proc.stdout, echo, keep, live)
    reader = threading.Thread(target=pump.run, name="tfcert-starter-output", daemon=True)
    stopped: str | None = None
    try:
        try:
            reader.start()
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            stopped = "timeout"
    except KeyboardInterrupt:
        stopped = "interrupted"
    finally:
        try:
            _kill_group(proc, grace)
        except KeyboardInterrupt:  # a second Ctrl-C: no more grace
            _kill_group(proc, 0)
            stopped = "interrupted"
        proc.wait()
        if reader.ident is not None:  # started
            reader.join(timeout=5)
        if not reader.is_alive():
            proc.stdout.close()
    pump.finish()
    return StarterRun(
        exit_code=proc.returncode,
        stopped=stopped,
        lines=pump.lines,
        tail=tuple(text for _, text in pump.tail),
        seconds=time.monotonic() - started,
    )


def crash_reason(result: StarterRun) -> str:
    code = result.exit_code
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        how = f"was killed by {name}"
        if name == "SIGKILL":
            how += " (out of memory?)"
    else:
        how = f"stopped with exit code {code}"
    last = result.last_line
    if len(last) > 200:
        last = last[:200] + "..."
    return f"starter.py {how}" + (f": {last}" if last else "") + "; nothing was graded"
