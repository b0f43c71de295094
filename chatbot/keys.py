"""Key bindings of the chat, beyond prompt_toolkit's defaults."""

from __future__ import annotations

from prompt_toolkit.key_binding import KeyBindings
from prompt_toolkit.keys import Keys


def chat_key_bindings() -> KeyBindings:
    bindings = KeyBindings()

    @bindings.add(Keys.Vt100MouseEvent)
    def _ignore_mouse(event) -> None:  # type: ignore[no-untyped-def]
        """The chat does not use the mouse.  Typed escape codes such as ESC [ 3 1 m look
        like mouse reports to prompt_toolkit, whose own handler then fails; drop them."""

    return bindings
