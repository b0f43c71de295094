"""Small knowledge bases written into a temporary folder, for tests of the loader."""

from __future__ import annotations

from pathlib import Path

DOCUMENT = """\
Looking after a cough
A cough usually gets better on its own within three weeks. Drinking warm water can soothe the throat.
See a doctor if the cough lasts longer than three weeks.
"""

VALID = """\
document: doc.txt
entries:
  - id: cough-duration
    question: How long does a cough last?
    alternates: [cough length, when will my cough stop, how many weeks does a cough last, cough weeks, is my cough going to end]
    answer: A cough usually gets better on its own within three weeks.
    source: A cough usually gets better on its own within three weeks.
    related: [soothe-throat]
  - id: soothe-throat
    question: What soothes a cough?
    alternates: [sore throat help, warm water cough, how to calm a cough, cough remedy, what helps a tickly throat]
    answer: Drinking warm water can soothe the throat.
    source: [Drinking warm water can soothe the throat.]
    related: [cough-duration]
"""

# Two entries that say as much about "honey" as each other: "honey" asks which one.
TIED = """\
document: doc.txt
entries:
  - id: cough-duration
    question: How long does a cough last?
    alternates: [cough length, cough duration, when does a cough end, honey lemon, cough timeline]
    answer: A cough usually gets better on its own within three weeks.
    source: A cough usually gets better on its own within three weeks.
    related: [soothe-cough]
  - id: soothe-cough
    question: What soothes a cough?
    alternates: [cough remedy, throat relief, what to drink for a cough, honey ginger, cough comfort]
    answer: Drinking warm water can soothe the throat.
    source: Drinking warm water can soothe the throat.
    related: [cough-duration]
"""


def write_files(folder: Path, files: dict[str, str]) -> Path:
    """Write {relative path: text} under folder and return the folder."""
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def write_kb(folder: Path, kb: str = VALID, document: str = DOCUMENT) -> Path:
    """A one-file knowledge base with its document; returns the YAML file's path."""
    write_files(folder, {"kb.yaml": kb, "doc.txt": document})
    return folder / "kb.yaml"
