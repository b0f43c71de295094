"""`chatbot lint`: check a knowledge base and report every problem at its line.

Exit codes (like yamllint): 0 clean, 1 problems found, 2 the path cannot be read.
Warnings (grounding, fewer alternates than recommended) are printed but do not
fail the run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .knowledge import KnowledgeBase, bundled_path, load
from .lexicon import Lexicon, stem
from .problems import KnowledgeBaseError, Problem, display_path, printable
from .text import words

_QUESTION_WORDS = frozenset({"how", "what", "why", "who", "when", "where", "which"})
_SPELLING = (("isation", "ization"), ("ise", "ize"), ("our", "or"), ("aem", "em"), ("oea", "ea"))


@dataclass(frozen=True)
class Coverage:
    """How much of one document the entries quote."""

    title: str
    file: str
    quoted: int
    total: int
    unquoted: tuple[str, ...]


def coverage(kb: KnowledgeBase) -> list[Coverage]:
    report = []
    for document in kb.documents:
        quotes = [q for entry in kb.entries if entry.document is document for q in entry.source]
        flags = document.quoted_sentences(quotes)
        unquoted = tuple(s for s, quoted in zip(document.sentences, flags) if not quoted)
        report.append(Coverage(document.title, display_path(document.path), sum(flags), len(flags), unquoted))
    return report


def _comparable(word: str) -> str:
    """British and American spellings, and plurals, compared as one."""
    for british, american in _SPELLING:
        word = word.replace(british, american)
    return stem(word)


def grounding_warnings(kb: KnowledgeBase, lexicon: Lexicon) -> list[Problem]:
    """Answer words that name something (a drug, a number, a medical term) the document never says.

    A word passes when it is in the answer's source quotes or anywhere in the
    document, or is an everyday word that names nothing.
    """
    everyday = lexicon.stopwords | lexicon.filler | lexicon.general | _QUESTION_WORDS
    problems = []
    for entry in kb.entries:
        allowed = {_comparable(w) for w in entry.document.folded_words}
        allowed.update(_comparable(w) for quote in entry.source for w in words(quote))
        unsupported = []
        for word in words(entry.answer):
            if word in everyday or stem(word) in everyday:
                continue
            if _comparable(word) not in allowed and word not in unsupported:
                unsupported.append(word)
        if unsupported:
            path, line = entry.origin.rsplit(":", 1)
            listed = ", ".join(f"'{w}'" for w in unsupported)
            problems.append(
                Problem(path, int(line), 1, f"entry '{entry.id}': answer uses {listed}, found neither in its source quotes nor in the document", "warning")
            )
    return problems


def indistinct_phrasings(kb: KnowledgeBase, lexicon: Lexicon) -> list[Problem]:
    """Phrasings that name no topic, or that the matcher reads as the same words as another entry's.

    "I was diagnosed at 35, will mine go away?" and "Does AIN go away?" both
    read as "ain resolve": the matcher cannot tell their entries apart.
    """
    from .matcher import Matcher

    from .index import QUESTION_WORDS

    matcher = Matcher(kb, lexicon)
    first: dict[frozenset[str], tuple[str, str]] = {}
    problems = []
    for entry in kb.entries:
        for phrasing in entry.phrasings:
            tokens = matcher.phrasing_tokens(phrasing)
            if not tokens - QUESTION_WORDS:
                path, line = entry.origin.rsplit(":", 1)
                read = " ".join(sorted(tokens)) or "nothing"
                problems.append(Problem(path, int(line), 1, f"entry '{entry.id}': phrasing '{phrasing}' names no topic "
                                        f"(read as: {read}); any question with only those words would match it", "warning"))
                continue
            seen = first.setdefault(tokens, (entry.id, phrasing))
            if seen[0] != entry.id:
                path, line = entry.origin.rsplit(":", 1)
                problems.append(Problem(
                    path, int(line), 1,
                    f"entry '{entry.id}': phrasing '{phrasing}' reads the same as '{seen[1]}' of entry '{seen[0]}' "
                    f"(both: {' '.join(sorted(tokens))})",
                    "warning",
                ))
    return problems


def run_lint(path: str | None) -> int:
    target = Path(path) if path else bundled_path()
    try:
        kb = load(target, positions=True)
    except KnowledgeBaseError as exc:
        for problem in exc.problems:
            print(problem)
        errors = sum(1 for p in exc.problems if p.level == "error")
        if exc.unreadable:
            return 2
        print(f"\n{errors} error{'s' if errors != 1 else ''} found in {printable(display_path(target))}")
        return 1
    lexicon = Lexicon.load()
    warnings = list(kb.warnings) + grounding_warnings(kb, lexicon) + indistinct_phrasings(kb, lexicon)
    for problem in sorted(warnings):
        print(problem)
    phrasings = sum(len(entry.phrasings) for entry in kb.entries)
    print(f"{printable(display_path(target))}: {len(kb.entries)} entries, {phrasings} phrasings, "
          f"{len(kb.not_covered)} questions marked as not covered")
    for item in coverage(kb):
        share = item.quoted / item.total if item.total else 1.0
        print(printable(f'document "{item.title}" ({item.file}): {item.quoted} of {item.total} sentences quoted ({share:.0%})'))
        if not item.unquoted:
            print("  every sentence of the document is quoted by at least one entry")
        for sentence in item.unquoted:
            print(f"  not quoted: {printable(sentence)}")
    print(f"no errors, {len(warnings)} warning{'s' if len(warnings) != 1 else ''}")
    return 0
