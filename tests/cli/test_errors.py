"""The core's one error base becomes Click's exit codes in one place."""

from __future__ import annotations

from conftest import Vault


def test_unknown_contact_exits_1_with_one_line(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\nname: Ada Okafor\ntie: 3\n---\n")
    result = vault.run("show", "Nobody Here")
    assert result.exit_code == 1
    assert result.output == "Error: no contact named 'Nobody Here'\n"


def test_bad_today_is_a_usage_error(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\nname: Ada Okafor\ntie: 3\n---\n")
    result = vault.run("due", today="2026-13-40")
    assert result.exit_code == 2
    assert "NETVAULT_TODAY='2026-13-40' is not an ISO date" in result.output
    assert "Traceback" not in result.output
