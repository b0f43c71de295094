"""Personal medical advice is declined; the bot never states a dose."""

from __future__ import annotations

import pytest

from chatbot import knowledge
from chatbot.advice import AdviceCheck, contains_dose
from chatbot.lexicon import Lexicon


@pytest.fixture(scope="module")
def advice():
    return AdviceCheck(Lexicon.load())


@pytest.mark.parametrize(
    "text, kind",
    [
        ("what dose of G-CSF should my daughter have", "dose"),
        ("how much antibiotic should I give him", "dose"),
        ("how many mg of filgrastim for a 10kg baby", "dose"),
        ("his ANC is 0.4, is that bad?", "results"),
        ("my neutrophils were 0.9 last week", "results"),
        ("what do my blood results mean", "results"),
        ("does my son have AIN?", "diagnosis"),
        ("could this be autoimmune neutropenia", "diagnosis"),
        ("should I stop giving him antibiotics", "change"),
        ("can we skip the G-CSF this week", "change"),
        ("is it ok to stop the injections", "change"),
        ("should we ask the doctor to start G-CSF for my baby", "change"),
    ],
)
def test_requests_for_personal_advice_are_recognised(advice, text, kind):
    assert kind in advice.requests(text)


@pytest.mark.parametrize(
    "text",
    [
        "what is G-CSF?",
        "why are his white blood cells low",
        "how is autoimmune neutropenia treated",
        "my daughter's count has been low for 18 months, will it go away?",
        "are antibiotics used for AIN",
        "how long dose it last",
        "wat dose ain stand for",
    ],
)
def test_general_questions_are_not_advice_requests(advice, text):
    assert advice.requests(text) == ()


def test_a_dose_question_is_declined_without_an_answer(bot):
    reply = bot.ask("what dose of G-CSF should my daughter be on")
    assert reply.kind == "fallback"
    assert "dose" in reply.advice
    assert "can't advise on doses" in reply.text
    assert "doctor or care team" in reply.text
    assert not contains_dose(reply.text)


def test_a_medicine_change_is_declined_then_answered_in_general(bot):
    reply = bot.ask("should I stop giving my son his antibiotics now his count has gone up")
    assert reply.kind == "answer"
    assert reply.entry_id == "antibiotics-and-immunosuppressants"
    assert reply.text.startswith("I can't advise on starting, stopping or changing a medicine")
    assert reply.text.index("doctor or care team") < reply.text.index(reply.answer)


@pytest.mark.parametrize("text", ["5 mg", "10 micrograms/kg", "2 tablets", "0.5 ml", "give 300 units"])
def test_doses_are_detected(text):
    assert contains_dose(text)


def test_no_answer_in_the_knowledge_base_states_a_dose():
    for entry in knowledge.load().entries:
        assert not contains_dose(entry.answer), entry.id
