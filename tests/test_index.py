"""The index: leaflets are indexed on demand, judged by their own words, and can be snapshotted."""

from __future__ import annotations

import pickle
import shutil
import threading
from pathlib import Path

import pytest

import chatbot.bot
from chatbot import Bot, knowledge
from chatbot.parts import Parts, build_parts
from chatbot.snapshot import fingerprint, load_snapshot, write_snapshot

from .kbfiles import DOCUMENT, VALID, write_files

OTHER_DOCUMENT = """\
Caring for a sprained ankle
Rest the ankle and keep it raised for the first two days. Most sprains heal within six weeks.
"""
OTHER = """\
document: ankle.txt
entries:
  - id: ankle-rest
    question: What should I do for a sprained ankle?
    alternates: [sprain first aid, ankle rest, sprained ankle care, twisted ankle what to do, ankle raised]
    answer: Rest the ankle and keep it raised for the first two days.
    source: Rest the ankle and keep it raised for the first two days.
    related: [ankle-heal]
  - id: ankle-heal
    question: How long does a sprained ankle take to heal?
    alternates: [sprain healing time, ankle weeks, when will my ankle heal, sprain how long, ankle recovery]
    answer: Most sprains heal within six weeks.
    source: Most sprains heal within six weeks.
    related: [ankle-rest]
"""


@pytest.fixture
def two_leaflets(tmp_path):
    write_files(tmp_path, {"cough.yaml": VALID, "doc.txt": DOCUMENT, "ankle.yaml": OTHER, "ankle.txt": OTHER_DOCUMENT})
    return tmp_path


def test_leaflets_are_indexed_when_a_question_needs_them(two_leaflets):
    bot = Bot(two_leaflets)
    index = bot._matcher.index
    assert len(index) == 2
    assert index._shelves == [None, None]  # nothing indexed yet: loading stays fast
    assert bot.ask("sprained ankle care").entry_id == "ankle-rest"
    assert sum(shelf is not None for shelf in index._shelves) == 1  # only the ankle leaflet was needed


def test_a_leaflet_scores_the_same_alone_or_among_others(tmp_path, two_leaflets):
    alone_dir = tmp_path / "alone"
    write_files(alone_dir, {"cough.yaml": VALID, "doc.txt": DOCUMENT})
    alone, together = Bot(alone_dir), Bot(two_leaflets)
    for question in ["how long does a cough last", "what soothes a cough", "cough remedy please"]:
        a, t = alone.ask(question), together.ask(question)
        assert (a.kind, a.entry_id, a.score) == (t.kind, t.entry_id, t.score)


def test_a_question_naming_a_leaflets_subject_stays_in_that_leaflet(two_leaflets):
    bot = Bot(two_leaflets)
    # "weeks" is in both leaflets; "cough" names one of them.
    assert bot.ask("cough weeks").entry_id == "cough-duration"
    assert bot.ask("ankle weeks").entry_id == "ankle-heal"


def test_concurrent_first_questions_index_each_leaflet_once(two_leaflets):
    bot = Bot(two_leaflets)
    replies = []
    threads = [threading.Thread(target=lambda: replies.append(bot.ask("ankle recovery").entry_id)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == ["ankle-heal"] * 8


def test_a_bot_survives_pickling_and_stays_read_only(two_leaflets):
    bot = Bot(two_leaflets).warm()
    copy = pickle.loads(pickle.dumps(bot))
    assert copy.ask("what soothes a cough").to_json() == bot.ask("what soothes a cough").to_json()
    with pytest.raises(AttributeError):
        copy.title = "changed"  # type: ignore[misc]


def test_the_snapshot_answers_exactly_like_a_freshly_built_bot(tmp_path):
    path = str(tmp_path / "bundled.snapshot")
    write_snapshot(path)
    ready = load_snapshot(path)
    assert ready is not None
    fresh = Bot(knowledge.load())
    questions = ["does it go away?", "wat is gcsf", "is AIN contagious", "hi", "my son has a fever of 39",
                 "should I stop his antibiotics", "will my little one grow out of it"]
    for question in questions:
        assert ready.ask(question).to_json() == fresh.ask(question).to_json(), question


def test_a_snapshot_with_another_fingerprint_is_ignored(tmp_path):
    path = tmp_path / "bundled.snapshot"
    write_snapshot(str(path))
    data = path.read_bytes()
    path.write_bytes(b"x" + data[1:])  # as if a knowledge-base file had been edited since
    assert load_snapshot(str(path)) is None
    path.write_bytes(fingerprint() + b"\nnot a pickle")
    assert load_snapshot(str(path)) is None  # a damaged snapshot is never fatal


def test_shared_parts_from_their_snapshot_make_the_same_bot_as_parts_read_from_the_files(tmp_path, two_leaflets, monkeypatch):
    parts = tmp_path / "parts.snapshot"
    write_snapshot(str(tmp_path / "bundled.snapshot"), str(parts))
    ready = load_snapshot(str(parts), with_kb=False)
    assert isinstance(ready, Parts)
    monkeypatch.setattr(chatbot.bot, "load_parts", lambda: ready)
    from_snapshot = Bot(two_leaflets)
    monkeypatch.setattr(chatbot.bot, "load_parts", build_parts)
    from_files = Bot(two_leaflets)
    # Small talk names this knowledge base's title; its words are not typos of red-flag words.
    questions = ["who are you", "what soothes a cough", "sprain how long", "she has a fevr", "thnaks", "hi, ankle rest?"]
    for question in questions:
        assert from_snapshot.ask(question).to_json() == from_files.ask(question).to_json(), question
    assert "{title}" not in from_snapshot.ask("who are you").text
    assert from_snapshot.ask("she has a fevr").kind == "urgent"



HAY_FEVER_DOCUMENT = """\
Hay fever
Hay fever often gets milder as children grow older, and some grow out of it.
Antihistamines can ease sneezing and itchy eyes.
Pollen from grass and trees causes hay fever.
Symptoms are usually worst in spring and early summer.
Keeping windows closed on high pollen days helps.
"""
HAY_FEVER = """\
document: hayfever.txt
entries:
  - id: hayfever-outgrow
    question: Does hay fever go away in children?
    alternates: [will hay fever go away, does hay fever get better with age, do kids outgrow hay fever, hay fever lifelong, is hay fever for life]
    answer: Hay fever often gets milder as children grow older, and some grow out of it.
    source: Hay fever often gets milder as children grow older, and some grow out of it.
    related: [hayfever-ease]
  - id: hayfever-ease
    question: What eases hay fever?
    alternates: [hay fever treatment, sneezing relief, itchy eyes help, antihistamines for hay fever, how to calm hay fever]
    answer: Antihistamines can ease sneezing and itchy eyes.
    source: Antihistamines can ease sneezing and itchy eyes.
    related: [hayfever-cause]
  - id: hayfever-cause
    question: What causes hay fever?
    alternates: [why do people get hay fever, pollen allergy, is it grass pollen, hay fever trees, where does hay fever come from]
    answer: Pollen from grass and trees causes hay fever.
    source: Pollen from grass and trees causes hay fever.
    related: [hayfever-season]
  - id: hayfever-season
    question: When is hay fever worst?
    alternates: [hay fever season, which months are bad for hay fever, is hay fever worse in spring, summer sneezing, pollen season]
    answer: Symptoms are usually worst in spring and early summer.
    source: Symptoms are usually worst in spring and early summer.
    related: [hayfever-windows]
  - id: hayfever-windows
    question: How can I keep pollen out of the house?
    alternates: [pollen at home, should we close the windows, high pollen days, keeping pollen away indoors, pollen in the bedroom]
    answer: Keeping windows closed on high pollen days helps.
    source: Keeping windows closed on high pollen days helps.
    related: [hayfever-season]
"""


@pytest.fixture
def with_hay_fever(tmp_path):
    """The bundled leaflet, and a leaflet on hay fever that also has a "does it go away in children?"."""
    for item in Path(knowledge.bundled_path()).iterdir():
        if item.is_file():
            shutil.copy(item, tmp_path / item.name)
    write_files(tmp_path, {"hayfever.yaml": HAY_FEVER, "hayfever.txt": HAY_FEVER_DOCUMENT})
    return tmp_path


@pytest.mark.parametrize("question, expected", [
    # Neither names its leaflet's subject; the words around the question say which leaflet it is for.
    ("I'm 45 and my body is attacking my white cells, will it clear up for me like it does in kids?", "ain-in-adults"),
    ("my son sneezes all spring with itchy eyes, will he grow out of it?", "hayfever-outgrow"),
])
def test_a_question_without_a_subject_goes_to_the_leaflet_that_knows_most_of_its_words(with_hay_fever, question, expected):
    reply = Bot(with_hay_fever).ask(question)
    assert (reply.kind, reply.entry_id) == ("answer", expected)
