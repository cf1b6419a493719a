"""The `tfcert` command's exit codes and its one-line error messages."""

from __future__ import annotations

import enum
import sys

__all__ = ["ExitCode", "err"]


class ExitCode(enum.IntEnum):
    """What every `tfcert` command returns; the README and `tfcert --help` list them."""

    OK = 0
    FAILED = 1  # below --min-score; a failed or refused exam submission
    USAGE = 2  # bad command-line arguments
    REJECTED = 3  # the model file was rejected (unreadable, unsafe or the wrong shape)
    DATA = 4  # a dataset is missing
    INTERRUPTED = 130  # Ctrl-C (or SIGTERM during a submission)


def err(message: str) -> None:
    """One line on stderr, prefixed like every tfcert message."""
    print(f"tfcert: {message}", file=sys.stderr)
