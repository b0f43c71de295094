"""`chatbot ask --json -` on every core: one reply a line, in order, each as soon as it is ready.

Answering is pure computation, so a long batch is shared among worker processes
forked from this one (the bot is built once, before the fork).  Lines go out in
groups: every line already waiting, up to GROUP of them.  A file piped in at
once keeps every core busy, while lines that arrive one at a time (typed, or
written by another program that waits for each reply) are answered one at a
time, before the next arrives.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import signal
import threading
from typing import TYPE_CHECKING, Iterable, Iterator, TextIO

if TYPE_CHECKING:
    from .bot import Bot

#: At most this many lines go to a worker at once.
GROUP = 32
#: More workers than this gain little: writing the replies becomes the limit.
MAX_WORKERS = 4

_END = object()
_bot: "Bot | None" = None  # the bot the forked workers answer with


def json_line(bot: "Bot", question: str) -> str:
    """One reply in the JSON contract, as one line."""
    return json.dumps(bot.ask(question).to_json(), ensure_ascii=True) + "\n"


def workers() -> int:
    """How many processes to answer with: one per core, when this system can fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def answer_lines(bot: "Bot", lines: Iterable[str], out: TextIO, processes: int | None = None) -> None:
    """Write one JSON reply a line for every line, in order, flushing after each group."""
    processes = workers() if processes is None else processes
    if processes < 2:
        for line in lines:
            out.write(json_line(bot, line))
            out.flush()
        return
    global _bot
    _bot = bot
    with multiprocessing.get_context("fork").Pool(processes, initializer=_ignore_interrupts) as pool:
        for replies in pool.imap(_answer_group, _groups(lines)):
            out.write("".join(replies))
            out.flush()


def _answer_group(lines: list[str]) -> list[str]:
    assert _bot is not None
    return [json_line(_bot, line) for line in lines]


def _ignore_interrupts() -> None:
    """Ctrl-C is the parent's to handle; workers end with the pool, without tracebacks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _groups(lines: Iterable[str]) -> Iterator[list[str]]:
    """The lines, in groups of all those already read (at least one, at most GROUP)."""
    waiting: queue.Queue[object] = queue.Queue(maxsize=GROUP * 8)

    def read() -> None:
        try:
            for line in lines:
                waiting.put(line)
        finally:
            waiting.put(_END)

    threading.Thread(target=read, name="batch-reader", daemon=True).start()
    while True:
        first = waiting.get()
        if first is _END:
            return
        group = [first]
        while len(group) < GROUP:
            try:
                line = waiting.get_nowait()
            except queue.Empty:
                break
            if line is _END:
                yield group  # type: ignore[misc]
                return
            group.append(line)
        yield group  # type: ignore[misc]
