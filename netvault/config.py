"""`.netvault.toml`: optional, with defaults for everything."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

from .dates import parse_interval
from .model import ContactRule, Problem

CONFIG_NAME = ".netvault.toml"
MAX_CONFIG_BYTES = 1024 * 1024

_DEFAULT_CADENCE: Mapping[int, int | None] = MappingProxyType(
    {5: 30, 4: 60, 3: 90, 2: 180, 1: None}
)


DEFAULT_PERSON_TAG = "person"


@dataclass(frozen=True, slots=True)
class Config:
    owner_name: str = "me"
    # False while `[owner] name` is missing (or the placeholder "me" an old init wrote):
    # drafts and reports then say "me" and `check` warns.
    owner_name_set: bool = False
    owner_email: str | None = None
    contacts_folder: str = "people"
    # Front-matter `type` and tag that make a note anywhere a contact ("" turns the tag off).
    person_type: str = "person"
    person_tag: str | None = DEFAULT_PERSON_TAG
    intros_folder: str = "intros"
    intro_min_tie: int = 3
    path_min_tie: int = 3
    cadence_by_tie: Mapping[int, int | None] = field(default_factory=lambda: _DEFAULT_CADENCE)
    oaks_max: int = 12
    oaks_min_years: int = 3
    intros_max_per_30_days: int = 3
    report_path: str = "Reports/Network.md"
    # Where `team publish` and `team pull` go, as written (a path is relative to the vault).
    # Only a suggestion: the first use of a remote needs the user's own approval.
    team_remote: str | None = None
    team_min_tie: int = 3

    @property
    def contact_rule(self) -> ContactRule:
        return ContactRule(self.contacts_folder, self.person_type, self.person_tag)


_LINE_IN_MESSAGE = re.compile(r"line (\d+)")


def load_config(root: Path) -> tuple[Config, list[Problem]]:
    """Read the vault's config; a broken file gives problems and the defaults. It is read
    without following a symlink and only up to MAX_CONFIG_BYTES (a vault may come from
    anyone)."""
    from .vaultfs import UnsafePath, read_vault_file

    try:
        raw = read_vault_file(root, CONFIG_NAME, MAX_CONFIG_BYTES)
    except (FileNotFoundError, NotADirectoryError):
        return Config(), []
    except UnsafePath as exc:
        return Config(), [_problem(1, "config-unsafe", f"{exc.reason}; the defaults are used")]
    except OSError as exc:
        return Config(), [_problem(1, "config-unreadable", f"cannot read: {exc.strerror}")]
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        return Config(), [_problem(1, "config-encoding", f"not valid UTF-8: {exc.reason}")]
    except tomllib.TOMLDecodeError as exc:
        match = _LINE_IN_MESSAGE.search(str(exc))
        line = int(match.group(1)) if match else 1
        return Config(), [_problem(line, "config-syntax", f"invalid TOML: {exc}")]
    return config_from_mapping(data)


def config_from_mapping(data: Mapping[str, Any]) -> tuple[Config, list[Problem]]:
    problems: list[Problem] = []
    config = Config()
    known_tables = {"owner", "vault", "ties", "cadence", "oaks", "intros", "report", "team"}
    for key in data:
        if key not in known_tables:
            problems.append(_problem(1, "config-unknown", f"unknown section [{key}] ignored"))

    def table(name: str) -> Mapping[str, Any]:
        value = data.get(name, {})
        if not isinstance(value, Mapping):
            problems.append(_problem(1, "config-type", f"[{name}] must be a table"))
            return {}
        return value

    def text(section: Mapping[str, Any], key: str, default: str) -> str:
        value = section.get(key, default)
        if not isinstance(value, str) or not value.strip():
            problems.append(_problem(1, "config-type", f"{key} must be a non-empty string"))
            return default
        return value.strip()

    def number(section: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
        value = section.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            problems.append(
                _problem(1, "config-type", f"{key} must be a whole number from {low} to {high}")
            )
            return default
        return value

    owner = table("owner")
    vault = table("vault")
    ties = table("ties")
    oaks = table("oaks")
    intros = table("intros")
    report = table("report")
    team = table("team")
    email = owner.get("email")
    owner_name = text(owner, "name", config.owner_name)
    config = replace(
        config,
        owner_name=owner_name,
        owner_name_set="name" in owner and owner_name.casefold() != "me",
        owner_email=email.strip() if isinstance(email, str) and email.strip() else None,
        contacts_folder=_folder(
            text(vault, "contacts", config.contacts_folder), "people", problems
        ),
        intros_folder=_folder(text(vault, "intros", config.intros_folder), "intros", problems),
        person_type=text(vault, "person_type", config.person_type),
        person_tag=_tag(vault.get("person_tag", config.person_tag), problems),
        intro_min_tie=number(ties, "intro_min", config.intro_min_tie, 1, 5),
        path_min_tie=number(ties, "path_min", config.path_min_tie, 1, 5),
        oaks_max=number(oaks, "max", config.oaks_max, 1, 1000),
        oaks_min_years=number(oaks, "min_years", config.oaks_min_years, 0, 100),
        intros_max_per_30_days=number(
            intros, "max_per_30_days", config.intros_max_per_30_days, 1, 1000
        ),
        report_path=_vault_path(text(report, "path", config.report_path), config.report_path,
                                problems),
        team_remote=(text(team, "remote", "") or None) if "remote" in team else None,
        # Below 3 nobody can vouch (see paths.py), so a digest never holds weaker ties.
        team_min_tie=number(team, "min_tie", config.team_min_tie, 3, 5),
    )
    cadence = dict(_DEFAULT_CADENCE)
    for key, value in table("cadence").items():
        if key not in {"1", "2", "3", "4", "5"}:
            problems.append(_problem(1, "config-type", f"[cadence] key {key!r} must be a tie 1-5"))
            continue
        if value in ("none", "never", ""):
            cadence[int(key)] = None
            continue
        try:
            cadence[int(key)] = parse_interval(str(value))
        except ValueError as exc:
            problems.append(_problem(1, "config-type", f"[cadence] {key}: {exc}"))
    return replace(config, cadence_by_tie=MappingProxyType(cadence)), problems


def setup_problems(root: Path, config: Config, contacts: int) -> list[Problem]:
    """What is missing from the vault's set-up, for `check`: no owner name, and a contacts
    folder that is not there (perhaps spelt `People/`)."""
    problems: list[Problem] = []
    if not config.owner_name_set:
        problems.append(
            Problem(
                CONFIG_NAME,
                1,
                "warning",
                "owner-unset",
                f"owner name not set: intro drafts are signed {config.owner_name!r}; "
                "set [owner] name (or run netvault init --name)",
            )
        )
    folder = config.contacts_folder
    if not (root / folder).is_dir():
        parent = (root / folder).parent
        spelt = sorted(
            entry.name
            for entry in (parent.iterdir() if parent.is_dir() else ())
            if entry.is_dir() and entry.name.casefold() == Path(folder).name.casefold()
        )
        if spelt or not contacts:
            hint = (
                f"; {spelt[0]}/ is there: set [vault] contacts = "
                f'"{str(Path(folder).parent / spelt[0]).removeprefix("./")}"'
                if spelt
                else ""
            )
            problems.append(
                Problem(
                    CONFIG_NAME,
                    1,
                    "warning",
                    "no-contacts-folder",
                    f"the contacts folder {folder}/ does not exist{hint}",
                )
            )
    return problems


def _tag(value: object, problems: list[Problem]) -> str | None:
    """`person_tag`: a tag without its `#`; empty turns the tag marker off."""
    if not isinstance(value, str):
        problems.append(_problem(1, "config-type", "person_tag must be a string"))
        return DEFAULT_PERSON_TAG
    tag = value.strip().lstrip("#")
    if any(ch.isspace() for ch in tag):
        problems.append(_problem(1, "config-type", f"person_tag {value!r} holds a space"))
        return DEFAULT_PERSON_TAG
    return tag or None


def _folder(value: str, default: str, problems: list[Problem]) -> str:
    clean = value.strip("/")
    parts = Path(clean).parts
    if not clean or Path(value).is_absolute() or ".." in parts:
        problems.append(_problem(1, "config-type", f"folder {value!r} must be inside the vault"))
        return default
    return clean


def _vault_path(value: str, default: str, problems: list[Problem]) -> str:
    """A file path inside the vault, normalised (`./Reports//x.md` -> `Reports/x.md`)."""
    parts = [part for part in PurePosixPath(value).parts if part not in (".", "")]
    if PurePosixPath(value).is_absolute() or ".." in parts or not parts:
        problems.append(_problem(1, "config-type", f"path {value!r} must be inside the vault"))
        return default
    if any(part.startswith(".") for part in parts):
        problems.append(_problem(1, "config-type", f"path {value!r} must not be in a dot-folder"))
        return default
    return "/".join(parts)


def _problem(line: int, code: str, message: str) -> Problem:
    return Problem(CONFIG_NAME, line, "error", code, message)
