"""The graph page: one self-contained HTML file to explore the graph offline (pyvis + vis-network).

`write_page(graph, path)` turns the networkx view of the graph (`kg.network.to_networkx`)
into a page that opens from disk with no network at all: nodes styled by ontology class
with a legend, edges labelled with their relation, amount and date, a details panel with
each fact's evidence sentence and source, search, and filters by type, relation and date.

pyvis supplies the network model and the vis-network build it bundles; the page itself is
rendered from our own template because pyvis's has three traps (see DESIGN.md):
`cdn_resources="in_line"` still links bootstrap from a CDN, titles are HTML, and physics
never settles on big graphs. Here vis-network is inlined, nothing is linked, every string
reaches the page as JSON inside a `<script type="application/json">` block (with `<`, `>`
and `&` escaped) and is shown with `textContent`, only http and https URLs become links,
and positions are computed beforehand (`kg.layout`) with physics off.

Node and edge attributes read (the `kg.network` contract): nodes `type`, `label`,
`aliases`, `sources` (a count; `source_count` also works), and optionally `amount`,
`date` for event nodes; edges `relation`, `amount`, `date`, `sources` (a list of
`{doc, title, publisher, date, url, sentence}`).
"""
from __future__ import annotations

import calendar
import datetime
import difflib
import functools
import json
import math
import re
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from pathlib import Path

import networkx as nx

from kg.errors import KGError

DEFAULT_TITLE = "aikg: the AI-industry knowledge graph"
BIG_GRAPH = 1500  # from this many nodes or edges, drawing is tuned for speed over looks

# Ontology class -> page category. Categories are what the legend and the type filter show.
CATEGORIES: dict[str, dict[str, str]] = {
    "company": {"name": "company", "color": "#4e79a7", "shape": "dot", "symbol": "\u25cf"},
    "person": {"name": "person", "color": "#f28e2b", "shape": "diamond", "symbol": "\u25c6"},
    "lab": {"name": "lab or division", "color": "#59a14f", "shape": "hexagon", "symbol": "\u2b22"},
    "product": {"name": "product", "color": "#b07aa1", "shape": "square", "symbol": "\u25a0"},
    "site": {"name": "site", "color": "#e15759", "shape": "triangle", "symbol": "\u25b2"},
    "place": {"name": "place", "color": "#76b7b2", "shape": "triangleDown", "symbol": "\u25bc"},
    "event": {"name": "event", "color": "#edc948", "shape": "star", "symbol": "\u2605"},
    "other": {"name": "other", "color": "#bab0ac", "shape": "dot", "symbol": "\u25cf"},
}
_CATEGORY_OF = {
    "company": "company", "investor": "company", "organization": "company",
    "person": "person",
    "researchlab": "lab", "lab": "lab", "division": "lab",
    "product": "product",
    "site": "site", "project": "site",
    "place": "place",
    "event": "event", "investment": "event", "acquisition": "event", "partnership": "event",
    "supplydeal": "event", "hiring": "event", "assetsale": "event", "capexguidance": "event",
    "financialreport": "event", "fundinground": "event", "role": "event",
}


def category(entity_type: str | None) -> str:
    """The page category of an ontology class name, IRI or CURIE.

    >>> category("Investor"), category("https://w3id.org/aikg/ResearchLab"), category("aikg:AssetSale")
    ('company', 'lab', 'event')
    """
    name = re.split(r"[#/:]", entity_type or "")[-1].lower()
    return _CATEGORY_OF.get(name, "other")


# ---------------------------------------------------------------- dates and amounts

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?|-Q([1-4]))?")


def date_bounds(text: object) -> tuple[str, str] | None:
    """The first and last day a date as precise as given can mean, or None when it is no date.

    >>> date_bounds("2025-02")
    ('2025-02-01', '2025-02-28')
    >>> date_bounds("2025-Q2"), date_bounds("soon")
    (('2025-04-01', '2025-06-30'), None)
    """
    return None if text is None else _bounds(str(text).strip())


@functools.lru_cache(maxsize=4096)  # a big graph repeats the same few hundred dates
def _bounds(text: str) -> tuple[str, str] | None:
    found = _DATE.fullmatch(text)
    if not found:
        return None
    year, month, day, quarter = found.groups()
    y = int(year)
    if quarter:
        first, last = 3 * int(quarter) - 2, 3 * int(quarter)
        return f"{y:04d}-{first:02d}-01", f"{y:04d}-{last:02d}-{calendar.monthrange(y, last)[1]:02d}"
    if day:
        try:
            datetime.date(y, int(month), int(day))
        except ValueError:
            return None
        return f"{year}-{month}-{day}", f"{year}-{month}-{day}"
    if month:
        if not 1 <= int(month) <= 12:
            return None
        return f"{year}-{month}-01", f"{year}-{month}-{calendar.monthrange(y, int(month))[1]:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def format_amount(amount: object, currency: str | None = None) -> str:
    """A money amount as people write it in headlines (US dollars unless a currency is given).

    >>> format_amount(14.3e9), format_amount({"value": 66e9, "max": 72e9}), format_amount(2.5e6, "EUR")
    ('$14.3B', '$66B\u2013$72B', '\u20ac2.5M')
    """
    if amount is None or amount == "":
        return ""
    if isinstance(amount, Mapping):
        currency = str(amount.get("currency") or currency or "USD")
        low = amount.get("min", amount.get("value", amount.get("amount")))
        high = amount.get("max")
        if low is None and high is None:
            return ""
        if low is not None and high is not None and low != high:
            return f"{format_amount({'value': low, 'currency': currency})}\u2013{format_amount({'value': high, 'currency': currency})}"
        return _money(low if low is not None else high, currency)
    return _money(amount, currency or "USD")


def _money(value: object, currency: str) -> str:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(number):
        return str(value)
    for scale, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")):
        if abs(number) >= scale:
            text = f"{number / scale:.3g}{suffix}"
            break
    else:
        text = f"{number:g}"
    symbol = {"USD": "$", "EUR": "\u20ac", "GBP": "\u00a3", "JPY": "\u00a5"}.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


# http or https, a host, then anything but whitespace and control characters
_WEB_URL = re.compile(r"[Hh][Tt][Tt][Pp][Ss]?://[^\s\x00-\x1f\x7f/?#\\]+(?:[/?#][^\s\x00-\x1f\x7f]*)?")


def web_link(url: object) -> str | None:
    """The URL when it may become a link (http or https with a host), else None.

    >>> web_link("https://example.com/a"), web_link("javascript:alert(1)"), web_link(" JavaScript:x")
    ('https://example.com/a', None, None)
    """
    if not isinstance(url, str):
        return None
    text = url.strip()
    return text if _WEB_URL.fullmatch(text) else None


# ---------------------------------------------------------------- selecting what to show

def _labels(data: Mapping) -> list[str]:
    names = [data.get("label")]
    aliases = data.get("aliases") or ()
    names.extend([aliases] if isinstance(aliases, str) else aliases)
    return [str(n) for n in names if n]


def find_node(graph: nx.Graph, name: str) -> Hashable:
    """The node whose label, alias or id is `name` (case-insensitive); KGError when there is none."""
    wanted = name.strip().casefold()
    by_label = [n for n, d in graph.nodes(data=True) if str(d.get("label", "")).casefold() == wanted]
    if by_label:
        return by_label[0]
    for n, d in graph.nodes(data=True):
        if wanted in (x.casefold() for x in _labels(d)) or str(n).casefold() == wanted:
            return n
    known = sorted({label for _, d in graph.nodes(data=True) for label in _labels(d)})
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    raise KGError(f"no entity named {name!r} in the graph{hint}")


def _edge_dates(graph: nx.Graph, u, v, data: Mapping) -> tuple[str, str] | None:
    """When an edge's fact happened: its own date, else its event node's, else its newest source's."""
    ends = (graph.nodes[v], graph.nodes[u])
    for candidate in (data.get("date"), *(n.get("date") or n.get("period") for n in ends)):
        bounds = date_bounds(candidate) if candidate else None
        if bounds:
            return bounds
    source_dates = [date_bounds(s.get("date")) for s in _sources(data)]
    source_dates = [d for d in source_dates if d]
    return max(source_dates) if source_dates else None


def _sources(data: Mapping) -> list[Mapping]:
    sources = data.get("sources")
    return [s for s in sources if isinstance(s, Mapping)] if isinstance(sources, (list, tuple)) else []


def select(graph: nx.MultiDiGraph, *, focus: str | None = None, hops: int = 2, since: str | None = None,
           relations: Iterable[str] | None = None) -> nx.MultiDiGraph:
    """The part of `graph` a focused page shows.

    `relations` keeps only edges with those relations; `since` (YYYY, YYYY-MM or
    YYYY-MM-DD) keeps only edges whose fact may have happened on or after that day (the
    fact's date, else its event's, else its newest source's); both then drop the nodes
    left without edges. `focus` keeps the nodes within `hops` links of that entity
    (ignoring direction).
    """
    if since is not None and date_bounds(since) is None:
        raise KGError(f"--since wants a date like 2025-01-01, not {since!r}")
    if hops < 0:
        raise KGError("--hops must be 0 or more")
    wanted = None
    if relations is not None:
        from kg.models import ENTITY_PREDICATES, VALUE_PREDICATES

        wanted = {r.strip() for r in relations if r.strip()}
        known = set(ENTITY_PREDICATES) | set(VALUE_PREDICATES) | {d.get("relation") for *_, d in graph.edges(data=True)}
        for name in sorted(wanted - known):
            close = difflib.get_close_matches(name, sorted(k for k in known if k), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise KGError(f"unknown relation {name!r}{hint}")
    start = date_bounds(since)[0] if since is not None else None
    if wanted is None and start is None:
        kept = graph
    else:
        kept = nx.MultiDiGraph()
        kept.graph.update(graph.graph)
        for u, v, key, data in graph.edges(keys=True, data=True):
            if wanted is not None and data.get("relation") not in wanted:
                continue
            if start is not None:
                when = _edge_dates(graph, u, v, data)
                if when is None or when[1] < start:
                    continue
            for n in (u, v):
                if n not in kept:
                    kept.add_node(n, **graph.nodes[n])
            kept.add_edge(u, v, key=key, **data)
    if focus is not None:
        centre = find_node(graph, focus)
        if centre not in kept:  # kept is a filtered copy here: the focus stays, alone if need be
            kept.add_node(centre, **graph.nodes[centre])
        near = nx.single_source_shortest_path_length(kept.to_undirected(as_view=True), centre, cutoff=hops)
        kept = kept.subgraph(near).copy()
    return kept


# ---------------------------------------------------------------- the page

def _script_json(value: object) -> str:
    """JSON that is safe inside a <script> element: no `<`, `>` or `&` can close or open a tag."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _source_count(data: Mapping) -> int:
    for key in ("source_count", "sources"):
        value = data.get(key)
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            return int(value)
        if isinstance(value, (list, tuple, set)):
            return len(value)
    return 0


def page_data(graph: nx.MultiDiGraph, *, title: str = DEFAULT_TITLE, note: str = "") -> dict:
    """What the page script reads: nodes with positions and styles, edges with their facts, the legend."""
    from kg.layout import layout

    positions = layout(graph)
    ids = {n: f"n{i}" for i, n in enumerate(graph.nodes)}
    degree = dict(graph.degree())
    nodes = []
    for n, data in graph.nodes(data=True):
        kind = category(data.get("type"))
        count = _source_count(data)
        weight = max(count, degree.get(n, 0))  # hubs stand out even when few articles name them
        x, y = positions[n]
        aliases = [a for a in _labels(data)[1:] if a != data.get("label")]
        node = {
            "id": ids[n], "key": _text(n), "label": _text(data.get("label") or n), "category": kind,
            "type": _text(re.split(r"[#/:]", _text(data.get("type")))[-1]) or "unknown",
            "aliases": aliases, "sources": count, "degree": degree.get(n, 0),
            "x": x, "y": y, "size": round(min(10 + 5 * math.sqrt(weight), 48), 1),
        }
        # an event node (a sale, a capex guidance) carries its figure and its date or period
        amount = format_amount(data.get("amount"), data.get("currency"))
        when = _text(data.get("date") or data.get("period"))
        if amount:
            node["amount"] = amount
        if when:
            node["date"] = when
        if amount or when:
            node["caption"] = node["label"] + "\n" + " \u00b7 ".join(x for x in (amount, when) if x)
        nodes.append(node)

    edges = []
    pair_count: Counter = Counter()
    for i, (u, v, data) in enumerate(graph.edges(data=True)):
        relation = _text(data.get("relation")) or "related"
        amount, when = format_amount(data.get("amount"), data.get("currency")), _text(data.get("date"))
        role = _text(data.get("title"))
        bounds = _edge_dates(graph, u, v, data)
        sources = []
        for s in _sources(data):
            url = _text(s.get("url")).strip()
            link = web_link(url)
            sources.append({
                "sentence": _text(s.get("sentence") or s.get("evidence")),
                "title": _text(s.get("title")), "publisher": _text(s.get("publisher")),
                "date": _text(s.get("date")), "doc": _text(s.get("doc")),
                "link": link or "", "url": "" if link else url,
            })
        pair = (u, v) if str(u) <= str(v) else (v, u)
        parallel = pair_count[pair]
        pair_count[pair] += 1
        edges.append({
            "id": f"e{i}", "from": ids[u], "to": ids[v], "relation": relation,
            "label": " \u00b7 ".join(x for x in (relation, role, amount, when) if x),
            "role": role, "amount": amount, "date": when, "d0": bounds[0] if bounds else "", "d1": bounds[1] if bounds else "",
            "sources": sources, "width": round(1 + math.log2(1 + len(sources)), 2),
            "curve": parallel,
        })
    counts = Counter(node["category"] for node in nodes)
    legend = [{"key": key, **style, "count": counts[key]} for key, style in CATEGORIES.items() if counts[key]]
    relations = Counter(e["relation"] for e in edges)
    dates = sorted(d for e in edges for d in (e["d0"], e["d1"]) if d)
    return {
        "title": title, "note": note, "big": max(len(nodes), len(edges)) >= BIG_GRAPH,
        "nodes": nodes, "edges": edges, "legend": legend,
        "relations": [{"name": r, "count": c} for r, c in sorted(relations.items())],
        "dateRange": [dates[0], dates[-1]] if dates else ["", ""],
    }


def _vis_options(big: bool) -> dict:
    groups = {key: {"shape": s["shape"], "color": {"background": s["color"], "border": "#3b3b3b",
                                                   "highlight": {"background": s["color"], "border": "#000000"}}}
              for key, s in CATEGORIES.items()}
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "groups": groups,
        "nodes": {"borderWidth": 1, "font": {"size": 14, "face": "system-ui, sans-serif",
                                             "strokeWidth": 3, "strokeColor": "#ffffff"},
                  "scaling": {"label": {"drawThreshold": 7}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.5}},
                  "color": {"color": "#9aa4b1", "highlight": "#222222", "hover": "#555555"},
                  "font": {"size": 10, "face": "system-ui, sans-serif", "color": "#444444",
                           "strokeWidth": 3, "strokeColor": "#ffffff", "align": "middle"},
                  "smooth": False, "selectionWidth": 2},
        "interaction": {"hover": not big, "hideEdgesOnDrag": big, "hideEdgesOnZoom": big,
                        "tooltipDelay": 300, "keyboard": False, "multiselect": False},
    }


def _vis_library() -> str:
    import pyvis

    path = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2" / "vis-network.min.js"
    try:
        code = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KGError(f"cannot read vis-network from the pyvis package ({path}): {exc}") from exc
    # a source map comment would point at a file that is not there
    code = re.sub(r"^//# sourceMappingURL=.*$", "", code, flags=re.MULTILINE)
    # inlined code must not close its own <script> element
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def render_page(graph: nx.MultiDiGraph, *, title: str = DEFAULT_TITLE, note: str = "") -> str:
    """The page for `graph` as one HTML string (see `write_page`)."""
    from jinja2 import Environment
    from markupsafe import Markup
    from pyvis.network import Network

    from kg.page_template import PAGE_TEMPLATE

    data = page_data(graph, title=title, note=note)
    # pyvis holds the vis-network model (items and options); nothing of its template is used
    net = Network(directed=True, cdn_resources="in_line", heading=title)
    net.options = _vis_options(data["big"])
    *_, options = net.get_network_data()
    environment = Environment(autoescape=True)
    return environment.from_string(PAGE_TEMPLATE).render(
        title=title,
        data_json=Markup(_script_json(data)),
        options_json=Markup(_script_json(json.loads(options))),
        vis_js=Markup(_vis_library()),
    )


def write_page(graph: nx.MultiDiGraph, path: Path | str, *, focus: str | None = None, hops: int = 2,
               since: str | None = None, relations: Iterable[str] | None = None,
               title: str = DEFAULT_TITLE) -> Path:
    """Write the self-contained graph page for `graph` (or the focused part of it) to `path`.

    `focus`, `hops`, `since` and `relations` narrow the graph as `select` does; the page
    says what it shows. Returns the path written.
    """
    shown = select(graph, focus=focus, hops=hops, since=since, relations=relations)
    parts = []
    if focus is not None:
        parts.append(f"within {hops} hops of {focus}")
    if since is not None:
        parts.append(f"since {since}")
    if relations is not None:
        parts.append("relations " + ", ".join(sorted({r.strip() for r in relations if r.strip()})))
    note = "Showing " + "; ".join(parts) if parts else ""
    html = render_page(shown, title=title, note=note)
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(html, encoding="utf-8")
    except OSError as exc:
        raise KGError(f"cannot write {target}: {exc.strerror or exc}") from exc
    return target


__all__ = ["CATEGORIES", "DEFAULT_TITLE", "category", "date_bounds", "find_node", "format_amount",
           "page_data", "render_page", "select", "web_link", "write_page"]
