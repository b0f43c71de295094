"""The `chatbot` command: chat, ask, eval and lint.

Exit codes: 0 success; 1 `lint` found problems or `eval` missed a threshold;
2 bad arguments, or a knowledge base or file that cannot be used.  Heavy
modules are imported inside the command that needs them, so that `chatbot ask`
starts fast and never loads the terminal toolkit.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

ENV_KB = "CHATBOT_KB"


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    kb_help = f"knowledge base: a YAML file or a directory of them (default: ${ENV_KB}, else the bundled one)"
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--kb", metavar="PATH", default=argparse.SUPPRESS, help=kb_help)

    parser = _Parser(
        prog="chatbot",
        description="Answers questions about autoimmune neutropenia from a patient leaflet. Not medical advice.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=_version())
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    chat = commands.add_parser("chat", parents=[common], help="talk to the bot (the default)")
    _chat_options(chat)
    _chat_options(parser)

    ask = commands.add_parser("ask", parents=[common], help="answer one question, or one a line from standard input")
    ask.add_argument("question", metavar="QUESTION", help="the question, or - to read questions from standard input")
    shape = ask.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="print each reply as one JSON object")
    shape.add_argument("--explain", action="store_true", help="show the candidates, scores and unknown words")
    ask.add_argument("--log-unanswered", metavar="FILE", default=argparse.SUPPRESS, help="append questions that were not answered to FILE (JSON Lines)")

    evaluate = commands.add_parser("eval", parents=[common], help="measure accuracy on a labelled question set")
    evaluate.add_argument("files", metavar="FILE", nargs="*", help="evaluation YAML files (default: the bundled set)")
    evaluate.add_argument("--quiet", "-q", action="store_true", help="do not list each failure")

    lint = commands.add_parser("lint", parents=[common], help="check a knowledge base and report every problem")
    lint.add_argument("path", metavar="PATH", nargs="?", help="knowledge base to check (default: as --kb)")
    return parser


def _chat_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--history", action="store_true", default=argparse.SUPPRESS,
                        help="keep chat history between sessions (stored in your state directory, mode 0600)")
    parser.add_argument("--log-unanswered", metavar="FILE", default=argparse.SUPPRESS,
                        help="append questions that were not answered to FILE (JSON Lines)")


def _version() -> str:
    from . import __version__

    return f"chatbot {__version__}"


def kb_path(args: argparse.Namespace) -> str | None:
    """--kb, else $CHATBOT_KB, else None (the bundled knowledge base)."""
    return getattr(args, "kb", None) or os.environ.get(ENV_KB) or None


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        status = _run(args)
        sys.stdout.flush()  # a full disk shows here, not as a traceback when Python exits
        return status
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except OSError as exc:  # a file cannot be written: the output or a log, on a full disk, say
        from .problems import printable

        what = printable(os.fspath(exc.filename)) if exc.filename else "the output"
        if not exc.filename:
            _silence_stdout()
        print(f"chatbot: error: cannot write {what}: {exc.strerror or exc}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    """Run the command; its exit code."""
    command = args.command or "chat"
    if command == "lint":
        from .lint import run_lint

        return run_lint(args.path or kb_path(args))
    if command == "ask":
        from .commands import run_ask

        return run_ask(args, kb_path(args))
    if command == "eval":
        from .evaluation import run_eval

        return run_eval(args.files, kb_path(args), quiet=args.quiet)
    from .chat import run_chat

    return run_chat(
        kb_path(args),
        history=getattr(args, "history", False),
        log_unanswered=getattr(args, "log_unanswered", None),
    )


def _silence_stdout() -> None:
    """After `| head` closed the pipe, stop Python from complaining at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def fail(message: str) -> int:
    """Print a one-line error and return exit code 2."""
    print(f"chatbot: error: {message}", file=sys.stderr)
    return 2
