"""`chatbot` / `chatbot chat`: the interactive chat, or plain line-by-line replies when piped."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

from .bot import Bot
from .cli import fail
from .conversation import Conversation, Turn
from .problems import KnowledgeBaseError
from .reply import Reply
from .render import plain, wrap
from .storage import UnansweredLog, ensure_private_file, history_path
from .text import clean_input


def run_chat(kb: str | None, history: bool = False, log_unanswered: str | None = None) -> int:
    try:
        bot = Bot(kb)
    except KnowledgeBaseError as exc:
        return fail(exc.summary())
    try:
        log = UnansweredLog(log_unanswered) if log_unanswered else None
        saved = ensure_private_file(history_path()) if history else None
    except OSError as exc:
        return fail(f"cannot write {exc.filename}: {exc.strerror or exc}")
    if sys.stdin.isatty() and sys.stdout.isatty():
        from .repl import run_repl  # the terminal toolkit is loaded only for a person at a terminal

        return run_repl(bot, history_file=saved, log=log)
    return run_piped(bot, sys.stdin, sys.stdout, log)


def run_piped(bot: Bot, lines: TextIO, out: TextIO, log: UnansweredLog | None = None) -> int:
    """Scripted use: one reply for each line read, as plain text without escape codes."""
    conversation = Conversation(bot)
    width = 80
    for line in lines:
        turn = conversation.turn(line.rstrip("\r\n"))
        if log is not None and turn.reply is not None:
            log.record(clean_input(line), turn.reply)
        text = turn_text(turn, width)
        if text:
            out.write(text + "\n\n")
            out.flush()
        if ends_chat(turn):
            break
    return 0


def ends_chat(turn: Turn) -> bool:
    """/quit, or a goodbye ("bye", "that's all, thanks")."""
    return turn.quit or (turn.reply is not None and turn.reply.intent == "goodbye")


def turn_text(turn: Turn, width: int) -> str:
    """A turn as plain text, with the numbered choices the person can type."""
    parts = []
    if turn.notice:
        parts.append(wrap(turn.notice, width))
    if turn.message:
        parts.append(wrap(turn.message, width))
    reply = turn.reply
    if reply is not None:
        parts.append(plain(reply, width, numbered_related=True, hint=choice_hint(reply)))
    return "\n\n".join(parts)


def choice_hint(reply: Reply) -> str | None:
    """What typing a number does after this reply, if anything."""
    if reply.kind == "clarify":
        return "Type a number to choose, or ask again in other words."
    if reply.kind in ("answer", "fallback") and reply.related:
        return "Type a number to ask one of these."
    return None


def terminal_width() -> int:
    return max(40, min(shutil.get_terminal_size((80, 24)).columns, 100))
