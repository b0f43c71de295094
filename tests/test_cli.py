"""The command line contract: `ask`, `ask --json`, batch mode, exit codes, `--explain`, `eval`."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from chatbot.cli import main

from .kbfiles import VALID, write_files, write_kb

JSON_KEYS = ["kind", "text", "entry_id", "question", "score", "candidates", "related", "source", "disclaimer"]


def run(*args, stdin: bytes | None = None, timeout: float = 60):
    return subprocess.run(
        [sys.executable, "-m", "chatbot", *args], input=stdin, capture_output=True, timeout=timeout,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def test_ask_prints_the_reply_as_a_person_reads_it(capsys):
    assert main(["ask", "will my toddler grow out of AIN"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Does autoimmune neutropenia go away in children?\n")
    assert 'Source: "' in out
    assert "Related questions:" in out
    assert " ".join(out.split()).endswith("not medical advice.")


def test_ask_json_prints_one_object_with_the_contract_keys(capsys):
    assert main(["ask", "--json", "does it go away?"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert list(data) == JSON_KEYS
    assert data["kind"] == "answer" and data["entry_id"] == "does-it-go-away"
    assert all(set(c) == {"entry_id", "question", "score"} for c in data["candidates"])


def test_batch_mode_answers_every_line_in_order():
    questions = ["does it go away", "", "is AIN contagious", "hello", "my son has a fever of 39", "\u00e9\u00e9\u00e9"]
    result = run("ask", "--json", "-", stdin=("\n".join(questions) + "\n").encode() + b"bad \xff\xfe utf8\n")
    assert result.returncode == 0, result.stderr
    replies = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert len(replies) == len(questions) + 1
    assert [r["kind"] for r in replies[:5]] == ["answer", "fallback", "fallback", "smalltalk", "urgent"]
    assert result.stderr == b""


def test_batch_mode_flushes_each_reply_before_the_next_line_arrives():
    process = subprocess.Popen(
        [sys.executable, "-m", "chatbot", "ask", "--json", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        process.stdin.write(b"what is G-CSF\n")
        process.stdin.flush()
        first = json.loads(process.stdout.readline())  # would hang if the reply were buffered
        assert first["entry_id"] == "g-csf"
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0


def test_batch_mode_on_several_processes_writes_exactly_the_one_at_a_time_replies(bot):
    import io

    from chatbot.batch import GROUP, answer_lines

    questions = [f"{q} {n}" for n in range(GROUP * 3) for q in ("does it go away", "hi", "is it contagious", "")]
    one, several = io.StringIO(), io.StringIO()
    answer_lines(bot, questions, one, processes=1)
    answer_lines(bot, questions, several, processes=2)
    assert several.getvalue() == one.getvalue()
    assert len(several.getvalue().splitlines()) == len(questions)


def test_batch_mode_answers_lines_that_come_one_at_a_time_at_once():
    """Several workers or not, a reply never waits for a group of lines to fill up."""
    process = subprocess.Popen(
        [sys.executable, "-m", "chatbot", "ask", "--json", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        for question, entry in [("what is G-CSF", "g-csf"), ("what are neutrophils", "what-are-neutrophils")] * 3:
            process.stdin.write(question.encode() + b"\n")
            process.stdin.flush()
            assert json.loads(process.stdout.readline())["entry_id"] == entry  # hangs if a reply waited
    finally:
        process.stdin.close()
        process.wait(timeout=30)
    assert process.returncode == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["ask"], "the following arguments are required: QUESTION"),
        (["ask", "--json", "--explain", "x"], "not allowed with argument"),
        (["frobnicate"], "invalid choice"),
        (["ask", "--kb", "/nonexistent/kb.yaml", "hello"], "cannot read knowledge base"),
    ],
)
def test_bad_arguments_and_bad_knowledge_bases_exit_2_with_one_line(args, message):
    result = run(*args)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_broken_knowledge_base_is_one_line_for_ask(tmp_path):
    path = write_kb(tmp_path, VALID.replace("    related: [soothe-throat]", "    related: [nowhere]"))
    result = run("ask", "--kb", str(path), "hello")
    assert result.returncode == 2
    assert "related id 'nowhere' does not exist" in result.stderr.decode()
    assert len(result.stderr.decode().strip().splitlines()) == 1


def test_explain_shows_candidates_scores_phrasing_and_unknown_words(capsys):
    assert main(["ask", "--explain", "is autoimmune neutropenia contagious"]) == 0
    out = capsys.readouterr().out
    assert "Outcome: fallback" in out
    assert "Words the knowledge base does not know: contagious" in out
    assert main(["ask", "--explain", "will my todler grow out of it"]) == 0
    out = capsys.readouterr().out
    assert "Outcome: answer (goes-away-in-children)" in out
    assert "Typos read as: todler -> toddler" in out
    assert "score covers  entry" in out and '"' in out.split("best phrasing")[1]


def test_unanswered_questions_are_logged_only_when_asked(tmp_path, capsys):
    log = tmp_path / "unanswered.jsonl"
    assert main(["ask", "--log-unanswered", str(log), "is AIN contagious"]) == 0
    assert main(["ask", "--log-unanswered", str(log), "what is AIN"]) == 0
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["question"] for r in records] == ["is AIN contagious"]
    assert {"time", "kind", "question", "candidates"} <= set(records[0])
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_nothing_is_written_to_disk_by_default(tmp_path, isolated_home, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["ask", "is AIN contagious"]) == 0
    assert list(tmp_path.iterdir()) == []
    assert not any(isolated_home.rglob("*"))


EVAL = """\
groups:
  in-scope: [paraphrase]
thresholds:
  in-scope: 1.0
  oos: 1.0
limits:
  false_alarms: 0
questions:
  - {text: how long does a cough last, expect: cough-duration, category: paraphrase}
  - {text: what soothes a sore throat, expect: soothe-throat, category: paraphrase}
  - {text: is a cough contagious, expect: fallback, category: oos}
"""


def test_eval_passes_fails_and_refuses(tmp_path, capsys):
    kb = write_kb(tmp_path)
    write_files(tmp_path, {"good.yaml": EVAL, "bad.yaml": EVAL.replace("expect: fallback", "expect: soothe-throat"),
                           "broken.yaml": EVAL.replace("expect: cough-duration", "expect: no-such-entry")})
    assert main(["eval", "--kb", str(kb), str(tmp_path / "good.yaml")]) == 0
    assert "all thresholds met" in capsys.readouterr().out
    assert main(["eval", "--kb", str(kb), str(tmp_path / "bad.yaml")]) == 1
    out = capsys.readouterr().out
    assert "oos: 0.0% is under the threshold 100%" in out
    assert "'is a cough contagious'" in out  # each failure is listed
    assert main(["eval", "--kb", str(kb), str(tmp_path / "broken.yaml")]) == 2
    assert "no entry has the id 'no-such-entry'" in capsys.readouterr().err


def test_a_log_that_cannot_be_written_is_named_in_one_line(tmp_path, monkeypatch, capsys):
    import errno

    import chatbot.storage

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(chatbot.storage, "append_line", full)
    log = tmp_path / "unanswered.jsonl"
    assert main(["ask", "--log-unanswered", str(log), "how do I bake bread"]) == 1
    assert capsys.readouterr().err == f"chatbot: error: cannot write {log}: No space left on device\n"
