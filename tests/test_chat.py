"""The chat, driven without a terminal: prompt_toolkit's pipe input and a plain-text output."""

from __future__ import annotations

import io
import os
import select
import subprocess
import sys
import time

import pytest
from prompt_toolkit.application import create_app_session
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.plain_text import PlainTextOutput

from chatbot.chat import run_piped
from chatbot.conversation import Conversation
from chatbot.repl import ChatCompleter, QuestionSuggester, run_repl

from .kbfiles import TIED, write_kb

ENTER, CTRL_C, CTRL_D = "\r", "\x03", "\x04"


def chat(bot, keys: str, **options) -> tuple[int, str]:
    """Type `keys` into the chat; return its exit code and everything it printed, spaces squashed."""
    screen = io.StringIO()
    with create_pipe_input() as typed:
        typed.send_text(keys + CTRL_D)  # so that a chat that failed to stop cannot hang the test
        output = PlainTextOutput(screen)
        with create_app_session(input=typed, output=output):
            code = run_repl(bot, input=typed, output=output, **options)
    return code, " ".join(screen.getvalue().split())


def test_banner_question_and_goodbye_on_ctrl_d(bot):
    code, screen = chat(bot, "will my toddler grow out of ain" + ENTER + CTRL_D)
    assert code == 0
    assert 'from the leaflet "Does autoimmune neutropenia go away"' in screen
    assert "not a doctor and this is not medical advice" in screen  # the disclaimer in the banner
    assert "Does autoimmune neutropenia go away in children?" in screen
    assert "General information from" in screen  # the line under the answer
    assert screen.rstrip().endswith("Goodbye, and take care.")


def test_a_related_question_is_asked_by_its_number(bot):
    code, screen = chat(bot, "will my toddler grow out of ain" + ENTER + "1" + ENTER + "/quit" + ENTER)
    assert code == 0
    first_related = bot.answer("goes-away-in-children").related[0]
    assert screen.count(bot.kb.by_id[first_related.entry_id].answer[:60]) == 1


def test_small_talk_keeps_the_numbered_list(bot):
    conversation = Conversation(bot)
    conversation.turn("will my toddler grow out of ain")
    conversation.turn("thanks")
    first_related = bot.answer("goes-away-in-children").related[0]
    assert conversation.turn("1").reply.entry_id == first_related.entry_id


def test_a_number_with_no_list_to_choose_from_says_so(bot):
    turn = Conversation(bot).turn("1")
    assert turn.reply is None
    assert "no numbered list" in turn.message


def test_clarify_then_pick_by_number(tmp_path):
    from chatbot import Bot

    bot = Bot(write_kb(tmp_path, TIED))
    _, screen = chat(bot, "honey" + ENTER + "2" + ENTER + CTRL_D)
    assert "Did you mean:" in screen
    assert "Type a number to choose" in screen
    offered = bot.ask("honey").candidates
    assert bot.kb.by_id[offered[1].entry_id].answer in screen.split("Did you mean:")[1]


def test_urgent_messages_stand_out(bot):
    _, screen = chat(bot, "my baby has a fever of 38.6" + ENTER + CTRL_D)
    assert "[!] URGENT: This could be an emergency." in screen
    assert "38.6 °C" in screen


def test_ctrl_c_clears_the_line_and_the_chat_goes_on(bot):
    code, screen = chat(bot, "half a question" + CTRL_C + "what is gcsf" + ENTER + CTRL_D)
    assert code == 0
    assert "What is G-CSF and when is it used?" in screen
    assert "half a question" not in screen.split("What is G-CSF")[1]


def test_commands(bot):
    _, screen = chat(bot, "/help" + ENTER + "/topics" + ENTER + "/about" + ENTER + "/why" + ENTER
                     + "what is gcsf" + ENTER + "/why" + ENTER + "/nonsense" + ENTER + "/quit" + ENTER)
    assert "/topics" in screen and "list the questions I can answer" in screen  # /help from the registry
    assert "Treatment 12. " in screen and "15. What is G-CSF and when is it used?" in screen  # grouped topics
    assert "autoimmune-neutropenia.txt" in screen  # /about names the document
    assert "Ask a question first" in screen  # /why before any question
    assert "Outcome: answer (g-csf)" in screen  # /why after one
    assert "I don't know the command /nonsense" in screen


def test_empty_lines_are_ignored_and_long_input_gets_a_notice(bot):
    conversation = Conversation(bot)
    assert conversation.turn("   ").reply is None
    turn = conversation.turn("does it go away " * 300)
    assert turn.notice and "first 2,000 characters" in turn.notice
    assert turn.reply is not None


def test_escape_sequences_and_control_characters_are_not_echoed(bot):
    _, screen = chat(bot, "/bad\x1b]0;evil\x07" + ENTER + "hello \x1b[31mthere\x1b[0m" + ENTER + CTRL_D)
    assert "\x1b" not in screen and "\x07" not in screen
    assert "Hello!" in screen


def test_goodbye_ends_the_chat(bot):
    code, screen = chat(bot, "thanks, bye" + ENTER + "what is gcsf" + ENTER)
    assert code == 0
    assert "Goodbye" in screen
    assert "When is it used" not in screen  # the chat ended before this question


def test_history_is_kept_in_a_private_file_only_when_asked(bot, tmp_path):
    history = tmp_path / "history"
    history.touch(mode=0o600)
    chat(bot, "what is gcsf" + ENTER + CTRL_D, history_file=history)
    assert "what is gcsf" in history.read_text()
    assert oct(history.stat().st_mode & 0o777) == "0o600"


def test_suggestions_and_completions_come_from_the_knowledge_base():
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document

    questions = ["Does autoimmune neutropenia go away?", "What is G-CSF and when is it used?"]
    suggestion = QuestionSuggester(questions).get_suggestion(None, Document("does auto"))
    assert suggestion.text == "immune neutropenia go away?"
    completions = [c.text for c in ChatCompleter(questions).get_completions(Document("g-csf"), CompleteEvent())]
    assert completions == ["What is G-CSF and when is it used?"]
    commands = [c.text for c in ChatCompleter(questions).get_completions(Document("/t"), CompleteEvent())]
    assert commands == ["/topics"]


def test_piped_chat_prints_plain_replies(bot):
    out = io.StringIO()
    assert run_piped(bot, io.StringIO("what is gcsf\n\n2\nbye\nnot read\n"), out) == 0
    text = out.getvalue()
    assert "\x1b" not in text
    assert text.startswith("What is G-CSF and when is it used?")
    assert "Goodbye" in text and "not read" not in text


@pytest.mark.slow
def test_the_real_command_in_a_pseudo_terminal(tmp_path):
    """End to end: `python -m chatbot` in a pty shows the banner, answers, and says goodbye."""
    import pty

    main_fd, child_fd = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100", "LINES": "40", "HOME": str(tmp_path)}
    process = subprocess.Popen([sys.executable, "-m", "chatbot"], stdin=child_fd, stdout=child_fd,
                               stderr=child_fd, env=env, close_fds=True)
    os.close(child_fd)
    seen = b""

    def read_until(marker: bytes, timeout: float = 20) -> bytes:
        """Read until `marker` appears in what arrives from now on."""
        nonlocal seen
        start = len(seen)
        deadline = time.time() + timeout
        while marker not in seen[start:] and time.time() < deadline:
            ready, _, _ = select.select([main_fd], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(main_fd, 65536)
                except OSError:
                    break
        assert marker in seen[start:], seen[-2000:]
        return seen

    try:
        read_until(b"You:")
        assert b"not a doctor" in seen
        os.write(main_fd, b"does it go away in kids\r")
        read_until(b"Related questions")
        assert b"Does autoimmune neutropenia go away in children?" in seen
        read_until(b"You:")  # the next prompt is ready for keys
        os.write(main_fd, b"\x04")
        read_until(b"Goodbye")
        assert process.wait(timeout=20) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main_fd)
