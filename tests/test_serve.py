"""kg serve: Oxigraph's SPARQL server on a built store, behind the result cap and the timeout guard."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.rdf import to_graph
from kg.serve import Endpoint, ServeError, free_port
from kg.store import Store

try:
    from kg.serve import oxigraph_binary

    oxigraph_binary()
except ServeError:  # pragma: no cover - the test extra installs it
    pytest.skip("kg serve needs Oxigraph's server (the serve extra)", allow_module_level=True)

TIMEOUT = 1.0
CAP = 3
# A four-way cross product of a few hundred triples: far more than a second of work.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from conftest import _doc_a, _doc_b

    path = tmp_path_factory.mktemp("served") / "store"
    with Store(path) as store:
        for extraction in (_doc_a(), _doc_b()):
            store.write_document(to_graph(extraction))
    return path


@pytest.fixture(scope="module")
def endpoint(built):
    server = Endpoint(built, port=0, timeout=TIMEOUT, max_results=CAP)
    server.start()
    yield server
    server.stop()


def _request(url: str, *, query: str | None = None, accept: str = "*/*", data: bytes | None = None,
             content_type: str | None = None, method: str | None = None):
    if query is not None:
        url += "?" + urllib.parse.urlencode({"query": query})
    headers = {"Accept": accept}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=data, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.mark.parametrize("accept, expected", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
])
def test_select_results_in_every_format(endpoint, accept, expected):
    status, headers, body = _request(endpoint.url + "/query", accept=accept,
                                     query="SELECT ?label WHERE { ?e <http://www.w3.org/2000/01/rdf-schema#label> ?label } "
                                           "ORDER BY ?label LIMIT 2")
    assert status == 200, body
    assert headers.get_content_type() == expected
    assert b"Alexandr Wang" in body or b"Hyperion" in body or b"label" in body


@pytest.mark.parametrize("accept, expected", [
    ("text/turtle", "text/turtle"),
    ("application/n-triples", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
])
def test_construct_in_every_graph_format(endpoint, accept, expected):
    query = ("PREFIX aikg: <https://w3id.org/aikg/> "
             "CONSTRUCT { ?a aikg:investedIn ?b } WHERE { ?a aikg:investedIn ?b }")
    status, headers, body = _request(endpoint.url + "/query", accept=accept, query=query)
    assert status == 200, body
    assert headers.get_content_type() == expected
    assert b"scale-ai" in body


def test_query_by_post_form_and_direct_body(endpoint):
    query = "ASK { ?s ?p ?o }"
    status, _, body = _request(endpoint.url + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                               content_type="application/x-www-form-urlencoded",
                               accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, _, body = _request(endpoint.url + "/query", data=query.encode(), content_type="application/sparql-query",
                               accept="application/sparql-results+json")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_result_cap_lowers_the_limit_and_says_so(endpoint):
    status, headers, body = _request(endpoint.url + "/query", accept="application/sparql-results+json",
                                     query="SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == CAP
    assert headers["X-SPARQL-MaxRows"] == str(CAP)
    status, headers, body = _request(endpoint.url + "/query", accept="application/sparql-results+json",
                                     query="SELECT * WHERE { ?s ?p ?o } LIMIT 2")
    assert len(json.loads(body)["results"]["bindings"]) == 2
    assert "X-SPARQL-MaxRows" not in headers


def test_malformed_query_is_400_with_the_parse_error(endpoint):
    status, headers, body = _request(endpoint.url + "/query", query="SELECT ?s WHERE { ?s ?p }")
    assert status == 400
    assert re.search(rb"error at \d+:\d+", body), body


def test_update_on_read_only_endpoint_is_refused(endpoint, built):
    before = _count(endpoint)
    status, _, body = _request(endpoint.url + "/update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                               content_type="application/sparql-update")
    assert status == 403, body
    status, _, _ = _request(endpoint.url + "/store?default", data=b"<urn:a> <urn:b> <urn:c> .",
                            content_type="application/n-triples", method="POST")
    assert status == 403
    assert _count(endpoint) == before


def test_query_past_the_timeout_is_stopped_and_the_server_keeps_serving(endpoint):
    started = time.monotonic()
    status, headers, body = _request(endpoint.url + "/query", query=SLOW, accept="application/sparql-results+json")
    assert status == 503
    assert b"timeout" in body
    assert time.monotonic() - started < 30
    assert _count(endpoint) > 0  # still serving


def test_query_page_works_offline(endpoint):
    status, headers, body = _request(endpoint.url + "/", accept="text/html")
    assert status == 200 and headers.get_content_type() == "text/html"
    page = body.decode("utf-8")
    resources = re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', page)
    assert resources, "the page loads its scripts"
    assert not [r for r in resources if re.match(r"(https?:)?//", r)], resources
    for resource in resources:  # every script and stylesheet comes from the server itself
        status, _, _ = _request(urllib.parse.urljoin(endpoint.url + "/", resource))
        assert status == 200, resource


def test_writable_endpoint_accepts_updates(tmp_path):
    with Endpoint(tmp_path / "store", port=0, writable=True, timeout=5) as server:
        status, _, body = _request(server.url + "/update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                   content_type="application/sparql-update")
        assert status in (200, 204), body
        assert _count(server) == 1


def test_missing_store_and_busy_port_are_clear_errors(tmp_path, endpoint):
    from kg.serve import serve

    with pytest.raises(Exception, match="no store here yet"):
        serve(tmp_path / "none", port=0)
    with pytest.raises(ServeError, match="cannot listen"):
        Endpoint(endpoint.location, port=endpoint.port).start()


def _count(server) -> int:
    status, _, body = _request(server.url + "/query", accept="application/sparql-results+json",
                               query="SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def test_kg_serve_command_starts_and_stops_cleanly(built):
    port = free_port()
    kg = [sys.executable, "-c", "from kg.cli import app; app()"]
    process = subprocess.Popen(kg + ["serve", "--store", str(built), "--port", str(port), "--timeout", "5"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               env={**os.environ, "COLUMNS": "200"})
    try:
        deadline = time.monotonic() + 30
        while not _port_open(port) and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.1)
        assert _port_open(port), process.stderr.read() if process.poll() is not None else "not listening"
        status, _, body = _request(f"http://127.0.0.1:{port}/query", query="ASK { ?s ?p ?o }",
                                   accept="application/sparql-results+json")
        assert status == 200 and json.loads(body)["boolean"] is True
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(process.pid)], capture_output=True,
                                  text=True).stdout.split()
        assert children, "Oxigraph runs as a child of kg serve"
        process.send_signal(signal.SIGINT)  # Ctrl-C
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert "serving" in out and "stopped" in out
    assert not _port_open(port)
    for child in children:  # Oxigraph is gone with it
        assert not os.path.exists(f"/proc/{child}") or "zombie" in open(f"/proc/{child}/status").read().lower()
