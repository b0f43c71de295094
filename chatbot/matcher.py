"""Find the knowledge-base entry that answers what a person typed.

How a message is read (see `Matcher.match`):

1. It is cut into sentences, and sentences into pieces at commas.  A long,
   chatty message is scored with several readings of "the question" as its
   *focus* (the asking sentence, its end, it with an earlier sentence, the
   whole message); the other words are *context*, which counts for less.
2. Words are expanded (shorthand), typo-corrected and mapped to tokens
   (synonyms, plurals) by `chatbot.reading`.
3. Candidates are the phrasings that share the most weight with the message
   (`chatbot.index`: rare words weigh more, everyday words little, a word the
   leaflet never uses as much as its rarest word).
4. Each candidate is scored, for each reading, by the balance (F1) of how much
   of the question it covers and how much of it the question covers.  Entries
   are ranked by their best phrasing.
5. `decide` answers, asks "did you mean", or falls back: an answer needs a good
   score, the entry must know most of the question's weight (out-of-scope
   questions leave their main word unknown), the next entry must be clearly
   behind, and no "not covered" question may fit much better.
"""

from __future__ import annotations

import heapq
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from .ages import age_group
from .index import QUESTION_WORDS, Index, Phrasing, Shelf
from .knowledge import KnowledgeBase
from .lexicon import Lexicon
from .reading import Reader
from .sealed import Sealed
from .text import clauses, has_words, words

#: Weight of a context word (outside the reading of the question).
CONTEXT_WEIGHT = 0.5
# ...and all of them together at most this share of the question's own weight.
CONTEXT_CAP = 0.25
#: Phrasings scored in full for each message: the best by shared weight.
CANDIDATES = 12
# Readings of a long message whose own closest phrasings are looked up too.
PARTS_SEARCHED = 1
# How many sentences before a question may hold what it is about ("...neutrophils. What are they?").
LOOK_BACK = 2
#: A word in more than this share of a leaflet's phrasings does not bring in candidates by itself.
COMMON_SHARE = 0.15
#: Once the tokens walked reach this many phrasings, the rest only add to those phrasings'
#: scores: a long message does not walk every posting list it touches.
VISIT_CAP = 8 * CANDIDATES

# -- the decision ---------------------------------------------------------------
#: Below this score nothing is answered.
MIN_SCORE = 40.0
#: The answering entry must know at least this share of the question's weight.
MIN_COVERAGE = 0.5
#: Entries within this many points of the best are "nearly tied": ask which one.
CLARIFY_MARGIN = 3.0
#: Of nearly tied entries, one that knows this much less of the question than another is no choice.
COVERAGE_GAP = 0.15
#: A question the knowledge base lists as not covered must beat the best entry by this much.
NOT_COVERED_MARGIN = 3.0
#: Entries kept in a match, best first (for the decision, "did you mean" and /why).
RANKED = 5
# How much a part of the question that an entry does not know lowers its score.
COVERAGE_WEIGHT = 0.3
#: At most this many choices in a "did you mean".
MAX_CHOICES = 3

# Words that point back at a statement ("is that bad?"); "it" and "this" mostly
# mean the condition itself ("will she grow out of it?"), so they are not here.
_CONDITIONS = {("if",), ("when",), ("whenever",), ("once",), ("while",), ("after",), ("before",)}
_UNKNOWN, _KNOWN, _TOPIC = 0, 1, 2
_KINDS_REMEMBERED = 100_000
_BACK_REFERENCES = frozenset({"those", "these", "thats"})
# "That" points back when it opens a piece ("that's normal?") or follows one of these
# ("is that bad?", "how is that handled?"); after a noun it only joins ("something that clears up").
_BEFORE_POINTING_THAT = frozenset({
    "is", "was", "does", "do", "did", "are", "be", "can", "could", "would", "will", "should", "about", "with",
    "of", "for", "to", "like", "mean", "means", "handle", "handled", "manage", "managed", "treat", "treated",
    "explain", "cause", "causes", "after", "from", "by", "in", "on", "at", "and", "but", "so", "or",
    "what", "how", "why", "whether",  # "I'm asking what that means in practice"
})
_QUESTION_START = re.compile(
    r"^(what|whats|why|how|hows|who|when|where|which|is|are|am|was|do|does|did|can|could|will|would|should|shall|may|might|has|have|any)\b"
)
# A question inside a statement: "I'd like to understand how long it lasts", "not sure if we need one".
_ASKS_INSIDE = re.compile(
    r"\b(know|knows|understand|wonder|wondering|wondered|ask|asking|explain|tell me|sure|idea|clue|find out)\b"
    r".*\b(how|what|why|whether|if|when|where|which|who)\b"
)
_PIECE = re.compile(r"(?:[^,]|,(?=\d))+,?|,")
_BUT = re.compile(r"\s+(?=but\s)", re.IGNORECASE)


class Candidate(NamedTuple):
    """An entry as a candidate answer, with the evidence for its score."""

    entry_id: str
    question: str
    score: float  # 0-100
    phrasing: str  # the phrasing (question or alternate) that scored best
    coverage: float  # share of the question's weight the entry knows, 0-1


class Match(NamedTuple):
    """What the matcher made of a message; `decide` turns it into an outcome."""

    candidates: tuple[Candidate, ...]  # best first, one per entry
    focus: str  # the reading of the question that scored best
    tokens: tuple[str, ...]  # its content tokens
    unknown_words: tuple[str, ...]  # content words no leaflet uses
    corrections: tuple[tuple[str, str], ...]  # (typed, read as)
    not_covered: str | None = None  # the closest question a leaflet says it cannot answer
    not_covered_score: float = 0.0
    topical: bool = False  # the message names something a leaflet knows

    @property
    def best(self) -> Candidate | None:
        return self.candidates[0] if self.candidates else None


class Outcome(NamedTuple):
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
        # "Why is my baby's blood count low?": an entry that has every word of it beats
        # one just as close that leaves "low" out.
        widest = max(c.coverage for c in close)
        close = tuple(c for c in close if widest - c.coverage < COVERAGE_GAP and c.score >= MIN_SCORE) or (best,)
    if len(close) > 1:
        return Outcome("clarify", close)
    return Outcome("answer", close)


class _Candidate(NamedTuple):
    shelf: Shelf
    phrasing: Phrasing
    shared: frozenset[str]  # the tokens it shares with the message
    score: float | None  # its score when the whole message is the question, if known


class _Piece(NamedTuple):
    text: str
    tokens: list[str]
    corrections: list[tuple[str, str]]


class Matcher(Sealed):
    """Ranks entries for a message; built once over a knowledge base, then read-only."""

    __slots__ = ("index", "reader", "_kinds")

    def __init__(self, kb: KnowledgeBase, lexicon: Lexicon) -> None:
        self.index = Index(kb, lexicon)
        self.reader = Reader(lexicon, self.index.word_counts, kb.documents)
        #: Remembered answers of `_kind` (a token's kind never changes once its leaflets are indexed).
        self._kinds: dict[str, int] = {}
        self._seal()

    @property
    def known_words(self) -> frozenset[str]:
        """Every word the matcher recognises without typo correction."""
        return self.reader.known

    def phrasing_tokens(self, phrasing: str) -> frozenset[str]:
        return self.reader.phrasing_tokens(phrasing)

    # -- reading the message ------------------------------------------------------
    def match(self, text: str) -> Match:
        """Rank the entries for a message; never raises for any text."""
        sentences = [[_Piece(p, *self.reader.read(p)) for p in _pieces(s)] for s in clauses(text)]
        sentences = [s for s in sentences if s] or [[_Piece(text, *self.reader.read(text))]]
        corrections = tuple(c for s in sentences for piece in s for c in piece.corrections)
        every = {t for s in sentences for piece in s for t in piece.tokens}
        # Which tokens some entry uses, and which of those name something: asked once, not per reading.
        kinds = {t: self._kind(t) for t in every}
        known = {t for t, kind in kinds.items() if kind}
        topics = {t for t, kind in kinds.items() if kind == _TOPIC}
        # An age said anywhere ("I'm 45, ...") is about the person every reading asks about.
        age = age_group(self.reader.lexicon.expand(words(text)))
        spans = self._spans(sentences, known, topics)
        # The phrasings closest to the readings: sentences no reading includes are only context.
        if len(sentences) == 1:
            read = every
        else:
            read = {t for span in spans for i, k in span for t in sentences[i][k].tokens} | ({age} if age else set())
        candidates = self._candidates(read) if read == every else self._candidates(read, every)
        if len(spans) > 1:
            candidates = self._add_candidates_for_parts(candidates, spans, sentences, read, every)
        best: Match | None = None
        for span in spans:
            inside = set(span)
            focus = [t for i, k in span for t in sentences[i][k].tokens]
            context = {t for i, s in enumerate(sentences) for k, piece in enumerate(s) if (i, k) not in inside for t in piece.tokens}
            text_of_focus = " ".join(sentences[i][k].text for i, k in span)
            result = self._score(text_of_focus, focus, context, candidates, corrections, known, topics, age)
            if best is None or _rank_key(result) > _rank_key(best):
                best = result
        assert best is not None
        return best

    def _spans(self, sentences: list[list[_Piece]], known: set[str], topics: set[str]) -> list[list[tuple[int, int]]]:
        """Readings of "the question": the asking sentence, its end ("..., do babies grow out of
        this?"), it with one of the LOOK_BACK sentences before ("...what neutrophils are. What are
        they?"), and the whole message when several sentences ask.  Duplicates are dropped."""
        asking = [i for i, s in enumerate(sentences) if "?" in s[-1].text] or [
            i for i, s in enumerate(sentences) if _asks(s[0])
        ] or [
            i for i, s in enumerate(sentences) if _ASKS_INSIDE.search(" ".join(piece.text for piece in s).lower())
        ] or list(range(len(sentences)))
        spans: list[list[tuple[int, int]]] = []
        for i in asking:
            whole = [(i, k) for k in range(len(sentences[i]))]
            topicless = topics.isdisjoint(t for piece in sentences[i] for t in piece.tokens)
            # "Is that something every family should have?" is read only with the sentences before.
            needs_before = i > 0 and self._points_back(sentences[i])
            if not needs_before:
                spans.append(whole)
            spans.extend(whole[j:] for j in range(1, len(whole)) if self._stands_alone(sentences[i], j, topics))
            if needs_before or topicless:
                # "What are they exactly?", "How is that handled?": the topic is in an earlier sentence.
                for j in range(max(0, i - LOOK_BACK), i):
                    spans.append([(j, k) for k in range(len(sentences[j]))] + whole)
        if len(sentences) > 1 and (len(asking) > 1 or not spans):
            # Several sentences ask, or none can be read alone: the whole message is the question.
            spans.append([(i, k) for i, s in enumerate(sentences) for k in range(len(s))])
        seen: set[tuple[str, ...]] = set()
        unique = []
        for span in spans:
            key = tuple(t for i, k in span for t in sentences[i][k].tokens)
            if key not in seen:
                seen.add(key)
                unique.append(span)
        return unique

    @staticmethod
    def _points_back(pieces: list[_Piece]) -> bool:
        for piece in pieces:
            said = words(piece.text)
            for i, word in enumerate(said):
                if word in _BACK_REFERENCES or (word == "that" and (i == 0 or said[i - 1] in _BEFORE_POINTING_THAT)):
                    return True
        return False

    def _not_answered(self, token: str) -> bool:
        """Only questions a leaflet says it does not answer use this token ("genetic")."""
        return any(token in shelf.uncovered for shelf in self.index.shelves_with(token))

    def _known_topic(self, token: str) -> bool:
        """Some entry uses this token, and it names something (it is not an everyday word)."""
        return any(shelf.topical(token) for shelf in self.index.shelves_with(token))

    def _known(self, token: str) -> bool:
        """Some entry uses this token (a "not covered" question does not count)."""
        return any(token in shelf.idf for shelf in self.index.shelves_with(token))

    def _kind(self, token: str) -> int:
        """_UNKNOWN, _KNOWN (some entry uses it) or _TOPIC (and it names something)."""
        kind = self._kinds.get(token)
        if kind is None:
            kind = _TOPIC if self._known_topic(token) else _KNOWN if self._known(token) else _UNKNOWN
            if len(self._kinds) < _KINDS_REMEMBERED:
                self._kinds[token] = kind
        return kind

    def _stands_alone(self, pieces: list[_Piece], start: int, topics: set[str]) -> bool:
        """Whether the end of a sentence, from piece `start`, can be read as the whole question.

        It can when it names a topic the knowledge base knows ("..., do babies
        grow out of this?"), unless the words before it are part of the question:
        a condition ("if he gets an infection, ..."), something the leaflet does
        not answer ("is it genetic, ...", "how is AIN diagnosed, ..."), or what it
        points back to ("..., is that bad?").
        """
        if topics.isdisjoint(t for piece in pieces[start:] for t in piece.tokens):
            return False
        if _asks(pieces[0]) and not _asks(pieces[start]):
            return False  # "should we start g-csf, she's had two infections?" asks at its head
        if words(pieces[0].text)[:1] in _CONDITIONS:
            return False  # "if he gets an infection, how is it treated?" asks about the infection
        head = {t for piece in pieces[:start] for t in piece.tokens}
        if any(map(self._not_answered, head)) or self._asks_not_covered(head):
            return False  # "is AIN genetic, will my next baby have it?" asks about what the head says
        return not self._points_back(pieces[start:])

    def _asks_not_covered(self, tokens: set[str]) -> bool:
        """Whether these words ask a question a leaflet says it does not answer ("how is AIN diagnosed")."""
        named = {t for t in tokens if t not in QUESTION_WORDS and t not in self.index.by_subject}
        if not named:
            return False
        first = min(named)
        for shelf in self.index.shelves_with(first):
            phrasings = shelf.phrasings
            if any(phrasings[p].entry < 0 and named <= phrasings[p].tokens for p in shelf.postings[first]):
                return True
        return False

    # -- scoring ---------------------------------------------------------------------
    def _add_candidates_for_parts(self, candidates: list[_Candidate], spans: list[list[tuple[int, int]]],
                                  sentences: list[list[_Piece]], searched: set[str], every: set[str]) -> list[_Candidate]:
        """Also the phrasings closest to the first reading of the question, not only to all of them.

        In a long message the context ("she's 13 months now, my mum keeps asking
        if it's forever") can crowd the phrasings of the question itself out of
        the best CANDIDATES for all the words that were `searched`.
        """
        seen = {id(c.phrasing) for c in candidates}
        merged = list(candidates)
        asked: set[frozenset[str]] = set()
        for span in spans:
            tokens = frozenset(t for i, k in span for t in sentences[i][k].tokens)
            if not tokens or tokens == searched or tokens in asked:
                continue
            if len(asked) == PARTS_SEARCHED:
                break
            asked.add(tokens)
            for found in self._candidates(set(tokens), every):
                if id(found.phrasing) not in seen:
                    seen.add(id(found.phrasing))
                    merged.append(found)
        return merged

    def _candidates(self, tokens: set[str], every: set[str] | None = None) -> list[_Candidate]:
        """The phrasings sharing the most weight with the whole message, with the tokens they share.

        Words in more than COMMON_SHARE of a shelf's phrasings ("ain" in a leaflet
        about AIN) only add to phrasings found through rarer words, so that a
        question does not visit every phrasing that mentions the topic.
        """
        scored: list[tuple[float, int, int]] = []
        index = self.index
        # A question that names a leaflet's subject ("is AIN contagious?") is for that
        # leaflet only, however well another leaflet's words fit.
        # The same goes for every part of a message that names one.
        shelves = {s for t in every or tokens for s in index.by_subject.get(t, ())}
        if not shelves:
            shelves = {s for t in tokens for s in index.by_token.get(t, ())}
            if len(shelves) > 1:
                shelves = self._leaflets_knowing_most(every or tokens) or shelves
        for number in shelves:
            shelf = index.shelf(number)
            postings = shelf.postings
            present = [t for t in tokens if t in postings]
            if not present:
                continue  # the leaflet's words only looked as if they might match
            visit = self._tokens_to_visit(present, postings, COMMON_SHARE * len(shelf.phrasings))
            weight = shelf.weight
            overlap: dict[int, float] = dict.fromkeys(postings[visit[0]], weight(visit[0]))
            get = overlap.get
            for token in visit[1:]:
                w = weight(token)
                for p in postings[token]:
                    overlap[p] = get(p, 0.0) + w
            phrasings = shelf.phrasings
            common = [(t, weight(t)) for t in present if t not in visit]
            if common:
                for p in overlap:
                    found = phrasings[p].tokens
                    for token, w in common:
                        if token in found:
                            overlap[p] += w
            total = sum(map(weight, tokens)) or 1.0
            scales, weights = shelf.scales, shelf.weights
            # F1 of shared weight (2 / (1/recall + 1/precision)), as a score out of 100.
            scored += [(shared * scales[p] / (total + weights[p]), number, p) for p, shared in overlap.items()]
        # (Sorting a few hundred is quicker than a heap; thousands, from many leaflets, are not.)
        best = sorted(scored, reverse=True)[:CANDIDATES] if len(scored) < 2000 else heapq.nlargest(CANDIDATES, scored)
        chosen = []
        for score, number, p in best:
            shelf = index.shelf(number)
            phrasing = shelf.phrasings[p]
            if every is None:
                chosen.append(_Candidate(shelf, phrasing, phrasing.tokens & tokens, score))
            else:  # found for a part of the message: its whole-message score is not known
                chosen.append(_Candidate(shelf, phrasing, phrasing.tokens & every, None))
        return chosen

    def _leaflets_knowing_most(self, tokens: set[str]) -> set[int]:
        """The leaflets that use the most of the words of a message.

        "I'm 45 and my body attacks my white cells: will it clear up like it does
        in kids?" is for the leaflet that knows white cells, though every leaflet
        may have a "does it go away in children?".  A message whose words every
        leaflet knows ("will my boy outgrow this?") still reaches them all.
        """
        known: Counter[int] = Counter()
        for token in tokens - QUESTION_WORDS:
            for number in self.index.by_token.get(token, ()):
                if token in self.index.shelf(number).idf:
                    known[number] += 1
        most = max(known.values(), default=0)
        return {number for number, count in known.items() if count == most}

    @staticmethod
    def _tokens_to_visit(present: list[str], postings: Mapping[str, Sequence[int]], limit: float) -> list[str]:
        """The rare tokens, rarest first, and common ones too while they reach fewer than CANDIDATES
        phrasings; at most until VISIT_CAP phrasings are reached.

        A message whose only rare word is an aside ("our little girl ... will she
        grow out of AIN?") must still reach the phrasings of its question.
        """
        visit: list[str] = []
        reached: set[int] = set()
        for token in sorted(present, key=lambda t: len(postings[t])):
            if len(reached) >= VISIT_CAP or (len(postings[token]) > limit and len(reached) >= CANDIDATES):
                break
            visit.append(token)
            reached.update(postings[token])
        return visit

    def _score(self, focus: str, tokens: list[str], context: set[str], candidates: list[_Candidate],
               corrections: tuple, known: set[str], topics: set[str], age: str | None = None) -> Match:
        asked = set(tokens)
        # An age said anywhere ("I'm 45, ...") is about the person the question asks about:
        # it counts towards the score as if asked, but not against an entry that ignores it.
        focus_set = asked | {age} if age and asked else asked
        context_set = context - focus_set
        unknown = tuple(sorted(focus_set - known))
        topical = not topics.isdisjoint(focus_set | context_set)
        if not focus_set:
            return Match((), focus, tuple(tokens), unknown, corrections, topical=topical)

        weights_of: dict[int, tuple[dict[str, float], float, float]] = {}
        best_phrasing: dict[tuple[int, int], tuple[float, Shelf, Phrasing]] = {}
        best_not_covered: tuple[float, str] | None = None
        # When the reading is the whole message, the candidates were scored with these very weights.
        whole = not context_set
        for shelf, phrasing, shared, whole_score in candidates:
            key = id(shelf)
            found = weights_of.get(key)
            if found is None:
                # This reading's weights on this shelf: focus words in full, context words less.
                weights = {t: CONTEXT_WEIGHT * shelf.weight(t) for t in context_set if t in shelf.idf}
                context_total = sum(weights.values())
                focus_total = 0.0
                for t in focus_set:
                    weights[t] = shelf.weight(t)
                    if t in asked:
                        focus_total += weights[t]
                if context_total > CONTEXT_CAP * focus_total:
                    # A long story around a short question: the story may help choose, not outweigh it.
                    scale = CONTEXT_CAP * focus_total / context_total
                    for t in context_set:
                        if t in weights and t not in focus_set:
                            weights[t] *= scale
                found = weights_of[key] = (weights, focus_total, sum(weights.values()))
            weights, focus_total, question_total = found
            if whole and whole_score is not None:
                score = whole_score
            else:
                matched = 0.0
                for token in shared:
                    matched += weights.get(token, 0.0)
                if not matched:
                    continue
                # F1 of recall (matched / question_total) and precision (matched / phrasing.weight).
                score = 200.0 * phrasing.factor * matched / (question_total + phrasing.weight)
            if phrasing.entry < 0:
                if best_not_covered is None or score > best_not_covered[0]:
                    best_not_covered = (score, phrasing.text)
                continue
            entry_key = (key, phrasing.entry)
            current = best_phrasing.get(entry_key)
            if current is None or score > current[0]:
                best_phrasing[entry_key] = (score, shelf, phrasing)

        ranked_entries: list[Candidate] = []
        floor = -1.0  # the RANKED-th best score so far: a raw score below it cannot rank
        content = asked - QUESTION_WORDS
        for score, shelf, phrasing in sorted(best_phrasing.values(), key=lambda found: -found[0]):
            if score < floor:
                break  # lowering a score for coverage never raises it
            weights, focus_total, _ = weights_of[id(shelf)]
            known = shelf.vocabulary[phrasing.entry]
            if content and content.isdisjoint(known):
                continue  # "who do I talk to?" shares only "who" with "who gets it?": not an answer
            coverage = sum(weights[t] for t in asked if t in known) / focus_total if focus_total else 0.0
            # An entry whose phrasings between them know every word asked about beats
            # one that matched a short phrasing well but leaves part of the question out.
            score *= 1.0 - COVERAGE_WEIGHT * (1.0 - coverage)
            entry = shelf.entries[phrasing.entry]
            ranked_entries.append(Candidate(entry.id, entry.question, round(score, 1), phrasing.text, round(coverage, 3)))
            if len(ranked_entries) >= RANKED:
                floor = sorted((c.score for c in ranked_entries), reverse=True)[RANKED - 1]
        ranked = tuple(sorted(ranked_entries, key=lambda c: (-c.score, -c.coverage, c.entry_id))[:RANKED])
        if best_not_covered is None:
            return Match(ranked, focus, tuple(tokens), unknown, corrections, topical=topical)
        return Match(ranked, focus, tuple(tokens), unknown, corrections,
                     best_not_covered[1], round(best_not_covered[0], 1), topical)


def _pieces(sentence: str) -> list[str]:
    """A sentence cut at commas and "but": "hi, my son is 2, does it go away?" has three."""
    return [p.strip() for part in _BUT.split(sentence) for p in _PIECE.findall(part) if has_words(p)]


def _asks(piece: _Piece) -> bool:
    """Whether a piece opens the way a question does ("will it...", "how is...")."""
    return bool(_QUESTION_START.match(piece.text.lstrip().lower()))


def _rank_key(match: Match) -> tuple[float, float]:
    best = match.best
    if best is None:
        return (-1.0, -1.0)
    return (best.score * min(1.0, best.coverage / MIN_COVERAGE), best.coverage)
