"""The data layer's one exception: a dataset cannot be found, installed or downloaded."""

from __future__ import annotations

__all__ = ["DataError"]


class DataError(Exception):
    """A dataset cannot be found, installed or downloaded; the message says what to do."""
