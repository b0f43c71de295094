"""Ages in a message are read as "adult" or "child"."""

from __future__ import annotations

import pytest

from chatbot.ages import age_group
from chatbot.text import words


@pytest.mark.parametrize(
    "text, group",
    [
        ("I'm 45 and just found out", "adult"),
        ("I am a 52 year old woman", "adult"),
        ("diagnosed at 60", "adult"),
        ("she's 19yo", "adult"),
        ("my 10 month old", "child"),
        ("she is 14 months old", "child"),
        ("he is 4 years old", "child"),
        ("my son is 2", "child"),
        ("she's 3 and fine", "child"),
    ],
)
def test_a_stated_age_is_read(text, group):
    assert age_group(words(text)) == group


@pytest.mark.parametrize(
    "text",
    [
        "she had 3 infections this year",
        "her temperature was 38.5 at 2am",
        "diagnosed at 18 months",
        "the count came back at 37 5",
        "her count is 2",  # "is" gives an age only after a person
        "I'm 250 years old",
    ],
)
def test_numbers_that_are_not_ages_are_ignored(text):
    assert age_group(words(text)) is None


def test_an_adult_age_in_the_message_steers_to_the_adult_answer(bot):
    reply = bot.ask("I'm 50 and was diagnosed last year. Will mine clear up like it does for children?")
    assert (reply.kind, reply.entry_id) == ("answer", "ain-in-adults")


def test_an_adult_age_does_not_pull_an_unrelated_question_away(bot):
    reply = bot.ask("My husband was diagnosed with AIN at 60. What treatments are used for it?")
    assert (reply.kind, reply.entry_id) == ("answer", "treatment-options")
