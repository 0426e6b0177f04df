"""Keeping contact details in the vault: free text leaving it gets them masked."""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"\+?\d[\d ()./-]{5,}\d")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def mask_contact_details(text: str) -> str:
    """Free text with anything shaped like an e-mail address or a phone number hidden."""
    masked = _EMAIL.sub("[e-mail hidden]", text)

    def phone(match: re.Match[str]) -> str:
        found = match.group()
        if _ISO_DATE.fullmatch(found) or sum(ch.isdigit() for ch in found) < 7:
            return found
        return "[phone hidden]"

    return _PHONE.sub(phone, masked)
