"""A ready-built bot for the bundled knowledge base, so that `chatbot` starts at once.

Building a bot means parsing YAML and indexing every phrasing, which takes
longer than answering a question.  When the package is built (see
`hatch_build.py`), the bundled bot is built once and stored next to the code.
`Bot()` uses it only when its fingerprint matches a hash of every file it was
built from (the knowledge base, the bot's data files and the package's own
code), so an edited file can never be answered from a stale snapshot: the bot
is then built from the files as usual.

The snapshot is written by our own build into the package directory and read
like the package's code; a knowledge base passed with `--kb` is never stored.
"""

from __future__ import annotations

import os
import pickle
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .bot import Bot

PACKAGE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(PACKAGE, "_bundled.snapshot")


def _inputs() -> list[tuple[str, str]]:
    """Every file a bundled bot is built from, each with a name that does not depend on where
    the package is installed: the package's code and data, and the knowledge base's files."""
    from .knowledge import bundled_path

    kb = os.path.abspath(bundled_path())
    found = []
    for folder, folders, names in os.walk(PACKAGE):
        folders[:] = sorted(f for f in folders if f != "__pycache__" and os.path.join(folder, f) != kb)
        for name in names:
            if name.endswith((".py", ".yaml", ".yml", ".txt")):
                path = os.path.join(folder, name)
                found.append(("package/" + os.path.relpath(path, PACKAGE).replace(os.sep, "/"), path))
    for name in os.listdir(kb):
        path = os.path.join(kb, name)
        if os.path.isfile(path):
            found.append(("kb/" + name, path))
    return sorted(found)


def fingerprint() -> bytes:
    """A checksum of every input file and its name (CRC-32: it only has to notice an edit)."""
    import zlib

    check = zlib.crc32(f"{sys.version_info[:2]}".encode())
    sizes = 0
    for name, path in _inputs():
        check = zlib.crc32(name.encode() + b"\0", check)
        with open(path, "rb") as handle:
            data = handle.read()
        check = zlib.crc32(data, check)
        sizes += len(data)
    return f"{check:08x}-{sizes}".encode()


def load_snapshot(path: str = SNAPSHOT) -> "Bot | None":
    """The bundled bot from its snapshot, or None if there is none or it is out of date."""
    try:
        with open(path, "rb") as handle:
            stamp = handle.readline().rstrip(b"\n")
            if stamp != fingerprint():
                return None
            return pickle.load(handle)
    except Exception:  # any trouble with a snapshot just means building the bot instead
        return None


def write_snapshot(path: str = SNAPSHOT) -> None:
    """Build the bundled bot, index every leaflet, and store it with its fingerprint."""
    from .bot import Bot
    from .knowledge import load

    bot = Bot(load()).warm()
    partial = f"{path}.partial"
    with open(partial, "wb") as handle:
        handle.write(fingerprint() + b"\n")
        pickle.dump(bot, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


if __name__ == "__main__":
    write_snapshot(sys.argv[1] if len(sys.argv) > 1 else SNAPSHOT)
