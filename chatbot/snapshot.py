"""Ready-built objects stored with the package, so that `chatbot` starts at once.

Building a bot means parsing YAML and indexing every phrasing, which takes
longer than answering a question.  When the package is built (see
`hatch_build.py`), two snapshots are stored next to the code: the bundled bot,
and the parts every bot shares whatever its knowledge base (`chatbot.parts`).
Each is used only when its fingerprint matches a hash of every file it was
built from (the package's own code and data files, and for the bundled bot the
knowledge base too), so an edited file can never be answered from a stale
snapshot: the object is then built from the files as usual.

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
    from .parts import Parts

PACKAGE = os.path.dirname(os.path.abspath(__file__))
SNAPSHOT = os.path.join(PACKAGE, "_bundled.snapshot")
PARTS = os.path.join(PACKAGE, "_parts.snapshot")


def _inputs(with_kb: bool = True) -> list[tuple[str, str]]:
    """Every file a snapshot is built from, each with a name that does not depend on where
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
    for name in os.listdir(kb) if with_kb else ():
        path = os.path.join(kb, name)
        if os.path.isfile(path):
            found.append(("kb/" + name, path))
    return sorted(found)


def fingerprint(with_kb: bool = True) -> bytes:
    """A checksum of every input file and its name (CRC-32: it only has to notice an edit)."""
    import zlib

    check = zlib.crc32(f"{sys.version_info[:2]}".encode())
    sizes = 0
    for name, path in _inputs(with_kb):
        check = zlib.crc32(name.encode() + b"\0", check)
        with open(path, "rb") as handle:
            data = handle.read()
        check = zlib.crc32(data, check)
        sizes += len(data)
    return f"{check:08x}-{sizes}".encode()


def load_snapshot(path: str = SNAPSHOT, with_kb: bool = True) -> "Bot | Parts | None":
    """What a snapshot holds, or None if there is none or it is out of date."""
    try:
        with open(path, "rb") as handle:
            stamp = handle.readline().rstrip(b"\n")
            if stamp != fingerprint(with_kb):
                return None
            return pickle.load(handle)
    except Exception:  # any trouble with a snapshot just means building the bot instead
        return None


def write_snapshot(path: str = SNAPSHOT, parts: str | None = None) -> None:
    """Build the bundled bot, index every leaflet, and store it with its fingerprint;
    with `parts`, store there the parts every bot shares too."""
    from .bot import Bot
    from .knowledge import load
    from .parts import build_parts

    if parts is not None:
        _store(parts, build_parts(), fingerprint(with_kb=False))
    _store(path, Bot(load()).warm(), fingerprint())


def _store(path: str, value: object, stamp: bytes) -> None:
    partial = f"{path}.partial"
    with open(partial, "wb") as handle:
        handle.write(stamp + b"\n")
        pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


if __name__ == "__main__":
    write_snapshot(sys.argv[1] if len(sys.argv) > 1 else SNAPSHOT, sys.argv[2] if len(sys.argv) > 2 else PARTS)
