"""pycrdt-websocket served by uvicorn, the way its documentation says: `python -m
bench.peers.pycrdt_app --port P` (127.0.0.1 only).

A `WebsocketServer` (rooms ready at once, cleaned when empty) wrapped in its `ASGIServer`, run
inside `async with websocket_server` next to `uvicorn.Server(...).serve()`. The room is the
URL path, so every participant of the benchmark, connecting to the same path, shares one
document. The docs start it with `asyncio.run`; here the loop is uvloop, as under `board
serve`, so the peer gets the same head start as our server (uvicorn's websocket protocol is
the `websockets` one for both). Nothing is stored: no YStore.
"""

from __future__ import annotations

import argparse

import uvicorn
import uvloop
from pycrdt.websocket import ASGIServer, WebsocketServer


async def serve(host: str, port: int) -> None:
    websocket_server = WebsocketServer()
    app = ASGIServer(websocket_server)
    config = uvicorn.Config(app, host=host, port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    async with websocket_server:
        await server.serve()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.peers.pycrdt_app")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    uvloop.run(serve("127.0.0.1", args.port))


if __name__ == "__main__":
    main()
