"""Issue 11, item 2: a vault's templates are data from a stranger. Every template, built-in or
the vault's, runs in Jinja's immutable sandbox, and none is read through a symlink."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import jinja2
import pytest
from conftest import Vault

from netvault.index import load_index
from netvault.report import write_markdown_report

PACKAGE = Path(__file__).resolve().parents[2] / "netvault"
PERSON = (
    "---\ntie: 4\nmet_in_person: true\nconsent:\n  share-contact: yes\n  introductions: yes\n"
    "---\n## Log\n- 2026-01-05 (in person) coffee\n"
)


def escape(marker: Path) -> str:
    """A template that would run a shell command through Python internals."""
    return (
        "{% set _ = cycler.__init__.__globals__.os.system('touch " + str(marker) + "') %}"
        "{{ _ }}\n"
    )


def hostile(vault: Vault, template: str, marker: Path) -> Vault:
    vault.write("people/Ada Okafor.md", PERSON)
    vault.write("people/Ben Carter.md", PERSON)
    vault.write(f".netvault/templates/{template}", escape(marker))
    return vault


@pytest.mark.parametrize(
    ("template", "command"),
    [
        ("report.md.j2", ("report",)),
        ("report.html.j2", ("report", "--format", "html")),
        ("contact.md.j2", ("add", "Cy Dee")),
        ("intro-ask.eml.j2", ("intro", "Ada Okafor", "Ben Carter", "--why", "both build data")),
        ("intro-note.md.j2", ("intro", "Ada Okafor", "Ben Carter", "--why", "both build data")),
    ],
)
def test_a_vault_template_cannot_run_python(
    vault: Vault, tmp_path: Path, template: str, command: tuple[str, ...]
) -> None:
    marker = tmp_path / "pwned"
    hostile(vault, template, marker)
    result = vault.run(*command)
    assert not marker.exists(), "the template ran a shell command"
    assert result.exit_code == 1, result.output
    assert "unsafe" in result.output or "access to attribute" in result.output, result.output


def test_the_report_watch_writes_is_sandboxed_too(vault: Vault, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    hostile(vault, "report.md.j2", marker)
    with pytest.raises(jinja2.TemplateError, match=r"unsafe|access to attribute"):
        write_markdown_report(load_index(vault.root), date(2026, 11, 25))
    assert not marker.exists()


def test_a_vault_template_cannot_change_the_data_it_is_given(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", PERSON)
    vault.write(
        ".netvault/templates/report.md.j2",
        "---\ntype: report\n---\n{% set _ = status_labels.update(ok=1) %}"
        "{% set _ = tie_labels.clear() %}{{ tie_labels }}\n",
    )
    result = vault.run("report")
    assert result.exit_code == 1
    assert "unsafe" in result.output, result.output


def test_a_template_symlinked_out_of_the_vault_is_not_read(vault: Vault, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("---\ntype: report\n---\nthe ssh key\n", encoding="utf-8")
    vault.write("people/Ada Okafor.md", PERSON)
    (vault.root / ".netvault/templates").mkdir(parents=True)
    (vault.root / ".netvault/templates/report.md.j2").symlink_to(secret)
    result = vault.run("report")
    assert result.exit_code == 1
    assert "symlink" in result.output
    report = vault.root / "Reports/Network.md"
    assert not report.exists() or "ssh key" not in report.read_text(encoding="utf-8")


def test_a_templates_folder_symlinked_out_of_the_vault_is_not_read(
    vault: Vault, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "report.md.j2").write_text("---\ntype: report\n---\nsecret\n", encoding="utf-8")
    vault.write("people/Ada Okafor.md", PERSON)
    (vault.root / ".netvault").mkdir()
    (vault.root / ".netvault/templates").symlink_to(outside, target_is_directory=True)
    result = vault.run("report")
    assert result.exit_code == 1
    assert "symlink" in result.output
    assert not (vault.root / "Reports/Network.md").exists()


def _calls(tree: ast.AST) -> list[tuple[str, int]]:
    """Every name or attribute called `Environment`/`Template` created, with its line."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in ("Environment", "Template", "from_string", "NativeEnvironment"):
                found.append((name, node.lineno))
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("jinja2"):
            for alias in node.names:
                if alias.name in ("Environment", "Template", "NativeEnvironment"):
                    found.append((f"import {alias.name}", node.lineno))
    return found


def test_no_jinja_environment_is_made_outside_the_sandbox() -> None:
    """The package makes exactly one Jinja environment, the sandboxed one in render.py;
    nothing else compiles a template (jinja2.Template, from_string) at all."""
    offenders = {}
    sandboxes = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        tree = ast.parse(source)
        rel = path.relative_to(PACKAGE).as_posix()
        if found := _calls(tree):
            offenders[rel] = found
        if "ImmutableSandboxedEnvironment(" in source:
            sandboxes.append(rel)
    assert offenders == {}
    assert sandboxes == ["render.py"]
