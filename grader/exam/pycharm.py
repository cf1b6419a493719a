"""PyCharm files for the mock exam: "Submit and Test" as run configurations and an External Tool.

The exam's plugin added a "Submit and Test" action to PyCharm; these files give the mock exam
the same action: each runs `python -m grader exam submit` with the chosen interpreter.
"""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import quoteattr

from grader.core.atomic_files import write_text_atomic
from grader.exam.state import CATEGORIES

__all__ = ["RUN_CONFIG_DIR", "TOOLS_FILE", "write_pycharm"]

RUN_CONFIG_DIR = Path(".idea") / "runConfigurations"
TOOLS_FILE = Path(".idea") / "tools" / "External Tools.xml"


def _run_configuration(name: str, parameters: str, python: str) -> str:
    options = [
        ("INTERPRETER_OPTIONS", ""),
        ("PARENT_ENVS", "true"),
        ("SDK_HOME", python),
        ("WORKING_DIRECTORY", "$PROJECT_DIR$"),
        ("IS_MODULE_SDK", "false"),
        ("ADD_CONTENT_ROOTS", "true"),
        ("ADD_SOURCE_ROOTS", "true"),
        ("SCRIPT_NAME", "grader"),
        ("PARAMETERS", parameters),
        ("SHOW_COMMAND_LINE", "false"),
        ("EMULATE_TERMINAL", "false"),
        ("MODULE_MODE", "true"),
        ("REDIRECT_INPUT", "false"),
        ("INPUT_FILE", ""),
    ]
    body = "\n".join(f"    <option name={quoteattr(k)} value={quoteattr(v)} />" for k, v in options)
    return (
        '<component name="ProjectRunConfigurationManager">\n'
        f'  <configuration default="false" name={quoteattr(name)} '
        'type="PythonConfigurationType" factoryName="Python">\n'
        "    <envs>\n"
        '      <env name="PYTHONUNBUFFERED" value="1" />\n'
        "    </envs>\n"
        f"{body}\n"
        '    <method v="2" />\n'
        "  </configuration>\n"
        "</component>\n"
    )


def _external_tool(python: str) -> str:
    return (
        '<toolSet name="External Tools">\n'
        '  <tool name="Submit and Test" description="tfcert: run this category\'s starter.py, '
        'grade mymodel.h5 and record the score" showInMainMenu="true" showInEditor="true" '
        'showInProject="true" showInSearchPopup="true" disabled="false" useConsole="true" '
        'showConsoleOnStdOut="false" showConsoleOnStdErr="false" synchronizeAfterRun="true">\n'
        "    <exec>\n"
        f'      <option name="COMMAND" value={quoteattr(python)} />\n'
        '      <option name="PARAMETERS" value="-m grader exam submit &quot;$FileDir$&quot;" />\n'
        '      <option name="WORKING_DIRECTORY" value="$ProjectFileDir$" />\n'
        "    </exec>\n"
        "  </tool>\n"
        "</toolSet>\n"
    )


def write_pycharm(root: Path, python: str) -> list[Path]:
    """Write the run configurations and the External Tool under `root/.idea`; their paths."""
    files: dict[Path, str] = {
        RUN_CONFIG_DIR / "Submit_and_Test.xml": _run_configuration(
            "Submit and Test", 'exam submit "$FileDir$"', python
        ),
    }
    for n in CATEGORIES:
        files[RUN_CONFIG_DIR / f"Submit_and_Test_Category_{n}.xml"] = _run_configuration(
            f"Submit and Test: Category {n}", f"exam submit {n}", python
        )
    files[TOOLS_FILE] = _external_tool(python)
    written = []
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
        written.append(path)
    return written
