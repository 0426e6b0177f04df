"""E-mail drafts as `.eml` files (RFC 5322, built with the stdlib `email` package).

A draft carries `X-Unsent: 1`, so mail clients (Outlook, Thunderbird, Apple Mail) open it as
a message to edit and send rather than as a received one. Header values are cleaned before
they reach the `email` package: a CR or LF in a name or subject becomes a space, so no value
can ever start a header of its own (a `Bcc:` smuggled in through a contact's name, say).

The `*.eml.j2` templates render the e-mail as a `Subject:` line, a blank line and the body;
`split_rendered` reads that back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.errors import HeaderParseError, MessageDefect
from email.headerregistry import Address
from email.message import EmailMessage

# CRLF line ends, as RFC 5322 wants; mail clients read them from disk as well.
DRAFT_POLICY = policy.SMTP
# Header lines up to RFC 5322's hard limit, for the rare header the stdlib would fold wrongly.
_UNFOLDED_POLICY = policy.SMTP.clone(max_line_length=998)
OUTBOX = ".netvault/outbox"

# C0 and C1 controls plus Unicode line and paragraph separators: none belongs in a header.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Characters file systems or Obsidian refuse in a file name.
_UNSAFE_FILE_CHARS = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]')


class BadDraftTemplate(ValueError):
    """An e-mail template rendered something that is not `Subject: ...`, a blank line, a body."""


@dataclass(frozen=True, slots=True)
class EmailText:
    subject: str
    body: str


def header_text(value: str) -> str:
    """`value` as one line of header text: control characters become spaces, runs collapse."""
    return " ".join(_CONTROL.sub(" ", value).split())


def mailbox(name: str, address: str | None) -> Address | None:
    """`name <address>` as a header address, or None when `address` is not a usable one.

    Usable means an ASCII addr-spec once the domain is IDNA-encoded: without SMTPUTF8 a
    non-ASCII local part cannot be written, and the stdlib would mangle a non-ASCII domain.
    """
    if address is None:
        return None
    addr_spec = header_text(address)
    local, at, domain = addr_spec.rpartition("@")
    if not at or not local or not domain:
        return None
    try:
        domain = domain.encode("idna").decode("ascii")
        candidate = Address(display_name=header_text(name), addr_spec=f"{local}@{domain}")
    except (ValueError, UnicodeError, IndexError, HeaderParseError, MessageDefect):
        return None
    if not candidate.addr_spec.isascii():
        return None
    return candidate


def first_mailbox(name: str, addresses: tuple[str, ...]) -> Address | None:
    """The first of a person's e-mail addresses that can go in a header."""
    for address in addresses:
        found = mailbox(name, address)
        if found is not None:
            return found
    return None


def split_rendered(text: str, template: str) -> EmailText:
    """Read a rendered `*.eml.j2`: a `Subject:` line, a blank line, then the body."""
    lines = text.replace("\r\n", "\n").lstrip("\n").split("\n")
    key, colon, value = lines[0].partition(":")
    if not colon or key.strip().lower() != "subject":
        raise BadDraftTemplate(f"{template} must start with a 'Subject:' line")
    subject = header_text(value)
    if not subject:
        raise BadDraftTemplate(f"{template} renders an empty subject")
    if len(lines) > 1 and lines[1].strip():
        raise BadDraftTemplate(f"{template}: the Subject line must be followed by a blank line")
    body = "\n".join(lines[1:]).strip("\n")
    if not body.strip():
        raise BadDraftTemplate(f"{template} renders an empty body")
    return EmailText(subject, body + "\n")


def build_eml(
    *, sender: Address | None, recipient: Address | None, subject: str, body: str
) -> bytes:
    """An unsent draft; without a recipient it has no To (the user fills it in)."""
    subject = header_text(subject)
    data = b""
    for draft_policy in (DRAFT_POLICY, _UNFOLDED_POLICY):
        message = EmailMessage(policy=draft_policy)
        if sender is not None:
            message["From"] = sender
        if recipient is not None:
            message["To"] = recipient
        message["Subject"] = subject
        message["X-Unsent"] = "1"
        # Quoted-printable keeps the file 7-bit ASCII, which every client opens the same way.
        message.set_content(body, cte="quoted-printable")
        data = message.as_bytes()
        if _headers_read_back(data, sender, recipient, subject):
            break
    return data


def _headers_read_back(
    data: bytes, sender: Address | None, recipient: Address | None, subject: str
) -> bool:
    """True if a mail client reads the headers back exactly as they were meant.

    The stdlib can fold a space between two encoded words into the line break, where RFC 2047
    says it is dropped ("Ñúñez Ávila" becoming "ÑúñezÁvila"); unfolded headers avoid that.
    """
    from email.parser import BytesParser

    parsed = BytesParser(policy=policy.default).parsebytes(data)

    def same(header: str, expected: Address | None) -> bool:
        found = parsed[header]
        if expected is None:
            return found is None
        addresses: tuple[Address, ...] = getattr(found, "addresses", ())
        return len(addresses) == 1 and (
            addresses[0].display_name,
            addresses[0].addr_spec,
        ) == (expected.display_name, expected.addr_spec)

    return str(parsed["Subject"]) == subject and same("From", sender) and same("To", recipient)


def file_label(text: str) -> str:
    """`text` made safe as part of a file name (no separators, no reserved characters)."""
    return " ".join(_UNSAFE_FILE_CHARS.sub("_", text).split()).strip(". ") or "_"


def readable(data: bytes) -> str:
    """A draft's headers and decoded body as text, for checking what it would disclose."""
    from email.parser import BytesParser

    parsed = BytesParser(policy=policy.default).parsebytes(data)
    headers = "\n".join(f"{key}: {value}" for key, value in parsed.items())
    body = parsed.get_content() if isinstance(parsed, EmailMessage) else ""
    return f"{headers}\n\n{body}".replace("\r\n", "\n")
