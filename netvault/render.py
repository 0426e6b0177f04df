"""Jinja rendering: the vault's `.netvault/templates/` first, then the built-in templates.

A vault's templates come from whoever shared the vault, so every template, built-in or the
vault's, runs in Jinja's immutable sandbox: no attribute starting with `_`, no Python
internals (`cycler.__init__.__globals__.os` is a SecurityError), no changing the data it is
given. The vault's templates are read without following a symlink (a template cannot pull
in a file from outside the vault) and at most MAX_TEMPLATE_BYTES each.

StrictUndefined everywhere, so a misspelt variable fails loudly instead of blanking an e-mail.
Autoescape is on for HTML templates only; markdown and e-mail text are rendered as written.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.loaders import split_template_path
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .dates import duration
from .vaultfs import UnsafePath, read_vault_file
from .yamltext import yaml_inline

OVERRIDE_FOLDER = ".netvault/templates"
MAX_TEMPLATE_BYTES = 1024 * 1024


def builtin_templates() -> Path:
    """The built-in templates: inside the installed package, else the source tree's `templates/`."""
    packaged = Path(__file__).with_name("templates")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def _autoescape(name: str | None) -> bool:
    return name is not None and any(part in ("html", "htm", "svg", "xml") for part in
                                    name.lower().split(".")[1:])


def yaml_scalar(value: object) -> str:
    """A value written so every YAML reader takes it back as exactly the same value (used in
    front-matter; the one writer is netvault.yamltext)."""
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # names the misspelt variable, as Jinja would
    return yaml_inline(value)


class VaultTemplates(jinja2.BaseLoader):
    """The vault's `.netvault/templates/`, read without following a symlink anywhere."""

    def __init__(self, vault_root: Path) -> None:
        self.vault_root = vault_root

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool]]:
        relpath = "/".join([OVERRIDE_FOLDER, *split_template_path(template)])
        try:
            data = read_vault_file(self.vault_root, relpath, MAX_TEMPLATE_BYTES)
        except (FileNotFoundError, NotADirectoryError):
            raise jinja2.TemplateNotFound(template) from None
        except UnsafePath as exc:
            raise jinja2.TemplateError(str(exc)) from None
        except OSError as exc:
            raise jinja2.TemplateError(f"{relpath}: cannot read ({exc.strerror})") from None
        try:
            source = data.decode("utf-8")
        except UnicodeDecodeError:
            raise jinja2.TemplateError(f"{relpath}: not valid UTF-8") from None
        return source, str(self.vault_root / relpath), lambda: self._unchanged(relpath, data)

    def _unchanged(self, relpath: str, data: bytes) -> bool:
        try:
            return read_vault_file(self.vault_root, relpath, MAX_TEMPLATE_BYTES) == data
        except (OSError, UnsafePath):
            return False


@functools.lru_cache(maxsize=8)
def environment(vault_root: Path | None = None) -> jinja2.Environment:
    """One sandboxed environment per vault, so compiled templates are reused (edited ones
    reload)."""
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None:
        loaders.append(VaultTemplates(vault_root))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = yaml_scalar
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False)
    env.filters["duration"] = duration
    return env


def render(template: str, vault_root: Path | None = None, /, **context: Any) -> str:
    return environment(vault_root).get_template(template).render(**context)
