"""Benchmark of the graph page: generation time, file size and time to interactive in headless Chromium.

    /work/venv/bin/python bench/page_bench.py                  # 500, 5,000 and 20,000 nodes
    /work/venv/bin/python bench/page_bench.py --sizes 500 5000 --repeat 3

For each size it builds a synthetic graph shaped like the real one (tests/page_graphs.py:
hubs, leaves, every edge with an evidence sentence; about 1.5 edges per node), times
`kg.html.write_page` (layout included), and opens the page in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright). Time to interactive is measured from
the start of navigation to the moment a click on a drawn node has shown that node in the
details panel: the page is then drawn and answers input. It prints a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from kg.html import write_page  # noqa: E402
from page_graphs import synthetic_graph  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def time_to_interactive(browser, path: Path) -> tuple[float, float]:
    """(seconds to first draw, seconds until a clicked node shows in the panel), from navigation start."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit", timeout=300_000)
        page.wait_for_selector("html[data-ready=true]", timeout=300_000)
        drawn = time.perf_counter() - start
        # the drawn node nearest the middle of the canvas, clicked where it is on screen
        target = page.evaluate("""() => {
            const net = aikg.network, box = document.getElementById('kg-graph').getBoundingClientRect();
            const centre = net.DOMtoCanvas({x: box.width / 2, y: box.height / 2});
            const pos = net.getPositions();
            let best = null, dist = Infinity;
            for (const id in pos) {
                const d = (pos[id].x - centre.x) ** 2 + (pos[id].y - centre.y) ** 2;
                if (d < dist) { dist = d; best = id; }
            }
            const p = net.canvasToDOM(pos[best]);
            return {x: box.left + p.x, y: box.top + p.y};
        }""")
        page.mouse.click(target["x"], target["y"])
        # the click may land on a neighbour drawn on top: whichever node it selected must show
        page.wait_for_function("""() => {
            const chosen = aikg.network.getSelectedNodes()[0];
            const title = document.getElementById('kg-panel-title');
            return chosen && title && title.textContent === aikg.data.nodes.find(n => n.id === chosen).label;
        }""", timeout=300_000)
        return drawn, time.perf_counter() - start
    finally:
        page.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 5000, 20000])
    parser.add_argument("--repeat", type=int, default=3, help="browser runs per size (the median is shown)")
    parser.add_argument("--keep", type=Path, help="folder to keep the generated pages in")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    folder = args.keep or Path(tempfile.mkdtemp(prefix="aikg-page-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for n in args.sizes:
            graph = synthetic_graph(n)
            start, cpu = time.perf_counter(), time.process_time()
            path = write_page(graph, folder / f"graph-{n}.html")
            generated, generated_cpu = time.perf_counter() - start, time.process_time() - cpu
            runs = [time_to_interactive(browser, path) for _ in range(args.repeat)]
            drawn = statistics.median(r[0] for r in runs)
            interactive = statistics.median(r[1] for r in runs)
            rows.append((n, graph.number_of_edges(), generated, generated_cpu, path.stat().st_size, drawn, interactive))
            print(f"{n} nodes: generated in {generated:.2f} s, {path.stat().st_size / 1e6:.1f} MB, "
                  f"drawn {drawn:.2f} s, interactive {interactive:.2f} s", file=sys.stderr)
        browser.close()
    print("| nodes | edges | generation (s) | generation, CPU (s) | file size (MB) | first draw (s) | time to interactive (s) |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for n, m, generated, cpu, size, drawn, interactive in rows:
        print(f"| {n:,} | {m:,} | {generated:.2f} | {cpu:.2f} | {size / 1e6:.1f} | {drawn:.2f} | {interactive:.2f} |")
    print(f"\n(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores at the end of the run)")


if __name__ == "__main__":
    main()
