"""JupyterLab's CSS cut down to what one notebook page can use (tools/mkdocs_site_quality.py).

mkdocs-jupyter inlines about 590 KB of JupyterLab's CSS into every notebook page. A page
keeps the rules whose selectors can match its classes (conservatively: a rule stays unless a
class it requires is missing) and the custom properties that something kept reads with
var(), following var() chains: about 14 KB. tinycss2 (which comes with nbconvert) parses the
CSS; without it the CSS is kept whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

# A tinycss2 node (a token, rule or declaration): tinycss2 ships no type hints.
Node = Any
# Pass 1's tree: (selectors, declarations), (at-rule head, children) or (None, at-rule text).
Kept = list[tuple[str | None, Any]]


def sha256_text(text: str) -> str:
    """The SHA-256 of a text's UTF-8 bytes, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _selector_keeps(tokens: Sequence[Node], classes: set[str]) -> bool:
    """Whether a selector can match a page with these classes (conservatively: True).

    Only classes outside functional pseudo-classes (:not(), :is(), ...) are required, and a
    `:root` after anything else (`.jupyter-wrapper :root`, all over JupyterLab's CSS) never
    matches.
    """
    seen_other = False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if tok.type == "literal" and nxt is not None and nxt.type == "ident":
            if tok.value == "." and nxt.value not in classes:
                return False
            if tok.value == ":" and nxt.value.lower() == "root" and seen_other:
                return False
        if tok.type not in ("whitespace", "comment"):
            seen_other = True
    return True


_VAR_REF = re.compile(r"var\(\s*(--[\w-]+)")


def _var_refs(tokens: Sequence[Node]) -> set[str]:
    """Custom properties a token list reads with var()."""
    found: set[str] = set()
    for tok in tokens:
        if tok.type == "function":
            if tok.lower_name == "var":
                for arg in tok.arguments:
                    if arg.type == "ident" and arg.value.startswith("--"):
                        found.add(arg.value)
                        break
            found |= _var_refs(tok.arguments)
        elif tok.type in ("() block", "[] block", "{} block"):
            found |= _var_refs(tok.content)
    return found


_parsed: dict[str, list[Node]] = {}


def prune_css(css: str, classes: set[str], document: str = "") -> str:
    """The rules of css that can match a document with these classes (conservatively),
    without the custom properties that nothing left reads."""
    try:
        import tinycss2
    except ImportError:  # comes with nbconvert (bleach[css]); without it, keep everything
        return css

    key = sha256_text(css)
    if key not in _parsed:  # the same CSS on every notebook page: parse it once per build
        _parsed.clear()
        _parsed[key] = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)

    # Pass 1: the rules to keep, as (selectors, declarations) or (at-rule head, children).
    def keep(rules: Sequence[Node]) -> Kept:
        out: Kept = []
        for rule in rules:
            if rule.type == "qualified-rule":
                selectors: list[list[Node]] = [[]]
                for tok in rule.prelude:
                    if tok.type == "literal" and tok.value == ",":
                        selectors.append([])
                    else:
                        selectors[-1].append(tok)
                kept = [
                    tinycss2.serialize(s).strip() for s in selectors if _selector_keeps(s, classes)
                ]
                if kept:
                    decls = [
                        d
                        for d in tinycss2.parse_declaration_list(
                            rule.content, skip_comments=True, skip_whitespace=True
                        )
                        if d.type == "declaration"
                    ]
                    out.append((",".join(kept), decls))
            elif rule.type == "at-rule":
                name = rule.lower_at_keyword
                if name in {"media", "supports", "layer", "container"} and rule.content:
                    inner = keep(
                        tinycss2.parse_rule_list(
                            rule.content, skip_comments=True, skip_whitespace=True
                        )
                    )
                    if inner:
                        head = f"@{rule.at_keyword} {tinycss2.serialize(rule.prelude).strip()}"
                        out.append((head, inner))
                elif name != "charset":
                    out.append((None, tinycss2.serialize([rule])))
        return out

    tree = keep(_parsed[key])

    # Pass 2: custom properties that something kept reads, following var() chains.
    custom: dict[str, set[str]] = {}
    used = set(_VAR_REF.findall(document))

    def scan(items: Kept) -> None:
        for head, body in items:
            if head is None:
                used.update(_VAR_REF.findall(body))
            elif isinstance(body, list) and body and isinstance(body[0], tuple):
                scan(body)
            else:
                for d in body:
                    refs = _var_refs(d.value)
                    if d.name.startswith("--"):
                        custom.setdefault(d.name, set()).update(refs)
                    else:
                        used.update(refs)

    scan(tree)
    todo = list(used)
    while todo:
        for ref in custom.get(todo.pop(), ()):
            if ref not in used:
                used.add(ref)
                todo.append(ref)

    def write(items: Kept) -> list[str]:
        out: list[str] = []
        for head, body in items:
            if head is None:
                out.append(body)
            elif isinstance(body, list) and body and isinstance(body[0], tuple):
                inner = write(body)
                if inner:
                    out.append(f"{head}{{{''.join(inner)}}}")
            else:
                decls = [
                    f"{d.name}:{tinycss2.serialize(d.value).strip()}"
                    + ("!important" if d.important else "")
                    for d in body
                    if not d.name.startswith("--") or d.name in used
                ]
                if decls:
                    out.append(f"{head}{{{';'.join(decls)}}}")
        return out

    return "\n".join(write(tree)) + "\n"
