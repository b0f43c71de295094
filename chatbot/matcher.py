"""Find the knowledge-base entry that answers what a person typed.

How a question is read, step by step (see `Matcher.match`):

1. The message is split into clauses; a long, chatty message is scored with
   each question-like clause as its *focus* and the rest as *context*.
2. Words are expanded (shorthand), typo-corrected against the knowledge base's
   own vocabulary with rapidfuzz, and mapped to canonical tokens (synonyms).
3. Every phrasing that shares a token with the question is scored by weighted
   overlap: rare tokens weigh more than common ones, and a token the knowledge
   base has never seen weighs as much as the rarest one it has.  The score is
   the balance (F1) of how much of the *question* the phrasing covers and how
   much of the *phrasing* the question covers, so that neither a long worried
   message nor a one-word query is favoured.
4. Entries are ranked by their best phrasing.  Whether to answer, ask
   "did you mean", or fall back is decided by `decide`, from the best score,
   the share of the question the best phrasing covers (out-of-scope questions
   leave their main words uncovered), and the margin to the next entry.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .knowledge import KnowledgeBase
from .lexicon import Lexicon
from .text import clauses, words

#: Weight of a context word (outside the clause that asks the question).
CONTEXT_WEIGHT = 0.5
#: Weight of an everyday word ("possible", "usually"): about that of a word in
#: every other phrasing, whether or not the knowledge base uses it.
GENERAL_WEIGHT = 0.3
#: Share of an entry's score that comes from its profile (all its phrasings together).
PROFILE_SHARE = 0.2
#: ...and one the knowledge base uses counts at most this much ("factors", "usually").
GENERAL_CAP = 1.5
#: A phrasing drawn from an answer rather than a question counts for less.
ANSWER_PHRASING_FACTOR = 0.8

# -- the decision ---------------------------------------------------------------
#: Below this score nothing is answered.
MIN_SCORE = 40.0
#: The best phrasing must cover at least this share of the question's weight.
MIN_COVERAGE = 0.5
#: Entries within this many points of the best are "nearly tied": ask which one.
CLARIFY_MARGIN = 3.0
#: A question the knowledge base lists as not covered must beat the best entry by this much.
NOT_COVERED_MARGIN = 12.0
#: At most this many choices in a "did you mean".
MAX_CHOICES = 3

# Words that point back at a statement ("is that bad?"); "it" and "this" mostly
# mean the condition itself ("will she grow out of it?"), so they are not here.
_BACK_REFERENCES = frozenset({"that", "those", "these"})
_QUESTION_START = re.compile(
    r"^(what|whats|why|how|hows|who|when|where|which|is|are|am|was|do|does|did|can|could|will|would|should|shall|may|might|has|have|any)\b"
)


@dataclass(frozen=True)
class Candidate:
    """An entry as a candidate answer, with the evidence for its score."""

    entry_id: str
    question: str
    score: float  # 0-100
    phrasing: str  # the phrasing (question or alternate) that scored best
    coverage: float  # share of the question's weight that phrasing covers, 0-1


@dataclass(frozen=True)
class Match:
    """What the matcher made of a message; `decide` turns it into an outcome."""

    candidates: tuple[Candidate, ...]  # best first, one per entry
    focus: str  # the clause read as the question
    tokens: tuple[str, ...]  # the focus clause's content tokens
    unknown_words: tuple[str, ...]  # content words the knowledge base does not know
    corrections: tuple[tuple[str, str], ...]  # (typed, read as)
    not_covered: str | None = None  # the closest question the knowledge base says it cannot answer
    not_covered_score: float = 0.0
    topical: bool = False  # the message names something the knowledge base knows

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


@dataclass(frozen=True)
class Outcome:
    kind: str  # "answer", "clarify" or "fallback"
    choices: tuple[Candidate, ...]  # the answer, or the entries to choose from


def decide(match: Match) -> Outcome:
    """Answer, ask which one, or admit the knowledge base does not cover it."""
    best = match.best
    if best is None or match.not_covered_score >= best.score + NOT_COVERED_MARGIN:
        return Outcome("fallback", ())
    if best.score < MIN_SCORE or best.coverage < MIN_COVERAGE:
        return Outcome("fallback", ())
    close = tuple(c for c in match.candidates[:MAX_CHOICES] if best.score - c.score < CLARIFY_MARGIN)
    if len(close) > 1:
        return Outcome("clarify", close)
    return Outcome("answer", (best,))


@dataclass(frozen=True)
class _Phrasing:
    entry: int  # index into entries, or -1 for a not-covered question
    text: str
    tokens: frozenset[str]
    weight: float  # sum of the tokens' weights
    factor: float  # 1, or less for phrasings drawn from answers


class Matcher:
    """An index over every phrasing of a knowledge base, built once and then read-only."""

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._general = lexicon.general
        self._entries = kb.entries
        raw: list[tuple[int, str, float]] = []
        for number, entry in enumerate(kb.entries):
            raw.extend((number, phrasing, 1.0) for phrasing in entry.phrasings)
            raw.append((number, entry.answer, ANSWER_PHRASING_FACTOR))
        raw.extend((-1, question, 1.0) for question in kb.not_covered)

        # Vocabulary for typo correction: every word the bot could recognise.
        counts: dict[str, int] = defaultdict(int)
        for _, text, _ in raw:
            for word in lexicon.expand(words(text)):
                counts[word] += 1
        for document in kb.documents:
            for word in document.folded_words:
                counts[word] += 1
        for word in lexicon.words:
            counts[word] += 1
        self._known = frozenset(counts) | lexicon.dictionary
        # Typos are corrected towards topic words only ("awya" -> "away"); short
        # function words are the lexicon's job ("wat" -> "what").  Most frequent
        # first, so that a tie in distance goes to the common word.
        self._vocabulary = sorted(
            (w for w in counts if w.isalpha() and len(w) >= 3 and not lexicon.is_topic_free(w)),
            key=lambda w: (-counts[w], w),
        )

        token_sets = [(entry, text, self.phrasing_tokens(text), factor) for entry, text, factor in raw]
        # Rarity is counted over the phrasings of real entries: a token in few of
        # them tells entries apart, one in most of them ("ain") hardly matters.
        counted = [tokens for entry, _, tokens, _ in token_sets if entry >= 0]
        frequency: dict[str, int] = defaultdict(int)
        for tokens in counted:
            for token in tokens:
                frequency[token] += 1
        total = len(counted) or 1
        self._idf = {t: math.log((total + 1) / (n + 0.5)) for t, n in frequency.items()}
        self._unknown_weight = max(self._idf.values(), default=1.0)

        # Each entry's profile: for every token, the share of the entry's phrasings
        # that use it.  "why" is in most phrasings of "why do children recover",
        # so a "why" question leans towards it even when one phrasing lacks it.
        phrasing_count: dict[int, int] = defaultdict(int)
        uses: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        for entry, _, tokens, factor in token_sets:
            if entry >= 0 and factor == 1.0 and tokens:
                phrasing_count[entry] += 1
                for token in tokens:
                    uses[token][entry] += 1
        self._profile = {t: {e: n / phrasing_count[e] for e, n in by.items()} for t, by in uses.items()}
        # Every token any phrasing (or the answer) of an entry uses: a question is
        # covered by an entry when the entry knows its words.
        self._vocabulary_of: dict[int, frozenset[str]] = {
            e: frozenset(t for entry, _, tokens, _ in token_sets if entry == e for t in tokens) for e in range(len(kb.entries))
        }

        self._phrasings: list[_Phrasing] = []
        self._postings: dict[str, list[int]] = defaultdict(list)
        for entry, text, tokens, factor in token_sets:
            if not tokens:
                continue
            index = len(self._phrasings)
            self._phrasings.append(_Phrasing(entry, text, tokens, sum(self._weight(t) for t in tokens), factor))
            for token in tokens:
                self._postings[token].append(index)

    @property
    def known_words(self) -> frozenset[str]:
        """Every word the matcher recognises without typo correction."""
        return self._known

    # -- reading a question ---------------------------------------------------
    def _weight(self, token: str) -> float:
        """How much a token counts: rare in the knowledge base weighs more, everyday words little."""
        idf = self._idf.get(token)
        if token in self._general:
            return GENERAL_WEIGHT if idf is None else min(idf, GENERAL_CAP)
        return self._unknown_weight if idf is None else idf

    def phrasing_tokens(self, phrasing: str) -> frozenset[str]:
        """The tokens a knowledge-base phrasing is indexed under (only its asking sentence)."""
        return frozenset(self._content(self._lexicon.expand(words(_asked(phrasing)))))

    def _content(self, expanded: list[str]) -> list[str]:
        lexicon = self._lexicon
        return [t for t in lexicon.canonical(expanded) if not lexicon.is_topic_free(t)]

    def _read(self, text: str) -> tuple[list[str], list[tuple[str, str]]]:
        """Content tokens of a clause, and the typo corrections made on the way."""
        expanded = self._lexicon.expand(words(text))
        corrected, corrections = self._correct(expanded)
        return self._content(corrected), corrections

    def _correct(self, typed: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
        known = self._known
        out: list[str] = []
        corrections: list[tuple[str, str]] = []
        i = 0
        while i < len(typed):
            word = typed[i]
            if word in known or not word.isalpha() or len(word) < 3:
                # Two pieces of one word ("anti biotics", "neutro penia").
                if i + 1 < len(typed) and word + typed[i + 1] in known and typed[i + 1] not in known:
                    out.append(word + typed[i + 1])
                    corrections.append((f"{word} {typed[i + 1]}", word + typed[i + 1]))
                    i += 2
                    continue
                out.append(word)
                i += 1
                continue
            if i + 1 < len(typed) and word + typed[i + 1] in known:
                out.append(word + typed[i + 1])
                corrections.append((f"{word} {typed[i + 1]}", word + typed[i + 1]))
                i += 2
                continue
            fixed = self._closest(word)
            if fixed is not None:
                corrections.append((word, " ".join(fixed)))
                out.extend(fixed)
            else:
                out.append(word)
            i += 1
        return out, corrections

    def _closest(self, word: str) -> tuple[str, ...] | None:
        """The known word (or two) that a misspelt word was meant to be, if one is close enough."""
        size = len(word)
        limit = 1 if size <= 8 else 2
        for choice, distance, _ in process.extract(word, self._vocabulary, scorer=OSA.distance, score_cutoff=limit, limit=8):
            if size <= 4 and len(choice) <= size and sorted(choice) != sorted(word):
                continue  # a short word is only corrected by adding or swapping letters ("awy", "awya" -> "away")
            if choice[0] == word[0] or (size >= 7 and distance == 1):
                return (choice,)
        if size >= 6:  # two words run together: "goaway", "bloodtest"
            for cut in range(2, size - 1):
                head, tail = word[:cut], word[cut:]
                if head in self._known and tail in self._known and len(tail) >= 2:
                    return (head, tail)
        return None

    # -- scoring --------------------------------------------------------------
    def match(self, text: str) -> Match:
        """Rank the entries for a message; never raises for any text."""
        sentences = [[(piece, *self._read(piece)) for piece in _pieces(sentence)] for sentence in clauses(text)]
        sentences = [s for s in sentences if s] or [[(text, *self._read(text))]]
        corrections = [c for sentence in sentences for _, _, found in sentence for c in found]
        asking = [i for i, s in enumerate(sentences) if "?" in s[-1][0]] or [
            i for i, s in enumerate(sentences) if _QUESTION_START.match(" ".join(words(s[0][0])))
        ] or list(range(len(sentences)))

        # Candidate readings of "the question": the end of an asking sentence
        # ("..., do babies grow out of this?"), the whole sentence, the sentence
        # with one of the three before it ("...what neutrophils are. What are
        # they?"), and the whole message.  The best-ranked reading wins.
        spans: list[list[tuple[int, int]]] = []
        for i in asking:
            whole = [(i, k) for k in range(len(sentences[i]))]
            spans.append(whole)
            spans.extend(whole[j:] for j in range(1, len(whole)) if self._stands_alone(sentences[i], j))
            for j in range(max(0, i - 3), i):
                spans.append([(j, k) for k in range(len(sentences[j]))] + whole)
        if len(sentences) > 1:
            spans.append([(i, k) for i, s in enumerate(sentences) for k in range(len(s))])

        best: Match | None = None
        tried: set[tuple[str, ...]] = set()
        for span in spans:
            inside = set(span)
            tokens = [t for i, k in span for t in sentences[i][k][1]]
            if tuple(tokens) in tried:
                continue
            tried.add(tuple(tokens))
            context = [t for i, s in enumerate(sentences) for k, (_, found, _) in enumerate(s) if (i, k) not in inside for t in found]
            focus = " ".join(sentences[i][k][0] for i, k in span)
            result = self._score(focus, tokens, context, corrections)
            if best is None or _rank_key(result) > _rank_key(best):
                best = result
        assert best is not None
        return best

    def _stands_alone(self, pieces: list[tuple[str, list[str], list]], start: int) -> bool:
        """Whether the end of a sentence, from piece `start`, can be read as the whole question.

        It can when it names a topic the knowledge base knows ("..., do babies
        grow out of this?"), unless it points back ("is that bad?", "could that
        be related?") at words before it that the knowledge base does not know
        ("his ANC is 0.4, is that bad?"): then those words are the question.
        """
        tail = [t for _, tokens, _ in pieces[start:] for t in tokens]
        if not any(t in self._idf and t not in self._general for t in tail):
            return False
        points_back = any(w in _BACK_REFERENCES for text, _, _ in pieces[start:] for w in words(text))
        head_unknown = any(t not in self._idf and t not in self._general for _, tokens, _ in pieces[:start] for t in tokens)
        return not (points_back and head_unknown)

    def _score(self, focus: str, tokens: list[str], context: Iterable[str], corrections: list[tuple[str, str]]) -> Match:
        focus_set = set(tokens)
        context_set = {t for t in context if t in self._idf and t not in focus_set}
        weights = {t: self._weight(t) for t in focus_set}
        focus_total = sum(weights.values())
        for token in context_set:
            weights[token] = CONTEXT_WEIGHT * self._idf[token]
        question_total = sum(weights.values())
        unknown = tuple(sorted(t for t in focus_set if t not in self._idf))
        topical = any(t in self._idf and t not in self._general for t in focus_set | context_set)
        if not focus_set:
            return Match((), focus, tuple(tokens), unknown, tuple(corrections), topical=topical)

        matched: dict[int, float] = defaultdict(float)
        phrasing_side: dict[int, float] = defaultdict(float)
        for token, weight in weights.items():
            in_focus = token in focus_set
            # A context word says less about which phrasing is meant, on either side.
            side = self._weight(token) * (1.0 if in_focus else CONTEXT_WEIGHT)
            for index in self._postings.get(token, ()):
                matched[index] += weight
                phrasing_side[index] += side

        profile: dict[int, float] = defaultdict(float)
        for token, weight in weights.items():
            for entry, share in self._profile.get(token, {}).items():
                profile[entry] += weight * share

        by_entry: dict[int, Candidate] = {}
        best_not_covered: tuple[float, str] | None = None
        for index, overlap in matched.items():
            phrasing = self._phrasings[index]
            recall = overlap / question_total
            precision = phrasing_side[index] / phrasing.weight
            score = 100.0 * phrasing.factor * 2 * recall * precision / (recall + precision)
            if phrasing.entry >= 0:
                score = (1 - PROFILE_SHARE) * score + PROFILE_SHARE * 100.0 * profile[phrasing.entry] / question_total
            if phrasing.entry < 0:
                if best_not_covered is None or score > best_not_covered[0]:
                    best_not_covered = (score, phrasing.text)
                continue
            current = by_entry.get(phrasing.entry)
            if current is None or score > current.score:
                entry = self._entries[phrasing.entry]
                known = self._vocabulary_of[phrasing.entry]
                coverage = sum(weights[t] for t in focus_set if t in known) / focus_total if focus_total else 0.0
                by_entry[phrasing.entry] = Candidate(entry.id, entry.question, round(score, 1), phrasing.text, round(coverage, 3))
        ranked = tuple(sorted(by_entry.values(), key=lambda c: (-c.score, -c.coverage, c.entry_id)))
        not_covered, not_covered_score = best_not_covered[1] if best_not_covered else None, best_not_covered[0] if best_not_covered else 0.0
        return Match(ranked, focus, tuple(tokens), unknown, tuple(corrections), not_covered, round(not_covered_score, 1), topical)


_PIECE = re.compile(r"(?:[^,]|,(?=\d))+,?|,")
_BUT = re.compile(r"\s+(?=but\s)", re.IGNORECASE)


def _pieces(sentence: str) -> list[str]:
    """A sentence cut at commas and "but": "hi, my son is 2, does it go away?" has three."""
    return [p.strip() for part in _BUT.split(sentence) for p in _PIECE.findall(part) if words(p)]


def _asked(phrasing: str) -> str:
    """The part of a phrasing that asks: a long alternate's context sentences are left out."""
    sentences = clauses(phrasing)
    asking = [s for s in sentences if s.endswith("?")]
    return " ".join(asking) if asking and len(sentences) > 1 else phrasing


def _rank_key(match: Match) -> tuple[float, float]:
    best = match.best
    if best is None:
        return (-1.0, -1.0)
    return (best.score * min(1.0, best.coverage / MIN_COVERAGE), best.coverage)
