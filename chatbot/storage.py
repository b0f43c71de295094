"""The only files the program ever writes, and only when the user asks for them.

Questions are health data.  Nothing is written by default; chat history
(`--history`) and the curators' log of unanswered questions
(`--log-unanswered FILE`) are opt-in, created readable by the user alone
(mode 0600), and appended one whole line per write, so that a crash can lose
at most the line being written.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import stat
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from .reply import Reply

PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


def state_dir() -> Path:
    """Where opt-in chat history lives: $XDG_STATE_HOME/chatbot, else ~/.local/state/chatbot."""
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "chatbot"


def history_path() -> Path:
    return state_dir() / "history"


def ensure_private_file(path: Path) -> Path:
    """Create the file (and its folder) if needed, readable and writable by the user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    os.close(_open_private(path))
    return path


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line (see `append_text`)."""
    append_text(path, json.dumps(record, ensure_ascii=False) + "\n")


def append_text(path: Path, text: str) -> None:
    """Append whole lines with a single write on an O_APPEND descriptor.

    The kernel places each write at the end of the file as one piece, so lines
    written at the same time by several threads or processes never mix.  If the
    file does not end with a newline (a crash cut its last line short), a newline
    is written first, in the same write, so the new line stays whole and apart.
    Looking at the last byte and writing are one step under an exclusive lock:
    otherwise the look could land in the middle of another writer's line, and
    the newline added for it would leave an empty line.
    """
    data = text.encode("utf-8", "backslashreplace")
    fd = _open_private(path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # released when the file is closed
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            data = b"\n" + data
        os.write(fd, data)
    finally:
        os.close(fd)


def _open_private(path: Path) -> int:
    """Open for appending, created 0600 and made 0600 whatever the umask or an earlier mode.

    Only a regular file is accepted: a named pipe would block every write, and
    changing the mode of a device such as /dev/null (as root) would break the system.
    Read access is only used to look at the last byte (`append_text`); opening a
    pipe for reading and writing also never blocks, so it can be refused.
    """
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file", os.fspath(path))
        os.fchmod(fd, PRIVATE_FILE)
    except BaseException:
        os.close(fd)
        raise
    return fd


class UnansweredLog:
    """Records fallback and clarify replies so that curators can grow the knowledge base."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = ensure_private_file(Path(path))

    def record(self, question: str, reply: Reply) -> None:
        if reply.kind not in ("fallback", "clarify"):
            return
        try:
            append_line(
                self.path,
                {
                    "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                    "kind": reply.kind,
                    "question": question,
                    "candidates": [{"entry_id": c.entry_id, "score": round(c.score, 1)} for c in reply.candidates],
                },
            )
        except OSError as exc:  # name the file: the error is reported far from here
            raise OSError(exc.errno, exc.strerror, os.fspath(self.path)) from None
