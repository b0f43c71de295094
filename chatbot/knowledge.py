"""The knowledge base: question-answer entries drawn from patient documents.

A knowledge base is one YAML file or a directory of them.  Each file names its
source document and lists entries; `load` checks everything a curator can get
wrong and reports all of it at once, each problem at its line and column.
"""

from __future__ import annotations

import errno
import os
import re
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Iterator, Mapping

import yaml
from rapidfuzz import fuzz, process

from .document import Document
from .problems import KnowledgeBaseError, Problem, display_path
from .text import normalise, sentences
from .yamlfile import describe, is_list, is_mapping, is_text, position, read_yaml

#: Longest answer a person should have to read in a chat window.
MAX_ANSWER_CHARS = 500
MAX_ANSWER_SENTENCES = 4
MIN_ALTERNATES = 5
RELATED_RANGE = (1, 3)

_ENTRY_FIELDS = ("id", "question", "alternates", "answer", "source", "related")
_OPTIONAL_ENTRY_FIELDS = ("topic",)  # a heading to group entries under in /topics
_FILE_FIELDS = {"document": True, "entries": True, "not_covered": False}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Entry:
    """One question the knowledge base can answer, with the evidence for its answer."""

    id: str
    question: str
    alternates: tuple[str, ...]
    answer: str
    source: tuple[str, ...]
    related: tuple[str, ...]
    document: Document
    origin: str  # "path:line" of the entry, for messages to curators
    topic: str = ""  # heading it is listed under in /topics

    @property
    def phrasings(self) -> tuple[str, ...]:
        """The canonical question first, then every alternate."""
        return (self.question, *self.alternates)


@dataclass(frozen=True)
class KnowledgeBase:
    """Every entry of every file, in file order; read-only once built."""

    entries: tuple[Entry, ...]
    documents: tuple[Document, ...]
    #: Questions people ask that the documents do not answer (see README).
    not_covered: tuple[str, ...]
    files: tuple[Path, ...]
    warnings: tuple[Problem, ...]

    @property
    def by_id(self) -> Mapping[str, Entry]:
        return MappingProxyType({entry.id: entry for entry in self.entries})

    @property
    def title(self) -> str:
        """How the chat names what it knows: the document title, or how many documents."""
        if len(self.documents) == 1:
            return self.documents[0].title
        return f"{len(self.documents)} patient documents"


def bundled_path() -> Path:
    """The knowledge base shipped with the package (in a wheel) or beside it (in a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "knowledge", here.parent / "knowledge"):
        if candidate.is_dir():
            return candidate
    return here / "knowledge"


def kb_files(path: Path) -> list[Path]:
    """The YAML files of a knowledge base: the file itself, or those directly in a directory."""
    shown = display_path(path)
    try:
        if path.is_dir():
            found = sorted(p for p in path.iterdir() if p.suffix.lower() in YAML_SUFFIXES and not p.name.startswith("."))
            if not found:
                raise KnowledgeBaseError([Problem(shown, 1, 1, "directory holds no .yaml or .yml files")], unreadable=True)
            return found
        path.stat()
    except KnowledgeBaseError:
        raise
    except (OSError, RuntimeError) as exc:
        reason = "symbolic link loop" if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP else (exc.strerror or str(exc))
        raise KnowledgeBaseError([Problem(shown, 1, 1, f"cannot read knowledge base: {reason}")], unreadable=True) from None
    return [path]


def load(path: str | os.PathLike[str] | None = None) -> KnowledgeBase:
    """Load and check a knowledge base; raise KnowledgeBaseError listing every problem."""
    root = Path(path) if path is not None else bundled_path()
    builder = _Builder()
    for file in kb_files(root):
        builder.add_file(file)
    return builder.finish()


class _Builder:
    """Collects entries and problems across files, then checks what spans files."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.entries: list[Entry] = []
        self.documents: list[Document] = []
        self.not_covered: list[str] = []
        self.files: list[Path] = []
        self.first_id: dict[str, str] = {}
        self.first_phrasing: dict[str, tuple[str, str]] = {}
        self.related_refs: list[tuple[str, int, int, str, str]] = []

    def problem(self, shown: str, node: yaml.Node, message: str, level: str = "error") -> None:
        line, column = position(node)
        self.problems.append(Problem(shown, line, column, message, level))

    # -- one file ---------------------------------------------------------
    def add_file(self, file: Path) -> None:
        self.files.append(file)
        shown = display_path(file)
        try:
            root = read_yaml(file)
        except KnowledgeBaseError as exc:
            self.problems.extend(exc.problems)
            return
        if not is_mapping(root):
            self.problem(shown, root, f"a knowledge-base file must be a mapping with 'document:' and 'entries:', not {describe(root)}")
            return
        fields = self.fields(shown, root, _FILE_FIELDS, "file")
        document = self.document(shown, file, fields.get("document"))
        entries = fields.get("entries")
        if entries is not None:
            if not is_list(entries):
                self.problem(shown, entries, f"entries: expected a list, got {describe(entries)}")
            else:
                for index, node in enumerate(entries.value):
                    self.entry(shown, index, node, document)
        not_covered = fields.get("not_covered")
        if not_covered is not None:
            for _, item in self.texts(shown, not_covered, "not_covered"):
                self.not_covered.append(item)

    def fields(self, shown: str, node: yaml.MappingNode, known: Mapping[str, bool], where: str) -> dict[str, yaml.Node]:
        """The mapping's values by key, reporting duplicate, unknown and missing keys."""
        found: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not is_text(key):
                self.problem(shown, key, f"{where}: keys must be text, not {describe(key)}")
                continue
            name = key.value
            if name in found:
                self.problem(shown, key, f"{where}: field '{name}' appears twice")
            elif name not in known:
                hint = process.extractOne(name, list(known), scorer=fuzz.ratio, score_cutoff=60)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else f" (known fields: {', '.join(known)})"
                self.problem(shown, key, f"{where}: unknown field '{name}'{suggestion}")
            else:
                found[name] = value
        for name, required in known.items():
            if required and name not in found:
                self.problem(shown, node, f"{where}: missing field '{name}'")
        return found

    def document(self, shown: str, file: Path, node: yaml.Node | None) -> Document | None:
        if node is None:
            return None
        if not is_text(node) or not node.value.strip():
            self.problem(shown, node, f"document: expected the path of a text file, got {describe(node)}")
            return None
        try:
            document = Document.read(file.parent / node.value)
        except KnowledgeBaseError as exc:
            self.problem(shown, node, f"document '{node.value}': {exc.problems[0].message}")
            return None
        self.documents.append(document)
        return document

    def texts(self, shown: str, node: yaml.Node, where: str, single_ok: bool = False) -> Iterator[tuple[yaml.Node, str]]:
        """Yield each non-empty text of a list (or a single text where allowed)."""
        if single_ok and is_text(node):
            items = [node]
        elif is_list(node):
            items = node.value
        else:
            self.problem(shown, node, f"{where}: expected a list of text, got {describe(node)}")
            return
        for index, item in enumerate(items):
            if not is_text(item):
                self.problem(shown, item, f"{where}[{index}]: expected text, got {describe(item)}")
            elif not item.value.strip():
                self.problem(shown, item, f"{where}[{index}]: is empty")
            else:
                yield item, item.value.strip()

    # -- one entry ----------------------------------------------------------
    def entry(self, shown: str, index: int, node: yaml.Node, document: Document | None) -> None:
        where = f"entries[{index}]"
        if not is_mapping(node):
            self.problem(shown, node, f"{where}: expected a mapping with {', '.join(_ENTRY_FIELDS)}, got {describe(node)}")
            return
        id_node = next((v for k, v in node.value if is_text(k) and k.value == "id"), None)
        if id_node is not None and is_text(id_node):
            where = f"{where} ({id_node.value})"
        known = {**dict.fromkeys(_ENTRY_FIELDS, True), **dict.fromkeys(_OPTIONAL_ENTRY_FIELDS, False)}
        fields = self.fields(shown, node, known, where)
        count_before = len([p for p in self.problems if p.level == "error"])

        entry_id = self.entry_id(shown, where, fields.get("id"))
        question = self.one_text(shown, where, "question", fields.get("question"))
        alternates = self.phrasings(shown, where, fields.get("alternates"))
        answer = self.answer(shown, where, fields.get("answer"))
        topic = self.one_text(shown, where, "topic", fields.get("topic")) or ""
        quotes = self.quotes(shown, where, fields.get("source"), document)
        related = [(n, v) for n, v in self.texts(shown, fields["related"], f"{where}.related")] if "related" in fields else []

        if entry_id is None:
            return
        self.check_phrasings(shown, entry_id, fields.get("question"), question, alternates)
        for item, value in related:
            line, column = position(item)
            self.related_refs.append((shown, line, column, entry_id, value))
        if len(related) and not RELATED_RANGE[0] <= len(related) <= RELATED_RANGE[1]:
            self.problem(shown, fields["related"], f"{where}.related: lists {len(related)} entries; suggest {RELATED_RANGE[0]} to {RELATED_RANGE[1]}", "warning")
        errors_now = len([p for p in self.problems if p.level == "error"])
        if errors_now != count_before or document is None or question is None or answer is None:
            return
        self.entries.append(
            Entry(
                id=entry_id,
                question=question,
                alternates=tuple(value for _, value in alternates),
                answer=answer,
                source=tuple(quotes),
                related=tuple(value for _, value in related),
                document=document,
                origin=f"{shown}:{position(node)[0]}",
                topic=topic,
            )
        )

    def one_text(self, shown: str, where: str, name: str, node: yaml.Node | None) -> str | None:
        if node is None:
            return None
        if not is_text(node):
            self.problem(shown, node, f"{where}.{name}: expected text, got {describe(node)}")
            return None
        value = " ".join(node.value.split())
        if not value:
            self.problem(shown, node, f"{where}.{name}: is empty")
            return None
        return value

    def entry_id(self, shown: str, where: str, node: yaml.Node | None) -> str | None:
        value = self.one_text(shown, where, "id", node)
        if value is None or node is None:
            return None
        if not _SLUG.match(value):
            self.problem(shown, node, f"{where}.id: '{value}' must be a slug: lower-case letters, digits and single hyphens")
            return None
        line, _ = position(node)
        if value in self.first_id:
            self.problem(shown, node, f"{where}.id: duplicate id '{value}' (first used at {self.first_id[value]})")
        else:
            self.first_id[value] = f"{shown}:{line}"
        return value

    def phrasings(self, shown: str, where: str, node: yaml.Node | None) -> list[tuple[yaml.Node, str]]:
        if node is None:
            return []
        found = [(item, " ".join(value.split())) for item, value in self.texts(shown, node, f"{where}.alternates")]
        if is_list(node) and len(found) < MIN_ALTERNATES:
            self.problem(shown, node, f"{where}.alternates: has {len(found)}; at least {MIN_ALTERNATES} help people find this entry", "warning")
        return found

    def check_phrasings(self, shown: str, entry_id: str, question_node: yaml.Node | None,
                        question: str | None, alternates: list[tuple[yaml.Node, str]]) -> None:
        """Report a phrasing that another entry already has: the matcher could not tell them apart."""
        pairs = ([(question_node, question)] if question_node is not None and question else []) + alternates
        seen_here: set[str] = set()
        for node, text in pairs:
            key = normalise(text)
            if not key:
                continue
            line, _ = position(node)
            if key in seen_here:
                self.problem(shown, node, f"entry '{entry_id}': phrasing '{text}' is listed twice", "warning")
                continue
            seen_here.add(key)
            other = self.first_phrasing.get(key)
            if other is not None and other[0] != entry_id:
                self.problem(shown, node, f"entry '{entry_id}': phrasing '{text}' is also under entry '{other[0]}' ({other[1]})")
            elif other is None:
                self.first_phrasing[key] = (entry_id, f"{shown}:{line}")

    def answer(self, shown: str, where: str, node: yaml.Node | None) -> str | None:
        if node is None:
            return None
        if not is_text(node):
            self.problem(shown, node, f"{where}.answer: expected text, got {describe(node)}")
            return None
        value = " ".join(node.value.split())
        if not value:
            self.problem(shown, node, f"{where}.answer: answer is empty")
            return None
        if len(value) > MAX_ANSWER_CHARS:
            self.problem(shown, node, f"{where}.answer: answer is {len(value)} characters; the limit is {MAX_ANSWER_CHARS}")
            return None
        count = len(sentences(value))
        if count > MAX_ANSWER_SENTENCES:
            self.problem(shown, node, f"{where}.answer: has {count} sentences; keep it to {MAX_ANSWER_SENTENCES}", "warning")
        return value

    def quotes(self, shown: str, where: str, node: yaml.Node | None, document: Document | None) -> list[str]:
        if node is None:
            return []
        found = []
        for item, quote in self.texts(shown, node, f"{where}.source", single_ok=True):
            if document is not None and not document.contains(quote):
                self.problem(shown, item, f"{where}.source: quote not found in {document.path.name}: \"{_clip(quote)}\"{_closest(document, quote)}")
            found.append(quote)
        return found

    # -- across files -------------------------------------------------------
    def finish(self) -> KnowledgeBase:
        for shown, line, column, entry_id, target in self.related_refs:
            if target not in self.first_id:
                hint = process.extractOne(target, list(self.first_id), scorer=fuzz.ratio, score_cutoff=70)
                suggestion = f" (did you mean '{hint[0]}'?)" if hint else ""
                self.problems.append(Problem(shown, line, column, f"entry '{entry_id}': related id '{target}' does not exist{suggestion}"))
            elif target == entry_id:
                self.problems.append(Problem(shown, line, column, f"entry '{entry_id}': lists itself as related", "warning"))
        errors = [p for p in self.problems if p.level == "error"]
        if errors:
            raise KnowledgeBaseError(self.problems)
        return KnowledgeBase(
            entries=tuple(self.entries),
            documents=tuple(self.documents),
            not_covered=tuple(self.not_covered),
            files=tuple(self.files),
            warnings=tuple(sorted(self.problems)),
        )


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _closest(document: Document, quote: str) -> str:
    """Point the curator at the passage the quote was probably copied from."""
    if not document.sentences:
        return ""
    best = process.extractOne(quote, document.sentences, scorer=fuzz.partial_ratio, score_cutoff=60)
    return f"; closest sentence: \"{_clip(best[0])}\"" if best else ""
