"""Creating contact notes: one template for `add` and for imports."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import NetvaultError
from .index import Index
from .names import BadName, check_note_name
from .vaultfs import inside


class ContactExists(NetvaultError):
    pass


class ContactTemplateError(NetvaultError):
    """The contact template (perhaps a vault override) could not render; nothing written."""


@dataclass(frozen=True, slots=True)
class NewContact:
    name: str
    tie: int = 1
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    company: str | None = None
    role: str | None = None
    location: str | None = None
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    first_met: date | None = None
    last_met: date | None = None
    met_in_person: bool = False
    note: str | None = None
    log: tuple[str, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict)  # e.g. source, connected_on


def one_or_list(values: tuple[str, ...]) -> str | list[str] | None:
    if not values:
        return None
    return values[0] if len(values) == 1 else list(values)


def render_contact(new: NewContact, vault_root: Path | None) -> str:
    import jinja2

    from .render import render

    try:
        return render(
            "contact.md.j2",
            vault_root,
            name=new.name,
            aliases=list(new.aliases),
            tags=list(new.tags),
            tie=new.tie,
            first_met=new.first_met,
            last_met=new.last_met,
            met_in_person=new.met_in_person,
            company=new.company,
            role=new.role,
            location=new.location,
            email=one_or_list(new.emails),
            phone=one_or_list(new.phones),
            links=list(new.links),
            extra=dict(new.extra),
            note=new.note,
            log=list(new.log),
        )
    except jinja2.TemplateError as exc:
        raise ContactTemplateError(f"template contact.md.j2 failed: {exc}") from None


def contact_path(index: Index, name: str) -> str:
    """The vault-relative path a new contact called `name` gets; BadName if it cannot."""
    clean = check_note_name(name)
    relpath = f"{index.config.contacts_folder}/{clean}.md"
    if not inside(index.root, index.root / relpath):
        raise BadName(f"{name!r} would be written outside the vault")
    return relpath


def create_contact(index: Index, new: NewContact) -> str:
    """Write the note for a new contact; refuses names or aliases that already exist."""
    from .edit import create_note

    clean = check_note_name(new.name)
    new = NewContact(**{**_fields(new), "name": clean})
    for label in (clean, *new.aliases):
        existing = index.find(label)
        if existing is not None:
            raise ContactExists(f"{label!r} is already a contact: {existing.path}")
    relpath = contact_path(index, clean)
    if os.path.lexists(index.root / relpath) or index.resolve(clean) is not None:
        raise ContactExists(f"a note called {clean!r} already exists")
    create_note(index.root, relpath, render_contact(new, index.root))
    return relpath


def _fields(new: NewContact) -> dict[str, Any]:
    return {name: getattr(new, name) for name in NewContact.__dataclass_fields__}
