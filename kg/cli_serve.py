"""The `kg serve` command: the store as a SPARQL 1.1 Protocol endpoint (registered on `kg.cli.app`)."""
from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated, Optional

import typer

from kg.cli import app, console, fail
from kg.errors import KGError


@app.command()
def serve(
    store: Annotated[Optional[str], typer.Option(
        "--store", envvar="AIKG_STORE", show_envvar=True, help="Folder of the Oxigraph store (default: ./store).")] = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on (loopback unless you mean to share it).")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 7878,
    writable: Annotated[bool, typer.Option("--writable", help="Accept SPARQL updates and Graph Store writes.")] = False,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds a query may run before it is stopped.")] = 30.0,
    max_results: Annotated[int, typer.Option("--max-results", help="Most results a query returns (its LIMIT is capped).")] = 10_000,
) -> None:
    """Serve the store as a SPARQL 1.1 Protocol endpoint (Oxigraph's server), until Ctrl-C.

    Queries at /query (results as JSON, XML, CSV or TSV; graphs as Turtle, N-Triples or
    JSON-LD, by the Accept header), a query page at /, the Graph Store Protocol at /store.
    Read-only unless --writable; then `kg build --store http://HOST:PORT` loads into it.
    A read-only endpoint must not run next to a `kg build` writing the same folder.
    """
    from kg.remote import is_remote
    from kg.serve import serve as start
    from kg.store import default_path

    if store is not None and is_remote(store):
        fail(f"{store}: kg serve serves a store folder, not a URL")
    location = Path(store) if store is not None else default_path()
    try:
        endpoint = start(location, host=host, port=port, writable=writable, timeout=timeout,
                         max_results=max_results)
    except KGError as exc:
        fail(str(exc))

    def _stop(signum, frame):  # SIGTERM stops as cleanly as Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)  # also when started in the background, where SIGINT is ignored
    mode = "read-write" if writable else "read-only"
    console.print(f"serving {location} at {endpoint.url}/ ({mode}; SPARQL at {endpoint.url}/query, "
                  f"timeout {timeout:g} s, at most {max_results} results); Ctrl-C to stop", highlight=False)
    try:
        endpoint.serve_forever()
    except KeyboardInterrupt:
        pass
    except KGError as exc:
        fail(str(exc))
    finally:
        endpoint.stop()
    console.print("stopped", highlight=False)
