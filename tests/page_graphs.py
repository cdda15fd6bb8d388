"""Graphs for the page tests and the page benchmark, in the shape `kg.network.to_networkx` gives.

`sample_graph()` is a handful of seed-like facts plus hostile strings (an `<img onerror>`
label, a `</script>` alias and sentence, `javascript:` URLs); `synthetic_graph(n)` is a
deterministic graph of `n` nodes that looks like the real one at scale: a few hubs, many
leaves, every edge with a source and an evidence sentence.
"""
from __future__ import annotations

import random

import networkx as nx

XSS_LABEL = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "</script><script>alert(2)</script>"


def _source(sentence: str, *, doc: str = "000_meta.txt", url: str = "https://example.com/meta-scale",
            date: str = "2025-06-12", title: str = "Meta invests in Scale AI", publisher: str = "Reuters") -> dict:
    return {"doc": doc, "title": title, "publisher": publisher, "date": date, "url": url, "sentence": sentence}


def sample_graph() -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    g.add_node("org/meta", type="Company", label="Meta", aliases=["Meta Platforms"], sources=3)
    g.add_node("org/scale-ai", type="Company", label="Scale AI", aliases=["Scale"], sources=2)
    g.add_node("person/alexandr-wang", type="Person", label="Alexandr Wang", aliases=[], sources=1)
    g.add_node("org/evil", type="Company", label=XSS_LABEL, aliases=[XSS_SCRIPT], sources=1)
    g.add_node("site/hyperion", type="Site", label="Hyperion", aliases=[], sources=1)
    g.add_node("place/louisiana", type="Place", label="Louisiana", aliases=[], sources=1)
    g.add_node("org/fair", type="ResearchLab", label="FAIR", aliases=[], sources=1)
    g.add_node("product/llama-4", type="Product", label="Llama 4", aliases=[], sources=1)
    g.add_node("event/assetsale-1", type="AssetSale", label="Meta asset sale", amount=2.04e9, date="2025-08", sources=1)
    g.add_node("event/capex-2025", type="CapexGuidance", label="Meta capex guidance",
               amount={"min": 66e9, "max": 72e9, "currency": "USD"}, period="2025", sources=1)
    g.add_edge("org/meta", "org/scale-ai", relation="investedIn", amount=14.3e9, date="2025-06", sources=[
        _source("Meta made a $14.3B investment in Scale AI and hired its CEO Alexandr Wang."),
        _source("Meta took a 49% stake in Scale.", doc="001_scale.txt", url="javascript:alert(3)",
                title="Scale deal", publisher="The Wire"),
    ])
    g.add_edge("person/alexandr-wang", "org/scale-ai", relation="heads", sources=[
        _source("Scale AI CEO Alexandr Wang will join Meta.", date="2024-03-01")])
    g.add_edge("org/meta", "person/alexandr-wang", relation="hired", date="2025-06", sources=[
        _source("Meta hired its CEO Alexandr Wang.")])
    g.add_edge("org/evil", "org/meta", relation="competesWith", sources=[
        _source(f"{XSS_LABEL} competes with Meta {XSS_SCRIPT}", url="javascript:alert(4)", date="2023-01-05")])
    g.add_edge("org/meta", "site/hyperion", relation="operates", sources=[
        _source("Meta built a site named Hyperion in Louisiana.", date="2025-08-01")])
    g.add_edge("site/hyperion", "place/louisiana", relation="locatedIn", sources=[
        _source("Meta built a site named Hyperion in Louisiana.", date="2025-08-01")])
    g.add_edge("org/fair", "org/meta", relation="subsidiaryOf", sources=[
        _source("FAIR, Meta's research lab, ...", date="2024-11-02")])
    g.add_edge("org/meta", "product/llama-4", relation="develops", sources=[
        _source("Meta released Llama 4.", date="2025-04-05")])
    g.add_edge("org/meta", "event/assetsale-1", relation="assetSale", amount=2.04e9, date="2025-08", sources=[
        _source("Meta reclassified $2.04 billion of data center assets into held-for-sale.", date="2025-08-01")])
    g.add_edge("org/meta", "event/capex-2025", relation="capex", sources=[
        _source("Meta raised its capital expenditure forecast to a range of $66B to $72B.", date="2025-07-30")])
    g.add_edge("org/meta", "org/scale-ai", relation="partneredWith", sources=[
        _source("Meta and Scale AI work together on data labeling.", url="ftp://example.com/x")])
    return g


_TYPES = [("Company", 35), ("Person", 20), ("Product", 12), ("ResearchLab", 4), ("Division", 4),
          ("Site", 8), ("Place", 5), ("Investment", 7), ("AssetSale", 2), ("CapexGuidance", 3)]
_RELATIONS = {
    "Company": ["investedIn", "partneredWith", "competesWith", "acquired", "supplies"],
    "Person": ["heads", "worksFor"], "Product": ["develops"], "ResearchLab": ["subsidiaryOf"],
    "Division": ["subsidiaryOf"], "Site": ["operates"], "Place": ["locatedIn"],
    "Investment": ["investedIn"], "AssetSale": ["assetSale"], "CapexGuidance": ["capex"],
}


def synthetic_graph(n: int, *, seed: int = 0) -> nx.MultiDiGraph:
    """`n` nodes, about 1.4 n edges: a giant component of 85 % of the nodes (preferential
    attachment gives hubs and leaves) and small components of 2 to 6 nodes for the rest."""
    rng = random.Random(seed)
    kinds = [k for k, _ in _TYPES]
    weights = [w for _, w in _TYPES]
    g = nx.MultiDiGraph()
    ends: list[int] = []

    def add_edge(a: int, b: int) -> None:
        kind = g.nodes[a]["type"]
        relation = rng.choice(_RELATIONS[kind])
        year, month, day = rng.choice((2023, 2024, 2025)), rng.randint(1, 12), rng.randint(1, 28)
        date = f"{year}-{month:02d}-{day:02d}"
        data = {"relation": relation, "sources": [
            _source(f"{g.nodes[a]['label']} {relation} {g.nodes[b]['label']}, the article says, in a sentence of "
                    f"ordinary length that carries the evidence for this fact.",
                    doc=f"{rng.randrange(n):06d}.txt", date=date, url=f"https://news.example/{rng.randrange(10**6)}")
            for _ in range(rng.choice((1, 1, 1, 2, 3)))]}
        if relation in ("investedIn", "assetSale", "capex", "acquired"):
            data["amount"] = rng.choice((5e7, 2.5e8, 1e9, 1.43e10))
            data["date"] = date[:7]
        g.add_edge(a, b, **data)
        ends.extend((a, b))

    for i in range(n):
        kind = rng.choices(kinds, weights)[0]
        g.add_node(i, type=kind, label=f"{kind} {i}", aliases=[f"{kind[:3]}{i}"], sources=rng.randint(1, 6))
    giant = max(1, int(n * 0.85))
    for i in range(1, giant):
        target = rng.choice(ends) if ends and rng.random() < 0.8 else rng.randrange(i)
        add_edge(i, target)
    for _ in range(giant // 2):
        a, b = rng.choice(ends), rng.randrange(giant)
        if a != b:
            add_edge(a, b)
    start = giant
    while start < n:
        size = min(rng.randint(2, 6), n - start)
        for i in range(start + 1, start + size):
            add_edge(i, rng.randrange(start, i))
        start += size
    return g
