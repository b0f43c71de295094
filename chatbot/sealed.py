"""Objects that are read-only once built, and can still be pickled into a snapshot."""

from __future__ import annotations

from typing import Any


class Sealed:
    """Attributes are set while `__init__` runs; after `_seal()` any assignment fails.

    That is what makes a `Bot` safe to share between threads: nothing a question
    does can change it.  Subclasses declare their own `__slots__`.
    """

    __slots__ = ("_sealed",)

    def __setattr__(self, name: str, value: Any) -> None:
        if getattr(self, "_sealed", False):
            raise AttributeError(f"a {type(self).__name__} is read-only once built")
        object.__setattr__(self, name, value)

    def _seal(self) -> None:
        object.__setattr__(self, "_sealed", True)

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        for cls in type(self).__mro__:
            for name in getattr(cls, "__slots__", ()):
                if name != "_sealed" and hasattr(self, name):
                    state[name] = getattr(self, name)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self._seal()
