"""Emergency red flags: each flag, numbers, negation, past tense and general questions."""

from __future__ import annotations

import pytest

from chatbot.lexicon import Lexicon
from chatbot.redflags import RedFlags


@pytest.fixture(scope="module")
def flags():
    return RedFlags(known_words=Lexicon.load().dictionary)


def urgent_ids(flags, text):
    return {flag.id for flag in flags.screen(text).urgent}


@pytest.mark.parametrize(
    "flag, text",
    [
        ("fever", "my baby has a fever"),
        ("fever", "she's burning up"),
        ("fever", "he has a high temperature"),
        ("fever", "she has a temperature"),
        ("fever", "running a temp since this morning"),
        ("fever", "his temp is really high"),
        ("fever", "my son has a fevr"),
        ("fever", "hes got a feva"),
        ("fever", "she feels very hot and is unwell"),
        ("chills", "he has the chills"),
        ("chills", "she keeps shivering"),
        ("chills", "rigors"),
        ("chills", "he cant stop shaking"),
        ("breathing", "she is struggling to breathe"),
        ("breathing", "difficulty breathing"),
        ("breathing", "he can't breathe properly"),
        ("breathing", "short of breath"),
        ("breathing", "his lips are going blue"),
        ("unresponsive", "he won't wake up"),
        ("unresponsive", "my baby is very drowsy"),
        ("unresponsive", "she is floppy"),
        ("unresponsive", "he is unresponsive"),
        ("confusion", "my dad seems confused"),
        ("confusion", "she is disorientated"),
        ("fainting", "she fainted"),
        ("fainting", "I feel like I'm about to pass out"),
        ("fainting", "he feels faint"),
        ("seizure", "he is having a seizure"),
        ("seizure", "she had a fit just now"),
        ("infected-wound", "the cut on his knee is red and swollen"),
        ("infected-wound", "there is pus coming from the wound"),
        ("infected-wound", "her line site looks infected"),
        ("severe-pain", "she is in severe pain"),
        ("severe-pain", "he is screaming in pain"),
        ("bleeding", "his nose is bleeding and it won't stop"),
        ("bleeding", "bleeding that will not stop"),
        ("bleeding", "she has had a nosebleed for 30 minutes and it won't stop"),
        ("bleeding", "his cut won't stop bleeding"),
        ("bleeding", "he is still bleeding after 40 minutes"),
        ("very-unwell", "she suddenly seems very unwell"),
        ("spreading-infection", "her leg has a red hot infection that's spreading fast"),
        ("spreading-infection", "the redness around his cut is spreading"),
        # Found by a helper trying many ways of saying it:
        ("breathing", "she can't catch her breath"),
        ("breathing", "hes havin trubble breathin"),
        ("unresponsive", "he is hard to rouse"),
        ("unresponsive", "he isn't waking up"),
        ("infected-wound", "his finger is infected and red"),
        ("infected-wound", "her cellulitis is getting worse"),
        ("spreading-infection", "there's a red area on her leg that is getting bigger and hot"),
        ("severe-pain", "she has a severe headache"),
        ("severe-pain", "he has a severe tummy ache"),
        ("fever", "shes burnin up"),
        ("fever", "his temperature is thirty nine"),
        ("very-unwell", "he looks unwell and pale"),
    ],
)
def test_each_red_flag_is_recognised(flags, flag, text):
    assert flag in urgent_ids(flags, text)


@pytest.mark.parametrize(
    "text, reading",
    [
        ("temp 38.3", "38.3 °C"),
        ("39 degrees", "39 °C"),
        ("he is 101F", "101 °F"),
        ("fever of 38,5", "38.5 °C"),
        ("she's 38.5 tonight", "38.5 °C"),
        ("temperature 100.4 F", "100.4 °F"),
        ("thermometer says 38", "38 °C"),
        ("my baby has AIN and a fever of 38.6", "38.6 °C"),
    ],
)
def test_temperatures_at_or_over_the_threshold_are_urgent(flags, text, reading):
    screening = flags.screen(text)
    assert "fever" in {f.id for f in screening.urgent}
    assert reading in screening.readings


@pytest.mark.parametrize(
    "text",
    [
        "temperature 36.8",
        "temp 37.9",
        "she has a temperature of 37.2",
        "99F this morning",
        "my 39 year old husband has AIN",
        "my son is 38 months old",
        "her ANC was 0.5",
        "we waited 40 minutes at the clinic",
    ],
)
def test_normal_temperatures_and_other_numbers_are_not_urgent(flags, text):
    assert not flags.screen(text).is_urgent


@pytest.mark.parametrize(
    "text",
    [
        "does AIN cause infections?",
        "how are infections treated?",
        "what is a fever?",
        "is fever a symptom of autoimmune neutropenia",
        "my child had a fever last year",
        "she had a high temperature back in march, will she grow out of it",
        "no fever",
        "he doesn't have a fever",
        "she hasn't had a temperature for weeks",
        "fever free for 2 days now",
        "no breathing problems, just curious what neutrophils do",
        "years ago he had a seizure",
        "what should I do if my son gets a fever?",
        "fewer infections this year",
        "I'm so confused about the results",
        "is AIN a very serious illness",
        "he's had chills with colds before but nothing like that now, does he need treatment",
        "should we buy a thermometer to check for fevers at home, or is that overkill",
        "her fever went last week and the gp said she's back to normal",
    ],
)
def test_ordinary_questions_are_not_false_alarms(flags, text):
    assert not flags.screen(text).is_urgent, flags.screen(text)


def test_a_denied_flag_does_not_hide_a_real_one(flags):
    assert urgent_ids(flags, "no fever, but she is shivering") == {"chills"}


def test_a_past_flag_does_not_hide_a_present_one(flags):
    assert urgent_ids(flags, "she had a fever last year. Now she has 39.2") == {"fever"}
    assert urgent_ids(flags, "she had chills before but nothing like that now. Now she has 39.2") == {"fever"}
    assert urgent_ids(flags, "nothing like that now, but she has a fever of 39.2") == {"fever"}


@pytest.mark.parametrize(
    "text",
    [
        # A time said of the diagnosis or a treatment is not the time of the flag.
        "He was diagnosed last week and he's burning up",
        "She was diagnosed two months ago and has a fever of 38.5",
        "My son (diagnosed a month ago) has a fever of 39",
        "Started antibiotics a week ago and she is floppy and drowsy",
        "my little one has AIN and is shaking with chills and very drowsy",
        # A temperature with its word before a colon; a question about someone's state.
        "Temp: 39",
        "His temperature this morning: 102",
        "at 10:30 she was 39.2",
        "Help please: is it normal to be shivering and floppy?",
        "Baby 6 months: is breathing fast and noisy an emergency?",
        # Watching for a sign, said as a statement, or after the sign.
        "Kept checking for fever and it's 39",
        "The doctor told us to watch for fever and he has one now",
        "he has a fever of 39 and i'm checking for other signs",
        "keep an eye out for fever, he's 38.7 now",
    ],
)
def test_an_emergency_told_with_other_things_is_still_urgent(flags, text):
    assert flags.screen(text).is_urgent, flags.screen(text)


@pytest.mark.parametrize("text", ["how do I reduce the risk of spreading germs to my baby",
                                  "Is it contagious, could I be spreading infections to my baby?"])
def test_passing_an_infection_on_is_not_an_infection_spreading_on_the_body(flags, text):
    assert "spreading-infection" not in urgent_ids(flags, text)


def test_an_ongoing_flag_is_not_past(flags):
    assert urgent_ids(flags, "he has had a fever since last week") == {"fever"}


def test_a_general_question_is_noted_but_not_urgent(flags):
    screening = flags.screen("what is a fever?")
    assert not screening.is_urgent
    assert [f.id for f in screening.mentioned] == ["fever"]


def test_red_flags_come_before_matching(bot):
    reply = bot.ask("my baby has AIN and a fever of 38.6, does it go away?")
    assert reply.kind == "urgent"
    assert reply.entry_id is None
    assert "38.6 °C" in reply.text
    assert "doctor or care team now" in reply.text
    assert "emergency" in reply.text


def test_the_urgent_reply_names_more_than_one_country(bot):
    text = bot.ask("she is having a seizure").text
    assert "999" in text and "112" in text and "911" in text


def test_an_information_question_about_a_red_flag_gets_a_safety_note(bot):
    reply = bot.ask("what is a fever?")
    assert reply.kind == "fallback"
    assert "contact their doctor or care team straight away" in reply.text
