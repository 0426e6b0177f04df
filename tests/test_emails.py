"""`.eml` drafts: they parse back into exactly the headers and body put in, and no value can
add a header."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault import emails

DRAFT_HEADERS = [
    "From",
    "To",
    "Subject",
    "X-Unsent",
    "Content-Type",
    "Content-Transfer-Encoding",
    "MIME-Version",
]


def parse(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def draft(name: str, subject: str, body: str = "Hi.\n") -> bytes:
    return emails.build_eml(
        sender=emails.mailbox("Sam Rivera", "sam@example.org"),
        recipient=emails.mailbox(name, "ada@example.com"),
        subject=subject,
        body=body,
    )


def test_a_draft_parses_back_into_its_headers_and_body() -> None:
    body = "Hi Zoë,\n\nWould an intro to Ñúñez help? Ünïcödé and a long line " + "x" * 120 + "\n"
    message = parse(draft("Zoë Ñúñez", "Intro: Zoë and Łukasz", body))
    assert list(message.keys()) == DRAFT_HEADERS
    assert str(message["From"]) == "Sam Rivera <sam@example.org>"
    assert message["To"].addresses[0].display_name == "Zoë Ñúñez"
    assert message["To"].addresses[0].addr_spec == "ada@example.com"
    assert str(message["Subject"]) == "Intro: Zoë and Łukasz"
    assert str(message["X-Unsent"]) == "1"
    assert message.get_content().replace("\r\n", "\n") == body


def test_the_file_is_seven_bit_with_crlf_lines() -> None:
    data = draft("Zoë", "Grüße", "Grüße\n")
    assert data.isascii()
    assert b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")


def test_without_recipient_or_sender_the_header_is_left_out() -> None:
    data = emails.build_eml(sender=None, recipient=None, subject="Hello", body="Body\n")
    message = parse(data)
    assert "To" not in message and "From" not in message
    assert str(message["Subject"]) == "Hello" and str(message["X-Unsent"]) == "1"


def test_crlf_in_a_name_cannot_add_a_header() -> None:
    evil = "Ada\r\nBcc: evil@example.com"
    message = parse(draft(evil, f"Intro: {evil}\r\nX-Evil: 1"))
    assert list(message.keys()) == DRAFT_HEADERS
    assert "Bcc" not in message and "X-Evil" not in message
    (address,) = message["To"].addresses
    assert address.addr_spec == "ada@example.com"
    assert address.display_name == "Ada Bcc: evil@example.com"
    assert str(message["Subject"]) == "Intro: Ada Bcc: evil@example.com X-Evil: 1"
    assert b"\r\nBcc:" not in draft(evil, "x")


@settings(max_examples=100, deadline=None)
@given(name=st.text(max_size=40), subject=st.text(min_size=1, max_size=80))
def test_no_name_or_subject_changes_the_set_of_headers(name: str, subject: str) -> None:
    subject = subject if emails.header_text(subject) else "x"
    message = parse(draft(name, subject))
    assert list(message.keys()) == DRAFT_HEADERS
    assert len(message["To"].addresses) == 1
    assert message["To"].addresses[0].addr_spec == "ada@example.com"
    assert message["To"].addresses[0].display_name == emails.header_text(name)
    assert str(message["Subject"]) == emails.header_text(subject)


def test_a_space_between_encoded_words_survives_folding() -> None:
    # The stdlib's RFC 2047 folding would put this space into the line break, where it is lost.
    subject = "0000 0000¡¡¡¡¡¡¡ࠀ𐀀𐀀𐀀𐀀 ¡"
    assert str(parse(draft("Ada", subject))["Subject"]) == subject
    assert str(parse(draft("Ada", "Ñúñez Ávila " * 8))["Subject"]) == ("Ñúñez Ávila " * 8).strip()


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a\r\nb", "a b"),
        ("a\nb\tc\x00d", "a b c d"),
        ("  spaced   out  ", "spaced out"),
        ("line\u2028sep\x85next", "line sep next"),
    ],
)
def test_header_text_keeps_one_line(raw: str, expected: str) -> None:
    assert emails.header_text(raw) == expected


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("ada@example.com", "ada@example.com"),
        (" ada@example.com ", "ada@example.com"),
        ("a@bücher.de", "a@xn--bcher-kva.de"),
        ("not an e-mail", None),
        ("zoë@example.com", None),
        ("a@b@c", None),
        ("@example.com", None),
        ("ada@", None),
        (None, None),
    ],
)
def test_mailbox_takes_only_addresses_a_header_can_hold(
    address: str | None, expected: str | None
) -> None:
    found = emails.mailbox("Ada", address)
    assert (found.addr_spec if found else None) == expected


def test_first_mailbox_skips_unusable_addresses() -> None:
    found = emails.first_mailbox("Ada", ("nope", "ada@example.com", "ada@work.example"))
    assert found is not None and found.addr_spec == "ada@example.com"
    assert emails.first_mailbox("Ada", ()) is None


def test_split_rendered_reads_subject_and_body() -> None:
    text = emails.split_rendered("\nSubject:  Hello\r\n\r\nBody line\n\n\n", "t.eml.j2")
    assert text == emails.EmailText("Hello", "Body line\n")


@pytest.mark.parametrize(
    ("rendered", "message"),
    [
        ("Hello\n\nBody", "must start with a 'Subject:' line"),
        ("Subject:\n\nBody", "renders an empty subject"),
        ("Subject: x\nBcc: evil@example.com\n\nBody", "must be followed by a blank line"),
        ("Subject: x\n\n  \n", "renders an empty body"),
    ],
)
def test_split_rendered_refuses_other_shapes(rendered: str, message: str) -> None:
    with pytest.raises(emails.BadDraftTemplate, match=message):
        emails.split_rendered(rendered, "t.eml.j2")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-25 Ada -- Ben - ask Ada", "2026-11-25 Ada -- Ben - ask Ada"),
        ('a/b\\c:d*e?f"g<h>i|j', "a_b_c_d_e_f_g_h_i_j"),
        ("..hidden. ", "hidden"),
        ("\x00", "_"),
    ],
)
def test_file_label(raw: str, expected: str) -> None:
    assert emails.file_label(raw) == expected


def test_readable_shows_headers_and_decoded_body() -> None:
    text = emails.readable(draft("Zoë", "Grüße", "Grüße aus Köln\n"))
    assert "Subject: Grüße" in text and "To: Zoë <ada@example.com>" in text
    assert text.endswith("Grüße aus Köln\n")
