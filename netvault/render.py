"""Jinja rendering: the vault's `.netvault/templates/` first, then the built-in templates.

StrictUndefined everywhere, so a misspelt variable fails loudly instead of blanking an e-mail.
Autoescape is on for HTML templates only; markdown and e-mail text are rendered as written.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import jinja2

from .yamltext import yaml_inline

OVERRIDE_FOLDER = ".netvault/templates"


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


@functools.lru_cache(maxsize=8)
def environment(vault_root: Path | None = None) -> jinja2.Environment:
    """One environment per vault, so compiled templates are reused (edited ones reload)."""
    loaders: list[jinja2.BaseLoader] = []
    if vault_root is not None:
        overrides = vault_root / OVERRIDE_FOLDER
        if overrides.is_dir():
            loaders.append(jinja2.FileSystemLoader(str(overrides)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["yaml"] = yaml_scalar
    env.filters["tojson_compact"] = lambda v: json.dumps(v, ensure_ascii=False)
    return env


def render(template: str, vault_root: Path | None = None, /, **context: Any) -> str:
    return environment(vault_root).get_template(template).render(**context)
