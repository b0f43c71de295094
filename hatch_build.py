"""Build hook: ship a ready-built bot for the bundled knowledge base (see chatbot/snapshot.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WRITE = "import sys; sys.path.insert(0, sys.argv[1]); from chatbot.snapshot import write_snapshot; write_snapshot(sys.argv[2])"


class SnapshotHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if version == "editable":
            # An editable install runs the source tree itself: the snapshot lives there.
            target = os.path.join(self.root, "chatbot", "_bundled.snapshot")
        else:
            target = os.path.join(tempfile.mkdtemp(), "_bundled.snapshot")
            build_data["force_include"][target] = "chatbot/_bundled.snapshot"
        subprocess.run([sys.executable, "-c", WRITE, self.root, target], check=True)
