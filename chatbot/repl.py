"""The interactive chat, built on prompt_toolkit.

`build_session` makes the prompt (tests pass their own `input` and `output`);
`run_repl` is the loop; `show` prints one turn.  What a turn *means* lives in
`chatbot.conversation`, which knows nothing of the terminal.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Iterable

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.auto_suggest import AutoSuggest, Suggestion
from prompt_toolkit.completion import CompleteEvent, Completer, Completion
from prompt_toolkit.document import Document
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, InMemoryHistory
from prompt_toolkit.input import Input
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from .bot import Bot
from .chat import choice_hint, ends_chat
from .conversation import COMMANDS, Conversation, Turn
from .keys import chat_key_bindings
from .render import source_line, wrap
from .reply import Reply
from .storage import UnansweredLog, append_text
from .text import clean_input

STYLE = Style.from_dict(
    {
        "banner": "bold",
        "question": "bold",
        "source": "italic ansibrightblack",
        "disclaimer": "ansibrightblack",
        "choice": "ansicyan",
        "hint": "ansibrightblack",
        "notice": "ansiyellow",
        "urgent": "bold ansired",
        "prompt": "bold ansigreen",
        "bottom-toolbar": "noreverse ansibrightblack",
    }
)
PROMPT = [("class:prompt", "You: ")]
URGENT_MARKER = "[!] URGENT: "


class PrivateHistory(FileHistory):
    """prompt_toolkit's history file, but each entry appended with one write to a 0600 file.

    prompt_toolkit's own `FileHistory` writes an entry in several pieces, which two
    chats open at once can interleave, and would recreate a deleted file with the
    default mode (usually readable by everyone).  The format is prompt_toolkit's,
    so the history reads back unchanged.
    """

    def store_string(self, string: str) -> None:
        lines = "".join(f"+{line}\n" for line in string.split("\n"))
        append_text(Path(self.filename), f"\n# {datetime.datetime.now()}\n{lines}")


class QuestionSuggester(AutoSuggest):
    """Greyed-out completion of a knowledge-base question as you type (right arrow accepts)."""

    def __init__(self, questions: Iterable[str]) -> None:
        self._questions = sorted(set(questions), key=len)

    def get_suggestion(self, buffer, document: Document) -> Suggestion | None:  # type: ignore[override]
        typed = document.text
        if len(typed.strip()) < 3 or typed.startswith("/"):
            return None
        lowered = typed.lower()
        for question in self._questions:
            if question.lower().startswith(lowered) and len(question) > len(typed):
                return Suggestion(question[len(typed):])
        return None


class ChatCompleter(Completer):
    """Tab completes slash commands, and knowledge-base questions containing what was typed."""

    def __init__(self, questions: Iterable[str]) -> None:
        self._questions = list(dict.fromkeys(questions))

    def get_completions(self, document: Document, complete_event: CompleteEvent) -> Iterable[Completion]:
        typed = document.text_before_cursor
        if typed.startswith("/"):
            for name, found in COMMANDS.items():
                if name.startswith(typed.lower()):
                    yield Completion(name, start_position=-len(typed), display_meta=found.help)
            return
        words = typed.lower().split()
        if not words:
            return
        for question in self._questions:
            lowered = question.lower()
            if all(word in lowered for word in words):
                yield Completion(question, start_position=-len(typed))


def build_session(bot: Bot, *, input: Input | None = None, output: Output | None = None,
                  history_file: Path | None = None) -> PromptSession:
    questions = [entry.question for entry in bot.kb.entries]
    return PromptSession(
        message=PROMPT,
        history=PrivateHistory(str(history_file)) if history_file else InMemoryHistory(),
        auto_suggest=QuestionSuggester(questions),
        completer=ChatCompleter(questions),
        complete_while_typing=False,
        bottom_toolbar=" /help  /topics  /why  /about  /quit    Ctrl-D to leave",
        key_bindings=chat_key_bindings(),
        style=STYLE,
        input=input,
        output=output,
    )


def run_repl(bot: Bot, *, input: Input | None = None, output: Output | None = None,
             history_file: Path | None = None, log: UnansweredLog | None = None) -> int:
    session = build_session(bot, input=input, output=output, history_file=history_file)
    width = _width(session)
    say(session, banner(bot, width))
    conversation = Conversation(bot)
    while True:
        try:
            typed = session.prompt()
        except KeyboardInterrupt:  # Ctrl-C: the line is cleared, the chat goes on
            continue
        except EOFError:  # Ctrl-D
            break
        turn = conversation.turn(typed)
        if log is not None and turn.reply is not None:
            log.record(clean_input(typed), turn.reply)
        say(session, render(turn, _width(session)))
        if ends_chat(turn):
            if turn.quit:
                say(session, [("", "Goodbye, and take care.\n")])
            return 0
    say(session, [("", "Goodbye, and take care.\n")])
    return 0


def _width(session: PromptSession) -> int:
    try:
        columns = session.output.get_size().columns
    except Exception:  # some outputs cannot tell their size
        columns = 80
    return max(40, min(columns, 100)) - 1


def say(session: PromptSession, fragments: list[tuple[str, str]]) -> None:
    print_formatted_text(FormattedText(fragments), style=STYLE, output=session.output, end="")


def banner(bot: Bot, width: int) -> list[tuple[str, str]]:
    return [
        ("class:banner", wrap(f'Questions and answers about autoimmune neutropenia, from the leaflet "{bot.title}".', width) + "\n"),
        ("class:disclaimer", wrap(bot.banner, width) + "\n"),
        ("class:urgent", wrap("If someone with neutropenia has a fever or seems very unwell, contact their doctor or care team now.", width) + "\n"),
        ("class:hint", wrap("Type your question and press Enter. /help shows what else you can do; Ctrl-D or /quit leaves.", width) + "\n\n"),
    ]


def render(turn: Turn, width: int) -> list[tuple[str, str]]:
    """A turn as styled text: the urgent reply stands out, the answer reads first."""
    out: list[tuple[str, str]] = [("", "\n")]
    if turn.notice:
        out.append(("class:notice", wrap(turn.notice, width) + "\n\n"))
    if turn.message:
        out.append(("", wrap(turn.message, width) + "\n\n"))
    if turn.reply is not None:
        out.extend(_reply(turn.reply, width))
    return out


def _reply(reply: Reply, width: int) -> list[tuple[str, str]]:
    if reply.kind == "urgent":
        return [("class:urgent", wrap(URGENT_MARKER + reply.text, width) + "\n\n")]
    out: list[tuple[str, str]] = []
    if reply.kind == "answer":
        if reply.notice:
            out.append(("class:notice", wrap(reply.notice, width) + "\n\n"))
        out.append(("class:question", wrap(reply.question or "", width) + "\n"))
        out.append(("", wrap(reply.answer or "", width) + "\n"))
        citation = source_line(reply)
        if citation:
            out.append(("class:source", wrap(citation, width) + "\n"))
        if reply.related:
            out.append(("", "\nRelated questions:\n"))
            out.extend(("class:choice", wrap(f"  {n}. {r.question}", width) + "\n") for n, r in enumerate(reply.related, 1))
    else:
        out.append(("", wrap(reply.text, width) + "\n"))
    hint = choice_hint(reply)
    if hint:
        out.append(("class:hint", hint + "\n"))
    if reply.kind in ("answer", "clarify", "fallback"):
        out.append(("class:disclaimer", wrap(reply.disclaimer, width) + "\n"))
    out.append(("", "\n"))
    return out
