"""Headless chromium helpers for the report tests."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"


def ensure_chromium() -> str:
    """Path of Debian's chromium; installs it with apt-get when missing (tests run as root)."""
    if Path(CHROMIUM).exists():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        pytest.skip("chromium missing and apt-get unavailable")
    subprocess.run(["apt-get", "install", "-y", "chromium"], check=False, capture_output=True)
    if not Path(CHROMIUM).exists():
        subprocess.run(["apt-get", "update"], check=False, capture_output=True)
        subprocess.run(["apt-get", "install", "-y", "chromium"], check=True, capture_output=True)
    return CHROMIUM


def chromium_args(profile: Path) -> list[str]:
    """Flags for an offline, sandbox-free headless run."""
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
    ]
