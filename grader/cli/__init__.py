"""The command line: `tfcert` (and `python -m grader`), a thin shell over the library.

`main` builds the parser of `tfcert grade`, `problems`, `starter` and `data`, runs the
command and turns every failure into one line and an exit code (`grader.core.exit_codes`,
their one home); `exam_commands` adds `tfcert exam` and its subcommands. Everything the
commands do is done by the layers below; this layer parses, prints and exits.
"""
