"""Build the shipped sample data in ``raw/`` (``healthplan generate --sample --out raw``).

What it writes (see docs/sample-data.md)::

    reported/<plan_id>.csv                 the plans' own figures (official, quoted)
    reported/official_counts.csv           counts the plans print (official)
    illustrative/jiangyin_series.csv       UTF-8 long, indicator codes
    illustrative/anon_district_series.csv  UTF-8 long, indicator codes
    illustrative/nantong_series_gb18030.csv  GB18030 long, Chinese headers and names
    illustrative/changjiang_yearbook.xlsx  wide yearbook table, one sheet per domain (+ sidecar)
    illustrative/counts/<region>_counts.csv  births, deaths by age × sex × cause, population …
    real/<source>/…                        real public series with sidecars (pipelines.generate.realdata)
    real/nhc_statistical_bulletins/…       China's official national series (pipelines.generate.official)

Everything but ``reported/`` and ``real/`` is illustrative and says so in every row (or in the
sidecar of the workbook). The output is a pure function of the seeds and ``steering.SEED``.

The parts: ``sample_seeds`` (seeds read, the plans' figures resolved), ``steering`` (which
story each series tells), ``series`` (the series), ``sample_files`` (observation files),
``sample_counts`` (counts calibrated to the series), ``realdata``/``official`` (copied data).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipelines.config import SEEDS_DIR
from pipelines.generate import official, realdata
from pipelines.generate.sample_counts import write_counts
from pipelines.generate.sample_files import write_reported, write_series
from pipelines.generate.sample_seeds import load_seeds, resolve_reported
from pipelines.generate.steering import STEERING, build_groups

#: The folders of the landing zone this module writes (``raw/examples`` belongs to ingestion).
OWNED_FOLDERS = ("reported", "illustrative", "real")


def build_sample(out: Path, seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write the whole shipped sample into ``out`` (normally ``raw/``); returns the files."""
    seeds = load_seeds(seeds_dir)
    resolved, _unresolved = resolve_reported(seeds)
    groups = build_groups(seeds, resolved)
    for owned in OWNED_FOLDERS:  # rebuilt from scratch: no stale file survives a seed change
        shutil.rmtree(out / owned, ignore_errors=True)
    written = write_reported(out, resolved)
    written += write_series(out, seeds, groups)
    written += write_counts(out, groups)
    written += realdata.copy_real_data(out / "real")
    written += official.copy_official_series(out / "real")
    return [p for p in written if p is not None]


def scenario_table(seeds_dir: Path = SEEDS_DIR) -> list[tuple[str, str, str, str]]:
    """(region, indicator, scenario, why) of every group — the steering documented in docs."""
    seeds = load_seeds(seeds_dir)
    resolved, _ = resolve_reported(seeds)
    return [
        (
            g.region_id,
            g.indicator.code,
            g.scenario,
            STEERING.get((g.region_id, g.indicator.code), ("", "default (CRC spread)"))[1],
        )
        for g in build_groups(seeds, resolved)
    ]
