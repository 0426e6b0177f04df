"""Contact details leave the vault only with their owner's consent.

Masking is by knowledge first: the actual e-mail addresses, phone numbers and contact links
(`mailto:`, `tel:`, `sms:`, WhatsApp, Telegram, Signal ... links) of everyone whose
`consent.share-contact` is not yes are found in any spelling and replaced:
- e-mails in any case, in full-width characters (`ben＠example.com`) or percent-escaped
  (`ben%40example.com`);
- phones by their digits, whatever the separators (spaces, dots, slashes, dashes of every
  kind, brackets) and the prefix form: `+49 151 5550 2231`, `0049 151 5550 2231`,
  `+49 (0)151 5550 2231`, `0151 5550 2231` and `(0151) 5550-2231` are one number;
- contact links as written in the person's `links`.

Patterns are only a second net, for details netvault does not know: anything shaped like an
e-mail address, and runs of seven or more digits, but never inside a web address (a LinkedIn
slug ending in digits stays) and never a date (`17.11.2026`, `2026-11-25`). Details of people
who said yes are left alone by both. Every scan is linear in the length of the text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from .model import Consent

EMAIL_HIDDEN = "[e-mail hidden]"
PHONE_HIDDEN = "[phone hidden]"
LINK_HIDDEN = "[contact link hidden]"

# A phone number is compared by its last digits: at least this many must agree.
MIN_PHONE_DIGITS = 7
# Knowledge matching looks at runs of at most this many digit groups (`+49 151 5550 2231`
# is four), so that two numbers written side by side are still told apart.
_MAX_GROUPS = 6

# Links that reach a person directly rather than show a page about them.
CONTACT_SCHEMES = frozenset(
    {"mailto", "tel", "sms", "smsto", "mms", "callto", "facetime", "facetime-audio", "skype",
     "whatsapp", "signal", "sgnl", "tg", "viber", "threema", "xmpp", "im", "wtai"}
)
CONTACT_HOSTS = frozenset(
    {"wa.me", "api.whatsapp.com", "web.whatsapp.com", "t.me", "telegram.me", "telegram.dog",
     "signal.me", "m.me", "threema.id", "line.me", "viber.me", "msng.link"}
)

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63"), "-")
_LOCAL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+-'")
_DOMAIN_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")
# Runs of digits and the separators people write numbers with; no backtracking possible.
_DIGIT_RUN = re.compile(r"[+(]?\d[\d \t()./-]*")
_TRUNK_ZERO = re.compile(r"\(0\)")
_GROUP = re.compile(r"\d+")
_DATE = re.compile(
    r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{4}/\d{1,2}/\d{1,2}|\d{1,2}[./-]\d{1,2}[./-]\d{4}"
    r"|\d{1,2}\.\d{1,2}\.\d{2})(?!\d)"
)
_TOKEN = re.compile(r"\S+")
# Runs of plain ASCII, a `%XX` escape, or one other character.
_PLAIN = re.compile(
    r"(?P<plain>[\x00-\x24\x26-\x7f]+)|(?P<escape>%[0-9A-Fa-f]{2})|(?P<other>.)", re.S
)
_URL_START = re.compile(r"[a-z][a-z0-9+.-]{0,30}://|www\.|[a-z][a-z0-9+.-]{0,30}:")


@functools.lru_cache(maxsize=4096)
def _compared(ch: str) -> str:
    """One character as details are compared: NFKC, dashes as `-`, case-folded."""
    return unicodedata.normalize("NFKC", ch).translate(_DASHES).casefold()


def _is_local_char(ch: str) -> bool:
    return ch in _LOCAL_CHARS or (not ch.isascii() and ch.isalnum())


def _is_domain_char(ch: str) -> bool:
    return ch in _DOMAIN_CHARS or (not ch.isascii() and ch.isalnum())


# ---- the text as compared ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _View:
    """`text` as details are compared: compatibility-normalised (full-width `＠` is `@`),
    lower case, every kind of dash a `-`, `%XX` escapes of printable ASCII decoded. `origin`
    maps each character back to its offset in the original text (None: the same offsets)."""

    text: str
    origin: list[int] | None
    length: int  # of the original text

    @classmethod
    def of(cls, text: str) -> _View:
        if text.isascii() and "%" not in text:
            return cls(text.lower(), None, len(text))
        out: list[str] = []
        origin: list[int] = []
        for match in _PLAIN.finditer(text):
            start = match.start()
            if match.lastgroup == "plain":
                out.append(match.group().lower())
                origin.extend(range(start, match.end()))
                continue
            if match.lastgroup == "escape":
                code = int(match.group()[1:], 16)
                piece = chr(code).lower() if 0x20 < code < 0x7F else match.group()
            else:
                piece = _compared(match.group())
            out.append(piece)
            origin.extend([start] * len(piece))
        return cls("".join(out), origin, len(text))

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's offsets for the view's [start, end)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end] if end < len(self.origin) else self.length


# ---- phones -------------------------------------------------------------------------------------


def phone_core(digits: str) -> str:
    """A phone number's digits without the international or trunk prefix zeros, so that
    `004915155502231`, `+4915155502231` and `015155502231` compare by suffix."""
    return digits.lstrip("0")


def _same_phone(a: str, b: str) -> bool:
    return min(len(a), len(b)) >= MIN_PHONE_DIGITS and (a.endswith(b) or b.endswith(a))


def _phone_groups(view: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) in the view of each digit group of a run, a `(0)` trunk marker left out."""
    run = view[start:end]
    if "(0)" in run:
        run = _TRUNK_ZERO.sub(lambda m: " " * len(m.group()), run)
    return [(start + m.start(), start + m.end()) for m in _GROUP.finditer(run)]


# ---- links --------------------------------------------------------------------------------------


def link_key(url: str) -> str:
    """A link as compared: lower case, no scheme for web links, no `www.`, no final `/`."""
    text = url.strip().strip("<>").lower()
    for prefix in ("https://", "http://"):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    text = text.removeprefix("www.")
    return text.rstrip("/")


def is_contact_link(url: str) -> bool:
    """True for a link that reaches a person directly: `mailto:`, `tel:`, `sms:`, messenger
    schemes, and messenger web links such as wa.me, t.me and signal.me."""
    text = url.strip().strip("<>")
    try:
        parts = urlsplit(text if "://" in text or ":" in text.split("/")[0] else "https://" + text)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in CONTACT_SCHEMES:
        return True
    host = (parts.hostname or "").removeprefix("www.")
    return scheme in ("http", "https") and host in CONTACT_HOSTS


# ---- the masker ---------------------------------------------------------------------------------


class Reachable(Protocol):
    """Whose details a masker knows: a `Contact`, or just its details (`Details`)."""

    @property
    def name(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def emails(self) -> tuple[str, ...]: ...
    @property
    def phones(self) -> tuple[str, ...]: ...
    @property
    def links(self) -> tuple[str, ...]: ...
    @property
    def consent(self) -> Consent: ...


@dataclass(frozen=True, slots=True)
class Details:
    """A contact's details and consent alone: cheaper to make than a whole `Contact` when a
    masker needs everyone's."""

    name: str
    path: str
    emails: tuple[str, ...]
    phones: tuple[str, ...]
    links: tuple[str, ...]
    consent: Consent


@dataclass(frozen=True, slots=True)
class Finding:
    """One forbidden detail found in a text: whose (name and note), what kind, and where."""

    person: str
    path: str
    kind: str  # "e-mail", "phone", "contact link"
    detail: str  # as the person's note writes it
    start: int
    end: int


class Masker:
    """Finds and hides the contact details of the people it is given (those whose consent
    does not allow sharing them), plus, as a second net, anything shaped like one.

    `allowed`: people whose details the pattern net leaves alone (in an export, those who
    agreed to share them). `exempt`: people whose own details are never forbidden, even
    when another note holds the same one (the recipient of a draft)."""

    def __init__(
        self,
        forbidden: Iterable[Reachable] = (),
        allowed: Iterable[Reachable] = (),
        exempt: Iterable[Reachable] = (),
    ) -> None:
        # view form -> (person, note, as written); phones keyed by their last digits
        self._emails: dict[str, tuple[str, str, str]] = {}
        self._phones: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        # Which links reach a person is worked out when a text first holds a link.
        self._link_sources: list[tuple[str, str, str]] = []  # person, note, link
        self._known_links: dict[str, tuple[str, str, str]] | None = None
        self._allowed_emails: set[str] = set()
        self._allowed_phones: set[str] = set()
        for contact in forbidden:
            who = (contact.name, contact.path)
            for email in contact.emails:
                self._emails.setdefault(_View.of(email.strip()).text, (*who, email))
            for phone in contact.phones:
                core = phone_core("".join(ch for ch in phone if ch.isdigit()))
                if len(core) >= MIN_PHONE_DIGITS:
                    self._phones[core[-MIN_PHONE_DIGITS:]].append((core, *who, phone))
            self._link_sources += [(*who, link) for link in contact.links]
        for contact in allowed:
            self._allowed_emails.update(_View.of(e.strip()).text for e in contact.emails)
            for phone in contact.phones:
                self._allowed_phones.add(phone_core("".join(c for c in phone if c.isdigit())))
        for contact in exempt:
            for email in contact.emails:
                self._emails.pop(_View.of(email.strip()).text, None)
            for phone in contact.phones:
                core = phone_core("".join(ch for ch in phone if ch.isdigit()))
                bucket = self._phones.get(core[-MIN_PHONE_DIGITS:], [])
                bucket[:] = [known for known in bucket if not _same_phone(core, known[0])]

    @classmethod
    def for_contacts(
        cls,
        contacts: Iterable[Reachable],
        *,
        except_paths: Iterable[str] = (),
        spare_shared: bool = False,
    ) -> Masker:
        """Forbidden: everyone whose consent.share-contact is not yes, but for `except_paths`
        (the recipient of a draft, whose own address it carries). `spare_shared`: the
        pattern net leaves the details of people who said yes alone (an export, which
        carries them anyway); a report or a calendar hides every one."""
        skip = set(except_paths)
        forbidden: list[Reachable] = []
        shared: list[Reachable] = []
        exempt: list[Reachable] = []
        for contact in contacts:
            if contact.path in skip:
                exempt.append(contact)
            elif contact.consent.share_contact == "yes":
                shared.append(contact)
            else:
                forbidden.append(contact)
        return cls(forbidden, shared if spare_shared else (), exempt)

    # ---- knowledge --------------------------------------------------------------------------

    def findings(self, text: str) -> list[Finding]:
        """Every known forbidden detail in `text`, in any spelling (no pattern net)."""
        return self._findings(_Scan.of(text))

    def _findings(self, scan: _Scan) -> list[Finding]:
        view = scan.view
        found: list[Finding] = []
        for start, end, candidate in scan.emails:
            owner = self._emails.get(candidate)
            if owner is not None:
                found.append(Finding(owner[0], owner[1], "e-mail", owner[2],
                                     *view.span(start, end)))
        if self._phones:
            for start, end in scan.digit_runs:
                found.extend(self._phone_findings(view, start, end))
        links = self._links() if scan.links else None
        if links:
            for start, end, url in scan.links:
                owner = links.get(link_key(url))
                if owner is not None:
                    found.append(Finding(owner[0], owner[1], "contact link", owner[2],
                                         *view.span(start, end)))
        return found

    def _links(self) -> dict[str, tuple[str, str, str]]:
        """link key -> (person, note, as written) of every forbidden contact link."""
        if self._known_links is None:
            self._known_links = {}
            for person, path, link in self._link_sources:
                if is_contact_link(link):
                    self._known_links.setdefault(link_key(_View.of(link).text),
                                                 (person, path, link))
        return self._known_links

    def _phone_findings(self, view: _View, start: int, end: int) -> list[Finding]:
        groups = _phone_groups(view.text, start, end)
        found: list[Finding] = []
        first = 0
        while first < len(groups):
            hit: tuple[int, tuple[str, str, str, str]] | None = None
            digits = ""
            for last in range(first, min(first + _MAX_GROUPS, len(groups))):
                digits += view.text[groups[last][0] : groups[last][1]]
                core = phone_core(digits)
                if len(core) < MIN_PHONE_DIGITS:
                    continue
                for known in self._phones.get(core[-MIN_PHONE_DIGITS:], ()):
                    if _same_phone(core, known[0]):
                        hit = (last, known)
            if hit is None:
                first += 1
                continue
            last, (_, person, path, phone) = hit
            span = _number_span(view.text, start, end, groups, first, last)
            found.append(Finding(person, path, "phone", phone, *view.span(*span)))
            first = last + 1
        return found

    # ---- masking ------------------------------------------------------------------------------

    def mask(self, text: str, *, patterns: bool = True) -> str:
        """`text` with every forbidden detail replaced; with `patterns`, also anything shaped
        like an e-mail address or a phone number (outside web addresses and dates) that is
        not a detail its owner agreed to share."""
        if not text:
            return text
        return _replace(text, self._hidden(text, patterns))

    def mask_excerpt(self, text: str, start: int, end: int) -> tuple[str, int, int]:
        """`text[start:end]` masked as `mask(text)` masks it: a detail the excerpt cuts
        through is widened to, and hidden, whole. Returns the excerpt and its bounds in
        `text` once widened."""
        spans = self._hidden(text, True)
        widened = True
        while widened:  # overlapping details widen it in turn
            widened = False
            for first, last, _label in spans:
                if first < start < last or first < end < last:
                    start, end, widened = min(start, first), max(end, last), True
        inside = [(a - start, b - start, label) for a, b, label in spans
                  if start <= a and b <= end]
        return _replace(text[start:end], inside), start, end

    def _hidden(self, text: str, patterns: bool) -> list[tuple[int, int, str]]:
        """(start, end, label) of each detail `mask` hides, possibly overlapping."""
        scan = _Scan.of(text)
        spans = [(f.start, f.end, _LABELS[f.kind]) for f in self._findings(scan)]
        if patterns:
            spans += self._pattern_spans(scan)
        return spans

    def _pattern_spans(self, scan: _Scan) -> list[tuple[int, int, str]]:
        view = scan.view
        spans: list[tuple[int, int, str]] = []
        for start, end, candidate in scan.emails:
            if _looks_like_email(candidate) and candidate not in self._allowed_emails:
                spans.append((*view.span(start, end), EMAIL_HIDDEN))
        web = [(a, b) for a, b, url in scan.links if _is_web_address(url)]
        plain = _blank(view.text, web + _date_spans(view.text))
        for match in _DIGIT_RUN.finditer(plain):
            groups = _phone_groups(plain, match.start(), match.end())
            if not groups:
                continue
            digits = "".join(plain[a:b] for a, b in groups)
            if len(digits) < MIN_PHONE_DIGITS or _all_years(plain, groups):
                continue
            if phone_core(digits) in self._allowed_phones:
                continue
            span = _number_span(plain, match.start(), match.end(), groups, 0, len(groups) - 1)
            spans.append((*view.span(*span), PHONE_HIDDEN))
        return spans


def may_hold_details(text: str) -> bool:
    """False when no masker could hide anything in `text`: nothing in it is shaped like an
    e-mail address or a link, and no run of digits has MIN_PHONE_DIGITS of them. A cheap
    look that spares building a masker for text that needs none."""
    scan = _Scan.of(text)
    if scan.emails or scan.links:
        return True
    view = scan.view.text
    return any(sum(b - a for a, b in _phone_groups(view, start, end)) >= MIN_PHONE_DIGITS
               for start, end in scan.digit_runs)


@dataclass(frozen=True, slots=True)
class _Scan:
    """One pass over a text: its view, the e-mail candidates, digit runs and links in it."""

    view: _View
    emails: list[tuple[int, int, str]]
    digit_runs: list[tuple[int, int]]
    links: list[tuple[int, int, str]]

    @classmethod
    def of(cls, text: str) -> _Scan:
        view = _View.of(text)
        return cls(
            view,
            list(_email_candidates(view.text)),
            [m.span() for m in _DIGIT_RUN.finditer(view.text)],
            list(_url_tokens(view.text)),
        )


def _number_span(
    view: str, run_start: int, run_end: int, groups: list[tuple[int, int]], first: int, last: int
) -> tuple[int, int]:
    """The span of a phone number's groups `first..last`, with a `+` or `(` that opens it
    and a `)` that closes one of its brackets."""
    start, end = groups[first][0], groups[last][1]
    while start > run_start and view[start - 1] in "+( ":
        start -= 1
    while start < groups[first][0] and view[start] == " ":
        start += 1
    opened = view.count("(", start, end) - view.count(")", start, end)
    while opened > 0 and end < run_end and view[end] in ") ":
        if view[end] == ")":
            opened -= 1
        end += 1
    while end > groups[last][1] and view[end - 1] == " ":
        end -= 1
    return start, end


_LABELS = {"e-mail": EMAIL_HIDDEN, "phone": PHONE_HIDDEN, "contact link": LINK_HIDDEN}


def _email_candidates(view: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, text) of each `local@domain` around an `@`: each character is looked at
    a bounded number of times, so this is linear however long the text is."""
    at = view.find("@")
    while at != -1:
        left = at
        while left > 0 and _is_local_char(view[left - 1]):
            left -= 1
        right = at + 1
        while right < len(view) and _is_domain_char(view[right]):
            right += 1
        while left < at and view[left] in ".'":
            left += 1
        while right > at + 1 and view[right - 1] in ".-":
            right -= 1
        if left < at and right > at + 1:
            yield left, right, view[left:right]
        at = view.find("@", at + 1)


def _looks_like_email(candidate: str) -> bool:
    domain = candidate.rpartition("@")[2]
    labels = domain.split(".")
    return len(labels) >= 2 and all(labels) and labels[-1].isalpha() and len(labels[-1]) >= 2


def _url_tokens(view: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, link) of each web or contact link in the text, trailing punctuation
    and a markdown link's brackets left out."""
    for token in _TOKEN.finditer(view):
        word = token.group()
        if ":" not in word and "." not in word:
            continue
        found = _URL_START.search(word)
        if found is not None:
            start = found.start()
        elif "/" in word and "." in word.split("/", 1)[0]:
            start = len(word) - len(word.lstrip("([<\"'"))
        else:
            continue
        end = len(word)
        while end > start and word[end - 1] in ".,;:!?)]}>\"'":
            end -= 1
        if end > start:
            yield token.start() + start, token.start() + end, word[start:end]


def _is_web_address(url: str) -> bool:
    """A web address (not `mailto:` or `tel:`): the pattern net never touches one."""
    return "://" in url or url.startswith("www.") or ("/" in url and ":" not in url)


def _date_spans(view: str) -> list[tuple[int, int]]:
    return [match.span() for match in _DATE.finditer(view)]


def _blank(view: str, spans: list[tuple[int, int]]) -> str:
    """The view with `spans` replaced by `x` (same length, so offsets still hold)."""
    if not spans:
        return view
    chars = list(view)
    for start, end in spans:
        chars[start:end] = "x" * (end - start)
    return "".join(chars)


def _all_years(view: str, groups: list[tuple[int, int]]) -> bool:
    """`2024 2025 2026`: a list of years, not a phone number."""
    return all(b - a == 4 and view[a : a + 2] in ("19", "20") for a, b in groups)


def _replace(text: str, spans: list[tuple[int, int, str]]) -> str:
    """`text` with each span replaced by its label; overlapping spans become one."""
    if not spans:
        return text
    merged: list[tuple[int, int, str]] = []
    for start, end, label in sorted(spans):
        if merged and start < merged[-1][1]:
            first, last, kept = merged[-1]
            merged[-1] = (first, max(last, end), kept)
        else:
            merged.append((start, end, label))
    out: list[str] = []
    position = 0
    for start, end, label in merged:
        out.append(text[position:start])
        out.append(label)
        position = end
    out.append(text[position:])
    return "".join(out)
