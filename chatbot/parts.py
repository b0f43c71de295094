"""What a bot builds from its own data files: the same whatever knowledge base it answers from.

The lexicon, the red-flag rules, small talk, the advice check and the bot's
own sentences take longer to compile than a thousand-entry knowledge base takes
to index.  They depend only on the package, so the package build stores them
ready-made (see `chatbot.snapshot`) and every bot, for any knowledge base,
starts from that copy; only the knowledge base's own words and title are added.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from .advice import AdviceCheck
from .lexicon import Lexicon, load_data
from .redflags import RedFlags
from .smalltalk import SmallTalk


class Parts(NamedTuple):
    lexicon: Lexicon
    redflags: RedFlags
    smalltalk: SmallTalk  # replies still hold "{title}"
    advice: AdviceCheck
    messages: dict[str, Any]  # data/messages.yaml as read


def build_parts() -> Parts:
    """Read and compile every data file of the package."""
    lexicon = Lexicon.load()
    return Parts(lexicon, RedFlags(), SmallTalk(), AdviceCheck(lexicon), load_data("messages.yaml"))


def load_parts() -> Parts:
    """The parts from the package's snapshot when it is up to date, else built from the files.

    Each call returns new objects: the lexicon remembers the words it has read,
    and one bot's words are not another's.
    """
    from .snapshot import PARTS, load_snapshot

    ready = load_snapshot(PARTS, with_kb=False)
    return ready if isinstance(ready, Parts) else build_parts()
