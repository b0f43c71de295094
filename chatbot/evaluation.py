"""`chatbot eval`: accuracy on labelled questions, by category, with every failure.

An evaluation file is YAML:

    groups:                      # optional: categories reported together
      in-scope: [paraphrase, typo, lay, long, keywords]
    thresholds:                  # a category or group under this share fails the run
      in-scope: 0.95
      smalltalk: 1.0
    limits:                      # optional: counts that must not be exceeded
      false_alarms: 0            # urgent replies to questions not labelled urgent
      doses: 0                   # replies that state a dose
      median_answer_chars: 400
    questions:
      - text: does it go away in toddlers
        expect: goes-away-in-children     # an entry id (or a list), or fallback / smalltalk / urgent
        category: lay

A question in the category `advice` must also get the notice that the bot
cannot give personal medical advice.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path


from .advice import contains_dose
from .bot import Bot
from .cli import fail
from .knowledge import bundled_path
from .problems import KnowledgeBaseError, Problem, display_path
from .reply import Reply
from .yamlfile import describe, load_yaml

KINDS = ("fallback", "smalltalk", "urgent")
ADVICE_CATEGORY = "advice"
_LIMITS = ("false_alarms", "doses", "median_answer_chars")


@dataclass(frozen=True)
class LabelledQuestion:
    text: str
    expect: tuple[str, ...]  # entry ids, or one of KINDS
    category: str
    line: int


@dataclass(frozen=True)
class EvalSet:
    path: Path
    questions: tuple[LabelledQuestion, ...]
    thresholds: dict[str, float]
    groups: dict[str, tuple[str, ...]]
    limits: dict[str, float]


@dataclass
class Report:
    """Results of one evaluation file."""

    evalset: EvalSet
    results: list[tuple[LabelledQuestion, Reply, bool]] = field(default_factory=list)

    def by_category(self) -> dict[str, tuple[int, int]]:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for question, _, passed in self.results:
            counts[question.category][0] += passed
            counts[question.category][1] += 1
        return {name: (right, total) for name, (right, total) in counts.items()}

    def score(self, name: str) -> tuple[int, int]:
        """(right, total) for a category or a group of categories."""
        members = self.evalset.groups.get(name, (name,))
        table = self.by_category()
        return sum(table.get(m, (0, 0))[0] for m in members), sum(table.get(m, (0, 0))[1] for m in members)

    @property
    def false_alarms(self) -> list[tuple[LabelledQuestion, Reply]]:
        return [(q, r) for q, r, _ in self.results if r.kind == "urgent" and "urgent" not in q.expect]

    @property
    def doses(self) -> list[tuple[LabelledQuestion, Reply]]:
        return [(q, r) for q, r, _ in self.results if contains_dose(r.text)]

    @property
    def answer_lengths(self) -> list[int]:
        return [len(r.answer) for _, r, _ in self.results if r.kind == "answer" and r.answer]

    def measured_limits(self) -> dict[str, float]:
        lengths = self.answer_lengths
        return {
            "false_alarms": len(self.false_alarms),
            "doses": len(self.doses),
            "median_answer_chars": statistics.median(lengths) if lengths else 0,
        }

    def misses(self) -> list[str]:
        """Each threshold or limit the results fall short of, as a sentence."""
        found = []
        for name, minimum in self.evalset.thresholds.items():
            right, total = self.score(name)
            if total and right / total < minimum:
                found.append(f"{name}: {right / total:.1%} is under the threshold {minimum:.0%}")
        measured = self.measured_limits()
        for name, maximum in self.evalset.limits.items():
            if measured[name] > maximum:
                found.append(f"{name}: {measured[name]:g} is over the limit {maximum:g}")
        return found


def load_evalset(path: Path, entry_ids: set[str]) -> EvalSet:
    """Read and check an evaluation file; raise KnowledgeBaseError listing every problem."""
    root, at = load_yaml(str(path))
    shown = display_path(path)
    problems: list[Problem] = []

    def problem(where: tuple[int, int], message: str) -> None:
        problems.append(Problem(shown, where[0], where[1], message))

    if not isinstance(root, dict):
        raise KnowledgeBaseError([Problem(shown, 1, 1, "an evaluation file must be a mapping with 'questions:'")])
    for key in root:
        if key not in ("questions", "thresholds", "groups", "limits"):
            problem(at.key(root, key), f"unknown field '{key}' (known: questions, thresholds, groups, limits)")

    groups: dict[str, tuple[str, ...]] = {}
    for name, members in (root.get("groups") or {}).items():
        if isinstance(members, list) and all(isinstance(m, str) for m in members):
            groups[str(name)] = tuple(members)
        else:
            problem(at.of(root["groups"], name), f"groups.{name}: expected a list of category names")

    def numbers(name: str) -> dict[str, float]:
        found: dict[str, float] = {}
        section = root.get(name)
        if section is None:
            return found
        if not isinstance(section, dict):
            problem(at.of(root, name), f"{name}: expected a mapping, got {describe(section)}")
            return found
        for key, value in section.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                found[str(key)] = float(value)
            else:
                problem(at.of(section, key), f"{name}.{key}: expected a number")
        return found

    thresholds = numbers("thresholds")
    limits = numbers("limits")
    for key in limits:
        if key not in _LIMITS:
            problem(at.key(root["limits"], key), f"limits: unknown limit '{key}' (known: {', '.join(_LIMITS)})")

    questions: list[LabelledQuestion] = []
    items = root.get("questions")
    if not isinstance(items, list):
        problems.append(Problem(shown, 1, 1, "questions: expected a list of questions"))
        items = []
    for index, item in enumerate(items):
        where = f"questions[{index}]"
        spot = at.of(items, index)
        if not isinstance(item, dict) or not all(name in item for name in ("text", "expect", "category")):
            problem(spot, f"{where}: expected a mapping with text, expect and category")
            continue
        expect = item["expect"]
        expected = (expect,) if isinstance(expect, str) else tuple(expect) if isinstance(expect, list) else ()
        if not expected or not all(isinstance(e, str) for e in expected):
            problem(at.of(item, "expect"), f"{where}.expect: expected an entry id, a list of ids, or one of {', '.join(KINDS)}")
            continue
        unknown = [e for e in expected if e not in KINDS and e not in entry_ids]
        if unknown:
            problem(at.of(item, "expect"), f"{where}.expect: no entry has the id '{unknown[0]}'")
            continue
        if not isinstance(item["text"], str) or not isinstance(item["category"], str):
            problem(spot, f"{where}: text and category must be text")
            continue
        questions.append(LabelledQuestion(item["text"], expected, item["category"], spot[0]))
    if problems:
        raise KnowledgeBaseError(problems)
    return EvalSet(path, tuple(questions), thresholds, groups, limits)


def passes(question: LabelledQuestion, reply: Reply) -> bool:
    """Whether a reply is what the label asks for."""
    if question.category == ADVICE_CATEGORY and not reply.advice:
        return False
    if question.expect[0] in KINDS:
        return reply.kind == question.expect[0]
    return reply.kind == "answer" and reply.entry_id in question.expect


def evaluate(bot: Bot, evalset: EvalSet) -> Report:
    report = Report(evalset)
    for question in evalset.questions:
        reply = bot.ask(question.text)
        report.results.append((question, reply, passes(question, reply)))
    return report


def _got(reply: Reply) -> str:
    return reply.entry_id if reply.kind == "answer" and reply.entry_id else reply.kind


def format_report(report: Report, quiet: bool = False) -> str:
    evalset = report.evalset
    lines = [f"{display_path(evalset.path)}: {len(evalset.questions)} questions", ""]
    lines.append(f"  {'category':<16} {'right':>6} {'total':>6} {'accuracy':>9}  threshold")
    table = report.by_category()
    names = list(dict.fromkeys([q.category for q in evalset.questions]))
    for name in names + [g for g in evalset.groups if g not in table]:
        right, total = report.score(name)
        if not total:
            continue
        threshold = evalset.thresholds.get(name)
        mark = "" if threshold is None else f"{threshold:.0%}" + ("  MISSED" if right / total < threshold else "")
        label = name if name in table else f"{name} (all)"
        lines.append(f"  {label:<16} {right:>6} {total:>6} {right / total:>8.1%}  {mark}")
    urgent_total = sum(1 for q, _, _ in report.results if "urgent" in q.expect)
    urgent_right = sum(1 for q, r, _ in report.results if "urgent" in q.expect and r.kind == "urgent")
    measured = report.measured_limits()
    lines.append("")
    lines.append(
        f"  safety: emergencies recognised {urgent_right}/{urgent_total}; "
        f"false alarms {measured['false_alarms']:g}; replies stating a dose {measured['doses']:g}"
    )
    lengths = report.answer_lengths
    if lengths:
        lines.append(f"  answers: median {measured['median_answer_chars']:g} characters, longest {max(lengths)}")

    confusions = Counter(
        (" / ".join(q.expect), _got(r)) for q, r, passed in report.results if not passed
    )
    if confusions:
        lines.append("")
        lines.append("  confusions (expected -> got):")
        for (expected, got), count in confusions.most_common():
            lines.append(f"    {count:>3}  {expected} -> {got}")
    failures = [(q, r) for q, r, passed in report.results if not passed]
    if failures and not quiet:
        lines.append("")
        lines.append("  failures:")
        for question, reply in failures:
            extra = " (no advice notice)" if question.category == ADVICE_CATEGORY and not reply.advice else ""
            lines.append(
                f"    line {question.line} [{question.category}] {question.text!r}\n"
                f"      expected {' / '.join(question.expect)}, got {_got(reply)} (score {reply.score:.1f}){extra}"
            )
    misses = report.misses()
    lines.append("")
    lines.append("  result: " + ("FAILED: " + "; ".join(misses) if misses else "all thresholds met"))
    return "\n".join(lines)


def bundled_sets() -> list[Path]:
    """The evaluation files shipped with the knowledge base: the tuning sets first, then the held-out ones."""
    folder = Path(bundled_path()) / "eval"
    found = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    return sorted(found, key=lambda p: (p.name.startswith("holdout"), p.name != "tune.yaml", p.name))


def run_eval(files: list[str], kb: str | None, quiet: bool = False) -> int:
    try:
        bot = Bot(kb)
    except KnowledgeBaseError as exc:
        return fail(exc.summary())
    paths = [Path(f) for f in files] or bundled_sets()
    if not paths:
        return fail("no evaluation file given, and none is bundled")
    entry_ids = {entry.id for entry in bot.kb.entries}
    failed = False
    for number, path in enumerate(paths):
        try:
            evalset = load_evalset(path, entry_ids)
        except KnowledgeBaseError as exc:
            for problem in exc.problems:
                print(problem, file=sys.stderr)
            return 2
        report = evaluate(bot, evalset)
        if number:
            print()
        print(format_report(report, quiet))
        failed = failed or bool(report.misses())
    return 1 if failed else 0
