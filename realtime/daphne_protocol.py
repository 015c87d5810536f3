"""Daphne closes a connection that breaks the WebSocket protocol with a code.

Autobahn, Daphne's WebSocket implementation, drops the TCP connection of a
client that sends invalid UTF-8 in a text frame (or breaks the protocol
otherwise) without a closing handshake (its `failByDrop` default), so the
client sees 1006 (abnormal closure) where RFC 6455 asks for 1007 (invalid
payload) or 1002 (protocol error), as uvicorn's websockets sends. Called from
zukunftsraum/asgi.py, which Daphne imports before it builds its factory.
"""

from __future__ import annotations


def close_protocol_errors_with_a_code() -> None:
    try:
        from daphne.ws_protocol import WebSocketFactory
    except ImportError:  # another server: nothing to do
        return
    if getattr(WebSocketFactory, "closes_with_a_code", False):
        return
    reset = WebSocketFactory.resetProtocolOptions

    def reset_protocol_options(self) -> None:
        reset(self)
        self.failByDrop = False

    WebSocketFactory.resetProtocolOptions = reset_protocol_options
    WebSocketFactory.closes_with_a_code = True
