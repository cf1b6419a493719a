"""The site's address: mkdocs.yml's `site_url`, and the setting that replaces it for one build.

One home for it: the hooks (tools/mkdocs_site_quality.py), the local server
(tools/serve_site.py), Lighthouse (tools/lighthouse.py) and the link tests read it here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
# Replaces site_url for one build (tools/mkdocs_site_quality.py: on_config); the local test
# builds set it to the local server's address.
SITE_URL_ENV = "TFCERT_SITE_URL"


def with_slash(url: str) -> str:
    """A site address ends in '/' (an empty one stays empty)."""
    return url if not url or url.endswith("/") else url + "/"


class _PlainLoader(yaml.SafeLoader):
    """YAML without code: a tagged value (`!!python/...`, `!ENV`) reads as None."""


_PlainLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def mkdocs_config(config_file: Path = MKDOCS_YML) -> dict[str, Any]:
    """mkdocs.yml as written (no plugin runs, no `!!python` value is made)."""
    config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_PlainLoader)
    return config if isinstance(config, dict) else {}


def published_url(config_file: Path = MKDOCS_YML) -> str:
    """mkdocs.yml's site_url, ending in '/' ('' when it has none)."""
    url = mkdocs_config(config_file).get("site_url")
    return with_slash(str(url).strip()) if url else ""


def build_url_override() -> str:
    """The site_url that the environment sets for this build ('' when none)."""
    return with_slash(os.environ.get(SITE_URL_ENV, "").strip())


def site_path(url: str | None = None) -> str:
    """The path that a site_url serves the site under: '/tfcert/' (or '/')."""
    path = urlsplit(published_url() if url is None else url).path.strip("/")
    return f"/{path}/" if path else "/"
