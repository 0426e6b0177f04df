"""Readers for contact files written by other programs (vCard, LinkedIn CSV, Google CSV).

The readers are pure functions, ``bytes -> (contacts, problems)``: they never touch the vault
and never raise on bad input. Matching, merging and note creation live elsewhere.

- :func:`netvault.importers.vcard.read_vcards`
- :func:`netvault.importers.csvfiles.read_linkedin`
- :func:`netvault.importers.csvfiles.read_google`

The reader modules are not imported here, so importing this package stays cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["ImportProblem", "ImportedContact"]


@dataclass(frozen=True, slots=True)
class ImportedContact:
    """One person as another program described them, normalised but not yet matched."""

    # The person's name as the source wrote it (display name, else the structured name,
    # else a nickname); "" when it has none: an e-mail address or a phone number is no name.
    name: str
    source: str  # "vcard:John_Doe_ANDROID.vcf#1", "linkedin:Connections.csv:row 7", ...
    aliases: tuple[str, ...] = ()  # the record's other names: nicknames, a structured name
    emails: tuple[str, ...] = ()  # in file order, de-duplicated case-insensitively
    phones: tuple[str, ...] = ()  # in file order, de-duplicated by their digits
    company: str | None = None
    role: str | None = None
    location: str | None = None  # "Albany, New York, USA" from an address, or None
    links: tuple[str, ...] = ()  # URLs
    birthday: str | None = None  # "YYYY-MM-DD", or "--MM-DD" when the year is unknown
    note: str | None = None
    first_met: str | None = None  # ISO date, when the source says when you met (rare)
    connected_on: str | None = None  # LinkedIn "Connected On" as an ISO date
    met_in_person: bool = False
    linkedin_urn: str | None = None  # `urn:li:member:...` where an e-mail address would be
    origin: str | None = None  # the `source:` a netvault export carried along
    file_stem: str | None = None  # the note's file name a netvault export carried along
    # Why this record is no person to import (`KIND:org`, an unreadable card), or None.
    skip: str | None = None

    @property
    def empty(self) -> bool:
        """Nothing to import: no name, no address, no number, no other field."""
        return not (
            self.name or self.aliases or self.emails or self.phones or self.company
            or self.role or self.location or self.links or self.birthday or self.note
            or self.connected_on or self.linkedin_urn
        )


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """Something in an input file that could not be imported (fully)."""

    source: str  # "vcard:file.vcf#3", "linkedin:Connections.csv:row 7", or "vcard:file.vcf"
    line: int  # 1-based line in the input file where the card/row starts
    message: str

    def format(self) -> str:
        return f"{self.source} (line {self.line}): {self.message}"
