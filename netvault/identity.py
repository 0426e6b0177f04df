"""The evidence that two descriptions of a person are the same person.

A name is not evidence: two people may share one. An identifier is: an e-mail address
(ignoring case), a phone number (its last 9 digits, for numbers of 7 digits or more), a
profile URL (LinkedIn, GitHub, X/Twitter, Facebook, Instagram, XING; scheme, `www.`, case
and a trailing slash ignored) or a LinkedIn member URN. Even a shared identifier only counts
when the names are compatible (a family shares one address), and a LinkedIn profile is one
per person: two different ones mean two people.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import urlsplit

from .parse import fold

PHONE_DIGITS = 9
MIN_PHONE_DIGITS = 7

# One address: no spaces, one @, a dot in the domain, no characters mail never has there.
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}")
_PHONE = re.compile(r"(?:tel:)?[+(]?[\d\s().\-/]+(?:\s*(?:ext\.?|x|#)\s*\d+)?", re.IGNORECASE)
_NON_DIGIT = re.compile(r"\D")
_UNNAMED = re.compile(r"unnamed contact \d+", re.IGNORECASE)
_URL_LIKE = re.compile(r"[a-z][a-z0-9+.-]*://\S+$|www\.\S+$", re.IGNORECASE)
_WORD = re.compile(r"\w+")
# Words around a name that do not tell people apart.
_TITLES = frozenset(
    {"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "jr", "sr", "i", "ii",
     "iii", "iv", "phd", "md", "esq", "msc", "ing", "mba"}
)  # fmt: skip
LINKEDIN_URN = re.compile(r"urn:li:(?:member|person|fs_miniProfile):[A-Za-z0-9_-]+")

# Host -> (site, how many path segments name the profile, required first segment or "").
_PROFILE_SITES: dict[str, tuple[str, int, str]] = {
    "linkedin.com": ("linkedin", 2, "in"),
    "github.com": ("github", 1, ""),
    "twitter.com": ("x", 1, ""),
    "x.com": ("x", 1, ""),
    "facebook.com": ("facebook", 1, ""),
    "instagram.com": ("instagram", 1, ""),
    "xing.com": ("xing", 2, "profile"),
}
# Paths on those hosts that are pages, not people.
_NOT_PROFILES = frozenset(
    {"", "home", "login", "search", "settings", "share", "intent", "pages", "groups",
     "company", "school", "events", "orgs", "about", "explore", "watch", "p", "hashtag"}
)  # fmt: skip
# Sites where a person has one profile: two different ones are two people.
EXCLUSIVE_SITES = frozenset({"linkedin"})


def is_email(text: str) -> bool:
    return bool(_EMAIL.fullmatch(text.strip()))


def email_key(text: str) -> str:
    return text.strip().casefold()


def looks_like_phone(text: str) -> bool:
    """A phone number written as a name (`+44 7700 900123`): digits and punctuation only."""
    stripped = text.strip()
    digits = len(_NON_DIGIT.sub("", stripped))
    return digits >= 5 and bool(_PHONE.fullmatch(stripped))


def phone_key(text: str) -> str | None:
    """The last 9 digits of a number of 7 digits or more, else None (too short to tell)."""
    digits = _NON_DIGIT.sub("", text.split(";", 1)[0])
    return digits[-PHONE_DIGITS:] if len(digits) >= MIN_PHONE_DIGITS else None


@functools.lru_cache(maxsize=1 << 16)
def is_real_name(text: str) -> bool:
    """False for what is no person's name: no letter or digit in it, an e-mail address, a
    phone number, a URL, a LinkedIn member URN, or a name netvault made up
    (`Unnamed contact 3`)."""
    stripped = text.strip()
    return bool(_WORD.search(stripped)) and not (
        is_email(stripped)
        or looks_like_phone(stripped)
        or _URL_LIKE.match(stripped)
        or LINKEDIN_URN.fullmatch(stripped)
        or _UNNAMED.fullmatch(stripped)
    )


@functools.lru_cache(maxsize=1 << 16)
def profile(url: str) -> tuple[str, str] | None:
    """(site, key) of a profile URL, e.g. ("linkedin", "linkedin.com/in/sam-lee-111"); None
    for any other URL (a company's website may be on many people's cards)."""
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host.endswith(".linkedin.com"):  # uk.linkedin.com, de.linkedin.com, ...
        host = "linkedin.com"
    known = _PROFILE_SITES.get(host)
    if known is None:
        return None
    site, length, first = known
    segments = [s for s in parts.path.split("/") if s]
    if len(segments) < length or (first and segments[0].lower() != first):
        return None
    segments = segments[:length]
    if segments[-1].lower() in _NOT_PROFILES or segments[-1].startswith("@"):
        return None
    return site, f"{host}/{'/'.join(segments).lower()}"


def name_words(name: str) -> list[str]:
    return _WORD.findall(fold(name))


def names_compatible(a: str, b: str) -> bool:
    """Could these two names be one person's? Titles (`Mr.`, `Dr.`, `Jr.`, `III`) aside:
    the same words in any order; one name's words within the other's (`Grace Hopper`,
    `Grace Brewster Hopper`); an initial for a word (`A. Okafor`); or two words in common
    however many more each has (`Mr. Doe John I Johny`, `John Richter James Doe`). One
    word in common and another that differs is two people: `John Smith`, `Jane Smith`.
    A side without a real name is compatible with any name."""
    if not (is_real_name(a) and is_real_name(b)):
        return True
    wa, wb = _significant(name_words(a)), _significant(name_words(b))
    if sorted(wa) == sorted(wb) or "".join(wa) == "".join(wb):
        return True
    rest_b = list(wb)
    rest_a: list[str] = []
    shared = 0
    for word in wa:
        if word in rest_b:
            rest_b.remove(word)
            shared += 1
        else:
            rest_a.append(word)
    for word in list(rest_a):  # an initial stands for a word
        partner = next((w for w in rest_b if _initial_of(word, w) or _initial_of(w, word)), None)
        if partner is not None:
            rest_a.remove(word)
            rest_b.remove(partner)
    if shared == 0:
        return False
    return not rest_a or not rest_b or shared >= 2


def _significant(words: list[str]) -> list[str]:
    kept = [w for w in words if w not in _TITLES]
    return kept or words


def _initial_of(short: str, word: str) -> bool:
    """`a` is the initial of `ada` (a letter, not a digit: `1` is no initial of `15`)."""
    return len(short) == 1 and short.isalpha() and word.startswith(short)
