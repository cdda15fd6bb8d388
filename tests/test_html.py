"""The graph page without a browser: escaping, no external resources, focused exports, layout, CLI."""
from __future__ import annotations

import json
import math
import re
import time
from html.parser import HTMLParser

import networkx as nx
import pytest
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import KGError
from kg.html import date_bounds, format_amount, page_data, render_page, select, web_link, write_page
from kg.layout import layout
from page_graphs import XSS_LABEL, XSS_SCRIPT, sample_graph, synthetic_graph

runner = CliRunner()


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of each <script>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html: str) -> _Tags:
    tags = _Tags()
    tags.feed(html)
    return tags


@pytest.fixture(scope="module")
def page() -> str:
    return render_page(sample_graph())


def page_json(html: str, element_id: str) -> dict:
    found = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html, re.S)
    assert found, element_id
    return json.loads(found.group(1))


# ---------------------------------------------------------------- self-contained

def test_the_page_links_nothing_and_inlines_vis_network(page):
    tags = parse(page)
    for tag, attrs in tags.tags:
        for name in ("src", "href", "action", "poster", "data"):
            value = attrs.get(name)
            assert value is None or value.startswith("data:"), (tag, name, value)
    assert not [t for t, a in tags.tags if t == "link" and a.get("rel") == "stylesheet"]
    assert "bootstrap" not in page.lower() and "cdn" not in page.lower() and "sourceMappingURL" not in page
    assert "@import" not in page and not re.search(r"url\(\s*['\"]?(?!data:)", page)
    assert any("vis.Network" in s for s in tags.scripts) and any("DataSet" in s and len(s) > 100_000 for s in tags.scripts)
    # the page forbids itself any request (Content-Security-Policy default-src 'none')
    csp = [a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]


def test_physics_is_off_and_every_node_has_a_position(page):
    options = page_json(page, "kg-options")
    data = page_json(page, "kg-data")
    assert options["physics"]["enabled"] is False
    assert all(math.isfinite(n["x"]) and math.isfinite(n["y"]) for n in data["nodes"])


# ---------------------------------------------------------------- escaping

def test_hostile_labels_and_sentences_stay_inert_text(page):
    assert XSS_LABEL not in page and "<img" not in page
    assert "alert(2)</script>" not in page
    # exactly the four script elements of the template are closed
    assert page.count("</script>") == 4 == len(parse(page).scripts)
    data = page_json(page, "kg-data")
    labels = {n["label"] for n in data["nodes"]}
    assert XSS_LABEL in labels  # the text itself survives, to be shown as text
    evil = next(n for n in data["nodes"] if n["label"] == XSS_LABEL)
    assert evil["aliases"] == [XSS_SCRIPT]
    sentences = [s["sentence"] for e in data["edges"] for s in e["sources"]]
    assert any(XSS_SCRIPT in s for s in sentences)


def test_the_title_is_escaped():
    html = render_page(sample_graph(), title='<b onclick="x()">AI</b>')
    assert '<b onclick' not in html and "&lt;b onclick=&#34;x()&#34;&gt;AI&lt;/b&gt;" in html


def test_the_script_never_writes_html():
    from kg.page_template import PAGE_TEMPLATE

    script = PAGE_TEMPLATE.split("{% raw %}")[-1]
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in script, sink


@pytest.mark.parametrize("url, expected", [
    ("https://example.com/a?b=1", "https://example.com/a?b=1"),
    ("http://example.com", "http://example.com"),
    ("javascript:alert(1)", None),
    ("JavaScript:alert(1)", None),
    ("  javascript:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>alert(1)</script>", None),
    ("ftp://example.com/x", None),
    ("https:/no-host", None),
    ("https://exa mple.com/", None),
    ("https://example.com/a\x00b", None),
    ("https://\x01example.com", None),
    ("HTTPS://example.com", "HTTPS://example.com"),
    ("//example.com/x", None),
    ("", None),
    (None, None),
])
def test_only_http_and_https_urls_become_links(url, expected):
    assert web_link(url) == expected


def test_a_javascript_url_is_kept_as_text_not_as_a_link(page):
    data = page_json(page, "kg-data")
    sources = [s for e in data["edges"] for s in e["sources"]]
    hostile = [s for s in sources if "javascript:" in s["url"]]
    assert hostile and all(s["link"] == "" for s in hostile)
    assert all(s["link"] == "" or s["link"].startswith(("http://", "https://")) for s in sources)
    assert "javascript:" not in "".join(s["link"] for s in sources)


# ---------------------------------------------------------------- what the page shows

def test_nodes_are_styled_by_class_and_sized_by_sources():
    data = page_data(sample_graph())
    by_label = {n["label"]: n for n in data["nodes"]}
    assert by_label["Meta"]["category"] == "company"
    assert by_label["Alexandr Wang"]["category"] == "person"
    assert by_label["FAIR"]["category"] == "lab"
    assert by_label["Hyperion"]["category"] == "site"
    assert by_label["Louisiana"]["category"] == "place"
    assert by_label["Llama 4"]["category"] == "product"
    assert by_label["Meta asset sale"]["category"] == "event"
    assert by_label["Meta asset sale"]["amount"] == "$2.04B"
    # an event node shows its figure and its date or period on the canvas
    assert by_label["Meta asset sale"]["caption"] == "Meta asset sale\n$2.04B \u00b7 2025-08"
    assert by_label["Meta capex guidance"]["caption"] == "Meta capex guidance\n$66B\u2013$72B \u00b7 2025"
    assert "caption" not in by_label["Meta"]
    assert by_label["Meta"]["size"] > by_label["Scale AI"]["size"] > by_label["Hyperion"]["size"]
    legend = {c["name"]: c["count"] for c in data["legend"]}
    assert legend["company"] == 3 and legend["event"] == 2 and "lab or division" in legend


def test_edges_are_labelled_with_relation_amount_and_date():
    data = page_data(sample_graph())
    labels = {e["label"] for e in data["edges"]}
    assert "investedIn \u00b7 $14.3B \u00b7 2025-06" in labels
    assert "assetSale \u00b7 $2.04B \u00b7 2025-08" in labels
    assert "locatedIn" in labels
    assert len(data["edges"]) == sample_graph().number_of_edges()


def test_role_titles_and_currencies_from_the_network_view():
    g = nx.MultiDiGraph()
    g.add_node("a", label="A", type="Person")
    g.add_node("b", label="B", type="Company")
    g.add_edge("a", "b", key="heads", relation="heads", title="CEO", sources=[])
    g.add_edge("b", "a", key="investedIn", relation="investedIn", amount=3e8, currency="EUR", sources=[])
    labels = {e["label"] for e in page_data(g)["edges"]}
    assert labels == {"heads \u00b7 CEO", "investedIn \u00b7 \u20ac300M"}


def test_amounts_and_dates_are_read_as_people_write_them():
    assert format_amount(2.04e9) == "$2.04B"
    assert format_amount(66e9, "USD") == "$66B"
    assert format_amount(1.5e12) == "$1.5T"
    assert format_amount(None) == "" and format_amount("about $2B") == "about $2B"
    assert date_bounds("2024") == ("2024-01-01", "2024-12-31")
    assert date_bounds("2024-02") == ("2024-02-01", "2024-02-29")
    assert date_bounds("2025-13") is None and date_bounds("2025-02-30") is None


# ---------------------------------------------------------------- focused exports

def labels_of(graph) -> set[str]:
    return {d["label"] for _, d in graph.nodes(data=True)}


def test_focus_keeps_what_is_within_the_hops():
    g = sample_graph()
    assert labels_of(select(g, focus="Scale AI", hops=0)) == {"Scale AI"}
    assert labels_of(select(g, focus="Scale AI", hops=1)) == {"Scale AI", "Meta", "Alexandr Wang"}
    two = labels_of(select(g, focus="scale ai", hops=2))
    assert {"Hyperion", "Llama 4", XSS_LABEL} <= two and "Louisiana" not in two
    assert labels_of(select(g, focus="Meta Platforms", hops=1)) >= {"Meta", "Hyperion"}  # by alias


def test_focus_on_an_unknown_name_suggests_close_ones():
    with pytest.raises(KGError, match=r"no entity named 'Scale A1'.*'Scale AI'"):
        select(sample_graph(), focus="Scale A1")


def test_relations_keep_only_those_edges_and_their_ends():
    shown = select(sample_graph(), relations=["investedIn", "heads"])
    assert {d["relation"] for *_, d in shown.edges(data=True)} == {"investedIn", "heads"}
    assert labels_of(shown) == {"Meta", "Scale AI", "Alexandr Wang"}
    with pytest.raises(KGError, match="unknown relation 'investedin'; did you mean 'investedIn'"):
        select(sample_graph(), relations=["investedin"])
    # a relation of the ontology that no edge has gives an empty graph, not an error
    assert select(sample_graph(), relations=["acquired"]).number_of_nodes() == 0


def test_since_keeps_facts_dated_on_or_after_the_day():
    shown = select(sample_graph(), since="2025-01-01")
    relations = {d["relation"] for *_, d in shown.edges(data=True)}
    # heads (source of 2024-03-01), subsidiaryOf (2024-11-02) and competesWith (2023) are older
    assert relations == {"investedIn", "hired", "operates", "locatedIn", "develops", "assetSale", "capex", "partneredWith"}
    assert XSS_LABEL not in labels_of(shown) and "FAIR" not in labels_of(shown)
    # a fact dated with its month only counts as happening any day of that month
    assert "assetSale" in {d["relation"] for *_, d in select(sample_graph(), since="2025-08-31").edges(data=True)}
    with pytest.raises(KGError, match="--since"):
        select(sample_graph(), since="last year")


def test_filters_combine_with_focus_and_the_page_says_what_it_shows(tmp_path):
    path = write_page(sample_graph(), tmp_path / "deep" / "graph.html", focus="Meta", hops=1,
                      since="2025-01-01", relations=["investedIn", "operates"])
    data = page_json(path.read_text(encoding="utf-8"), "kg-data")
    assert {n["label"] for n in data["nodes"]} == {"Meta", "Scale AI", "Hyperion"}
    assert data["note"] == "Showing within 1 hops of Meta; since 2025-01-01; relations investedIn, operates"


# ---------------------------------------------------------------- layout

def test_layout_is_deterministic_and_spreads_nodes():
    g = synthetic_graph(2000)
    first, second = layout(g), layout(g)
    assert first == second and len(first) == 2000
    points = sorted(first.values())
    assert len(set(points)) == len(points)  # no two nodes on the same spot


def test_a_big_page_is_generated_quickly(tmp_path):
    g = synthetic_graph(5000)
    start = time.perf_counter()
    path = write_page(g, tmp_path / "big.html")
    assert time.perf_counter() - start < 15
    data = page_json(path.read_text(encoding="utf-8"), "kg-data")
    assert data["big"] and len(data["nodes"]) == 5000 and len(data["edges"]) == g.number_of_edges()


def test_an_empty_graph_gives_a_page_that_says_so(tmp_path):
    html = write_page(nx.MultiDiGraph(), tmp_path / "empty.html").read_text(encoding="utf-8")
    assert page_json(html, "kg-data")["nodes"] == [] and "The graph is empty" in html


# ---------------------------------------------------------------- CLI

@pytest.fixture
def example_store(tmp_path, monkeypatch):
    from kg.example import example_extraction
    from kg.rdf import to_graph
    from kg.store import Store

    with Store(tmp_path / "store") as store:
        store.write_document(to_graph(example_extraction()))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIKG_STORE", str(tmp_path / "store"))
    return tmp_path


def test_export_html_with_focus(example_store):
    result = runner.invoke(app, ["export", "--format", "html", "--focus", "Scale AI", "--hops", "1"])
    assert result.exit_code == 0, result.output
    data = page_json((example_store / "exports" / "graph.html").read_text(encoding="utf-8"), "kg-data")
    assert "Scale AI" in {n["label"] for n in data["nodes"]} and "Hyperion" not in {n["label"] for n in data["nodes"]}
    assert data["note"].startswith("Showing within 1 hops of Scale AI")


def test_export_html_refusals_are_one_line(example_store):
    for args, text in ((["--format", "html", "--focus", "Nobody"], "no entity named 'Nobody'"),
                       (["--format", "ttl", "--focus", "Meta"], "apply to --format html"),
                       (["--format", "html", "--since", "soon"], "--since wants a date")):
        result = runner.invoke(app, ["export", *args])
        assert result.exit_code == 1 and "Traceback" not in result.output, result.output
        assert text in result.output


def test_build_writes_the_graph_page(tmp_path, monkeypatch):
    from kg.example import example_extraction

    example = example_extraction()
    docs = tmp_path / "data" / "documents"
    docs.mkdir(parents=True)
    (docs / example.document.name).write_text(example.document.text, encoding="utf-8")

    class Fake:
        def extract(self, document):
            return example

    monkeypatch.setattr("kg.build.default_extractor", lambda: Fake())
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["build", "--store", str(tmp_path / "store")])
    assert result.exit_code == 0, result.output
    assert "wrote exports/graph.html" in result.output.replace("\\", "/")
    data = page_json((tmp_path / "exports" / "graph.html").read_text(encoding="utf-8"), "kg-data")
    assert {"Meta", "Scale AI"} <= {n["label"] for n in data["nodes"]}


@pytest.mark.parametrize("name", ["kg.html", "kg.layout"])
def test_doctests(name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(name))
    assert result.attempted > 0 and result.failed == 0
