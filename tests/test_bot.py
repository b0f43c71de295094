"""The library API: `from chatbot import Bot`, immutable replies, every kind."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from chatbot import Bot, KnowledgeBaseError, Reply

from .kbfiles import write_kb

README = Path(__file__).resolve().parent.parent / "README.md"
JSON_KEYS = ["kind", "text", "entry_id", "question", "score", "candidates", "related", "source", "disclaimer"]


def test_the_readme_library_example_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    example = next(b for b in blocks if "from chatbot import Bot" in b)
    namespace: dict = {}
    exec(compile(example, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    assert isinstance(namespace["reply"], Reply)


def test_an_answer_shows_the_question_understood_then_the_answer(bot):
    reply = bot.ask("will my toddler grow out of AIN")
    assert reply.kind == "answer"
    assert reply.question == "Does autoimmune neutropenia go away in children?"
    assert reply.text.startswith(reply.question + "\n")
    assert reply.text.endswith(reply.answer)
    assert reply.source is not None and reply.source.quotes
    entry = bot.kb.by_id[reply.entry_id]
    assert all(entry.document.contains(q) for q in reply.source.quotes)
    assert 1 <= len(reply.related) <= 3
    assert reply.candidates[0].entry_id == reply.entry_id


@pytest.mark.parametrize(
    "text, kind",
    [
        ("does it go away?", "answer"),
        ("is AIN contagious", "fallback"),
        ("hello", "smalltalk"),
        ("my son has a fever of 39", "urgent"),
    ],
)
def test_every_reply_is_well_formed(bot, text, kind):
    reply = bot.ask(text)
    assert reply.kind == kind
    assert reply.text.strip()
    assert reply.disclaimer == bot.disclaimer
    assert (reply.entry_id is not None) == (kind == "answer")
    assert 0 <= reply.score <= 100
    data = reply.to_json()
    assert list(data) == JSON_KEYS
    assert data["disclaimer"].startswith("General information from")


def test_the_disclaimer_names_the_document_and_says_not_medical_advice(bot):
    assert 'General information from "Does autoimmune neutropenia go away", not medical advice.' == bot.disclaimer
    assert "not a doctor" in bot.banner


def test_replies_and_bots_are_immutable(bot):
    reply = bot.ask("what is AIN")
    with pytest.raises(AttributeError):
        reply.text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        bot.title = "changed"  # type: ignore[misc]


def test_a_bot_for_another_knowledge_base(tmp_path):
    bot = Bot(write_kb(tmp_path))
    assert bot.title == "Looking after a cough"
    assert bot.ask("how long will my cough last").entry_id == "cough-duration"


def test_a_bad_knowledge_base_raises_with_every_problem(tmp_path):
    path = write_kb(tmp_path, "document: doc.txt\nentries: [{id: x}]\n")
    with pytest.raises(KnowledgeBaseError) as caught:
        Bot(path)
    assert len(caught.value.problems) >= 5  # five missing fields


def test_the_answer_for_an_entry_by_id(bot):
    reply = bot.answer("g-csf")
    assert (reply.kind, reply.entry_id) == ("answer", "g-csf")
    assert "granulocyte colony-stimulating factor" in reply.text
