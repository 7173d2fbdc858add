"""A bad network between a camera and us, in user space: an RTSP-over-TCP relay that loses
RTP packets and delays what it forwards.

The kernel's ``tc netem`` is the usual tool, but not every machine has it (this project's CI
VMs have no ``sch_netem``); and over RTSP/TCP a lost IP packet is retransmitted, so what a
lossy link really costs the picture is an RTP packet that never arrives, as over UDP. The relay
parses the interleaved stream (RFC 2326 §10.12: ``$``, channel, length, packet), drops that
fraction of RTP packets (even channels; RTCP and RTSP replies always pass) and holds each
forwarded chunk for a random 0..``jitter_s`` after it arrived (in order: never before the one
ahead of it), as a congested link does.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import threading
from collections.abc import Callable
from types import TracebackType

from tests.helpers.media_peers import free_port


class LossyRelay:
    def __init__(self, upstream_port: int, loss: float = 0.01, jitter_s: float = 0.05) -> None:
        self.upstream_port = upstream_port
        self.loss = loss
        self.jitter_s = jitter_s
        self.port = free_port()
        self.url = f"rtsp://127.0.0.1:{self.port}"
        self.forwarded = self.dropped = 0
        self._random = random.Random(7)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> LossyRelay:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self._server = future.result(10)
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        async def stop() -> None:
            assert self._server is not None
            self._server.close()
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            # Let them close their sockets: a client still connected (a player's thread that
            # has not yet seen its stop) must not be left for the garbage collector.
            await asyncio.gather(*tasks, return_exceptions=True)

        asyncio.run_coroutine_threadsafe(stop(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _start(self) -> asyncio.Server:
        return await asyncio.start_server(self._client, "127.0.0.1", self.port)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.upstream_port)
        tasks = [
            asyncio.create_task(self._pipe(reader, up_writer)),
            asyncio.create_task(self._downstream(up_reader, writer)),
        ]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            for w in (writer, up_writer):
                w.close()
                with contextlib.suppress(OSError, asyncio.CancelledError):
                    await w.wait_closed()

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()

    async def _downstream(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()
        sender = asyncio.create_task(self._send(queue, writer))
        try:
            await self._parse(reader, queue, asyncio.get_running_loop().time)
        finally:
            sender.cancel()

    async def _send(
        self, queue: asyncio.Queue[tuple[float, bytes]], writer: asyncio.StreamWriter
    ) -> None:
        loop = asyncio.get_running_loop()
        with contextlib.suppress(ConnectionError):
            while True:
                due, chunk = await queue.get()
                await asyncio.sleep(max(0.0, due - loop.time()))
                self.forwarded += 1
                writer.write(chunk)
                await writer.drain()

    async def _parse(
        self,
        reader: asyncio.StreamReader,
        queue: asyncio.Queue[tuple[float, bytes]],
        now: Callable[[], float],
    ) -> None:
        due = 0.0
        with contextlib.suppress(asyncio.IncompleteReadError, ConnectionError):
            while True:
                first = await reader.readexactly(1)
                if first == b"$":
                    header = await reader.readexactly(3)
                    packet = await reader.readexactly(int.from_bytes(header[1:3], "big"))
                    rtp = header[0] % 2 == 0
                    if rtp and self._random.random() < self.loss:
                        self.dropped += 1
                        continue
                    chunk = first + header + packet
                else:  # an RTSP reply: headers, then as many body bytes as they announce
                    head = first + await reader.readuntil(b"\r\n\r\n")
                    length = 0
                    for line in head.split(b"\r\n"):
                        name, _, value = line.partition(b":")
                        if name.strip().lower() == b"content-length":
                            length = int(value)
                    chunk = head + (await reader.readexactly(length) if length else b"")
                due = max(due, now() + self._random.uniform(0, self.jitter_s))
                queue.put_nowait((due, chunk))
