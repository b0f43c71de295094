"""The only files the program ever writes, and only when the user asks for them.

Questions are health data.  Nothing is written by default; chat history
(`--history`) and the curators' log of unanswered questions
(`--log-unanswered FILE`) are opt-in, created readable by the user alone
(mode 0600), and appended one whole line per write, so that a crash can lose
at most the line being written.
"""

from __future__ import annotations

import json
import os
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
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
    finally:
        os.close(fd)
    return path


def append_line(path: Path, record: dict[str, Any]) -> None:
    """Append one JSON line with a single write (atomic for a line on a local file system)."""
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
    try:
        os.fchmod(fd, PRIVATE_FILE)
        os.write(fd, line)
    finally:
        os.close(fd)


class UnansweredLog:
    """Records fallback and clarify replies so that curators can grow the knowledge base."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = ensure_private_file(Path(path))

    def record(self, question: str, reply: Reply) -> None:
        if reply.kind not in ("fallback", "clarify"):
            return
        append_line(
            self.path,
            {
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "kind": reply.kind,
                "question": question,
                "candidates": [{"entry_id": c.entry_id, "score": round(c.score, 1)} for c in reply.candidates],
            },
        )
