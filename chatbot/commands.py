"""`chatbot ask`: one question, or one a line from standard input."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from .bot import Bot
from .cli import fail
from .problems import KnowledgeBaseError
from .render import plain
from .text import clean_input

if TYPE_CHECKING:
    from .storage import UnansweredLog


def load_bot(kb: str | None) -> Bot:
    """Build the bot; a bad knowledge base raises KnowledgeBaseError with a one-line summary."""
    return Bot(kb)


def run_ask(args: argparse.Namespace, kb: str | None) -> int:
    try:
        bot = load_bot(kb)
    except KnowledgeBaseError as exc:
        return fail(exc.summary())
    log = None
    log_path = getattr(args, "log_unanswered", None)
    if log_path:
        from .storage import UnansweredLog

        try:
            log = UnansweredLog(log_path)
        except OSError as exc:
            return fail(f"cannot write {log_path}: {exc.strerror or exc}")

    out = sys.stdout
    width = 80
    if out.isatty():
        import shutil

        width = min(shutil.get_terminal_size((80, 24)).columns, 100)
    if args.question != "-":
        _answer(bot, args.question, args, out, width, log)
        return 0
    questions = (raw.decode("utf-8", "replace").rstrip("\r\n") for raw in sys.stdin.buffer)
    if args.json and log is None:
        from .batch import answer_lines

        answer_lines(bot, questions, out)
        return 0
    first = True
    for question in questions:
        if not args.json and not first:
            out.write("\n" + "-" * 20 + "\n\n")
        _answer(bot, question, args, out, width, log)
        out.flush()
        first = False
    return 0


def _answer(bot: Bot, question: str, args: argparse.Namespace, out: TextIO, width: int, log: UnansweredLog | None) -> None:
    reply = bot.ask(question)
    if log is not None:
        log.record(clean_input(question), reply)
    if args.json:
        import json

        out.write(json.dumps(reply.to_json(), ensure_ascii=True) + "\n")
    elif args.explain:
        from .explain import explain

        out.write(plain(reply, width) + "\n\n" + explain(reply) + "\n")
    else:
        out.write(plain(reply, width) + "\n")
