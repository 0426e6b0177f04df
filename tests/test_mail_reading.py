"""Reading mailboxes fast without reading them differently: mbox boundaries and header
blocks exactly as the stdlib's `mailbox.mbox` has them, and header fields exactly as its
`email` parser reads them, on random input."""

from __future__ import annotations

import mailbox
import re
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.importers.mail import (
    blank_line_at,
    headers_from,
    mbox_head,
    mbox_spans,
    parse_headers,
    read_head,
    stdlib_fields,
)

# Lines that move mbox boundaries: "From " lines (escaped or not, with CRLF or without an
# end), blank lines of both kinds, lone CRs, headers and body text.
_MBOX_LINES = st.lists(
    st.sampled_from([
        b"From a@b Mon Nov 16 12:00:00 2026\n", b"From \n", b"From x", b">From y\n", b"\n",
        b"\r\n", b"\r", b"From: a@b\n", b"To: c@d\r\n", b"Date: x\n", b"text\n", b"From",
        b" folded\n", b"\n\n",
    ]) | st.binary(max_size=12),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(lines=_MBOX_LINES, chunk_size=st.sampled_from([1, 3, 7, 16, 1 << 20]))
def test_mbox_boundaries_and_heads_are_those_of_the_stdlib_mailbox(
    lines: list[bytes], chunk_size: int
) -> None:
    data = b"".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "box.mbox"
        path.write_bytes(data)
        box = mailbox.mbox(path, create=False)
        try:
            expected = [box.get_bytes(key, from_=True) for key in box.iterkeys()]
            heads = []
            for key in box.iterkeys():
                with box.get_file(key) as handle:
                    heads.append(read_head(handle))
        finally:
            box.close()
        with path.open("rb") as handle:
            spans = mbox_spans(handle, chunk_size)
            assert [data[start:stop] for start, stop in spans] == expected
            assert [mbox_head(handle, start, stop) for start, stop in spans] == heads


# Header lines that read differently together than alone, and values of every kind:
# folded, CRLF, lone CR, 8-bit, encoded words, a space before the colon, empty.
_HEADER_LINES = st.lists(
    st.sampled_from([
        b"From: Ada <ada@example.com>\n", b"from:ada@example.com\r\n", b"To: a@x, b@y\n",
        b"To :c@z\n", b"Cc\t: d@w\n", b"CC: =?utf-8?q?Zo=C3=AB?= <zoe@x>\n", b" folded@x\n",
        b"\tmore\r\n", b"Date: Mon, 16 Nov 2026 12:00:00 +0000\n", b"Date:\n",
        b"List-Id: <x.list>\n", b"Precedence: bulk\n", b"Auto-Submitted: auto-replied\n",
        b"Subject: hi\n", b"To: \xc3\xa9mile@x\n", b"From x\n", b"To: a\rb@c\n", b"X: y\n",
        b"Cc: a\x0bb@c\x1c\n", b"DATE: Tue, 17 Nov 2026 08:00:00 -0500\n",
        b"\n",
    ]) | st.binary(max_size=10),
    max_size=12,
)


@settings(max_examples=300, deadline=None)
@given(lines=_HEADER_LINES)
def test_fields_read_one_by_one_are_what_the_stdlib_parser_reads_in_the_block(
    lines: list[bytes],
) -> None:
    head = b"".join(lines)
    assert parse_headers(head) == headers_from(stdlib_fields(head))


_BLANK_LINE = re.compile(rb"\r?\n\r?\n")


@settings(max_examples=300, deadline=None)
@given(
    buffer=st.lists(st.sampled_from([b"\n", b"\r", b"\r\n", b"a", b"\n\r\n", b" "]),
                    max_size=16).map(b"".join),
    start=st.integers(0, 20),
)
def test_the_blank_line_is_where_the_regex_finds_it(buffer: bytes, start: int) -> None:
    found = _BLANK_LINE.search(buffer, start)
    assert blank_line_at(buffer, start) == (-1 if found is None else found.start())
