"""The basics: what every layer may use and which imports nothing of the grader's own.

The package's version (`version`, from its installed metadata), files that are never half
written, locks that die with their process and a file's SHA-256 (`atomic_files`), keeping
TensorFlow's logging quiet (`quiet`), and the `tfcert` command's exit codes, their one home
(`exit_codes`). The layers above, lowest first: `grader.data`, `grader.modelfile`,
`grader.problems`, `grader.exam`, `grader.cli`; a module imports only from its own layer's
earlier modules and from the layers below it (tests/test_repo.py checks that).
"""
