"""Observing what actions publish, through the real (in-memory) channel layer.

A test joins a group like a socket would, runs the action with on-commit
callbacks executed, and reads the events that arrived.
"""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


class Listener:
    def __init__(self, *group_names: str) -> None:
        self.layer = get_channel_layer()
        self.channel = async_to_sync(self.layer.new_channel)()
        for group in group_names:
            async_to_sync(self.layer.group_add)(group, self.channel)

    def events(self, timeout: float = 0.2) -> list[dict[str, Any]]:
        """Every event delivered so far (waits `timeout` for the next one)."""
        received: list[dict[str, Any]] = []

        async def drain() -> None:
            while True:
                try:
                    message = await asyncio.wait_for(
                        self.layer.receive(self.channel), timeout
                    )
                except TimeoutError:
                    return
                if message["type"] == "realtime.events":
                    received.extend(message["events"])
                else:
                    received.append(message["event"])

        async_to_sync(drain)()
        return received
