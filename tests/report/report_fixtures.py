"""Headless chromium helpers for the report tests (Debian's chromium and a CJK font)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
#: Debian packages the browser tests need: the browser and a font with Chinese glyphs (without
#: it every Chinese character renders as a box and the screenshot proves nothing).
PACKAGES = ["chromium", "fonts-noto-cjk"]


def _has_cjk_font() -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(["fc-list", ":lang=zh"], capture_output=True, text=True, check=False)
    return bool(out.stdout.strip())


def ensure_chromium() -> str:
    """Path of Debian's chromium; installs it and a CJK font with apt-get when missing (tests run
    as root, as ``make test`` and CI do)."""
    if Path(CHROMIUM).exists() and _has_cjk_font():
        return CHROMIUM
    if shutil.which("apt-get") is None:
        pytest.skip("chromium or a CJK font missing and apt-get unavailable")
    install = ["apt-get", "install", "-y", "--no-install-recommends", *PACKAGES]
    if subprocess.run(install, check=False, capture_output=True).returncode != 0:
        subprocess.run(["apt-get", "update"], check=False, capture_output=True)
        subprocess.run(install, check=True, capture_output=True)
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


def offline(command: list[str]) -> list[str]:
    """``command`` run with networking disabled: in a fresh network namespace (``unshare -rn``:
    only a down loopback) where the kernel allows it, else with every host resolved to nothing
    and a dead proxy, so nothing outside the file can load."""
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True, check=False)
    if shutil.which("unshare") and probe.returncode == 0:
        return ["unshare", "-rn", *command]
    return [
        command[0],
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        *command[1:],
    ]
