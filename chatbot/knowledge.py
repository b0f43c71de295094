"""The knowledge base: question-answer entries drawn from patient documents.

A knowledge base is one YAML file or a directory of them.  Each file names its
source document and lists entries; `load` checks everything a curator can get
wrong and reports all of it at once, each problem at its line and column.
"""

from __future__ import annotations

import errno
import os
import re
from types import MappingProxyType
from typing import Mapping, NamedTuple

from .document import Document
from .problems import KnowledgeBaseError, Problem, display_path
from .text import phrasing_key, sentences, squash_spaces
from .yamlfile import Position, Positions, describe, load_yaml

#: Longest answer a person should have to read in a chat window.
MAX_ANSWER_CHARS = 500
MAX_ANSWER_SENTENCES = 4
MIN_ALTERNATES = 5
RELATED_RANGE = (1, 3)

_ENTRY_FIELDS = ("id", "question", "alternates", "answer", "source", "related")
_OPTIONAL_ENTRY_FIELDS = ("topic",)  # a heading to group entries under in /topics
_KNOWN_ENTRY_FIELDS = {**dict.fromkeys(_ENTRY_FIELDS, True), **dict.fromkeys(_OPTIONAL_ENTRY_FIELDS, False)}
_FILE_FIELDS = {"document": True, "entries": True, "not_covered": False}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YAML_SUFFIXES = (".yaml", ".yml")


class Entry(NamedTuple):
    """One question the knowledge base can answer, with the evidence for its answer."""

    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    source: tuple[str, ...]
    related: tuple[str, ...]
    document: Document
    origin: str  # where the entry is written: "path:line" (or "path:entries[n]" when loaded without positions)
    topic: str = ""  # heading it is listed under in /topics

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question first, then every alternate."""
        return (self.question, *self.alternates)


class NotCovered(NamedTuple):
    """A question a document is known not to answer ("Is it contagious?")."""

    question: str
    document: Document


class KnowledgeBase(NamedTuple):
    """Every entry of every file, in file order; read-only once built."""

    entries: tuple[Entry, ...]
    documents: tuple[Document, ...]
    not_covered: tuple[NotCovered, ...]
    files: tuple[str, ...]
    warnings: tuple[Problem, ...]
    by_id: Mapping[str, Entry]

    @property
    def title(self) -> str:
        """How the chat names what it knows: the document title, or how many documents."""
        if len(self.documents) == 1:
            return self.documents[0].title
        return f"{len(self.documents)} patient documents"


def bundled_path() -> str:
    """The knowledge base shipped with the package (in a wheel) or beside it (in a checkout)."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "knowledge"), os.path.join(os.path.dirname(here), "knowledge")):
        if os.path.isdir(candidate):
            return candidate
    return os.path.join(here, "knowledge")


def kb_files(path: str) -> list[str]:
    """The YAML files of a knowledge base: the file itself, or those directly in a directory."""
    shown = display_path(path)
    try:
        if os.path.isdir(path):
            found = sorted(
                os.path.join(path, name) for name in os.listdir(path)
                if name.lower().endswith(YAML_SUFFIXES) and not name.startswith(".")
            )
            if not found:
                raise KnowledgeBaseError([Problem(shown, 1, 1, "directory holds no .yaml or .yml files")], unreadable=True)
            return found
        os.stat(path)
    except KnowledgeBaseError:
        raise
    except OSError as exc:
        reason = "symbolic link loop" if exc.errno == errno.ELOOP else (exc.strerror or str(exc))
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read knowledge base: {reason}")], unreadable=True) from None
    except ValueError:  # a NUL in the path given to `Bot`
        raise KnowledgeBaseError([Problem(shown, 1, 1, "cannot read knowledge base: the path contains a NUL character")], unreadable=True) from None
    return [path]


def load(path: str | os.PathLike[str] | None = None, *, positions: bool = False) -> KnowledgeBase:
    """Load and check a knowledge base; raise KnowledgeBaseError listing every problem.

    Files are first read as plain values, which is fast; only when a problem is
    found are they read again keeping every value's position, so that each
    problem is reported at its line and column.  `positions=True` (what `lint`
    uses) always keeps them, which also finds keys written twice in a mapping.
    """
    root = os.fspath(path) if path is not None else bundled_path()
    files = kb_files(root)
    if not positions:
        try:
            return _build(files, positions=False)
        except KnowledgeBaseError:
            pass  # read again below, to say where each problem is
    return _build(files, positions=True)


def _build(files: list[str], positions: bool) -> KnowledgeBase:
    builder = _Builder(positions)
    for file in files:
        builder.add_file(file)
    return builder.finish()


class _Builder:
    """Collects entries and problems across files, then checks what spans files.

    Each file is checked as plain values; `Positions` says where each value was
    written, so every problem is reported at its line and column.
    """

    def __init__(self, positions: bool) -> None:
        self.positions = positions
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []
        self.documents: list[Document] = []
        self.not_covered: list[NotCovered] = []
        self.files: list[str] = []
        self.first_id: dict[str, str] = {}
        self.first_phrasing: dict[str, tuple[str, str]] = {}
        self.related_refs: list[tuple[str, int, int, str, str]] = []
        # The file being checked:
        self.shown = ""
        self.at: Positions | None = None
        # A file that could not be read at all (a pipe, a link loop, no permission):
        # `lint` exits 2 for it, not 1, however many other problems there are.
        self.unreadable = False

    def problem(self, where: Position, message: str, level: str = "error") -> None:
        self.problems.append(Problem(self.shown, where[0], where[1], message, level))

    # -- one file ---------------------------------------------------------
    def add_file(self, file: str) -> None:
        self.files.append(file)
        self.shown = display_path(file)
        try:
            root, self.at = load_yaml(file, positions=self.positions)
        except KnowledgeBaseError as exc:
            self.problems.extend(exc.problems)
            self.unreadable = self.unreadable or exc.unreadable
            return
        for key, where in self.at.duplicates:
            self.problem(where, f"field '{key}' appears twice in one mapping")
        if not isinstance(root, dict):
            self.problem((1, 1), f"a knowledge-base file must be a mapping with 'document:' and 'entries:', not {describe(root)}")
            return
        fields = self.fields(root, _FILE_FIELDS, "file")
        document = self.document(file, root, fields)
        entries = fields.get("entries")
        if "entries" in fields:
            if not isinstance(entries, list):
                self.problem(self.at.of(root, "entries"), f"entries: expected a list, got {describe(entries)}")
            else:
                for index, item in enumerate(entries):
                    self.entry(entries, index, item, document)
        if "not_covered" in fields:
            for item in self.texts(root, "not_covered", "not_covered"):
                if document is not None:
                    self.not_covered.append(NotCovered(item, document))

    def fields(self, mapping: dict, known: Mapping[str, bool], where: str) -> dict[str, object]:
        """The mapping's values by field, reporting unknown and missing fields."""
        assert self.at is not None
        if mapping.keys() <= known.keys() and all(name in mapping for name, required in known.items() if required):
            return mapping  # the usual case: nothing to report
        found: dict[str, object] = {}
        for name, value in mapping.items():
            if not isinstance(name, str):
                self.problem(self.at.key(mapping, name), f"{where}: field names must be text, not {describe(name)}")
            elif name not in known:
                hint = _similar(name, list(known), 60)
                suggestion = f" (did you mean '{hint}'?)" if hint else f" (known fields: {', '.join(known)})"
                self.problem(self.at.key(mapping, name), f"{where}: unknown field '{name}'{suggestion}")
            else:
                found[name] = value
        for name, required in known.items():
            if required and name not in found:
                self.problem(self.at.of(mapping), f"{where}: missing field '{name}'")
        return found

    def document(self, file: str, root: dict, fields: dict[str, object]) -> Document | None:
        assert self.at is not None
        if "document" not in fields:
            return None
        value = fields["document"]
        where = self.at.of(root, "document")
        if not isinstance(value, str) or not value.strip():
            self.problem(where, f"document: expected the path of a text file, got {describe(value)}")
            return None
        try:
            document = Document.read(os.path.join(os.path.dirname(file), value))
        except KnowledgeBaseError as exc:
            self.problem(where, f"document '{value}': {exc.problems[0].message}")
            return None
        self.documents.append(document)
        return document

    def texts(self, mapping: dict, name: str, where: str, single_ok: bool = False) -> list[str]:
        """The non-empty texts of a list field (or a single text where allowed)."""
        assert self.at is not None
        value = mapping[name]
        if single_ok and isinstance(value, str):
            items, container = [value], None
        elif isinstance(value, list):
            items, container = value, value
        else:
            self.problem(self.at.of(mapping, name), f"{where}: expected a list of text, got {describe(value)}")
            return []
        if all(type(item) is str for item in items):
            found = [squash_spaces(item) for item in items]
            if all(found):
                return found  # the usual case: nothing to report
        found = []
        for index, item in enumerate(items):
            if isinstance(item, str):
                text = squash_spaces(item)
                if text:
                    found.append(text)
                    continue
            position = self.at.of(container, index) if container is not None else self.at.of(mapping, name)
            if isinstance(item, str):
                self.problem(position, f"{where}[{index}]: is empty")
            else:
                self.problem(position, f"{where}[{index}]: expected text, got {describe(item)}")
        return found

    def text(self, mapping: dict, name: str, where: str) -> str | None:
        assert self.at is not None
        value = mapping.get(name)
        if name not in mapping:
            return None
        if not isinstance(value, str):
            self.problem(self.at.of(mapping, name), f"{where}.{name}: expected text, got {describe(value)}")
            return None
        text = squash_spaces(value)
        if not text:
            self.problem(self.at.of(mapping, name), f"{where}.{name}: {name} is empty" if name == "answer" else f"{where}.{name}: is empty")
            return None
        return text

    # -- one entry ----------------------------------------------------------
    def entry(self, entries: list, index: int, item: object, document: Document | None) -> None:
        assert self.at is not None
        where = f"entries[{index}]"
        if not isinstance(item, dict):
            self.problem(self.at.of(entries, index), f"{where}: expected a mapping with {', '.join(_ENTRY_FIELDS)}, got {describe(item)}")
            return
        if isinstance(item.get("id"), str):
            where = f"{where} ({item['id']})"
        errors_before = len(self.problems)
        fields = self.fields(item, _KNOWN_ENTRY_FIELDS, where)
        entry_id = self.entry_id(item, where)
        question = self.text(item, "question", where)
        alternates = self.texts(item, "alternates", f"{where}.alternates") if "alternates" in fields else []
        if "alternates" in fields and isinstance(item["alternates"], list) and len(alternates) < MIN_ALTERNATES:
            self.problem(self.at.of(item, "alternates"),
                         f"{where}.alternates: has {len(alternates)}; at least {MIN_ALTERNATES} help people find this entry", "warning")
        answer = self.answer(item, where)
        quotes = self.quotes(item, where, document) if "source" in fields else []
        related = self.texts(item, "related", f"{where}.related") if "related" in fields else []
        topic = self.text(item, "topic", where) or ""
        if entry_id is None:
            return
        self.check_phrasings(item, entry_id, question, alternates)
        related_list = item.get("related")
        for number, target in enumerate(related):
            line, column = self.at.of(related_list, number)
            self.related_refs.append((self.shown, line, column, entry_id, target))
        if related and not RELATED_RANGE[0] <= len(related) <= RELATED_RANGE[1]:
            self.problem(self.at.of(item, "related"),
                         f"{where}.related: lists {len(related)} entries; suggest {RELATED_RANGE[0]} to {RELATED_RANGE[1]}", "warning")
        has_errors = any(p.level == "error" for p in self.problems[errors_before:])
        if has_errors or document is None or question is None or answer is None:
            return
        origin = f"{self.shown}:{self.at.of(entries, index)[0]}" if self.positions else f"{self.shown}:entries[{index}]"
        self.entries.append(Entry(entry_id, question, tuple(alternates), answer, tuple(quotes), tuple(related), document, origin, topic))

    def entry_id(self, item: dict, where: str) -> str | None:
        assert self.at is not None
        value = self.text(item, "id", where)
        if value is None:
            return None
        position = self.at.of(item, "id")
        if not _SLUG.match(value):
            self.problem(position, f"{where}.id: '{value}' must be a slug: lower-case letters, digits and single hyphens")
            return None
        if value in self.first_id:
            self.problem(position, f"{where}.id: duplicate id '{value}' (first used at {self.first_id[value]})")
        else:
            self.first_id[value] = f"{self.shown}:{position[0]}"
        return value

    def check_phrasings(self, item: dict, entry_id: str, question: str | None, alternates: list[str]) -> None:
        """Report a phrasing that another entry already has: the matcher could not tell them apart."""
        phrasings = [question, *alternates] if question else alternates
        seen_here: set[str] = set()
        first = self.first_phrasing
        for number, text in enumerate(phrasings):
            key = phrasing_key(text)
            if key in seen_here or (key in first and first[key][0] != entry_id):
                self.phrasing_problem(item, entry_id, phrasings, number, key in seen_here)
            seen_here.add(key)
            if key not in first:
                first[key] = (entry_id, self.shown)

    def phrasing_problem(self, item: dict, entry_id: str, phrasings: list[str], number: int, twice_here: bool) -> None:
        assert self.at is not None
        text = phrasings[number]
        listed = item.get("alternates") if isinstance(item.get("alternates"), list) else []
        if number == 0 and item.get("question") is not None:
            position = self.at.of(item, "question")
        else:
            # The alternates that passed the type check, in order, are the phrasings after the question.
            kept = [i for i, value in enumerate(listed) if isinstance(value, str) and value.strip()]
            offset = number - (1 if item.get("question") is not None and phrasings and phrasings[0] == squash_spaces(str(item.get("question"))) else 0)
            position = self.at.of(listed, kept[offset]) if 0 <= offset < len(kept) else self.at.of(item)
        if twice_here:
            self.problem(position, f"entry '{entry_id}': phrasing '{text}' is listed twice", "warning")
        else:
            other = self.first_phrasing[phrasing_key(text)]
            self.problem(position, f"entry '{entry_id}': phrasing '{text}' is also under entry '{other[0]}' ({other[1]})")

    def answer(self, item: dict, where: str) -> str | None:
        assert self.at is not None
        value = self.text(item, "answer", where)
        if value is None:
            return None
        position = self.at.of(item, "answer")
        if len(value) > MAX_ANSWER_CHARS:
            self.problem(position, f"{where}.answer: answer is {len(value)} characters; the limit is {MAX_ANSWER_CHARS}")
            return None
        count = len(sentences(value)) if _rough_sentences(value) > MAX_ANSWER_SENTENCES else 0
        if count > MAX_ANSWER_SENTENCES:
            self.problem(position, f"{where}.answer: has {count} sentences; keep it to {MAX_ANSWER_SENTENCES}", "warning")
        return value

    def quotes(self, item: dict, where: str, document: Document | None) -> list[str]:
        assert self.at is not None
        found = self.texts(item, "source", f"{where}.source", single_ok=True)
        if document is None:
            return found
        source = item["source"]
        for number, quote in enumerate(found):
            if not document.contains(quote):
                position = self.at.of(source, number) if isinstance(source, list) else self.at.of(item, "source")
                self.problem(position, f"{where}.source: quote not found in {document.name}: \"{_clip(quote)}\"{_closest(document, quote)}")
        return found

    # -- across files -------------------------------------------------------
    def finish(self) -> KnowledgeBase:
        for shown, line, column, entry_id, target in self.related_refs:
            if target not in self.first_id:
                hint = _similar(target, list(self.first_id), 70)
                suggestion = f" (did you mean '{hint}'?)" if hint else ""
                self.problems.append(Problem(shown, line, column, f"entry '{entry_id}': related id '{target}' does not exist{suggestion}"))
            elif target == entry_id:
                self.problems.append(Problem(shown, line, column, f"entry '{entry_id}': lists itself as related", "warning"))
        if any(p.level == "error" for p in self.problems):
            raise KnowledgeBaseError(self.problems, unreadable=self.unreadable)
        return KnowledgeBase(
            entries=tuple(self.entries),
            documents=tuple(self.documents),
            not_covered=tuple(self.not_covered),
            files=tuple(self.files),
            warnings=tuple(sorted(self.problems)),
            by_id=MappingProxyType({entry.id: entry for entry in self.entries}),
        )


def _rough_sentences(text: str) -> int:
    """At least as many as the sentences in `text` (a cheap check before splitting it)."""
    return 1 + text.count(". ") + text.count("? ") + text.count("! ")


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _similar(word: str, choices: list[str], cutoff: float) -> str | None:
    """The choice a typo was probably meant to be (only computed for problems)."""
    from rapidfuzz import fuzz, process

    found = process.extractOne(word, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return found[0] if found else None


def _closest(document: Document, quote: str) -> str:
    """Point the curator at the passage the quote was probably copied from."""
    from rapidfuzz import fuzz, process

    if not document.sentences:
        return ""
    best = process.extractOne(quote, document.sentences, scorer=fuzz.partial_ratio, score_cutoff=60)
    return f"; closest sentence: \"{_clip(best[0])}\"" if best else ""
