"""One chat session's turns: text in, what to show out.  No terminal code here.

The chat (`chatbot.repl`) and the piped mode both call `Conversation.turn`;
tests drive it directly.  A conversation remembers only what the next turn
needs: the last reply (for /why) and the numbered choices it offered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from .bot import Bot
from .explain import explain
from .reply import Choice, Reply
from .text import MAX_INPUT_CHARS, clean_input


@dataclass(frozen=True)
class Turn:
    """What one turn produced: a reply from the bot, or a command's text."""

    reply: Reply | None = None
    message: str | None = None  # text of a slash command, or a notice
    notice: str | None = None  # said before the reply (e.g. the message was cut)
    quit: bool = False


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[["Conversation", str], Turn]


COMMANDS: dict[str, Command] = {}


def command(name: str, help: str) -> Callable[[Callable[["Conversation", str], Turn]], Callable[["Conversation", str], Turn]]:
    """Register a slash command; /help is generated from this registry."""

    def register(function: Callable[["Conversation", str], Turn]) -> Callable[["Conversation", str], Turn]:
        COMMANDS[name] = Command(name, help, function)
        return function

    return register


@dataclass
class Conversation:
    bot: Bot
    last: Reply | None = None
    choices: tuple[Choice, ...] = field(default_factory=tuple)

    def turn(self, typed: str) -> Turn:
        """Handle one line the person typed; never raises."""
        text = typed.strip()
        if not text:
            return Turn()
        if text.startswith("/"):
            return self._command(text)
        if text.isdigit():
            if not self.choices:
                return Turn(message="There is no numbered list to choose from just now. Ask a question, or type /topics.")
            number = int(text)
            if 1 <= number <= len(self.choices):
                return self._remember(Turn(reply=self.bot.answer(self.choices[number - 1].entry_id)))
            return Turn(message=f"Please type a number from 1 to {len(self.choices)}, or ask a question.")
        notice = None
        if len(typed) > MAX_INPUT_CHARS:
            notice = f"Your message was long, so I answered from its first {MAX_INPUT_CHARS:,} characters."
        return self._remember(Turn(reply=self.bot.ask(typed), notice=notice))

    def _remember(self, turn: Turn) -> Turn:
        reply = turn.reply
        if reply is not None:
            self.last = reply
            if reply.kind == "clarify":
                self.choices = reply.candidates
            elif reply.kind in ("answer", "fallback"):
                self.choices = reply.related
            elif reply.kind != "smalltalk":  # "thanks" or "ok" leaves the last list to choose from
                self.choices = ()
        return turn

    def _command(self, text: str) -> Turn:
        name, _, rest = text.partition(" ")
        found = COMMANDS.get(name.lower())
        if found is None:
            shown = clean_input(name, limit=40)
            return Turn(message=f"I don't know the command {shown}. Type /help to see the commands, or just ask a question.")
        return found.run(self, rest.strip())


@command("/help", "show this help")
def _help(conversation: Conversation, _: str) -> Turn:
    lines = ["Type a question in your own words and press Enter, for example: does it go away in children?", ""]
    lines += [f"  {c.name:<8} {c.help}" for c in COMMANDS.values()]
    lines += [
        "",
        "After an answer, type the number of a related question to ask it.",
        "Keys: Tab completes, the right arrow accepts a suggestion, Ctrl-C clears the line, Ctrl-D leaves.",
    ]
    return Turn(message="\n".join(lines))


@command("/topics", "list the questions I can answer, by topic")
def _topics(conversation: Conversation, _: str) -> Turn:
    groups: dict[str, list] = {}
    for entry in conversation.bot.kb.entries:
        groups.setdefault(entry.topic or "Other questions", []).append(entry)
    ordered = [entry for entries in groups.values() for entry in entries]
    conversation.choices = tuple(Choice(e.id, e.question) for e in ordered)
    lines = [f'Questions I can answer from "{conversation.bot.title}":']
    number = 0
    for topic, entries in groups.items():
        lines.append("")
        lines.append(topic)
        for entry in entries:
            number += 1
            lines.append(f"{number:>3}. {entry.question}")
    lines.append("")
    lines.append("Type a number to read its answer.")
    return Turn(message="\n".join(lines))


@command("/about", "where my answers come from, and the disclaimer")
def _about(conversation: Conversation, _: str) -> Turn:
    bot = conversation.bot
    documents = "\n".join(f"  - {d.title} ({d.name})" for d in bot.kb.documents)
    return Turn(
        message=(
            f"I answer only from this patient leaflet:\n{documents}\n\n{bot.banner}\n\n"
            "Nothing you type leaves this computer, and nothing is saved unless you started me with --history."
        )
    )


@command("/why", "explain how I matched your last question")
def _why(conversation: Conversation, _: str) -> Turn:
    if conversation.last is None:
        return Turn(message="Ask a question first; then /why shows how I matched it.")
    return Turn(message=explain(conversation.last))


@command("/quit", "leave the chat (or press Ctrl-D)")
def _quit(conversation: Conversation, _: str) -> Turn:
    return Turn(quit=True)
