"""Build hook: ship a ready-built bot for the bundled knowledge base, and the parts
every bot shares (see chatbot/snapshot.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

WRITE = "import sys; sys.path.insert(0, sys.argv[1]); from chatbot.snapshot import write_snapshot; write_snapshot(*sys.argv[2:4])"


class SnapshotHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        names = ("_bundled.snapshot", "_parts.snapshot")
        if version == "editable":
            # An editable install runs the source tree itself: the snapshots live there.
            targets = [os.path.join(self.root, "chatbot", name) for name in names]
        else:
            folder = tempfile.mkdtemp()
            targets = [os.path.join(folder, name) for name in names]
            for target, name in zip(targets, names):
                build_data["force_include"][target] = f"chatbot/{name}"
        subprocess.run([sys.executable, "-c", WRITE, self.root, *targets], check=True)
