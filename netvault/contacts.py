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
    name: str  # the person's name as written, in `name:` and the title
    # The file name without `.md` when it is not the name (two people called Sam Lee, or a
    # name with characters a file name cannot hold).
    file_stem: str | None = None
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
            email=list(new.emails),
            phone=list(new.phones),
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


def create_contact(index: Index, new: NewContact, *, same_name_ok: bool = False) -> str:
    """Write the note for a new contact; refuses names or aliases that already exist,
    unless `same_name_ok` (an import that found, by evidence, a different person of the
    same name: its own file name tells them apart)."""
    from .edit import create_note

    stem = check_note_name(new.file_stem or new.name)
    name = " ".join(new.name.split())
    if not name:
        raise BadName("a name cannot be empty")
    new = NewContact(**{**_fields(new), "name": name})
    if not same_name_ok:
        for label in (name, *new.aliases):
            existing = index.find(label)
            if existing is not None:
                raise ContactExists(f"{label!r} is already a contact: {existing.path}")
    relpath = contact_path(index, stem)
    if os.path.lexists(index.root / relpath) or index.resolve(stem) is not None:
        raise ContactExists(f"a note called {stem!r} already exists")
    create_note(index.root, relpath, render_contact(new, index.root))
    return relpath


def _fields(new: NewContact) -> dict[str, Any]:
    return {name: getattr(new, name) for name in NewContact.__dataclass_fields__}
