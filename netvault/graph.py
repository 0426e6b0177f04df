"""The network you can see: you, your ties, and the links between your contacts' notes.

Names only: a node carries a contact's name, tie and oak flag, never an e-mail or a phone,
so every export may leave the vault.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from .index import Index
from .model import TIE_LABELS, Contact
from .text import fold

NodeKind = Literal["me", "contact"]
EdgeKind = Literal["tie", "link"]

OWNER_ID = "me"
FORMATS = ("mermaid", "dot", "graphml", "json")


@dataclass(frozen=True, slots=True)
class GraphNode:
    id: str  # a safe identifier in Mermaid, dot and XML: [a-z][a-z0-9_]*
    label: str
    kind: NodeKind
    tie: int | None = None
    oak: bool = False
    path: str | None = None


@dataclass(frozen=True, slots=True)
class GraphEdge:
    """`tie`: you and a contact, weight = tie (0 when unset). `link`: two contacts' notes link."""

    source: str
    target: str
    kind: EdgeKind
    weight: int


@dataclass(frozen=True, slots=True)
class Graph:
    nodes: tuple[GraphNode, ...]
    edges: tuple[GraphEdge, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "nodes": [
                {
                    "id": n.id,
                    "label": n.label,
                    "kind": n.kind,
                    "tie": n.tie,
                    "oak": n.oak,
                    "path": n.path,
                }
                for n in self.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "kind": e.kind, "weight": e.weight}
                for e in self.edges
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Graph:
        nodes = tuple(
            GraphNode(
                id=n["id"],
                label=n["label"],
                kind=n["kind"],
                tie=n["tie"],
                oak=n["oak"],
                path=n["path"],
            )
            for n in data["nodes"]
        )
        edges = tuple(
            GraphEdge(source=e["source"], target=e["target"], kind=e["kind"], weight=e["weight"])
            for e in data["edges"]
        )
        return cls(nodes, edges)


# ---- building ------------------------------------------------------------------------------


def build_graph(index: Index, min_tie: int | None = None) -> Graph:
    """You at the centre, every contact with a tie of at least `min_tie` (all when None),
    and one undirected `link` edge per pair of those contacts whose notes link either way."""
    people = [c for c in index.contacts if min_tie is None or (c.tie or 0) >= min_tie]
    ids = _node_ids(people)
    nodes = [GraphNode(OWNER_ID, _label(index.config.owner_name), "me")]
    edges: list[GraphEdge] = []
    for contact in people:
        node_id = ids[contact.path]
        nodes.append(
            GraphNode(
                node_id, _label(contact.name), "contact", contact.tie, contact.is_oak, contact.path
            )
        )
        edges.append(GraphEdge(OWNER_ID, node_id, "tie", contact.tie or 0))
    order = {c.path: position for position, c in enumerate(people)}
    pairs: set[tuple[str, str]] = set()
    for source, target in index.links_among(order):
        if target != source:
            first, second = sorted((source, target), key=order.__getitem__)
            pairs.add((first, second))
    for first, second in sorted(pairs, key=lambda p: (order[p[0]], order[p[1]])):
        edges.append(GraphEdge(ids[first], ids[second], "link", 1))
    return Graph(tuple(nodes), tuple(edges))


def _label(name: str) -> str:
    """One line of text XML 1.0 can hold: control characters (they also break a line), lone
    surrogates and the non-characters U+FFFE and U+FFFF become spaces."""
    printable = "".join(" " if _not_xml(ch) else ch for ch in name)
    return " ".join(printable.split())


def _not_xml(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff"


def _node_ids(people: Iterable[Contact]) -> dict[str, str]:
    """path -> `p_<ascii slug of the name>`, made unique; stable while the names stay."""
    ids: dict[str, str] = {}
    used = {OWNER_ID}
    for contact in people:
        slug = re.sub(r"[^a-z0-9]+", "_", fold(contact.name)).strip("_")
        base = f"p_{slug}" if slug else "p"
        candidate, number = base, 1
        while candidate in used:
            number += 1
            candidate = f"{base}_{number}"
        used.add(candidate)
        ids[contact.path] = candidate
    return ids


# ---- Mermaid -------------------------------------------------------------------------------

# Inside a quoted Mermaid label only these pass as written; everything else that could end the
# string, open an entity, a markdown string or HTML becomes a numeric entity `#NN;`.
_MERMAID_UNSAFE = re.compile(r"[\"#|<>&`;\[\]{}()\\]")


def mermaid_text(text: str) -> str:
    """`text` as the inside of a double-quoted Mermaid label."""
    return _MERMAID_UNSAFE.sub(lambda m: f"#{ord(m.group())};", _label(text))


def _tie_name(tie: int) -> str:
    return f"{tie} {TIE_LABELS[tie]}" if tie in TIE_LABELS else "no tie"


def to_mermaid(graph: Graph) -> str:
    """A flowchart that renders in Obsidian's ```mermaid block. Strong ties are thick lines,
    tie 1 (or unset) dotted; contact-to-contact links are plain, unlabelled lines."""
    lines = ["flowchart LR"]
    for node in graph.nodes:
        label = mermaid_text(node.label)
        shape = f'(("{label}"))' if node.kind == "me" else f'["{label}"]'
        lines.append(f"    {node.id}{shape}")
    for edge in graph.edges:
        if edge.kind == "tie":
            arrow = "===" if edge.weight >= 4 else "---" if edge.weight >= 2 else "-.-"
            lines.append(f'    {edge.source} {arrow}|"{_tie_name(edge.weight)}"| {edge.target}')
        else:
            lines.append(f"    {edge.source} --- {edge.target}")
    oaks = [n.id for n in graph.nodes if n.oak]
    lines.append("    classDef me fill:#1f4e79,stroke:#1f4e79,color:#ffffff")
    lines.append("    classDef oak fill:#dff0d8,stroke:#2e7d32,stroke-width:2px")
    lines.append(f"    class {OWNER_ID} me")
    if oaks:
        lines.append(f"    class {','.join(oaks)} oak")
    return "\n".join(lines) + "\n"


# ---- Graphviz dot --------------------------------------------------------------------------


def dot_text(text: str) -> str:
    """`text` as a double-quoted dot string (backslash would start a dot escape like \\N)."""
    return '"' + _label(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(graph: Graph) -> str:
    lines = [
        "graph netvault {",
        "    graph [layout=neato, overlap=false, splines=true];",
        '    node [shape=box, style="rounded,filled", fillcolor="#ffffff", fontname="sans-serif"];',
    ]
    for node in graph.nodes:
        attributes = [f"label={dot_text(node.label)}"]
        if node.kind == "me":
            attributes += ["shape=doublecircle", 'fillcolor="#1f4e79"', 'fontcolor="#ffffff"']
        elif node.oak:
            attributes += ['fillcolor="#dff0d8"', 'color="#2e7d32"', "penwidth=2"]
        if node.tie is not None:
            attributes.append(f"tie={node.tie}")
        lines.append(f"    {node.id} [{', '.join(attributes)}];")
    for edge in graph.edges:
        if edge.kind == "tie":
            width = max(edge.weight, 1)
            style = ", style=dashed" if edge.weight <= 1 else ""
            lines.append(
                f"    {edge.source} -- {edge.target} "
                f"[weight={edge.weight}, penwidth={width}{style}];"
            )
        else:
            lines.append(f'    {edge.source} -- {edge.target} [weight=1, color="#888888"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


# ---- GraphML -------------------------------------------------------------------------------

GRAPHML_NS = "http://graphml.graphdrawing.org/xmlns"

# (id, for, attr.name, attr.type)
_GRAPHML_KEYS = (
    ("d_label", "node", "label", "string"),
    ("d_kind", "node", "kind", "string"),
    ("d_tie", "node", "tie", "int"),
    ("d_oak", "node", "oak", "boolean"),
    ("d_edge_kind", "edge", "kind", "string"),
    ("d_weight", "edge", "weight", "double"),
)


def to_graphml(graph: Graph) -> str:
    """GraphML for Gephi, yEd and networkx: label/kind/tie/oak on nodes, kind/weight on edges."""
    ET.register_namespace("", GRAPHML_NS)
    root = ET.Element(f"{{{GRAPHML_NS}}}graphml")
    for key_id, domain, name, kind in _GRAPHML_KEYS:
        ET.SubElement(
            root,
            f"{{{GRAPHML_NS}}}key",
            {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind},
        )
    body = ET.SubElement(
        root, f"{{{GRAPHML_NS}}}graph", {"id": "netvault", "edgedefault": "undirected"}
    )

    def data(parent: ET.Element, key: str, value: str) -> None:
        ET.SubElement(parent, f"{{{GRAPHML_NS}}}data", {"key": key}).text = value

    for node in graph.nodes:
        element = ET.SubElement(body, f"{{{GRAPHML_NS}}}node", {"id": node.id})
        data(element, "d_label", _label(node.label))
        data(element, "d_kind", node.kind)
        if node.tie is not None:
            data(element, "d_tie", str(node.tie))
        data(element, "d_oak", "true" if node.oak else "false")
    for number, edge in enumerate(graph.edges):
        element = ET.SubElement(
            body,
            f"{{{GRAPHML_NS}}}edge",
            {"id": f"e{number}", "source": edge.source, "target": edge.target},
        )
        data(element, "d_edge_kind", edge.kind)
        data(element, "d_weight", f"{float(edge.weight)}")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def export(graph: Graph, fmt: str) -> str:
    """The graph as text in one of FORMATS other than json (see `Graph.to_json`)."""
    if fmt == "mermaid":
        return to_mermaid(graph)
    if fmt == "dot":
        return to_dot(graph)
    if fmt == "graphml":
        return to_graphml(graph)
    raise ValueError(f"unknown graph format {fmt!r}; choose one of {', '.join(FORMATS)}")
