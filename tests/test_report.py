"""netvault.report: goldens on sample-vault, what the report says, privacy, and the HTML page
opened in real headless Chromium.

Refresh the goldens after an intended change with `make goldens`
(NETVAULT_UPDATE_GOLDENS=1 .venv/bin/pytest tests/test_report.py).
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import re
import select
import shutil
import subprocess
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from netvault.cli import cli
from netvault.graph import build_graph, to_mermaid
from netvault.index import Index, load_index
from netvault.parse import link_text as plain_text
from netvault.privacy import Masker
from netvault.report import (
    MAX_ON_RING,
    STATE_PATH,
    gather,
    load_snapshot,
    markdown_text,
    render_report,
    write_markdown_report,
)

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample-vault"
GOLDEN = Path(__file__).resolve().parent / "golden"
ARTIFACTS = REPO / "test-artifacts"
TODAY = "2026-11-25"


def write_note(vault: Path, relpath: str, text: str) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(vault: Path, *args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(
        cli, ["--vault", str(vault), "report", *args], env={"NETVAULT_TODAY": today}
    )


def sample_copy(tmp_path: Path) -> Path:
    """sample-vault as committed: local state (cache, lock, report state) left behind."""
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target, ignore=shutil.ignore_patterns(".netvault"))
    return target


def person(name: str, tie: int | None, extra: str = "", body: str = "") -> str:
    tie_line = f"tie: {tie}\n" if tie is not None else ""
    return f"---\nname: {json.dumps(name, ensure_ascii=False)}\n{tie_line}{extra}---\n{body}"


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("NETVAULT_UPDATE_GOLDENS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden {path}; create it with `make goldens`"
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"{name} differs from its golden; if intended, run `make goldens`"


# ---- goldens ---------------------------------------------------------------------------------


def test_markdown_report_golden(tmp_path: Path) -> None:
    vault = sample_copy(tmp_path)
    result = run(vault)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Wrote Reports/Network.md: 48 contacts, 7 due")
    check_golden("report.md", (vault / "Reports/Network.md").read_text(encoding="utf-8"))


def test_html_report_golden(tmp_path: Path) -> None:
    vault = sample_copy(tmp_path)
    result = run(vault, "--format", "html")
    assert result.exit_code == 0, result.output
    check_golden("report.html", (vault / "Reports/Network.html").read_text(encoding="utf-8"))


# ---- what the report says --------------------------------------------------------------------


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """Six people whose due state, circle and favours are known by hand on 2026-11-25."""
    vault = tmp_path / "small"
    (vault / ".obsidian").mkdir(parents=True)
    write_note(vault, ".netvault.toml", '[owner]\nname = "Sam"\n')
    write_note(
        vault,
        "people/Ada.md",
        person("Ada", 5, "first_met: 2015-01-01\nlast_met: 2026-09-01\nmet_in_person: true\n",
               "## Log\n- 2026-08-01 (call) she reviewed my CV #got\n"),
    )  # oak, cadence 30: due 2026-10-01, 55 days overdue
    write_note(
        vault,
        "people/Ben.md",
        person("Ben", 4, "first_met: 2025-06-01\nlast_met: 2026-11-01\noak: true\n"),
    )  # oak by flag, not time-tested; every 30 days: due 2026-12-01, soon
    write_note(vault, "people/Cleo.md", person("Cleo", 3, "last_met: 2026-10-20\n",
                                                "- [ ] send Cleo the deck 📅 2026-11-20\n"))
    write_note(vault, "people/Dev.md", person("Dev", 2, "last_met: 2026-01-01\n"))
    write_note(vault, "people/Eve.md", person("Eve", 1))
    write_note(vault, "people/Fay.md", person("Fay", None))
    return vault


def test_gather_picks_the_right_people(small: Path) -> None:
    index = load_index(small)
    report = gather(index, date(2026, 11, 25))
    assert [(t.label, t.count) for t in report.counts.by_tie] == [
        ("oak", 1), ("trusted", 1), ("knows-my-work", 1), ("contact", 1), ("acquaintance", 1),
        ("no tie set", 1),
    ]
    # Ada: 55 of 30 days over; Dev: 148 of 180 days over.
    assert [(d.person.name, d.days_overdue, d.status) for d in report.due] == [
        ("Ada", 55, "long"), ("Dev", 148, "long"),
    ]
    assert [p.name for p in report.oaks.circle] == ["Ada", "Ben"]
    assert [d.person.name for d in report.oaks.neglected] == ["Ada"]
    assert [f.person.name for f in report.oaks.untested] == ["Ben"]
    assert [u.person.name for u in report.unmet] == ["Ben", "Cleo", "Dev"]
    assert [(f.text, f.days_overdue, [p.name for p in f.people]) for f in report.follow_ups] == [
        ("send Cleo the deck", 5, ["Cleo"])
    ]
    assert [(f.person.name, f.owed) for f in report.favours_owed] == [("Ada", 1)]
    assert [(r.title, r.count) for r in report.picture.rings] == [
        ("5 · oak (1)", 1), ("4 · trusted (1)", 1), ("3 · knows-my-work (1)", 1),
        ("2 · contact (1)", 1), ("1 · acquaintance (1)", 1), ("no tie set (1)", 1),
    ]
    assert [(d.name, d.status, d.oak) for d in report.picture.dots] == [
        ("Ada", "long", True),
        ("Ben", "soon", True),
        ("Cleo", "ok", False),  # every 90 days from 2026-10-20
        ("Dev", "long", False),
        ("Eve", "none", False),  # tie 1 has no cadence
        ("Fay", "none", False),
    ]
    radii = [r.radius for r in report.picture.rings]
    assert radii == sorted(radii) and len(set(radii)) == len(radii)
    for dot, ring in zip(report.picture.dots, report.picture.rings, strict=True):
        assert abs((dot.x**2 + dot.y**2) ** 0.5 - ring.radius) < 0.2


def test_crowded_ring_shows_forty_and_counts_the_rest(tmp_path: Path) -> None:
    vault = tmp_path / "crowd"
    for number in range(MAX_ON_RING + 5):
        write_note(vault, f"people/P{number:02}.md", person(f"P{number:02}", 2))
    report = gather(load_index(vault), date(2026, 11, 25))
    ring = report.picture.rings[3]
    assert (ring.tie, ring.count, ring.hidden) == (2, 45, 5)
    assert ring.title == "2 · contact (45, 5 not shown)"
    assert len(report.picture.dots) == MAX_ON_RING
    right = [d for d in report.picture.dots if d.x >= 0]
    assert all(d.anchor == "start" and d.label_x > d.x for d in right)
    assert all(d.anchor == "end" and d.label_x < d.x for d in report.picture.dots if d.x < 0)


def test_changes_since_the_previous_report(small: Path) -> None:
    assert run(small, today="2026-11-18").exit_code == 0
    state = json.loads((small / STATE_PATH).read_text(encoding="utf-8"))
    assert state["generated"] == "2026-11-18"
    assert state["contacts"]["people/Dev.md"] == {"name": "Dev", "tie": 2}
    write_note(small, "people/Gus.md", person("Gus", 3))
    (small / "people/Eve.md").unlink()
    write_note(small, "people/Dev.md", person("Dev", 3, "last_met: 2026-01-01\n"))
    write_note(small, "people/Cleo.md", person("Cleo", 1))
    write_note(small, "people/Fay.md", person("Fay", 2))
    result = run(small, "--json")
    assert result.exit_code == 0, result.output
    changes = json.loads(result.stdout)["changes"]
    assert changes["since"] == "2026-11-18" and changes["total"] == 5
    assert [p["name"] for p in changes["added"]] == ["Gus"]
    assert changes["removed"] == ["Eve"]
    assert [(c["name"], c["before"], c["after"]) for c in changes["ties_up"]] == [
        ("Dev", 2, 3), ("Fay", None, 2),
    ]
    assert [(c["name"], c["before"], c["after"]) for c in changes["ties_down"]] == [
        ("Cleo", 3, 1)
    ]
    assert run(small).exit_code == 0
    text = (small / "Reports/Network.md").read_text(encoding="utf-8")
    section = text[text.index("## Since the last report") : text.index("## The picture")]
    assert section.splitlines()[2:10] == [
        "Since 2026-11-18:",
        "",
        "- Added: [[Gus]] (tie 3 knows-my-work)",
        "- Removed: Eve",
        "- Closer: [[Dev]], tie 2 → 3",
        "- Closer: [[Fay]], tie unset → 2",
        "- Drifting: [[Cleo]], tie 3 → 1",
        "",
    ]
    # That report moved the state on: nothing changed since.
    assert json.loads(run(small, "--json").stdout)["changes"]["total"] == 0


def test_unreadable_state_starts_afresh(small: Path) -> None:
    write_note(small, STATE_PATH, "{not json")
    assert load_snapshot(small) is None
    write_note(small, STATE_PATH, json.dumps({"version": 99, "generated": "2026-01-01",
                                              "contacts": {}}))
    assert load_snapshot(small) is None
    assert json.loads(run(small, "--json").stdout)["changes"]["since"] is None


def index_facts(index: Index) -> Any:
    return (
        {c.path: [(i.date, i.path, i.line) for i in index.interactions(c)] for c in index.contacts},
        sorted((t.path, t.line) for t, _ in index.all_tasks()),
        [p for p in index.problems if p.path != index.config.report_path],
        [c.name for c in index.contacts],
    )


def test_the_report_note_adds_no_interaction_task_or_problem(tmp_path: Path) -> None:
    vault = sample_copy(tmp_path)
    before = load_index(vault)
    path = write_markdown_report(before, date(2026, 11, 25))
    assert path == vault / "Reports/Network.md"
    after = load_index(vault)
    assert index_facts(after) == index_facts(before)
    assert [p for p in after.problems if p.path == "Reports/Network.md"] == []
    note = after.notes["Reports/Network.md"]
    assert note.contact is None and note.date is None and note.tasks == ()
    # Every wikilink in the report resolves to the person it names.
    assert {after.resolve(link.target) for link in note.links} <= {c.path for c in after.contacts}
    report = gather(after, date(2026, 11, 25))
    assert report.counts.notes == len(before.notes)


def test_markdown_carries_the_mermaid_picture(small: Path) -> None:
    index = load_index(small)
    text = render_report(gather(index, date(2026, 11, 25)), "md", small)
    assert "```mermaid\n" + to_mermaid(build_graph(index, 3)) + "```\n" in text
    assert text.endswith("```\n")


# ---- privacy and escaping ----------------------------------------------------------------------

HOSTILE = '<script>alert("x")</script> Eve & "Co" [[Ada]] *bold* #tag'


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    vault = tmp_path / "hostile"
    write_note(
        vault,
        "people/Ada.md",
        person(
            "Ada",
            5,
            "email: ada@example.com\nphone: '+49 30 5550 1742'\nconsent:\n  share-contact: yes\n",
            "- [ ] call Ada on +49 30 5550 1742 📅 2026-11-01\n",
        ),
    )
    write_note(
        vault,
        "people/Eve.md",
        person(HOSTILE, 4, "email: eve@example.org\nphone: '555 010 9999'\n",
               "- [ ] mail eve@example.org about the job\n"),
    )
    return vault


def test_no_contact_details_in_either_format(hostile: Path) -> None:
    report = gather(load_index(hostile), date(2026, 11, 25))
    for fmt in ("md", "html"):
        text = render_report(report, fmt, hostile)  # type: ignore[arg-type]
        for detail in ("ada@example.com", "eve@example.org", "5550 1742", "555 010 9999"):
            assert detail not in text, (fmt, detail)
    assert [f.text for f in report.follow_ups] == [
        "call Ada on [phone hidden]", "mail [e-mail hidden] about the job",
    ]


def test_mask_contact_details_keeps_dates_and_short_numbers() -> None:
    mask = Masker().mask
    assert mask("call 0151 2345 6789 on 2026-11-25 re PR 42") == (
        "call [phone hidden] on 2026-11-25 re PR 42"
    )
    assert mask("ping a.b+c@mail.example.co.uk") == "ping [e-mail hidden]"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(attrs)


def test_html_is_self_contained_and_names_are_inert(hostile: Path) -> None:
    text = render_report(gather(load_index(hostile), date(2026, 11, 25)), "html", hostile)
    elements = _Elements()
    elements.feed(text)
    assert "script" not in elements.tags
    assert not {"link", "img", "iframe", "object", "embed", "base"} & set(elements.tags)
    assert not [a for a in elements.attributes if a[0] in ("src", "href") or a[0].startswith("on")]
    assert re.findall(r"https?://[^\s\"']+", text) == ["http://www.w3.org/2000/svg"] * 2
    assert "@import" not in text and "url(" not in text
    escaped = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Eve &amp; &#34;Co&#34;"
    assert escaped in text


def test_plain_text_shows_wikilinks_as_their_text() -> None:
    assert plain_text("ask [[Tom Whitaker]], [[people/Laura Mbeki|Laura]] and [[Ada#Log]]") == (
        "ask Tom Whitaker, Laura and Ada"
    )


def test_markdown_escapes_names_outside_links(hostile: Path) -> None:
    assert markdown_text(HOSTILE) == (
        '\\<script\\>alert("x")\\</script\\> Eve & "Co" \\[\\[Ada\\]\\] \\*bold\\* \\#tag'
    )
    text = render_report(gather(load_index(hostile), date(2026, 11, 25)), "md", hostile)
    # The name is not a file name, and holds brackets: the link shows the file name alone.
    assert "[[Eve]]" in text and "[[Eve|" not in text


def test_vault_template_overrides_the_builtin(small: Path) -> None:
    own = (
        "---\ntype: report\n---\n"
        "{{ report.counts.contacts }} people, {{ report.due_total }} due\n"
    )
    write_note(small, ".netvault/templates/report.md.j2", own)
    assert run(small).exit_code == 0
    assert (small / "Reports/Network.md").read_text(encoding="utf-8") == (
        "---\ntype: report\n---\n6 people, 2 due\n"
    )
    # Without `type: report` netvault could not tell its report from a note next time.
    write_note(small, ".netvault/templates/report.md.j2", "{{ report.due_total }} due\n")
    result = run(small)
    assert result.exit_code == 1
    assert "must keep its front matter type: report" in result.output


# ---- the HTML page in a real browser -----------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class DevTools:
    """A tiny Chrome DevTools Protocol client over --remote-debugging-pipe (fds 3 and 4,
    messages separated by NUL): no websocket library, no port."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_browser_read, self._to_browser = (self._high(fd) for fd in os.pipe())
        self._from_browser, from_browser_write = (self._high(fd) for fd in os.pipe())

        def wire_fds() -> None:  # runs in the child: its fds 3 and 4 are the pipes
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)

        self.process = subprocess.Popen(
            [
                binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-default-apps",
                "--disable-extensions", "--mute-audio", f"--user-data-dir={profile}",
                "--remote-debugging-pipe", "--window-size=1200,1600",
                # Nothing may leave this machine even if the page asked.
                "--host-resolver-rules=MAP * ~NOTFOUND",
            ],
            preexec_fn=wire_fds,
            close_fds=False,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_read)
        os.close(from_browser_write)
        self._buffer = b""
        self._last_id = 0
        self.events: list[dict[str, Any]] = []

    @staticmethod
    def _high(fd: int) -> int:
        moved = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(fd)
        return moved

    def _next(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            assert left > 0, "Chromium did not answer in time"
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                assert chunk, "Chromium closed the pipe"
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        message: dict[str, Any] = json.loads(raw)
        if "method" in message:
            self.events.append(message)
        return message

    def call(self, method: str, params: dict[str, Any] | None = None,
             session: str | None = None, timeout: float = 30) -> dict[str, Any]:
        self._last_id += 1
        message: dict[str, Any] = {"id": self._last_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            answer = self._next(deadline)
            if answer.get("id") == self._last_id:
                assert "error" not in answer, answer["error"]
                result: dict[str, Any] = answer["result"]
                return result

    def wait_for(self, method: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not any(e["method"] == method for e in self.events):
            self._next(deadline)

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError):
            self.call("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): the HTML report "
                    "was not opened in a browser")
    vault = sample_copy(tmp_path)
    write_note(vault, "people/Mallory.md",
               person(HOSTILE, 3, "email: eve@example.org\n", "<img src=x onerror=alert(1)>\n"))
    assert run(vault, "--format", "html", "--out", str(tmp_path / "report.html")).exit_code == 0
    url = (tmp_path / "report.html").as_uri()
    browser = DevTools(CHROMIUM, tmp_path / "profile")
    try:
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session=session)
        browser.call("Page.navigate", {"url": url}, session)
        browser.wait_for("Page.loadEventFired")
        facts = browser.call(
            "Runtime.evaluate",
            {
                "expression": "JSON.stringify({scripts: document.scripts.length, "
                "dots: document.querySelectorAll('svg.rings circle.dot').length, "
                "rings: document.querySelectorAll('svg.rings circle.ring').length, "
                "bars: document.querySelectorAll('svg.bars rect').length, "
                "width: document.querySelector('svg.rings').getBoundingClientRect().width, "
                "text: document.body.innerText})",
                "returnByValue": True,
            },
            session,
        )["result"]["value"]
        shot = browser.call(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True}, session
        )["data"]
    finally:
        browser.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "report.png").write_bytes(base64.b64decode(shot))

    requests = [e["params"]["request"]["url"] for e in browser.events
                if e["method"] == "Network.requestWillBeSent"]
    assert requests == [url]
    bad = ("error", "warning")
    complaints = [
        e["params"]
        for e in browser.events
        if e["method"] in ("Runtime.exceptionThrown", "Page.javascriptDialogOpening")
        or (e["method"] == "Runtime.consoleAPICalled" and e["params"]["type"] in bad)
        or (e["method"] == "Log.entryAdded" and e["params"]["entry"]["level"] in bad)
    ]
    assert complaints == []
    page = json.loads(facts)
    assert (page["scripts"], page["dots"], page["rings"], page["bars"]) == (0, 49, 6, 6)
    assert page["width"] > 900
    assert '<script>alert("x")</script> Eve & "Co"' in page["text"]
    assert "eve@example.org" not in page["text"]
