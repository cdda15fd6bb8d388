"""The graph page in a real browser: headless Chromium (Debian's) driven by Playwright.

Checks what a person would notice: everything is drawn, nothing is fetched, nothing is
logged as an error, search finds "Scale AI" and shows its evidence, hostile strings stay
text, filters hide what they say, a 5,000-node page is usable within 3 s. Saves the
README screenshot of the seed graph to exports/graph.png.

Needs /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it) and the
`test` extra (Playwright); never `playwright install`, which downloads its own browser.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from page_graphs import XSS_LABEL, XSS_SCRIPT, sample_graph, synthetic_graph

CHROMIUM = os.environ.get("AIKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the "
                "browser tests", allow_module_level=True)
try:
    from playwright.sync_api import sync_playwright
except ImportError:  # a missing test extra is an error, not a reason to skip
    pytest.fail("Playwright is missing: pip install -e '.[test]'", pytrace=False)


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page with every request, console error, page error and dialog recorded."""

    def __init__(self, browser, path: Path) -> None:
        self.context = browser.new_context(viewport={"width": 1400, "height": 850})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        # any request to the network is recorded and refused, so a failure cannot hang the test
        self.context.route(lambda url: not url.startswith(("file:", "data:", "about:", "blob:")),
                           lambda route: route.abort())
        page = self.page = self.context.new_page()
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.started = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        page.wait_for_selector("html[data-ready=true]", timeout=30_000)

    def drawn(self) -> tuple[int, int]:
        return tuple(self.page.evaluate(
            "[aikg.network.body.nodeIndices.length, aikg.network.body.edgeIndices.length]"))

    def node_id(self, label: str) -> str:
        return self.page.evaluate("label => aikg.data.nodes.find(n => n.label === label).id", label)

    def search(self, text: str) -> None:
        self.page.fill("#kg-search", text)
        self.page.press("#kg-search", "Enter")

    def panel(self) -> str:
        return self.page.inner_text("#kg-panel")

    def assert_clean(self) -> None:
        outside = [u for u in self.requests if not u.startswith(("file:", "data:", "about:", "blob:"))]
        assert outside == [], f"the page made requests: {outside}"
        assert self.errors == [], f"console errors: {self.errors}"
        assert self.dialogs == [], f"a script ran: {self.dialogs}"
        assert self.page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def sample(browser, tmp_path_factory):
    from kg.html import write_page

    graph = sample_graph()
    watched = Watched(browser, write_page(graph, tmp_path_factory.mktemp("sample") / "graph.html"))
    watched.graph = graph
    yield watched
    watched.close()


@pytest.fixture(scope="module")
def seed(browser, tmp_path_factory):
    """The page of the real seed documents, built with the real extractor."""
    from kg.build import build
    from kg.html import write_page
    from kg.network import to_networkx
    from kg.store import Store

    folder = tmp_path_factory.mktemp("seed")
    with Store(folder / "store") as store:
        build([ROOT / "data" / "documents"], store, exports=None, validate=False)
        graph = to_networkx(store, value_events=True)  # as `kg build` draws it
    watched = Watched(browser, write_page(graph, folder / "graph.html"))
    watched.graph = graph
    yield watched
    watched.close()


def test_the_seed_graph_is_drawn_whole_and_offline(seed):
    assert seed.graph.number_of_nodes() > 5
    assert seed.drawn() == (seed.graph.number_of_nodes(), seed.graph.number_of_edges())
    assert seed.page.evaluate("aikg.network.physics.options.enabled") is False
    seed.assert_clean()


def test_searching_scale_ai_selects_it_and_shows_its_evidence(seed):
    seed.search("Scale AI")
    scale = seed.node_id("Scale AI")
    assert seed.page.evaluate("aikg.network.getSelectedNodes()") == [scale]
    assert seed.page.inner_text("#kg-panel-title") == "Scale AI"
    facts = seed.page.locator("#kg-facts li.fact")
    assert facts.count() >= 1
    assert "$14.3B" in seed.panel()
    evidence = seed.page.locator("#kg-facts blockquote").all_inner_texts()
    assert any("Scale AI" in sentence for sentence in evidence)
    # the README picture: the whole graph, Scale AI selected and its facts in the panel
    seed.page.evaluate("aikg.network.fit({animation: false})")
    seed.page.wait_for_timeout(200)
    (ROOT / "exports").mkdir(exist_ok=True)
    seed.page.screenshot(path=str(ROOT / "exports" / "graph.png"))
    seed.assert_clean()


def test_the_sample_graph_is_drawn_whole(sample):
    assert sample.drawn() == (sample.graph.number_of_nodes(), sample.graph.number_of_edges())
    text = sample.page.inner_text("#kg-counts")
    assert f"{sample.graph.number_of_nodes()} of {sample.graph.number_of_nodes()} nodes" in text


def test_the_panel_shows_facts_with_sources_and_only_web_links(sample):
    sample.search("Scale AI")
    panel = sample.panel()
    assert "Meta made a $14.3B investment in Scale AI" in panel
    assert "Reuters" in panel and "2025-06-12" in panel and "also: Scale" in panel
    hrefs = sample.page.eval_on_selector_all("#kg-panel a", "links => links.map(a => a.getAttribute('href'))")
    assert "https://example.com/meta-scale" in hrefs
    assert all(h.startswith(("http://", "https://")) for h in hrefs)
    assert "javascript:alert(3)" in panel  # shown, as text
    sample.assert_clean()


def test_hostile_strings_render_as_text_and_do_not_run(sample):
    sample.page.evaluate("window.__pwned = false")
    sample.search("<img")
    evil = sample.node_id(XSS_LABEL)
    assert sample.page.evaluate("aikg.network.getSelectedNodes()") == [evil]
    assert sample.page.inner_text("#kg-panel-title") == XSS_LABEL
    panel = sample.panel()
    assert XSS_SCRIPT in panel and f"{XSS_LABEL} competes with Meta" in panel
    assert "javascript:alert(4)" in panel
    assert sample.page.evaluate("document.querySelectorAll('#kg-panel a[href^=\"javascript\" i]').length") == 0
    # the search list shows the hostile names as text too
    sample.page.fill("#kg-search", "script")
    assert XSS_SCRIPT not in sample.page.inner_text("#kg-results")  # the alias matches; its node's label is shown
    assert XSS_LABEL in sample.page.inner_text("#kg-results")
    sample.page.keyboard.press("Escape")
    assert sample.page.evaluate("window.__pwned") is False
    sample.assert_clean()


def test_search_results_can_be_chosen_with_the_keyboard(sample):
    sample.page.fill("#kg-search", "meta")
    assert sample.page.locator("#kg-results button").all_inner_texts()[:2] == ["\u25cf Meta", "\u2605 Meta asset sale"]
    sample.page.press("#kg-search", "ArrowDown")
    sample.page.keyboard.press("ArrowDown")
    sample.page.keyboard.press("Enter")
    assert sample.page.inner_text("#kg-panel-title") == "Meta asset sale"
    assert "$2.04B" in sample.panel()
    sample.page.click("#kg-fit")
    sample.assert_clean()


def test_clicking_a_drawn_node_shows_it(sample):
    hyperion = sample.node_id("Hyperion")
    sample.page.evaluate("aikg.network.fit({animation: false})")
    point = sample.page.evaluate("""id => {
        const box = document.getElementById('kg-graph').getBoundingClientRect();
        const p = aikg.network.canvasToDOM(aikg.network.getPositions([id])[id]);
        return {x: box.left + p.x, y: box.top + p.y};
    }""", hyperion)
    sample.page.mouse.click(point["x"], point["y"])
    assert sample.page.evaluate("aikg.network.getSelectedNodes()") == [hyperion]
    assert sample.page.inner_text("#kg-panel-title") == "Hyperion"
    assert "Meta built a site named Hyperion in Louisiana." in sample.panel()


def test_a_click_near_a_tiny_node_picks_it(sample):
    hyperion = sample.node_id("Hyperion")
    point = sample.page.evaluate("""id => {
        aikg.network.moveTo({position: aikg.network.getPositions([id])[id], scale: 0.1, animation: false});
        const box = document.getElementById('kg-graph').getBoundingClientRect();
        const p = aikg.network.canvasToDOM(aikg.network.getPositions([id])[id]);
        return {x: box.left + p.x, y: box.top + p.y};
    }""", hyperion)
    sample.page.mouse.click(point["x"] + 3, point["y"] + 2)  # off the node itself (about 1 px wide)
    assert sample.page.evaluate("aikg.network.getSelectedNodes()") == [hyperion]
    assert sample.page.inner_text("#kg-panel-title") == "Hyperion"
    sample.page.click("#kg-fit")


def test_filters_hide_types_relations_and_dates(sample):
    page, g = sample.page, sample.graph
    nodes, edges = g.number_of_nodes(), g.number_of_edges()
    persons = [n for n, d in g.nodes(data=True) if d["type"] == "Person"]
    touching = sum(1 for u, v in g.edges() if u in persons or v in persons)
    page.uncheck('input[data-category="person"]')
    assert sample.drawn() == (nodes - len(persons), edges - touching)
    page.check('input[data-category="person"]')
    assert sample.drawn() == (nodes, edges)

    page.click("#kg-rel-none")
    assert sample.drawn() == (0, 0)
    page.check('input[data-relation="investedIn"]')
    assert sample.drawn() == (2, 1)
    page.click("#kg-rel-all")

    page.fill("#kg-date-from", "2025-01-01")
    page.dispatch_event("#kg-date-from", "change")
    _, dated = sample.drawn()
    assert dated == edges - 3  # heads (2024), subsidiaryOf (2024) and competesWith (2023) are older
    page.click("#kg-date-clear")
    assert sample.drawn() == (nodes, edges)
    sample.assert_clean()


def test_a_5000_node_page_is_drawn_and_clickable_within_3_seconds(browser, tmp_path):
    from kg.html import write_page

    graph = synthetic_graph(5000)
    path = write_page(graph, tmp_path / "big.html")
    # best of three: the machine is shared, and a busy neighbour should not fail the page
    times = []
    for _ in range(3):
        big = Watched(browser, path)
        try:
            target = big.page.evaluate("""() => {
                const net = aikg.network, box = document.getElementById('kg-graph').getBoundingClientRect();
                const at = net.DOMtoCanvas({x: box.width / 2, y: box.height / 2}), pos = net.getPositions();
                let best = null, d = Infinity;
                for (const id in pos) { const e = (pos[id].x - at.x) ** 2 + (pos[id].y - at.y) ** 2; if (e < d) { d = e; best = id; } }
                const p = net.canvasToDOM(pos[best]);
                return {x: box.left + p.x, y: box.top + p.y};
            }""")
            big.page.mouse.click(target["x"], target["y"])
            # the click may land on a neighbour drawn on top: whichever node it selected must show
            big.page.wait_for_function("""() => {
                const chosen = aikg.network.getSelectedNodes()[0], title = document.getElementById('kg-panel-title');
                return chosen && title && title.textContent === aikg.data.nodes.find(n => n.id === chosen).label;
            }""", timeout=30_000)
            times.append(time.perf_counter() - big.started)
            assert big.drawn() == (5000, graph.number_of_edges())
            big.assert_clean()
        finally:
            big.close()
        if times[-1] < 3.0:
            break
    assert min(times) < 3.0, f"interactive after {', '.join(f'{t:.2f}' for t in times)} s"
