"""MkDocs hook: the in-browser grader's page (docs/grade-in-browser.md), its data and libraries.

- The page's form and its table of published data are rendered into the page's
  placeholders, with every problem and whether this build can grade it.
- After the last language is built, assets/browser-grader/ receives what
  tools/browser_grader_export.py made from the Python grader (manifest.json and the
  evaluation data) and the JavaScript libraries copied from node_modules at the versions
  package.json pins (no CDN: the page asks nothing of any other host).

A problem it cannot publish gets a reason on the page instead. A complete build (the Pages
job, `make build`, the tests' builds: tools/build_site.py sets COMPLETE_ENV) fails instead
where the page would be degraded: its libraries missing, or the data of a problem that it
may publish (licence and source allow) missing from this machine.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path
from typing import Any

from browser_grader_export import VENDOR, Export, build_export
from build_site import COMPLETE_ENV, NODE_MODULES
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

PAGE = "grade-in-browser"  # docs/grade-in-browser.md and .ko.md
PLACEHOLDER = '<div id="tfcert-grader"></div>'
DATA_PLACEHOLDER = '<div id="tfcert-grader-data"></div>'
OUT = "assets/browser-grader"
SCRIPT = "javascripts/browser-grader/page.js"

# --------------------------------------------------------------------------- the page

_WORDS = {
    "en": {
        "problem": "Problem",
        "file": "Model file (.h5 or .keras)",
        "drop": "Drop mymodel.h5 (or a .keras file) here, or choose it:",
        "online": "online only: grade it with tfcert",
        "licence": "its data may not be published: grade it with tfcert",
        "data": "not in this build: its data was missing when the site was built",
        "nolib": "The grading libraries are missing from this build",
    },
    "ko": {
        "problem": "문제",
        "file": "모델 파일(.h5 또는 .keras)",
        "drop": "mymodel.h5(또는 .keras 파일)를 여기에 끌어다 놓거나 직접 고르세요:",
        "online": "온라인 전용: tfcert로 채점하세요",
        "licence": "데이터를 공개할 수 없음: tfcert로 채점하세요",
        "data": "이 빌드에 없음: 사이트를 빌드할 때 데이터가 없었음",
        "nolib": "이 빌드에는 채점 라이브러리가 없습니다",
    },
}


def _language(config: Any) -> str:
    plugin = config["plugins"].get("i18n")
    lang = getattr(plugin, "current_language", None) if plugin else None
    return lang if lang in _WORDS else "en"


def render_form(page_url: str, lang: str) -> str:
    """The grader's form, with every problem and whether this build can grade it."""
    export = build_export()
    words = _WORDS[lang]
    base = get_relative_url(OUT + "/", page_url)
    script = get_relative_url(SCRIPT, page_url)
    options = []
    first = True
    for p in export.manifest["problems"]:
        label = p["id"]
        if not p["available"]:
            label += f" ({words[p['why_not']]})"
        attrs = "" if p["available"] else " disabled"
        if p["available"] and first:
            attrs, first = " selected", False
        options.append(
            f'<option value="{html.escape(p["id"])}"{attrs}>{html.escape(label)}</option>'
        )
    missing = export.manifest["libraries"] is None
    note = ""
    if missing:
        why = html.escape(export.manifest["libraries_missing"])
        note = f'<p class="tfcert-grader__missing">{words["nolib"]}: {why}</p>'
    off = " disabled" if missing else ""
    parts = [
        f'<form class="tfcert-grader" id="tfcert-grader" data-base="{html.escape(base)}" '
        f'data-lang="{lang}">',
        note,
        f'<p><label for="tfcert-grader-problem">{words["problem"]}</label> ',
        f'<select id="tfcert-grader-problem" name="problem"{off}>{"".join(options)}</select></p>',
        '<div class="tfcert-grader__drop" id="tfcert-grader-drop">',
        f'<label for="tfcert-grader-file">{words["drop"]}</label> ',
        f'<input type="file" id="tfcert-grader-file" name="model" accept=".h5,.hdf5,.keras"{off}>',
        "</div>",
        '<p class="tfcert-grader__status" id="tfcert-grader-status" role="status" '
        'aria-live="polite"></p>',
        '<p class="tfcert-grader__score" id="tfcert-grader-score" hidden></p>',
        '<pre class="tfcert-grader__output" id="tfcert-grader-output" hidden></pre>',
        "</form>",
        f'<script type="module" src="{html.escape(script)}"></script>',
    ]
    return "".join(parts)


_TABLE_HEAD = {
    "en": ("Problem", "Dataset", "Licence", "On this site"),
    "ko": ("문제", "데이터셋", "라이선스", "이 사이트에"),
}
_TABLE = {
    "en": {
        "yes": "published ({size} gzipped)",
        "online": "no: online only",
        "licence": "no: its licence does not allow it",
        "data": "no: missing when this site was built",
        "none": "(no dataset)",
    },
    "ko": {
        "yes": "공개됨(gzip {size})",
        "online": "없음: 온라인 전용",
        "licence": "없음: 라이선스가 허용하지 않음",
        "data": "없음: 사이트를 빌드할 때 데이터가 없었음",
        "none": "(데이터셋 없음)",
    },
}


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{max(n, 1000) / 1e3:.0f} KB"


def render_data_table(lang: str) -> str:
    """Each problem's dataset, its licence (from the data registry) and whether its
    evaluation split is published with this build."""
    from grader.data.registry import DATASETS

    words = _TABLE[lang]
    rows = []
    for p in build_export().manifest["problems"]:
        ds = DATASETS.get(p["dataset"])
        name = (
            f'<a href="{html.escape(ds.homepage)}">{html.escape(ds.name)}</a>'
            if ds
            else words["none"]
        )
        licence = html.escape(ds.licence) if ds else "-"
        if p["available"]:
            state = words["yes"].format(size=_size(p["x"]["bytes"] + p["y"]["bytes"]))
        else:
            state = words[p["why_not"]]
        rows.append(
            f"<tr><td><code>{html.escape(p['id'])}</code></td><td>{name}</td>"
            f"<td>{licence}</td><td>{html.escape(state)}</td></tr>"
        )
    head = "".join(f"<th>{h}</th>" for h in _TABLE_HEAD[lang])
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _is_grader_page(page: Any) -> bool:
    return Path(page.file.src_uri).name.split(".")[0] == PAGE


def on_page_content(html_text: str, page: Any, config: Any, files: Any) -> str:
    if not _is_grader_page(page):
        return html_text
    if PLACEHOLDER not in html_text:
        raise PluginError(f"browser grader: {page.file.src_uri} lacks {PLACEHOLDER}")
    lang = _language(config)
    html_text = html_text.replace(PLACEHOLDER, render_form(page.url, lang), 1)
    if DATA_PLACEHOLDER in html_text:
        html_text = html_text.replace(DATA_PLACEHOLDER, render_data_table(lang), 1)
    return html_text


_written: set[str] = set()


def on_config(config: Any) -> Any:
    plugin = config["plugins"].get("i18n")
    lang = getattr(plugin, "current_language", None) if plugin else None
    if plugin is None or lang in (None, plugin.default_language):
        _written.clear()  # a new build (mkdocs serve rebuilds in the same process)
    return config


def degraded(export: Export) -> list[str]:
    """What the page would lack, each with the command that supplies it."""
    found = []
    if export.manifest["libraries"] is None:
        found.append(f"its libraries ({export.manifest['libraries_missing']}): run npm ci")
    for problem in export.manifest["problems"]:
        if problem.get("why_not") == "data":
            found.append(
                f"the data of {problem['id']}: run tfcert data prepare {problem['dataset']}"
            )
    return found


@event_priority(-200)  # after mkdocs-static-i18n has built the other languages
def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    if str(site) in _written:
        return
    _written.add(str(site))
    export = build_export()
    if os.environ.get(COMPLETE_ENV) and (lacks := degraded(export)):
        raise PluginError(
            "browser grader: this build would publish a degraded page, lacking " + "; ".join(lacks)
        )
    out = site / OUT
    (out / "data").mkdir(parents=True, exist_ok=True)
    for name, blob in export.files.items():
        (out / "data" / name).write_bytes(blob)
    if export.manifest["libraries"] is not None:
        for target, (package, path) in VENDOR.items():
            dest = out / "vendor" / target
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes((NODE_MODULES / package / path).read_bytes())
    text = json.dumps(export.manifest, separators=(",", ":"), sort_keys=False)
    (out / "manifest.json").write_text(text, encoding="utf-8")
