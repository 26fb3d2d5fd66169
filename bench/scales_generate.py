"""Generated data for a scale: the generator's parameters per scale, run once per parameters.

Generation is cached by its parameters (a marker file in the data directory), so scales and
engineers share one generated landing zone.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import ours
from bench.measure import MemorySampler, Stage, measure
from bench.results import ScaleResult
from bench.targets import apply_generated_reference
from bench.workspace import Workspace


@dataclass(frozen=True)
class GenParams:
    """Arguments of ``healthplan generate`` for one scale."""

    regions: int
    years: str
    deaths_per_year: int
    births_per_year: int
    formats: str = "csv,parquet"
    seed: int = 20261126

    def argv(self) -> list[str]:
        return [
            "--formats",
            self.formats,
            "--regions",
            str(self.regions),
            "--years",
            self.years,
            "--deaths-per-year",
            str(self.deaths_per_year),
            "--births-per-year",
            str(self.births_per_year),
            "--seed",
            str(self.seed),
        ]

    def key(self) -> str:
        return (
            f"r{self.regions}_y{self.years}_d{self.deaths_per_year}"
            f"_b{self.births_per_year}_{self.formats.replace(',', '-')}_s{self.seed}"
        )


TINY = GenParams(regions=3, years="2019-2020", deaths_per_year=2_000, births_per_year=1_500)


#: Registers of 1M deaths + 1M births a year give every computed indicator a value at M too.
M = GenParams(
    regions=2_900, years="2016-2025", deaths_per_year=1_000_000, births_per_year=1_000_000
)


def l_params(years: int) -> GenParams:
    """Scale L: 2,900 regions, ``years`` years ending 2025, 10M deaths + 10M births a year."""
    return GenParams(
        regions=2_900,
        years=f"{2026 - years}-2025",
        deaths_per_year=10_000_000,
        births_per_year=10_000_000,
        formats="parquet",
    )


def generate(
    sampler: MemorySampler,
    result: ScaleResult,
    ws: Workspace,
    params: GenParams,
    data: Path,
    targets_per_region: bool = False,
) -> None:
    """Generate ``params`` into ``data`` unless the same parameters already produced it there.

    The generator writes the landing zone to ``data/landing`` (the workspace's ``raw``) and seed
    rows for its synthetic regions to ``data/reference`` (outside the landing zone), which are
    appended to the workspace's seeds here.
    """
    marker = data / ".bench-generated.json"
    if marker.exists() and json.loads(marker.read_text()).get("key") == params.key():
        stage = result.add(Stage("generate", status="skipped"))
        stage.detail = {"reused": str(data), **json.loads(marker.read_text())}
    else:
        shutil.rmtree(data, ignore_errors=True)
        data.mkdir(parents=True)
        with measure(sampler, "generate") as stage:
            result.add(stage)
            stage.detail = ours.generate(
                ws, params.argv(), data / "landing", data / "reference", "generate"
            )
            manifest = generator_manifest(data / "landing")
            if manifest:
                stage.rows = manifest.get("rows")
            marker.write_text(json.dumps({"key": params.key(), **stage.detail}))
    result.params["seed_override"] = apply_generated_reference(
        ws.seeds, data / "reference", targets_per_region=targets_per_region
    )


def generator_manifest(landing: Path) -> dict[str, Any]:
    """The generator's manifest of what it wrote (rows per file), ``{}`` if there is none."""
    for name in (".generate-manifest.json", "_generate_manifest.json"):
        if (landing / name).exists():
            return json.loads((landing / name).read_text(encoding="utf-8"))
    return {}
