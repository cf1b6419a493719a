"""Keeping TensorFlow quiet: its C++ start-up lines, its Python log records and prints.

TensorFlow writes some lines from C++ straight to file descriptor 2 ("oneDNN custom
operations are on", "All log messages before absl::InitializeLog() ..."), below Python's
reach; others go through Python's logging or print. The grader shows neither: a learner
sees tfcert's own lines only (`tfcert --verbose` shows TensorFlow's too).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import sys
from collections.abc import Iterator

__all__ = ["native_stderr_hidden", "quiet_tf", "silenced"]


def quiet_tf() -> None:
    """Hide TensorFlow's C++ info and warning lines (set before TensorFlow is imported)."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Keep Keras and TensorFlow quiet: their prints, and their log records (a logging
    handler keeps the stderr it was made with, so redirecting stderr alone does not stop
    "triggered tf.function retracing" when several models are graded in one process)."""
    loggers = [logging.getLogger(name) for name in ("tensorflow", "absl")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@contextlib.contextmanager
def native_stderr_hidden() -> Iterator[None]:
    """Send what C++ code writes to file descriptor 2 nowhere; Python's stderr still shows.

    TensorFlow prints start-up lines ("oneDNN custom operations are on", "All log messages
    before absl::InitializeLog() ...") from C++, below Python's reach; our own messages and
    Python warnings go through `sys.stderr`, which keeps writing to the real terminal.
    """
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (AttributeError, OSError, ValueError):  # no real stderr: nothing to hide
        yield
        return
    python_stderr = open(  # noqa: SIM115 - closed in the finally block below
        os.dup(saved), "w", encoding=sys.stderr.encoding or "utf-8", errors="replace", buffering=1
    )
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    previous, sys.stderr = sys.stderr, python_stderr
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            python_stderr.flush()
        sys.stderr = previous
        os.dup2(saved, 2)
        os.close(saved)
        python_stderr.close()
