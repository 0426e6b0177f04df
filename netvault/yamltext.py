"""How netvault writes one value into YAML front-matter: the one writer of YAML values.

Every value goes on one line and reads back as the same value under PyYAML (YAML 1.1, which
netvault reads with) and under YAML 1.2 readers (which Obsidian and JavaScript tools use).
The two disagree on plain scalars: `0612345678` is text in 1.1 but the number 612345678 in
1.2, `yes`/`on` are booleans in 1.1 only, `1e3` is a float in 1.2 only. So text is written
plain only when it cannot look like anything else in either version; otherwise it is quoted.
Lists and mappings are written in flow style (`[a, b]`, `{k: v}`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from typing import Any

import yaml

__all__ = ["UnwritableValue", "yaml_flow", "yaml_inline", "yaml_key"]

_WIDE = 1 << 30  # never let the emitter fold a value over several lines
# libyaml's loader and emitter when present: the same results, many times faster.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
# Words some YAML reader takes for null or a boolean (1.1 has y/n/yes/no/on/off).
_SPECIAL_WORDS = frozenset(
    {"", "null", "~", "true", "false", "yes", "no", "on", "off", "y", "n", "=", "<<"}
)
# What a plain scalar reads as a number or a date in YAML 1.1 or 1.2 (`_` digit separators
# taken care of by the caller): integers in any base, floats with or without a dot or an
# exponent, 1.1's base-60 numbers, infinities and NaN, and anything that starts as a date.
_NUMBER_LIKE = re.compile(
    r"""[-+]?(?:0b[01]+|0o?[0-7]+|0x[0-9a-f]+|[0-9]+)
      | [-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:e[-+]?[0-9]+)?
      | [-+]?[0-9]+(?::[0-5]?[0-9])+(?:\.[0-9]*)?
      | [-+]?\.(?:inf|nan)
      | [0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[t\s].*)?""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_LINE_BREAKS = frozenset("\n\r\x85\u2028\u2029")


class UnwritableValue(ValueError):
    """The value cannot be written on one line so that it reads back the same."""


def _same(a: object, b: object) -> bool:
    """Strict, type-aware equality (1 is not True, NaN equals NaN)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return len(a) == len(b) and all(k in b and _same(v, b[k]) for k, v in a.items())
    return bool(a == b)


def _reads_back(rendered: str, value: object, flow: bool) -> bool:
    doc = f"k: [{rendered}]" if flow else f"k: {rendered}"
    try:
        data = yaml.load(doc, Loader=_LOADER)  # a safe loader
    except yaml.YAMLError:
        return False
    return _same(data, {"k": [value] if flow else value})


def _ambiguous(text: str) -> bool:
    """True when a plain scalar with this text may read as something else in some YAML."""
    if text.lower() in _SPECIAL_WORDS:
        return True
    # Readers differ on where `_` may stand in a number (ruamel reads `._` as one): try it
    # both as nothing and as a digit.
    return any(
        _NUMBER_LIKE.fullmatch(text.replace("_", digit)) for digit in ("", "0")
    )


def _double_quoted(text: str) -> str:
    """A one-line double-quoted scalar: every line break or odd character escaped."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif (0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFFFD or code >= 0x10000) and (
            ch not in "\u2028\u2029\ufeff" and not 0xD800 <= code <= 0xDFFF
        ):
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02X}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _plain_candidate(value: object, flow: bool) -> str:
    """What PyYAML's emitter writes for the value, if that is one line; else ''."""
    if flow:
        out = yaml.dump(
            [value], Dumper=_DUMPER, default_flow_style=True, width=_WIDE, allow_unicode=True
        )
        rendered = out[1:-2] if out.startswith("[") and out.endswith("]\n") else ""
    else:
        out = yaml.dump(
            {"k": value}, Dumper=_DUMPER, default_flow_style=False, width=_WIDE, allow_unicode=True
        )
        rendered = out[3:-1] if out.startswith("k: ") and out.endswith("\n") else ""
    if rendered.endswith("\n..."):  # PyYAML ends a lone plain scalar document with `...`
        rendered = rendered[: -len("\n...")]
    if "\n" in rendered or "\r" in rendered:
        return ""
    return rendered


@functools.lru_cache(maxsize=1 << 14)
def _text(text: str, flow: bool) -> str:
    plain = _plain_candidate(text, flow)
    if (
        plain
        and plain[0] not in "'\""
        and not _ambiguous(text)
        and _reads_back(plain, text, flow)
    ):
        return plain
    if not _LINE_BREAKS.intersection(text) and text.isprintable():
        single = "'" + text.replace("'", "''") + "'"
        if _reads_back(single, text, flow):
            return single
    double = _double_quoted(text)
    if _reads_back(double, text, flow):
        return double
    raise UnwritableValue(f"netvault cannot write the value {text!r} on one line")


def _scalar(value: object, flow: bool) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return _text(value, flow)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int | float | dt.datetime):
        rendered = _plain_candidate(value, flow)
        if rendered and _reads_back(rendered, value, flow):
            return rendered
    raise UnwritableValue(f"netvault cannot write the value {value!r} on one line")


def _flow(value: object) -> str:
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{_flow(k)}: {_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    return _scalar(value, flow=True)


def yaml_inline(value: object) -> str:
    """The value as it follows `key: ` on the same line. Text is plain when no YAML reader
    can take it for anything else, else quoted; lists and mappings are flow style.
    UnwritableValue for what cannot be written so."""
    if isinstance(value, list | tuple | dict):
        return _flow(value)
    return _scalar(value, flow=False)


def yaml_flow(value: object) -> str:
    """The value as an item or value inside a flow collection (`[...]`, `{...}`)."""
    return _flow(value)


def yaml_key(key: str) -> str:
    """A mapping key as written before `: `."""
    if not key:
        raise UnwritableValue("a front-matter key cannot be empty")
    return _text(key, flow=True)
