"""The HTML, CSS and script of the graph page (a Jinja template rendered by `kg.html`).

The template receives only the title (auto-escaped), the page data and vis options as
script-safe JSON, and the vis-network library. The script builds every visible string
with `textContent` and creates a link only for an http or https URL.
"""

PAGE_TEMPLATE = r"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>{{ title }}</title>
<style>
{% raw %}
:root { --line: #d8dde3; --muted: #5b6570; --accent: #1f5fbf; }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d232a; }
body { display: grid; grid-template-rows: auto 1fr; grid-template-columns: 230px 1fr 380px; height: 100vh; overflow: hidden; }
header { grid-column: 1 / 4; display: flex; align-items: center; gap: 16px; padding: 8px 14px; border-bottom: 1px solid var(--line); background: #f7f9fb; flex-wrap: wrap; }
header h1 { font-size: 17px; margin: 0; }
#kg-note { color: var(--muted); }
#kg-counts { color: var(--muted); }
#kg-fit { margin-left: auto; font: inherit; font-size: 13px; }
#kg-search-box { position: relative; }
#kg-search { width: 260px; padding: 5px 8px; border: 1px solid #b9c1ca; border-radius: 4px; font: inherit; }
#kg-results { position: absolute; top: 100%; left: 0; z-index: 10; background: #fff; border: 1px solid #b9c1ca; list-style: none; margin: 2px 0 0; padding: 0; width: 320px; max-height: 60vh; overflow-y: auto; box-shadow: 0 4px 12px rgba(0,0,0,.12); }
#kg-results:empty { display: none; }
#kg-results li button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 5px 8px; font: inherit; cursor: pointer; }
#kg-results li button:hover, #kg-results li button:focus { background: #e8f0fb; }
#kg-filters { overflow-y: auto; padding: 10px 12px; border-right: 1px solid var(--line); }
#kg-filters h2, #kg-panel h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 12px 0 6px; }
#kg-filters h2:first-child { margin-top: 0; }
#kg-filters label { display: flex; align-items: center; gap: 6px; padding: 1px 0; cursor: pointer; }
#kg-filters .count { color: var(--muted); margin-left: auto; font-size: 12px; }
.symbol { font-size: 15px; width: 16px; text-align: center; }
#kg-filters input[type=date] { width: 100%; font: inherit; margin: 2px 0 6px; }
#kg-filters .buttons button { font: inherit; font-size: 12px; margin-right: 4px; }
#kg-graph { position: relative; min-width: 0; min-height: 0; background: #fff; }
#kg-empty { position: absolute; inset: 40% 0 auto; text-align: center; color: var(--muted); }
#kg-panel { overflow-y: auto; padding: 10px 14px; border-left: 1px solid var(--line); background: #fcfdfe; }
#kg-panel h3 { font-size: 18px; margin: 0 0 4px; overflow-wrap: anywhere; }
#kg-panel .meta { color: var(--muted); margin: 2px 0; overflow-wrap: anywhere; }
#kg-panel ol { padding-left: 18px; }
#kg-panel li.fact { margin-bottom: 12px; }
#kg-panel .fact-line { font-weight: 600; overflow-wrap: anywhere; }
#kg-panel .fact-line button { font: inherit; color: var(--accent); background: none; border: 0; padding: 0; cursor: pointer; text-decoration: underline; }
#kg-panel blockquote { margin: 4px 0 2px; padding: 3px 8px; border-left: 3px solid #c9d3de; background: #f2f5f8; overflow-wrap: anywhere; }
#kg-panel .source { color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
#kg-panel .source a { color: var(--accent); }
#kg-panel .hint { color: var(--muted); }
{% endraw %}
</style>
</head>
<body>
<header>
  <h1>{{ title }}</h1>
  <span id="kg-note"></span>
  <div id="kg-search-box">
    <input id="kg-search" type="search" placeholder="Search by name or alias" autocomplete="off" aria-label="Search by name">
    <ul id="kg-results" role="listbox"></ul>
  </div>
  <button type="button" id="kg-fit" title="Zoom out to show the whole graph">show all</button>
  <span id="kg-counts"></span>
</header>
<nav id="kg-filters" aria-label="Filters">
  <h2>Types</h2>
  <div id="kg-legend"></div>
  <h2>Relations</h2>
  <div class="buttons"><button type="button" id="kg-rel-all">all</button><button type="button" id="kg-rel-none">none</button></div>
  <div id="kg-relations"></div>
  <h2>Date</h2>
  <label for="kg-date-from">from</label><input id="kg-date-from" type="date">
  <label for="kg-date-to">to</label><input id="kg-date-to" type="date">
  <div class="buttons"><button type="button" id="kg-date-clear">any date</button></div>
</nav>
<main id="kg-graph"></main>
<aside id="kg-panel" aria-live="polite"><p class="hint">Select a node or an edge, or search by name, to see its facts with their evidence and sources.</p></aside>
<script type="application/json" id="kg-data">{{ data_json }}</script>
<script type="application/json" id="kg-options">{{ options_json }}</script>
<script>{{ vis_js }}</script>
<script>
{% raw %}
(function () {
  "use strict";
  performance.mark("kg-start");
  var DATA = JSON.parse(document.getElementById("kg-data").textContent);
  performance.mark("kg-parsed");
  var OPTIONS = JSON.parse(document.getElementById("kg-options").textContent);
  var nodeById = new Map(), edgeById = new Map(), incident = new Map();
  DATA.nodes.forEach(function (n) { nodeById.set(n.id, n); incident.set(n.id, []); });
  DATA.edges.forEach(function (e) {
    edgeById.set(e.id, e);
    incident.get(e.from).push(e.id);
    if (e.to !== e.from) incident.get(e.to).push(e.id);
  });
  var categories = new Map(DATA.legend.map(function (c) { return [c.key, c]; }));

  // ------------------------------------------------------------ safe DOM helpers
  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) Object.keys(attrs).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "className") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === "") continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }
  function webLink(url) {
    if (typeof url !== "string" || !/^\s*https?:\/\//i.test(url)) return null;
    try {
      var parsed = new URL(url.trim());
      return (parsed.protocol === "http:" || parsed.protocol === "https:") ? parsed.href : null;
    } catch (err) { return null; }
  }

  // ------------------------------------------------------------ the network
  var state = { hiddenTypes: new Set(), hiddenRelations: new Set(), from: "", to: "" };
  var edgeOk = new Set(), nodeOk = new Set();
  function recompute() {
    var narrowing = state.hiddenRelations.size > 0 || state.from || state.to;
    var linked = new Set();
    edgeOk = new Set();
    DATA.edges.forEach(function (e) {
      if (state.hiddenRelations.has(e.relation)) return;
      if (state.from && (!e.d1 || e.d1 < state.from)) return;
      if (state.to && (!e.d0 || e.d0 > state.to)) return;
      if (state.hiddenTypes.has(nodeById.get(e.from).category) || state.hiddenTypes.has(nodeById.get(e.to).category)) return;
      edgeOk.add(e.id); linked.add(e.from); linked.add(e.to);
    });
    nodeOk = new Set();
    DATA.nodes.forEach(function (n) {
      if (!state.hiddenTypes.has(n.category) && (!narrowing || linked.has(n.id))) nodeOk.add(n.id);
    });
  }
  recompute();
  var nodes = new vis.DataSet(DATA.nodes.map(function (n) {
    return { id: n.id, label: n.caption || n.label, x: n.x, y: n.y, size: n.size, group: n.category };
  }));
  var edges = new vis.DataSet(DATA.edges.map(function (e) {
    var item = { id: e.id, from: e.from, to: e.to, label: e.label, width: e.width };
    if (e.curve > 0) item.smooth = { enabled: true, type: e.curve % 2 ? "curvedCW" : "curvedCCW", roundness: 0.15 * Math.ceil(e.curve / 2) };
    return item;
  }));
  performance.mark("kg-datasets");
  var nodeView = new vis.DataView(nodes, { filter: function (item) { return nodeOk.has(item.id); } });
  var edgeView = new vis.DataView(edges, { filter: function (item) { return edgeOk.has(item.id); } });
  var container = document.getElementById("kg-graph");
  var network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, OPTIONS);
  performance.mark("kg-network");
  network.once("afterDrawing", function () {
    performance.mark("kg-drawn");
    window.kgReadyAt = performance.now();
    document.documentElement.setAttribute("data-ready", "true");
  });
  if (!DATA.nodes.length) container.appendChild(el("p", { id: "kg-empty", text: "The graph is empty: build it first with `kg build`." }));

  function showCounts() {
    document.getElementById("kg-counts").textContent =
      nodeOk.size + " of " + DATA.nodes.length + " nodes, " + edgeOk.size + " of " + DATA.edges.length + " edges";
  }
  function refresh() {
    recompute();
    nodeView.refresh();
    edgeView.refresh();
    showCounts();
  }
  showCounts();
  if (DATA.note) document.getElementById("kg-note").textContent = DATA.note;

  // ------------------------------------------------------------ filters
  var legend = document.getElementById("kg-legend");
  DATA.legend.forEach(function (c) {
    var box = el("input", { type: "checkbox", "data-category": c.key });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenTypes.delete(c.key); else state.hiddenTypes.add(c.key);
      refresh();
    });
    var symbol = el("span", { className: "symbol", text: c.symbol });
    symbol.style.color = c.color;
    legend.appendChild(el("label", null, box, symbol, c.name, el("span", { className: "count", text: String(c.count) })));
  });
  var relationBoxes = [];
  var relationList = document.getElementById("kg-relations");
  DATA.relations.forEach(function (r) {
    var box = el("input", { type: "checkbox", "data-relation": r.name });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.hiddenRelations.delete(r.name); else state.hiddenRelations.add(r.name);
      refresh();
    });
    relationBoxes.push(box);
    relationList.appendChild(el("label", null, box, r.name, el("span", { className: "count", text: String(r.count) })));
  });
  function setAllRelations(on) {
    relationBoxes.forEach(function (box) {
      box.checked = on;
      if (on) state.hiddenRelations.delete(box.getAttribute("data-relation"));
      else state.hiddenRelations.add(box.getAttribute("data-relation"));
    });
    refresh();
  }
  document.getElementById("kg-rel-all").addEventListener("click", function () { setAllRelations(true); });
  document.getElementById("kg-rel-none").addEventListener("click", function () { setAllRelations(false); });
  var fromInput = document.getElementById("kg-date-from"), toInput = document.getElementById("kg-date-to");
  if (DATA.dateRange[0]) { fromInput.min = toInput.min = DATA.dateRange[0]; fromInput.max = toInput.max = DATA.dateRange[1]; }
  function dateChanged() { state.from = fromInput.value || ""; state.to = toInput.value || ""; refresh(); }
  fromInput.addEventListener("change", dateChanged);
  toInput.addEventListener("change", dateChanged);
  document.getElementById("kg-date-clear").addEventListener("click", function () { fromInput.value = ""; toInput.value = ""; dateChanged(); });

  // ------------------------------------------------------------ details panel
  var panel = document.getElementById("kg-panel");
  var MAX_FACTS = 150;
  function nodeButton(id) {
    var n = nodeById.get(id);
    var b = el("button", { type: "button", text: n.label });
    b.addEventListener("click", function () { select(id); });
    return b;
  }
  function sourceBlock(s) {
    var item = el("div", { className: "evidence" });
    if (s.sentence) item.appendChild(el("blockquote", { text: s.sentence }));
    var cite = el("div", { className: "source" });
    var parts = [s.title || s.doc, s.publisher, s.date].filter(Boolean);
    cite.appendChild(document.createTextNode(parts.join(" \u00b7 ")));
    var href = webLink(s.link);
    if (href) {
      cite.appendChild(document.createTextNode(" "));
      cite.appendChild(el("a", { href: href, target: "_blank", rel: "noopener noreferrer nofollow", text: "open source" }));
    } else if (s.url || s.link) {
      cite.appendChild(document.createTextNode(" \u00b7 " + (s.url || s.link)));
    }
    item.appendChild(cite);
    return item;
  }
  function factItem(e) {
    var line = el("div", { className: "fact-line" }, nodeButton(e.from), " \u2192 " + e.relation + " \u2192 ", nodeButton(e.to));
    var extra = [e.role, e.amount, e.date].filter(Boolean).join(" \u00b7 ");
    var li = el("li", { className: "fact", "data-edge": e.id }, line, extra ? el("div", { className: "meta", text: extra }) : null);
    if (!e.sources.length) li.appendChild(el("div", { className: "source", text: "no source recorded" }));
    e.sources.forEach(function (s) { li.appendChild(sourceBlock(s)); });
    return li;
  }
  function showNode(id) {
    var n = nodeById.get(id);
    var c = categories.get(n.category);
    panel.replaceChildren();
    panel.appendChild(el("h3", { id: "kg-panel-title", text: n.label }));
    panel.appendChild(el("p", { className: "meta", text: n.type + (c && c.name.toLowerCase() !== n.type.toLowerCase() ? " (" + c.name + ")" : "") }));
    if (n.aliases.length) panel.appendChild(el("p", { className: "meta", text: "also: " + n.aliases.join(", ") }));
    if (n.amount || n.date) panel.appendChild(el("p", { className: "meta", text: [n.amount, n.date].filter(Boolean).join(" \u00b7 ") }));
    panel.appendChild(el("p", { className: "meta", text: n.sources + (n.sources === 1 ? " source" : " sources") + " \u00b7 " + n.degree + (n.degree === 1 ? " link" : " links") }));
    if (n.key) panel.appendChild(el("p", { className: "meta", text: n.key }));
    var facts = incident.get(id);
    panel.appendChild(el("h2", { text: "Facts (" + facts.length + ")" }));
    var list = el("ol", { id: "kg-facts" });
    facts.slice(0, MAX_FACTS).forEach(function (eid) { list.appendChild(factItem(edgeById.get(eid))); });
    panel.appendChild(list);
    if (facts.length > MAX_FACTS) panel.appendChild(el("p", { className: "hint", text: (facts.length - MAX_FACTS) + " more facts: use a focused export (kg export --format html --focus ...)" }));
  }
  function showEdge(id) {
    var e = edgeById.get(id);
    panel.replaceChildren();
    panel.appendChild(el("h3", { id: "kg-panel-title", text: e.relation }));
    var list = el("ol", { id: "kg-facts" });
    list.appendChild(factItem(e));
    panel.appendChild(list);
  }
  function select(id) {
    if (!nodeOk.has(id)) {  // a filtered-out node: show everything again so it can be seen
      state.hiddenTypes.clear(); state.hiddenRelations.clear(); state.from = state.to = "";
      fromInput.value = toInput.value = "";
      document.querySelectorAll("#kg-filters input[type=checkbox]").forEach(function (b) { b.checked = true; });
      refresh();
    }
    network.selectNodes([id]);
    network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
    showNode(id);
  }
  // Zoomed out on a big graph a node is smaller than a pixel: a click within a few pixels
  // of one picks it, before any edge.
  function nodeNear(point) {
    var limit = 8 / network.getScale(), best = null, bestDistance = limit * limit;
    var positions = network.getPositions();
    nodeOk.forEach(function (id) {
      var p = positions[id], dx = p.x - point.x, dy = p.y - point.y, d = dx * dx + dy * dy;
      if (d < bestDistance) { bestDistance = d; best = id; }
    });
    return best;
  }
  network.on("click", function (params) {
    var id = params.nodes.length ? params.nodes[0] : nodeNear(params.pointer.canvas);
    if (id !== null) {
      if (!params.nodes.length) network.selectNodes([id]);
      showNode(id);
    } else if (params.edges.length) showEdge(params.edges[0]);
  });

  // ------------------------------------------------------------ search
  var search = document.getElementById("kg-search"), results = document.getElementById("kg-results");
  var searchable = DATA.nodes.map(function (n) {
    return { id: n.id, names: [n.label].concat(n.aliases).map(function (s) { return s.toLowerCase(); }) };
  });
  function matches(text) {
    var q = text.trim().toLowerCase();
    if (!q) return [];
    var ranked = [];
    searchable.forEach(function (s) {
      var rank = 3;
      s.names.forEach(function (name) {
        if (name === q) rank = Math.min(rank, 0);
        else if (name.indexOf(q) === 0) rank = Math.min(rank, 1);
        else if (name.indexOf(q) > 0) rank = Math.min(rank, 2);
      });
      if (rank < 3) ranked.push([rank, nodeById.get(s.id).label.length, s.id]);
    });
    ranked.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    return ranked.slice(0, 12).map(function (r) { return r[2]; });
  }
  function choose(id) { results.replaceChildren(); search.value = nodeById.get(id).label; select(id); }
  search.addEventListener("input", function () {
    results.replaceChildren();
    matches(search.value).forEach(function (id) {
      var n = nodeById.get(id), c = categories.get(n.category);
      var b = el("button", { type: "button", "data-node": id }, c ? c.symbol + " " : "", n.label);
      b.addEventListener("click", function () { choose(id); });
      results.appendChild(el("li", null, b));
    });
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      var found = matches(search.value);
      if (found.length) choose(found[0]);
    } else if (event.key === "Escape") { results.replaceChildren(); }
    else if (event.key === "ArrowDown" && results.firstChild) { event.preventDefault(); results.firstChild.firstChild.focus(); }
  });
  results.addEventListener("keydown", function (event) {
    var item = event.target.parentNode;
    if (event.key === "ArrowDown" && item.nextSibling) { event.preventDefault(); item.nextSibling.firstChild.focus(); }
    else if (event.key === "ArrowUp") { event.preventDefault(); (item.previousSibling ? item.previousSibling.firstChild : search).focus(); }
    else if (event.key === "Escape") { results.replaceChildren(); search.focus(); }
  });
  document.getElementById("kg-fit").addEventListener("click", function () { network.fit({ animation: false }); });

  window.aikg = { network: network, data: DATA, select: select, nodes: nodes, edges: edges };
})();
{% endraw %}
</script>
</body>
</html>
"""
