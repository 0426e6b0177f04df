"""`netvault graph` and netvault.graph: who is in, the edges, and every export format."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st

from netvault.cli import cli
from netvault.graph import (
    GRAPHML_NS,
    Graph,
    GraphEdge,
    GraphNode,
    build_graph,
    to_dot,
    to_graphml,
    to_mermaid,
)
from netvault.index import load_index

MERMAID_CHECKER = Path(__file__).parent / "mermaid"


def write_note(vault: Path, relpath: str, text: str) -> Path:
    path = vault / relpath
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(vault: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli, ["--vault", str(vault), "graph", *args], env={"NETVAULT_TODAY": "2026-11-25"}
    )


def person(name: str | None, tie: int | None, body: str = "", extra: str = "") -> str:
    lines = ["---"]
    if name is not None:
        lines.append(f"name: {json.dumps(name, ensure_ascii=False)}")
    if tie is not None:
        lines.append(f"tie: {tie}")
    if extra:
        lines.append(extra)
    lines.append("---")
    return "\n".join(lines) + "\n" + body


@pytest.fixture
def network(tmp_path: Path) -> Path:
    """Five people with awkward names, contact details, links both ways and to non-people."""
    vault = tmp_path / "vault"
    (vault / ".obsidian").mkdir(parents=True)
    write_note(vault, ".netvault.toml", '[owner]\nname = "Sam \\"Me\\" Rivera"\n')
    write_note(
        vault,
        "people/Ada Okafor.md",
        person(
            'Ada "The Boss" Okafor',
            5,
            "Knows [[Ben Carter]] and [[Zoë Núñez]]; see [[projects/Plan]].\n",
            "email: ada@example.com\nphone: '+49 30 5550 1742'\n",
        ),
    )
    write_note(
        vault,
        "people/Ben Carter.md",
        person("Ben [Brackets] | Carter #1", 3, "Met through [[Ada Okafor]].\n"),
    )
    write_note(
        vault,
        "people/Zoë Núñez.md",
        person("Zoë 🌳 Núñez <script>", 2, "", "introduced_by: '[[Ben Carter]]'\n"),
    )
    write_note(vault, "people/Quiet.md", person(None, None, "No tie, links to [[Ada Okafor]].\n"))
    write_note(vault, "people/Low.md", person("Low Tie", 1, "Links to [[Quiet]].\n"))
    write_note(vault, "projects/Plan.md", "A plan with [[Ada Okafor]] and [[Ben Carter]].\n")
    return vault


def test_build_graph_nodes_and_edges(network: Path) -> None:
    graph = build_graph(load_index(network))
    assert [(n.id, n.label, n.kind, n.tie, n.oak) for n in graph.nodes] == [
        ("me", 'Sam "Me" Rivera', "me", None, False),
        ("p_ada_the_boss_okafor", 'Ada "The Boss" Okafor', "contact", 5, True),
        ("p_ben_brackets_carter_1", "Ben [Brackets] | Carter #1", "contact", 3, False),
        ("p_low_tie", "Low Tie", "contact", 1, False),
        ("p_quiet", "Quiet", "contact", None, False),
        ("p_zoe_nunez_script", "Zoë 🌳 Núñez <script>", "contact", 2, False),
    ]
    assert [(e.source, e.target, e.kind, e.weight) for e in graph.edges] == [
        ("me", "p_ada_the_boss_okafor", "tie", 5),
        ("me", "p_ben_brackets_carter_1", "tie", 3),
        ("me", "p_low_tie", "tie", 1),
        ("me", "p_quiet", "tie", 0),
        ("me", "p_zoe_nunez_script", "tie", 2),
        # Ada <-> Ben is linked both ways but is one edge; the project note adds nothing.
        ("p_ada_the_boss_okafor", "p_ben_brackets_carter_1", "link", 1),
        ("p_ada_the_boss_okafor", "p_quiet", "link", 1),
        ("p_ada_the_boss_okafor", "p_zoe_nunez_script", "link", 1),
        ("p_ben_brackets_carter_1", "p_zoe_nunez_script", "link", 1),  # from introduced_by
        ("p_low_tie", "p_quiet", "link", 1),
    ]


def test_min_tie_drops_weaker_contacts_and_their_links(network: Path) -> None:
    graph = build_graph(load_index(network), min_tie=3)
    assert [n.label for n in graph.nodes] == [
        'Sam "Me" Rivera',
        'Ada "The Boss" Okafor',
        "Ben [Brackets] | Carter #1",
    ]
    assert [(e.source, e.target) for e in graph.edges] == [
        ("me", "p_ada_the_boss_okafor"),
        ("me", "p_ben_brackets_carter_1"),
        ("p_ada_the_boss_okafor", "p_ben_brackets_carter_1"),
    ]


def test_node_ids_are_unique_safe_identifiers(tmp_path: Path) -> None:
    vault = tmp_path / "v"
    for number, name in enumerate(["李小龍", "李小龍 ", "end", "End", "---", "me"]):
        write_note(vault, f"people/{number}.md", person(name, 3))
    ids = [n.id for n in build_graph(load_index(vault)).nodes]
    # Sorted by folded name: "---" has no letters, the two 李小龍 come last.
    assert ids == ["me", "p", "p_end", "p_end_2", "p_me", "p_2", "p_3"]


def test_no_contact_details_in_any_format(network: Path) -> None:
    for args in (["--format", "mermaid"], ["--format", "dot"], ["--format", "graphml"], ["--json"]):
        result = run(network, *args)
        assert result.exit_code == 0, result.output
        assert "ada@example.com" not in result.stdout
        assert "5550" not in result.stdout


# ---- Mermaid -------------------------------------------------------------------------------

_ID = r"[A-Za-z_][A-Za-z0-9_]*"
# A quoted label: no bare quote, and `#` only as the start of a numeric entity `#NN;`.
_LABEL = r'"((?:[^"#\[\]|<>&`;]|#\d+;)*)"'
_MERMAID_LINE = {
    "header": re.compile(r"^(?:flowchart|graph) (?:LR|RL|TB|TD|BT)$"),
    "node": re.compile(rf"^    ({_ID})(?:\[{_LABEL}\]|\(\({_LABEL}\)\))$"),
    "edge": re.compile(rf"^    ({_ID}) (?:---|===|-\.-)(?:\|{_LABEL}\|)? ({_ID})$"),
    "classDef": re.compile(rf"^    classDef ({_ID}) [a-z-]+:[#\w.]+(?:,[a-z-]+:[#\w.]+)*$"),
    "class": re.compile(rf"^    class ({_ID}(?:,{_ID})*) ({_ID})$"),
}
_MERMAID_KEYWORDS = {"end", "graph", "flowchart", "subgraph", "class", "classDef", "style", "click"}


def mermaid_grammar(text: str) -> dict[str, str]:
    """Check a flowchart line by line against the subset of Mermaid's grammar we write;
    returns node id -> decoded label. Fails the test on any line outside the grammar."""
    lines = text.split("\n")
    assert lines[-1] == "", "the output ends with a newline"
    assert _MERMAID_LINE["header"].match(lines[0]), lines[0]
    labels: dict[str, str] = {}
    classes: set[str] = set()
    for line in lines[1:-1]:
        kind, match = next(
            ((k, m) for k, rx in _MERMAID_LINE.items() if (m := rx.match(line))), ("", None)
        )
        assert match is not None, f"not Mermaid flowchart syntax: {line!r}"
        if kind == "node":
            node_id = match.group(1)
            assert node_id not in labels, f"{node_id} declared twice"
            assert node_id not in _MERMAID_KEYWORDS
            labels[node_id] = html.unescape(
                re.sub(r"#(\d+);", r"&#\1;", match.group(2) or match.group(3))
            )
        elif kind == "edge":
            assert {match.group(1), match.group(3)} <= set(labels), f"undeclared node: {line}"
        elif kind == "classDef":
            classes.add(match.group(1))
        elif kind == "class":
            assert set(match.group(1).split(",")) <= set(labels), line
            assert match.group(2) in classes, line
    return labels


def test_mermaid_follows_the_flowchart_grammar_and_keeps_every_name(network: Path) -> None:
    result = run(network)
    assert result.exit_code == 0, result.output
    labels = mermaid_grammar(result.stdout)
    assert labels == {n.id: n.label for n in build_graph(load_index(network)).nodes}
    assert '    me ===|"5 oak"| p_ada_the_boss_okafor' in result.stdout.split("\n")
    assert '    me -.-|"no tie"| p_quiet' in result.stdout.split("\n")
    assert "    p_ada_the_boss_okafor --- p_zoe_nunez_script" in result.stdout.split("\n")
    assert "    class p_ada_the_boss_okafor oak" in result.stdout.split("\n")


def test_mermaid_grammar_check_rejects_broken_flowcharts() -> None:
    for broken in (
        'flowchart LR\n    a["x"\n',
        'flowchart LR\n    a["say "hi""]\n',
        'flowchart LR\n    a["#tag"]\n',
        'flowchart LR\n    a["x"]\n    a --- b\n',
        'flowchart LR\n    end["x"]\n',
    ):
        with pytest.raises(AssertionError):
            mermaid_grammar(broken)


names = st.text(
    alphabet=st.characters(exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30
).filter(lambda s: s.strip())


def graph_named(labels: list[str]) -> Graph:
    nodes = [GraphNode("me", labels[0], "me")]
    nodes += [
        GraphNode(f"p_{i}", label, "contact", (i % 5) + 1, i % 5 == 4, f"people/{i}.md")
        for i, label in enumerate(labels[1:])
    ]
    edges = [GraphEdge("me", n.id, "tie", n.tie or 0) for n in nodes[1:]]
    return Graph(tuple(nodes), tuple(edges))


@settings(max_examples=150, deadline=None)
@given(st.lists(names, min_size=1, max_size=6))
def test_any_name_stays_inside_its_label_in_every_format(labels: list[str]) -> None:
    graph = graph_named(labels)
    expected = {n.id: " ".join(n.label.split()) for n in graph.nodes}
    assert mermaid_grammar(to_mermaid(graph)) == expected
    parsed = ET.fromstring(to_graphml(graph))
    ns = {"g": GRAPHML_NS}
    assert {
        node.get("id"): node.findtext("g:data[@key='d_label']", namespaces=ns)
        for node in parsed.iterfind("g:graph/g:node", ns)
    } == expected
    dot_labels = dict(re.findall(r'^    (\w+) \[label="((?:[^"\\]|\\.)*)"', to_dot(graph), re.M))
    assert {k: re.sub(r"\\(.)", r"\1", v) for k, v in dot_labels.items()} == expected


def test_real_mermaid_parser_accepts_the_output(network: Path, tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None or not (MERMAID_CHECKER / "node_modules" / "mermaid").is_dir():
        pytest.skip(
            "Mermaid's own parser is not installed: run `npm ci --prefix tests/mermaid` "
            "(needs node 18+); the grammar check above still ran"
        )
    good = tmp_path / "network.mmd"
    good.write_text(run(network).stdout, encoding="utf-8")
    awkward = tmp_path / "awkward.mmd"
    awkward.write_text(
        to_mermaid(graph_named(['"', "#", "|", "]", "a;b", "`x`", "🌳", "end", "#35;", "<br>"])),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.mmd"
    broken.write_text('flowchart LR\n    a["x"\n', encoding="utf-8")
    done = subprocess.run(
        [node, str(MERMAID_CHECKER / "check.mjs"), str(good), str(awkward), str(broken)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    results = [json.loads(line) for line in done.stdout.splitlines()]
    assert [(r["ok"], r.get("type")) for r in results] == [
        (True, "flowchart-v2"),
        (True, "flowchart-v2"),
        (False, None),  # the checker itself can fail
    ], done.stderr


# ---- GraphML, JSON, dot ----------------------------------------------------------------------


def test_graphml_opens_in_networkx_with_ties_as_weights(network: Path, tmp_path: Path) -> None:
    result = run(network, "--format", "graphml")
    assert result.exit_code == 0, result.output
    path = tmp_path / "network.graphml"
    path.write_text(result.stdout, encoding="utf-8")
    graph = nx.read_graphml(path)
    assert not graph.is_directed()
    assert sorted(graph.nodes) == sorted(
        ["me", "p_ada_the_boss_okafor", "p_ben_brackets_carter_1", "p_low_tie", "p_quiet",
         "p_zoe_nunez_script"]
    )
    assert graph.nodes["p_ada_the_boss_okafor"] == {
        "label": 'Ada "The Boss" Okafor',
        "kind": "contact",
        "tie": 5,
        "oak": True,
    }
    assert graph.nodes["p_quiet"] == {"label": "Quiet", "kind": "contact", "oak": False}
    assert graph.nodes["me"]["label"] == 'Sam "Me" Rivera'
    weights = {tuple(sorted((a, b))): d["weight"] for a, b, d in graph.edges(data=True)}
    assert weights == {
        ("me", "p_ada_the_boss_okafor"): 5.0,
        ("me", "p_ben_brackets_carter_1"): 3.0,
        ("me", "p_low_tie"): 1.0,
        ("me", "p_quiet"): 0.0,
        ("me", "p_zoe_nunez_script"): 2.0,
        ("p_ada_the_boss_okafor", "p_ben_brackets_carter_1"): 1.0,
        ("p_ada_the_boss_okafor", "p_quiet"): 1.0,
        ("p_ada_the_boss_okafor", "p_zoe_nunez_script"): 1.0,
        ("p_ben_brackets_carter_1", "p_zoe_nunez_script"): 1.0,
        ("p_low_tie", "p_quiet"): 1.0,
    }
    root = ET.parse(path).getroot()
    keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type"))
            for k in root.iterfind(f"{{{GRAPHML_NS}}}key")}
    assert keys["d_weight"] == ("edge", "weight", "double")
    assert keys["d_tie"] == ("node", "tie", "int")


def test_json_round_trips(network: Path) -> None:
    result = run(network, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"nodes", "edges"}
    rebuilt = Graph.from_json(data)
    assert rebuilt == build_graph(load_index(network))
    assert rebuilt.to_json() == data
    assert json.loads(run(network, "--format", "json").stdout) == data


def test_dot_is_well_formed_and_renders_with_graphviz(network: Path, tmp_path: Path) -> None:
    result = run(network, "--format", "dot")
    assert result.exit_code == 0, result.output
    lines = result.stdout.split("\n")
    assert lines[0] == "graph netvault {" and lines[-2:] == ["}", ""]
    quoted = r'"(?:[^"\\]|\\.)*"'
    statement = re.compile(rf'^    (?:graph|node|\w+|\w+ -- \w+) \[(?:[^"\]]|{quoted})*\];$')
    assert all(statement.match(line) for line in lines[1:-2]), result.stdout
    link = '    p_ada_the_boss_okafor -- p_ben_brackets_carter_1 [weight=1, color="#888888"];'
    assert link in lines
    dot = shutil.which("dot")
    if dot is None:
        pytest.skip("Graphviz `dot` is not installed (apt-get install graphviz); render not tried")
    source = tmp_path / "network.dot"
    source.write_text(result.stdout, encoding="utf-8")
    done = subprocess.run(
        [dot, "-Tsvg", str(source)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    svg = ET.fromstring(done.stdout)
    texts = {t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")}
    assert {'Sam "Me" Rivera', "Ben [Brackets] | Carter #1", "Zoë 🌳 Núñez <script>"} <= texts


def test_usage_errors_exit_2(network: Path) -> None:
    assert run(network, "--format", "png").exit_code == 2
    assert run(network, "--min-tie", "6").exit_code == 2
    contradiction = run(network, "--json", "--format", "dot")
    assert contradiction.exit_code == 2
    assert "contradict" in contradiction.output
