"""Small talk: greetings, thanks, who the bot is, and greetings wrapped around questions."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text, intent",
    [
        ("hi", "greeting"),
        ("Hello!", "greeting"),
        ("good morning", "greeting"),
        ("thanks", "thanks"),
        ("thank you so much, that's really helpful", "thanks"),
        ("thnak you", "thanks"),
        ("bye", "goodbye"),
        ("who are you?", "who-are-you"),
        ("are you a real person", "who-are-you"),
        ("what can you do?", "capabilities"),
        ("help", "capabilities"),
        ("are you a doctor?", "are-you-a-doctor"),
        ("hello, are you a doctor?", "are-you-a-doctor"),
        ("ok", "acknowledgement"),
        ("hey, how are you doing today?", "how-are-you"),
        ("that's not what I asked", "complaint"),
        ("you're useless", "complaint"),
        ("sorry, never mind", "apology"),
        ("I have a quick question", "question-intro"),
        # YAML would read a bare yes / no as true / false: they are still words here.
        ("yes", "acknowledgement"),
        ("no", "acknowledgement"),
        # One slip in a short phrase.
        ("thnaks", "thanks"),
        ("goodbey", "goodbye"),
        # Words said in several ways are read as one.
        ("is this a robot lol", "who-are-you"),
        ("r u a chatbot", "who-are-you"),
        ("that didn't answer my question", "complaint"),
        ("you're really helpful, great job", "thanks"),
        ("who's there?", "who-are-you"),
        ("where does this info come from", "who-are-you"),
        # Feelings, and what they are about, are not a question.
        ("I'm just so worried", "feelings"),
        ("this is all a lot to take in", "feelings"),
        ("im worried about my son", "feelings"),
        ("who should I call?", "contact"),
        ("can i talk to a real person", "contact"),
        ("who programmed you", "who-are-you"),
        # A plan the person states is not a question.
        ("I'll talk to her doctor then", "next-step"),
        ("ok we will ask the team at our next appointment", "next-step"),
    ],
)
def test_small_talk_is_recognised(bot, text, intent):
    reply = bot.ask(text)
    assert (reply.kind, reply.intent) == ("smalltalk", intent)


def test_the_bot_says_it_is_not_a_doctor(bot):
    text = bot.ask("are you a doctor?").text
    assert "not a doctor" in text
    assert "Does autoimmune neutropenia go away" in text  # the one document it knows


@pytest.mark.parametrize(
    "text",
    ["hi! does AIN go away?", "quick question, does AIN go away?", "sorry to bother you, does AIN go away?", "hello there, does AIN go away", "does AIN go away? thanks!", "Hi. Does autoimmune neutropenia go away? Thank you"],
)
def test_a_greeting_around_a_question_answers_the_question(bot, text):
    reply = bot.ask(text)
    assert (reply.kind, reply.entry_id) == ("answer", "does-it-go-away")


def test_a_question_about_the_topic_is_not_mistaken_for_small_talk(bot):
    assert bot.ask("what can you tell me about G-CSF").entry_id == "g-csf"


@pytest.mark.parametrize("word", ["neutrophil", "antibody", "steroids", "what", "what is a fever"])
def test_real_words_are_not_read_as_small_talk(bot, word):
    assert bot.ask(word).kind != "smalltalk"


@pytest.mark.parametrize(
    "text, entry_id",
    [
        # A feeling around a question, or about what it asks.
        ("i'm worried about how long it will last", "how-long-does-it-last"),
        ("hi, about g-csf", "g-csf"),
        ("i'm so scared. does ain go away?", "does-it-go-away"),
        # A plan the person states that also asks.
        ("i will be 45 next year will it go away", "does-it-go-away"),  # "will it" asks
        ("we'll see what the doctor says, but how long does it last?", "how-long-does-it-last"),
    ],
)
def test_talk_beside_a_question_leaves_the_question_answered(bot, text, entry_id):
    reply = bot.ask(text)
    assert (reply.kind, reply.entry_id) == ("answer", entry_id)


def test_the_feelings_reply_points_to_the_care_team(bot):
    assert "doctor or care team" in bot.ask("I'm overwhelmed").text.replace("\n", " ")


@pytest.mark.parametrize(
    "text",
    ["I'm so worried about my son's neutrophil count", "I am worried about infections", "I'm anxious about his blood tests",
     "I'm worried about spreading infection to my other kids"],
)
def test_a_feeling_about_a_topic_is_not_swallowed_as_small_talk(bot, text):
    assert bot.ask(text).kind != "smalltalk"
