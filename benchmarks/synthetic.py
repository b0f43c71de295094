"""Synthetic knowledge bases for the benchmark: many leaflets of FAQ-like entries.

Each leaflet is a made-up condition with its own generated document; its
entries ask about that condition in FAQ wording drawn from a large vocabulary,
quote the document verbatim (so `chatbot lint` accepts them), and have six
phrasings each.  Generation is seeded, so a size always gives the same files.
"""

from __future__ import annotations

import random
from pathlib import Path

ENTRIES_PER_LEAFLET = 100
PHRASINGS = 6  # the question and five alternates

_SYLLABLES = "ka lo mi ra ven tor dus pel gri nax sol bre fin qua zel hom tri vak dro mel sto ren pax lum cor ti".split()
_SUFFIXES = ["itis", "osis", "emia", "opathy", "algia", "oma", "iasis", "otonia"]
_PEOPLE = ["children", "adults", "babies", "teenagers", "older people", "pregnant women", "athletes", "toddlers"]
_QUESTIONS = [
    "What is {cond}?",
    "How is {cond} treated?",
    "Does {cond} go away in {people}?",
    "How long does {cond} last?",
    "What causes {thing} in {cond}?",
    "Can {thing} help with {cond}?",
    "Is {thing} a sign of {cond}?",
    "Why does {cond} affect the {thing}?",
    "Should {people} with {cond} avoid {thing}?",
    "How often is {thing} checked in {cond}?",
    "What does {thing} mean for {cond}?",
    "Is {cond} linked to {thing}?",
]
_ALTERNATES = [
    "{cond} {thing}",
    "{thing} and {cond} in {people}",
    "my {relative} has {cond}, what about {thing}?",
    "tell me about {thing} with {cond}",
    "{cond} {thing} {other}",
    "is there anything about {thing} and {other} for {cond}",
    "{people} {cond} {thing} question",
    "what should we know about {thing} if we have {cond}",
]
_RELATIVES = ["son", "daughter", "husband", "wife", "mum", "dad", "friend", "grandson"]


_ONSETS = "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sh sk sl sp st t th tr v w z".split()
_VOWELS = "a e i o u ai ea ee oo ou y".split()
_CODAS = "b d ff g k l ld lk m mp n nd nt p r rn rt s sk st t th x".split()


def vocabulary(size: int = 20000, seed: int = 3) -> list[str]:
    """Made-up topic words ("plenthor", "skouldimp"): a large vocabulary that, unlike a
    dictionary, cannot accidentally answer a question about asthma or calories."""
    english = set((Path(__file__).resolve().parent.parent / "chatbot" / "data" / "words" / "dictionary.txt").read_text().split())
    rng = random.Random(seed)
    found: set[str] = set()
    while len(found) < size:
        word = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(rng.randint(1, 2)))
        if len(word) >= 5 and word not in english:
            found.add(word)
    return sorted(found)


def _condition(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))) + rng.choice(_SUFFIXES)


def leaflet(number: int, vocabulary: list[str], rng: random.Random, names: set[str]) -> tuple[str, str]:
    """One leaflet: (document text, knowledge-base YAML).  `names` holds the conditions already used."""
    cond = _condition(rng)
    while cond in names:
        cond = _condition(rng)
    names.add(cond)
    title = f"Living with {cond}"
    sentences = []
    entries = []
    used: set[str] = set()
    index = -1
    while len(entries) < ENTRIES_PER_LEAFLET:
        index += 1
        thing, other = rng.sample(vocabulary, 2)
        people = rng.choice(_PEOPLE)
        fill = {"cond": cond, "thing": thing, "other": other, "people": people, "relative": rng.choice(_RELATIVES)}
        question = rng.choice(_QUESTIONS).format(**fill)
        phrasings = [question]
        for template in rng.sample(_ALTERNATES, PHRASINGS - 1):
            phrasings.append(template.format(**fill))
        key_phrasings = [p for p in phrasings if p.lower() not in used]
        if len(key_phrasings) < len(phrasings):
            continue
        used.update(p.lower() for p in phrasings)
        sentence = f"In {cond}, {thing} is looked at together with {other} when {people} are seen for care number {number}-{index}."
        sentences.append(sentence)
        entries.append((f"entry-{number}-{index}", phrasings, sentence))
    document = title + "\n" + " ".join(sentences) + "\n"
    lines = [f"document: leaflet-{number}.txt", "entries:"]
    for i, (entry_id, phrasings, sentence) in enumerate(entries):
        related = entries[(i + 1) % len(entries)][0]
        lines.append(f"  - id: {entry_id}")
        lines.append(f"    question: {_quote(phrasings[0])}")
        lines.append("    alternates:")
        lines.extend(f"      - {_quote(p)}" for p in phrasings[1:])
        lines.append(f"    answer: {_quote(sentence)}")
        lines.append(f"    source: {_quote(sentence)}")
        lines.append(f"    related: [{related}]")
    return document, "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_synthetic(folder: Path, entries: int, vocabulary: list[str], seed: int = 7) -> list[Path]:
    """Write about `entries` entries as leaflets of ENTRIES_PER_LEAFLET; return the YAML files."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    names: set[str] = set()
    for number in range(max(1, entries // ENTRIES_PER_LEAFLET)):
        document, kb = leaflet(number, vocabulary, rng, names)
        (folder / f"leaflet-{number}.txt").write_text(document, encoding="utf-8")
        path = folder / f"leaflet-{number}.yaml"
        path.write_text(kb, encoding="utf-8")
        files.append(path)
    return files


def synthetic_questions(files: list[Path], count: int, seed: int = 11) -> list[str]:
    """Paraphrases of synthetic entries: a phrasing with one word dropped and one letter swapped."""
    import yaml

    rng = random.Random(seed)
    phrasings: list[str] = []
    for path in rng.sample(files, min(len(files), 20)):
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        for entry in data["entries"]:
            phrasings.append(entry["question"])
    questions = []
    for text in rng.sample(phrasings, min(count, len(phrasings))):
        words = text.split()
        if len(words) > 3:
            del words[rng.randrange(1, len(words))]
        word = rng.randrange(len(words))
        if len(words[word]) > 4:
            w = words[word]
            i = rng.randrange(1, len(w) - 2)
            words[word] = w[:i] + w[i + 1] + w[i] + w[i + 2 :]
        questions.append(" ".join(words))
    return questions
