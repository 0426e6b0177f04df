"""Reading mailboxes fast without reading them differently: mbox boundaries and header
blocks exactly as the stdlib's `mailbox.mbox` has them, on random mboxes."""

from __future__ import annotations

import mailbox
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.importers.mail import mbox_head, mbox_spans, read_head

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
