"""`python -m grader`: the `tfcert` command (grader._cli)."""

from grader._cli import entrypoint, main

__all__ = ["main"]

if __name__ == "__main__":
    entrypoint()
