"""The knowledge base: the bundled one is sound, and every curator mistake is reported at its line."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chatbot import knowledge
from chatbot.cli import main
from chatbot.lint import coverage
from chatbot.problems import KnowledgeBaseError
from chatbot.text import squash_spaces

from .kbfiles import VALID, write_files, write_kb


def problems_of(path):
    with pytest.raises(KnowledgeBaseError) as caught:
        knowledge.load(path)
    return [(p.line, p.column, p.message) for p in caught.value.problems if p.level == "error"]


def test_bundled_kb_loads_with_every_required_field():
    kb = knowledge.load()
    assert len(kb.entries) >= 20
    for entry in kb.entries:
        assert len(entry.alternates) >= 5, entry.id
        assert 0 < len(entry.answer) <= knowledge.MAX_ANSWER_CHARS, entry.id
        assert entry.source and all(entry.document.contains(q) for q in entry.source), entry.id
        assert 1 <= len(entry.related) <= 3, entry.id
        assert all(r in kb.by_id and r != entry.id for r in entry.related), entry.id


def test_bundled_kb_quotes_every_sentence_of_its_document():
    (report,) = coverage(knowledge.load())
    assert report.total >= 20
    assert report.unquoted == ()


def test_bundled_document_has_the_page_break_repaired():
    text = knowledge.load().documents[0].text
    assert "colony-stimulating factor" in text
    assert "stimulati\n" not in text


def test_bundled_kb_lints_clean(capsys):
    assert main(["lint"]) == 0
    out = capsys.readouterr().out
    assert "24 of 24 sentences quoted (100%)" in out
    assert "no errors, 0 warnings" in out


def test_a_valid_small_kb_loads(tmp_path):
    kb = knowledge.load(write_kb(tmp_path))
    assert [e.id for e in kb.entries] == ["cough-duration", "soothe-throat"]
    assert kb.title == "Looking after a cough"
    assert kb.entries[0].source == ("A cough usually gets better on its own within three weeks.",)


def test_entries_are_immutable(tmp_path):
    entry = knowledge.load(write_kb(tmp_path)).entries[0]
    with pytest.raises(AttributeError):
        entry.answer = "changed"  # type: ignore[misc]


@pytest.mark.parametrize(
    "old, new, line, column, message",
    [
        ("    related: [soothe-throat]\n", "    related: [soothe-throat\n", 9, 7, "flow sequence that starts at line 8"),
        ("    answer: A cough usually gets better on its own within three weeks.\n", "", 3, 5, "missing field 'answer'"),
        ("    question: How long does a cough last?", "    question: [How long]", 4, 15, "question: expected text, got a list"),
        ("    alternates: [cough length,", "    alternate: [cough length,", 5, 5, "unknown field 'alternate' (did you mean 'alternates'?)"),
        ("    answer: Drinking warm water can soothe the throat.", '    answer: ""', 12, 13, "answer is empty"),
        ("    answer: Drinking warm water can soothe the throat.", "    answer: " + "x" * 501, 12, 13, "answer is 501 characters; the limit is 500"),
        ("  - id: soothe-throat", "  - id: cough-duration", 9, 9, "duplicate id 'cough-duration'"),
        ("sore throat help,", "cough length,", 11, 18, "phrasing 'cough length' is also under entry 'cough-duration'"),
        ("    related: [soothe-throat]", "    related: [sooth-throat]", 8, 15, "related id 'sooth-throat' does not exist (did you mean 'soothe-throat'?)"),
        ("    source: [Drinking warm water can soothe the throat.]", "    source: [Drinking hot tea cures everything.]", 13, 14, "quote not found in doc.txt"),
        ("    alternates: [cough length,", "    alternates: [42,", 5, 18, "alternates[0]: expected text, got a number"),
        ("  - id: cough-duration", "  - id: Cough Duration", 3, 9, "must be a slug"),
    ],
    ids=["syntax", "missing", "wrong-type", "unknown-field", "empty-answer", "too-long", "duplicate-id",
         "duplicate-phrasing", "unknown-related", "quote-not-in-document", "list-item-type", "bad-slug"],
)
def test_each_problem_is_reported_at_its_line(tmp_path, old, new, line, column, message):
    assert old in VALID
    found = problems_of(write_kb(tmp_path, VALID.replace(old, new, 1)))
    assert any(l == line and c == column and message in m for l, c, m in found), found


def test_all_problems_are_reported_in_one_run(tmp_path):
    broken = (
        VALID.replace("    alternates: [cough length,", "    alternate: [cough length,")
        .replace("    answer: Drinking warm water can soothe the throat.", '    answer: ""')
        .replace("  - id: soothe-throat", "  - id: cough-duration")
        .replace("    related: [soothe-throat]", "    related: [nowhere]")
        .replace("    source: [Drinking warm water can soothe the throat.]", "    source: [Not in the document.]")
    )
    found = problems_of(write_kb(tmp_path, broken))
    lines = {line for line, _, _ in found}
    assert {5, 8, 9, 12, 13} <= lines
    assert len(found) >= 5


def test_problem_prints_as_path_line_column(tmp_path):
    path = write_kb(tmp_path, VALID.replace("    answer: Drinking warm water can soothe the throat.", '    answer: ""'))
    with pytest.raises(KnowledgeBaseError) as caught:
        knowledge.load(path)
    assert str(caught.value.problems[0]).endswith(":12:13: [error] entries[1] (soothe-throat).answer: answer is empty")


def test_fewer_than_five_alternates_is_a_warning_not_an_error(tmp_path):
    kb = knowledge.load(write_kb(tmp_path, VALID.replace(", cough weeks, is my cough going to end]", "]")))
    assert any("at least 5" in w.message and w.level == "warning" for w in kb.warnings)


def test_a_directory_merges_its_yaml_files(tmp_path):
    second = """\
document: doc.txt
entries:
  - id: see-a-doctor
    question: When should I see a doctor about a cough?
    alternates: [cough doctor, cough three weeks doctor, when to get a cough checked, doctor for cough, cough not going away]
    answer: See a doctor if the cough lasts longer than three weeks.
    source: See a doctor if the cough lasts longer than three weeks.
    related: [cough-duration]
"""
    write_kb(tmp_path)
    write_files(tmp_path, {"more.yml": second, "eval/ignored.yaml": "not: a kb"})
    kb = knowledge.load(tmp_path)
    assert {e.id for e in kb.entries} == {"cough-duration", "soothe-throat", "see-a-doctor"}


def test_a_related_id_may_point_into_another_file(tmp_path):
    write_kb(tmp_path, VALID.replace("    related: [soothe-throat]", "    related: [see-a-doctor]"))
    assert problems_of(tmp_path)  # not there yet
    write_files(tmp_path, {"more.yaml": VALID.replace("cough-duration", "see-a-doctor").replace("soothe-throat", "calm-throat")
                           .replace("cough length", "c1").replace("when will my cough stop", "c2").replace("how many weeks does a cough last", "c3")
                           .replace("cough weeks", "c4").replace("is my cough going to end", "c5").replace("sore throat help", "t1")
                           .replace("warm water cough", "t2").replace("how to calm a cough", "t3").replace("cough remedy", "t4")
                           .replace("what helps a tickly throat", "t5").replace("How long does a cough last?", "Q1?").replace("What soothes a cough?", "Q2?")})
    assert {e.id for e in knowledge.load(tmp_path).entries} >= {"cough-duration", "see-a-doctor"}


@pytest.mark.parametrize(
    "files, message",
    [
        ({"kb.yaml": ""}, "file is empty"),
        ({"kb.yaml": "- just\n- a list\n"}, "must be a mapping"),
        ({"kb.yaml": "document: missing.txt\nentries: []\n"}, "document 'missing.txt'"),
    ],
)
def test_files_that_are_not_knowledge_bases(tmp_path, files, message):
    write_files(tmp_path, files)
    assert any(message in m for _, _, m in problems_of(tmp_path / "kb.yaml"))


def test_lint_exit_codes(tmp_path, capsys):
    good = write_kb(tmp_path / "good")
    bad = write_kb(tmp_path / "bad", VALID.replace("    related: [soothe-throat]", "    related: [nowhere]"))
    assert main(["lint", str(good)]) == 0
    assert main(["lint", str(bad)]) == 1
    assert main(["lint", str(tmp_path / "does-not-exist")]) == 2
    (tmp_path / "empty-dir").mkdir()
    assert main(["lint", str(tmp_path / "empty-dir")]) == 2
    out = capsys.readouterr().out
    assert "related id 'nowhere' does not exist" in out
    assert "Traceback" not in out


def test_lint_lists_sentences_no_entry_quotes(tmp_path, capsys):
    path = write_kb(tmp_path)
    assert main(["lint", str(path)]) == 0
    out = capsys.readouterr().out
    assert "2 of 3 sentences quoted" in out
    assert "not quoted: See a doctor if the cough lasts longer than three weeks." in out


def test_kb_is_chosen_by_flag_then_environment(tmp_path, monkeypatch, capsys):
    path = write_kb(tmp_path)
    monkeypatch.setenv("CHATBOT_KB", str(path))
    assert main(["ask", "--json", "how long does a cough last"]) == 0
    assert '"entry_id": "cough-duration"' in capsys.readouterr().out
    assert main(["ask", "--kb", str(tmp_path / "nowhere.yaml"), "hello"]) == 2
    assert "cannot read knowledge base" in capsys.readouterr().err


@given(st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1f\x85\xa0\u2003abé.", max_size=12))
def test_squashing_spaces_is_splitting_and_joining(text):
    # The quick path for text that is already single-spaced must never differ from the slow one.
    assert squash_spaces(text) == " ".join(text.split())
