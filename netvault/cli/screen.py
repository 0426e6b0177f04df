"""Fitting text output to the screen: `--limit`, "… and N more", long lists of names.

The screen is `shutil.get_terminal_size`: the COLUMNS and LINES variables first, then the
terminal stdout is on, else FALLBACK_SIZE (80 x 24, the classic terminal) when stdout is a
pipe or a file. A cut list always says how many rows it left out; `--limit 0` shows them all.
"""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])
T = TypeVar("T")

FALLBACK_SIZE = (80, 24)
# Lines kept free below the output: the next shell prompt, and the line that typed the command.
PROMPT_LINES = 2
# The fewest rows a fitted list shows, however small the screen.
MIN_FITTED_ROWS = 3
# A long list of names gets at most this many lines before "… and N more".
NAME_LIST_LINES = 3

LIMIT_HELP = (
    "Show at most N{rows} (0: all). Default: as many as fit the screen in text, all with --json."
)
# Words never split inside a name: a stand-in for its spaces while wrapping (private use area).
_KEEP_TOGETHER = "\ue000"


def screen_size() -> os.terminal_size:
    return shutil.get_terminal_size(FALLBACK_SIZE)


def limit_option(func: F, rows: str = "") -> F:
    return click.option(
        "--limit", type=click.IntRange(min=0), default=None, metavar="N",
        help=LIMIT_HELP.format(rows=rows),
    )(func)


def limit_per_list_option(func: F) -> F:
    return limit_option(func, " in each list")


def more_line(total: str, hidden: int) -> str:
    """The line a cut list ends with: its total, how to see all, how many were left out."""
    return f"{total} (--limit 0 lists all): … and {hidden} more"


def limited(items: Sequence[T], limit: int | None) -> Sequence[T]:
    """What `--json` prints: every item unless `--limit N` (N > 0) cuts the list."""
    return items[:limit] if limit else items


def rows(
    items: Sequence[T], limit: int | None, render: Callable[[T], list[str]], other_lines: int
) -> list[list[str]]:
    """The rendered rows text prints: `limit` of them (0: all) or, with no limit, as many as
    fit the screen with `other_lines` lines (headings, totals) around them. Rendering stops
    when the screen is full, so a long list costs only what is shown."""
    if limit is not None:
        return [render(item) for item in limited(items, limit)]
    return fit_blocks((render(item) for item in items), room_for_rows(other_lines))


def fit_blocks(blocks: Iterable[list[str]], room: int) -> list[list[str]]:
    """The blocks of lines, in order, that fit in `room` lines; at least MIN_FITTED_ROWS
    blocks however small the screen."""
    fitted: list[list[str]] = []
    used = 0
    for block in blocks:
        if used + len(block) > room and len(fitted) >= MIN_FITTED_ROWS:
            break
        fitted.append(block)
        used += len(block)
    return fitted


def room_for_rows(other_lines: int) -> int:
    """Screen lines left for the rows of a list when `other_lines` lines (headings, totals,
    "… and N more") are printed around them."""
    return screen_size().lines - PROMPT_LINES - other_lines


def shared_cap(sizes: Sequence[int], room: int) -> int | None:
    """The most rows each of several lists may show so that together they fit in `room`
    lines, counting the "… and N more" line each cut list gets; None when all fit whole.
    At least MIN_FITTED_ROWS each, however small the screen."""

    def lines(cap: int) -> int:
        return sum(min(size, cap) + (size > cap) for size in sizes)

    if sum(sizes) <= room:
        return None
    cap = MIN_FITTED_ROWS
    while lines(cap + 1) <= room:
        cap += 1
    return cap


def wrap_names(head: str, names: Sequence[str], tail: str = "") -> list[str]:
    """`head` then the names, comma-separated, wrapped to the screen's width (a name is never
    split), at most NAME_LIST_LINES lines: names that do not fit become "… and N more".
    `tail` closes the list (a bracket)."""
    width = max(screen_size().columns, 20)

    def lines_for(shown: int) -> list[str]:
        parts = [name.replace(" ", _KEEP_TOGETHER) for name in names[:shown]]
        if shown < len(names):
            parts.append(f"…{_KEEP_TOGETHER}and{_KEEP_TOGETHER}{len(names) - shown}"
                         f"{_KEEP_TOGETHER}more")
        text = head + ", ".join(parts) + tail
        wrapped = textwrap.wrap(
            text, width, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
        )
        return [line.replace(_KEEP_TOGETHER, " ") for line in wrapped]

    every = lines_for(len(names))
    if len(every) <= NAME_LIST_LINES:
        return every
    # The most names that still fit; more names never take fewer lines.
    low, high = 0, len(names) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if len(lines_for(middle)) <= NAME_LIST_LINES:
            low = middle
        else:
            high = middle - 1
    return lines_for(low)
