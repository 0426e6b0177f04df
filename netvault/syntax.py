"""Note syntax, in one place: front-matter delimiters, wikilinks, headings, code.

The parser, the editor, merge and relink all read notes through these rules, so what one of
them takes for front matter, a link or a heading, the others do too. (An edit that saw no
front matter where the parser saw one would put a second block on top, and the note would
lose its tie and its consent.)
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from frontmatter.default_handlers import YAMLHandler

BOM = "\ufeff"

# ---- front matter ----------------------------------------------------------------------------

# python-frontmatter's boundary (`^-{3,}\s*$`), applied to one line at a time: three or more
# dashes, then nothing but whitespace (a CR, a no-break space). So `----` and `---<NBSP>` open
# front matter for the parser and the editor alike; the editor keeps the delimiters it found.
_DELIMITER = YAMLHandler.FM_BOUNDARY


def is_delimiter(line: str) -> bool:
    """True if `line` (without its `\\n`) opens or closes a front-matter block."""
    return "\n" not in line and _DELIMITER.fullmatch(line) is not None


@dataclass(frozen=True, slots=True)
class FrontMatterBlock:
    """Where a front-matter block sits in a text (character offsets).

    `closed` is False for a block opened on the first line and never closed; its body then
    runs to the end of the text (the parser reads such a note as body; the editor refuses it).
    """

    start: int  # the opening line (after a BOM)
    body_start: int  # first character after the opening line
    body_end: int  # first character of the closing line
    end: int  # first character after the closing line and its line break
    opening: str  # the delimiter lines as written, without line breaks
    closing: str
    closed: bool = True


def find_front_matter(text: str) -> FrontMatterBlock | None:
    """The front-matter block at the top of `text` (LF or CRLF, with or without a BOM), or
    None when the first line is not a delimiter."""
    start = 1 if text.startswith(BOM) else 0
    if not text.startswith("---", start):
        return None
    newline = text.find("\n", start)
    first_end = newline if newline != -1 else len(text)
    opening = text[start:first_end]
    if not is_delimiter(opening):
        return None
    if newline == -1:
        return FrontMatterBlock(start, len(text), len(text), len(text), opening, "", closed=False)
    pos = newline + 1
    while pos < len(text):
        nxt = text.find("\n", pos)
        line_end = nxt if nxt != -1 else len(text)
        if is_delimiter(text[pos:line_end]):
            end = nxt + 1 if nxt != -1 else len(text)
            return FrontMatterBlock(start, newline + 1, pos, end, opening, text[pos:line_end])
        pos = line_end + 1
    return FrontMatterBlock(start, newline + 1, len(text), len(text), opening, "", closed=False)


def front_matter_end(text: str) -> int:
    """Offset just after the closing delimiter line of a front-matter block, 0 if none."""
    block = find_front_matter(text)
    return block.end if block is not None and block.closed else 0


# ---- wikilinks ---------------------------------------------------------------------------------

# `[[target#heading|shown]]`, optionally an embed `![[...]]` (group 1), inner text group 2.
WIKILINK = re.compile(r"(!?)\[\[([^\[\]\n]+?)\]\]")
_WHOLE_WIKILINK = re.compile(r"\s*\[\[([^\[\]\n]+)\]\]\s*")
_TARGET_END = re.compile(r"[#^]")
_EMBED_EXTENSIONS = re.compile(
    r"\.(png|jpe?g|gif|svg|webp|bmp|pdf|mp3|mp4|webm|wav|ogg|m4a|mov|canvas|base)$", re.IGNORECASE
)


def link_target(inner: str) -> str | None:
    """`Name#Heading|shown` -> `Name`; None for embeds of non-note files and bare anchors."""
    # Inside a markdown table Obsidian writes the alias separator escaped: [[Name\|shown]].
    target = inner.replace("\\|", "|").split("|", 1)[0]
    target = _TARGET_END.split(target, maxsplit=1)[0].strip()
    if not target or _EMBED_EXTENSIONS.search(target):
        return None
    if target.lower().endswith(".md"):
        target = target[:-3]
    return target


def whole_wikilink(text: str) -> str | None:
    """The inner text when `text` is one whole wikilink (`" [[Ada Okafor|Ada]] "` ->
    `Ada Okafor|Ada`), else None."""
    match = _WHOLE_WIKILINK.fullmatch(text)
    return match.group(1) if match else None


def link_text(text: str) -> str:
    """Text with each wikilink as Obsidian shows it: `[[Ada Okafor|Ada]]` reads `Ada`,
    `[[people/Ben Carter#Log]]` reads `Ben Carter`, `![[x.png]]` reads `x.png`."""

    def shown(match: re.Match[str]) -> str:
        inner = match.group(2).replace("\\|", "|")
        if "|" in inner:
            return inner.split("|", 1)[1].strip()
        return _TARGET_END.split(inner, maxsplit=1)[0].strip().rsplit("/", 1)[-1]

    return WIKILINK.sub(shown, text)


# ---- headings ----------------------------------------------------------------------------------

# An ATX heading: up to 3 spaces, 1-6 `#`, then blanks and the title (or nothing).
# Greedy title, trimmed in Python: a lazy title before `[ \t]*` backtracks quadratically.
HEADING = re.compile(r" {0,3}(#{1,6})(?:[ \t]+(.*))?")


def heading_title(raw: str) -> str:
    """A heading's text without trailing blanks and without a closing `##` run."""
    title = raw.rstrip(" \t")
    bare = title.rstrip("#")
    if bare != title and (not bare or bare[-1] in " \t"):
        title = bare.rstrip(" \t")
    return title


def headings(lines: Sequence[str]) -> list[tuple[int, int, str]]:
    """(line index, level, title) of each ATX heading outside fenced code; lines may end
    in a CR."""
    found: list[tuple[int, int, str]] = []
    for index, (raw, in_code) in enumerate(zip(lines, in_code_fences(lines), strict=True)):
        if in_code or "#" not in raw:
            continue
        match = HEADING.fullmatch(raw.rstrip("\r"))
        if match:
            found.append((index, len(match.group(1)), heading_title(match.group(2) or "")))
    return found


# ---- code --------------------------------------------------------------------------------------

_BACKTICKS = re.compile(r"`+")
_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")


def code_spans(line: str) -> list[tuple[int, int]]:
    """(start, end) of each inline code span, as CommonMark pairs backtick runs: a run opens
    a span closed by the next run of the same length. Linear even for a line of backticks."""
    runs = [match.span() for match in _BACKTICKS.finditer(line)]
    later: dict[int, list[int]] = {}  # run length -> indexes of runs, last one first
    for number in range(len(runs) - 1, -1, -1):
        start, end = runs[number]
        later.setdefault(end - start, []).append(number)
    spans: list[tuple[int, int]] = []
    number = 0
    while number < len(runs):
        start, end = runs[number]
        same = later[end - start]
        while same and same[-1] <= number:
            same.pop()
        if same:
            closing = same.pop()
            spans.append((start, runs[closing][1]))
            number = closing + 1
        else:
            number += 1
    return spans


def without_code_spans(line: str) -> str:
    kept: list[str] = []
    position = 0
    for start, end in code_spans(line):
        kept.append(line[position:start])
        position = end
    kept.append(line[position:])
    return "".join(kept)


def in_code_fences(lines: Sequence[str]) -> list[bool]:
    """For each line, whether it belongs to fenced code (the fence lines included).

    CommonMark's rule: a fence opens with 3+ backticks or tildes (up to 3 spaces in) and
    closes with a run of the same character at least as long and nothing after it; an
    unclosed fence runs to the end.
    """
    flags: list[bool] = []
    fence: str | None = None
    for raw in lines:
        line = raw.rstrip("\r")
        # The substring test only skips a regex that could not match.
        opening = _FENCE.match(line) if "```" in line or "~~~" in line else None
        if fence is None:
            if opening:
                fence = opening.group(1)
            flags.append(fence is not None)
            continue
        flags.append(True)
        if (
            opening
            and opening.group(1).startswith(fence)
            and not line[opening.end() :].strip()
        ):
            fence = None
    return flags
