"""Template syntax, HTML and e-mail header injection in names, notes and imported fields are
written as inert text: never evaluated by Jinja, never markup in HTML, never a header."""

from __future__ import annotations

import json
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import yaml
from conftest import Vault

from netvault.index import load_index

JINJA = "{{ 7*7 }}"
NAME = "{{ 7 + 42 }}"  # `*` cannot be in a file name
RAW = "{% raw %}{{ 7*7 }}{% endraw %}"
SCRIPT = "<script>alert(1)</script>"
HEADER = "Ada\r\nBcc: evil@example.com"
ALL = (JINJA, RAW, SCRIPT)


def front_matter(path: Path) -> dict[str, object]:
    lines = path.read_text(encoding="utf-8").split("\n")
    assert lines[0] == "---"
    data = yaml.safe_load("\n".join(lines[1 : lines.index("---", 1)]))
    assert isinstance(data, dict)
    return data


def assert_inert(text: str, *literals: str) -> None:
    for literal in literals:
        assert literal in text, literal
    assert "49" not in text, "a template expression was evaluated"


def test_add_writes_template_syntax_as_text(vault: Vault) -> None:
    result = vault.run(
        "add", NAME, "--company", RAW, "--role", SCRIPT, "--tag", "{{7*7}}", "--json"
    )
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)["created"]
    assert created == f"people/{NAME}.md"
    note = vault.root / created
    assert_inert(note.read_text(encoding="utf-8"), NAME, RAW, SCRIPT, "{{7*7}}")
    assert front_matter(note) == {
        "name": NAME,
        "aliases": [],
        "tags": ["{{7*7}}"],
        "tie": 1,
        "met_in_person": False,
        "company": RAW,
        "role": SCRIPT,
        "share-contact": "ask",
        "introductions": "ask",
    }
    contact = load_index(vault.root).lookup(NAME)
    assert (contact.name, contact.company, contact.role) == (NAME, RAW, SCRIPT)


def test_a_field_cannot_close_the_front_matter_or_add_a_key(vault: Vault) -> None:
    sneaky = "Acme\n---\ntie: 5\nconsent: yes\n---\n# Injected"
    result = vault.run("add", "Ben Carter", "--company", sneaky, "--json")
    assert result.exit_code == 0, result.output
    note = vault.root / "people/Ben Carter.md"
    data = front_matter(note)
    assert data["company"] == "Acme\n---\ntie: 5\nconsent: yes\n---\n# Injected"
    assert data["tie"] == 1
    contact = load_index(vault.root).lookup("Ben Carter")
    assert contact.tie == 1
    assert contact.consent.share_contact == "ask"


def test_a_name_carrying_a_header_is_refused_by_add(vault: Vault) -> None:
    result = vault.run("add", HEADER)
    assert result.exit_code == 2
    assert "control characters" in result.output
    assert not (vault.root / "people").exists()


def test_log_text_is_written_as_text(vault: Vault) -> None:
    vault.write("people/Ada Okafor.md", "---\ntie: 3\n---\n## Log\n")
    text = f"{JINJA} {RAW} {SCRIPT}"
    result = vault.run("log", "Ada Okafor", text, "--date", "2026-11-20")
    assert result.exit_code == 0, result.output
    note = (vault.root / "people/Ada Okafor.md").read_text(encoding="utf-8")
    assert f"- 2026-11-20 {text}\n" in note
    assert_inert(note, *ALL)


def test_imported_fields_are_written_as_text(vault: Vault, tmp_path: Path) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:3.0\r\n"
        f"FN:{NAME}\r\nN:;{NAME};;;\r\n"
        f"ORG:{RAW}\r\nTITLE:{SCRIPT}\r\n"
        "EMAIL:ada@example.com\r\n"
        "NOTE:{{ 7*7 }}\\n---\\ntie: 5\\nBcc: evil@example.com\r\n"
        "END:VCARD\r\n"
    )
    source = tmp_path / "contacts.vcf"
    source.write_text(card, encoding="utf-8")
    result = vault.run("import", "vcard", str(source), "--json")
    assert result.exit_code == 0, result.output
    created = json.loads(result.stdout)["created"]
    assert [c["path"] for c in created] == [f"people/{NAME}.md"]
    note = vault.root / created[0]["path"]
    text = note.read_text(encoding="utf-8")
    assert_inert(text, NAME, JINJA, RAW, SCRIPT)
    # The card's note became a quote in the body: its `---` cannot end the front-matter.
    assert "> ---\n> tie: 5\n> Bcc: evil@example.com\n" in text
    assert front_matter(note)["tie"] == 1
    contact = load_index(vault.root).lookup(NAME)
    assert (contact.tie, contact.company, contact.role) == (1, RAW, SCRIPT)


DRAFT_HEADERS = {
    "From", "To", "Subject", "X-Unsent", "Content-Type", "Content-Transfer-Encoding",
    "MIME-Version",
}


def intro_vault(vault: Vault) -> Vault:
    vault.write(".netvault.toml", '[owner]\nname = "Sam Rivera"\nemail = "sam@example.org"\n')
    vault.write(
        "people/Ada Okafor.md",
        "---\n"
        'name: "Ada Okafor\\r\\nBcc: evil@example.com"\n'
        "aliases: [Ada]\ntie: 4\nmet_in_person: true\n"
        f'company: "{JINJA} {SCRIPT}"\nrole: "{RAW}"\n'
        'email: "ada@example.com\\r\\nBcc: evil@example.com"\n'
        "consent:\n  share-contact: yes\n  introductions: yes\n---\n## Log\n",
    )
    vault.write(
        "people/Ben Carter.md",
        "---\ntie: 4\nmet_in_person: true\n"
        'email: ["ben@example.com\\nCc: evil@example.com", "x@example.com>\\r\\nBcc: e@x.io"]\n'
        "consent:\n  share-contact: yes\n  introductions: yes\n---\n## Log\n",
    )
    return vault


def parsed(data: bytes) -> EmailMessage:
    message = BytesParser(policy=policy.default).parsebytes(data)
    assert isinstance(message, EmailMessage)
    return message


def test_intro_drafts_never_gain_a_header(vault: Vault) -> None:
    why = f"{JINJA} {RAW} {SCRIPT}\r\nBcc: evil@example.com"
    result = intro_vault(vault).run("intro", "Ada", "Ben Carter", "--why", why, "--json")
    assert result.exit_code == 0, result.output
    drafts = json.loads(result.stdout)["drafts"]
    assert len(drafts) == 2
    for draft in drafts:
        data = (vault.root / draft["path"]).read_bytes()
        message = parsed(data)
        assert set(message.keys()) <= DRAFT_HEADERS, message.keys()
        assert message.defects == []
        for header in ("To", "Cc", "Bcc", "Reply-To"):
            assert "evil" not in str(message.get(header, "")), header
        assert len(message.get_all("To", [])) <= 1
        # Every header is one line: a CR or LF in a value never reaches the file.
        head = data.split(b"\r\n\r\n", 1)[0]
        assert all(b":" in line or line.startswith((b" ", b"\t")) for line in head.split(b"\r\n"))
        body = message.get_content()
        assert_inert(body.replace("=\n", ""), JINJA, RAW, SCRIPT)
    # Neither smuggling address is usable, so neither draft has a recipient: the user
    # fills it in rather than netvault guessing at a mangled one.
    assert [draft["has_address"] for draft in drafts] == [False, False]
    note = (vault.root / json.loads(result.stdout)["note"]).read_text(encoding="utf-8")
    assert_inert(note, JINJA, RAW, SCRIPT)


def test_the_html_report_escapes_names(vault: Vault, tmp_path: Path) -> None:
    vault.write("people/Scripted.md", f'---\nname: "{SCRIPT}"\ntie: 2\n---\n')
    vault.write("people/Templated.md", f'---\nname: "{JINJA}"\ntie: 2\n---\n')
    out = tmp_path / "report.html"
    result = vault.run("report", "--format", "html", "--out", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert JINJA in html
