"""Rewrite wikilinks that point at one note so they point at another. Pure text in, text out.

Used by `merge`: every link to OTHER becomes a link to KEEP.
- In the body, what the reader saw is kept: `[[Other]]` becomes `[[Keep|Other]]`,
  `[[Other|shown]]` becomes `[[Keep|shown]]`, `[[Other#Log]]` becomes `[[Keep#Log|Other]]`
  (the heading travels with the merged text). Embeds get no display text:
  `![[Other]]` becomes `![[Keep]]`; nor do links in table rows, where the `|` would have
  to be escaped (`[[Other\\|shown]]` keeps its escaped display text).
- In the front matter a link is a reference, not prose: `"[[Other]]"` becomes `"[[Keep]]"`.
- Links inside fenced code blocks and inline code are not links and are left alone;
  so are markdown links (`[text](Other.md)`).
Which link targets mean the old note is the caller's decision (`names`, folded).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from .parse import fold
from .syntax import WIKILINK, code_spans, front_matter_end, in_code_fences

_TARGET_END = re.compile(r"[#^]")


@dataclass(frozen=True, slots=True)
class Relinked:
    text: str
    count: int  # links rewritten


def link_key(target: str) -> str:
    """The folded form of a link target as `names` holds it (no `.md`, no heading)."""
    target = target.strip()
    if target.lower().endswith(".md"):
        target = target[:-3]
    return fold(target)


def _rewrite_one(
    match: re.Match[str], names: Collection[str], new_target: str, *, body: bool, table: bool
) -> str | None:
    embed, inner = match.group(1), match.group(2)
    head, bar, display = inner.partition("|")
    escaped_bar = bar and head.endswith("\\")
    if escaped_bar:
        head = head[:-1]
    cut = _TARGET_END.search(head)
    target = head[: cut.start()] if cut else head
    suffix = head[cut.start() :] if cut else ""
    if link_key(target) not in names:
        return None
    new_inner = new_target + suffix.rstrip()
    if bar:
        new_inner += ("\\|" if escaped_bar else "|") + display
    elif body and not embed and not table:
        new_inner += "|" + target.strip()
    return f"{embed}[[{new_inner}]]"


def _rewrite_line(
    line: str, names: Collection[str], new_target: str, *, body: bool
) -> tuple[str, int]:
    if "[[" not in line:
        return line, 0
    code = code_spans(line) if body and "`" in line else []
    table = body and line.lstrip().startswith("|")
    count = 0
    out: list[str] = []
    last = 0
    for match in WIKILINK.finditer(line):
        if any(start <= match.start() < end for start, end in code):
            continue
        new = _rewrite_one(match, names, new_target, body=body, table=table)
        if new is None:
            continue
        out.append(line[last : match.start()])
        out.append(new)
        last = match.end()
        count += 1
    out.append(line[last:])
    return "".join(out), count


def relink(text: str, names: Collection[str], new_target: str) -> Relinked:
    """`text` with every wikilink whose target folds to one of `names` pointed at
    `new_target` (a file name or vault path without `.md`)."""
    split = front_matter_end(text)
    count = 0
    head_lines: list[str] = []
    for line in text[:split].split("\n") if split else []:
        new, n = _rewrite_line(line, names, new_target, body=False)
        head_lines.append(new)
        count += n
    body_lines: list[str] = []
    lines = text[split:].split("\n")
    for line, in_code in zip(lines, in_code_fences(lines), strict=True):
        if in_code:
            body_lines.append(line)
            continue
        new, n = _rewrite_line(line, names, new_target, body=True)
        body_lines.append(new)
        count += n
    head = "\n".join(head_lines)
    # The front-matter part ended with a line break, which split() turned into a last "".
    return Relinked(head + "\n".join(body_lines) if split else "\n".join(body_lines), count)
