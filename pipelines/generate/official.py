"""China's official national series (issue 14): shipped in ``raw/real/nhc_statistical_bulletins/``.

Unlike the international series of :mod:`pipelines.generate.realdata` (verbatim extracts of
public files), these rows were transcribed from the National Health Commission's statistical
bulletins and State Council Information Office releases, one row per figure with its publication
and the sentence it is printed in (see ``official/SOURCE.md``). The curated file, its sidecar and
its attribution live in ``pipelines/generate/official/`` and are copied unchanged.
"""

from __future__ import annotations

import shutil
from pathlib import Path

#: folder of the curated files in the package, and under ``raw/real/``.
OFFICIAL_DIR = Path(__file__).parent / "official"
FOLDER = "nhc_statistical_bulletins"
FILES = ("national_series.csv", "national_series.csv.source.yml", "SOURCE.md")


def copy_official_series(out: Path) -> list[Path]:
    """Copy the official national series, its sidecar and SOURCE.md to ``out/<FOLDER>/``."""
    folder = out / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name in FILES:
        shutil.copyfile(OFFICIAL_DIR / name, folder / name)
        written.append(folder / name)
    return written
