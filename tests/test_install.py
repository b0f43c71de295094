"""A non-editable install carries the bundled knowledge base inside the wheel."""

from __future__ import annotations

import os
import subprocess
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_wheel_install_finds_the_bundled_kb_from_another_directory(tmp_path):
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(target)
    python = target / "bin" / "python"
    install = subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )
    assert install.returncode == 0, install.stderr[-2000:]

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("CHATBOT_KB", "PYTHONPATH")}
    lint = subprocess.run(
        [str(target / "bin" / "chatbot"), "lint"], cwd=elsewhere, capture_output=True, text=True, env=env, timeout=120
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    assert "24 of 24 sentences quoted" in lint.stdout
    # The KB came from the installed package, not from this checkout.
    located = subprocess.run(
        [str(python), "-c", "from chatbot.knowledge import bundled_path; print(bundled_path())"],
        cwd=elsewhere, capture_output=True, text=True, env=env, timeout=60,
    )
    assert str(target) in located.stdout, located.stdout
