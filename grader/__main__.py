"""`python -m grader`: the `tfcert` command (grader.cli.main)."""

from grader.cli.main import entrypoint, main

__all__ = ["main"]

if __name__ == "__main__":
    entrypoint()
