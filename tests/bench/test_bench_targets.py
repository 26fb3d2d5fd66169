"""Scale M's seed override appends generated regions and gives each one a plan's targets."""

from __future__ import annotations

import csv
from pathlib import Path

from bench.targets import apply_generated_reference


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_targets_round_robin_over_plans(tmp_path: Path) -> None:
    seeds, ref = tmp_path / "seeds", tmp_path / "reference"
    seeds.mkdir()
    ref.mkdir()
    _write(
        seeds / "regions.csv",
        [["region_id", "name_zh", "level", "parent_region_id"], ["china", "中国", "country", ""]],
    )
    _write(seeds / "region_aliases.csv", [["alias", "region_id"], ["中国", "china"]])
    _write(
        seeds / "plan_targets.csv",
        [
            ["target_id", "plan_id", "region_id", "scope", "target_value"],
            ["a__x__2030", "a", "china", "region", "1"],
            ["a__y__2030", "a", "china", "region", "2"],
            ["b__x__2025", "b", "jiangyin", "region", "3"],
        ],
    )
    _write(
        ref / "regions.csv",
        [["region_id", "name_zh", "name_en", "level"]]
        + [[f"syn_000{i}", f"合成县000{i}", f"S{i}", "county"] for i in (1, 2, 3)],
    )
    _write(ref / "region_aliases.csv", [["alias", "region_id"], ["合成县0001", "syn_0001"]])

    out = apply_generated_reference(seeds, ref, targets_per_region=True)

    # Counties 1 and 3 follow plan a (2 targets), county 2 plan b (1 target).
    assert out == {
        "regions_added": 3,
        "aliases_added": 1,
        "plans": 2,
        "plan_targets": 3,
        "county_targets": 2 + 1 + 2,
    }
    regions = _read(seeds / "regions.csv")
    assert [(r["region_id"], r["parent_region_id"]) for r in regions] == [
        ("china", ""),
        ("syn_0001", "china"),
        ("syn_0002", "jiangyin"),
        ("syn_0003", "china"),
    ]
    assert regions[1]["name_zh"] == "合成县0001"
    targets = _read(seeds / "plan_targets.csv")
    assert [(t["target_id"], t["region_id"], t["scope"]) for t in targets] == [
        ("a__x__2030", "china", "each_subregion"),
        ("a__y__2030", "china", "each_subregion"),
        ("b__x__2025", "jiangyin", "each_subregion"),
    ]


def test_without_targets_only_reference_rows(tmp_path: Path) -> None:
    seeds, ref = tmp_path / "seeds", tmp_path / "reference"
    seeds.mkdir()
    ref.mkdir()
    _write(seeds / "regions.csv", [["region_id"], ["china"]])
    _write(seeds / "region_aliases.csv", [["alias", "region_id"]])
    _write(seeds / "plan_targets.csv", [["target_id", "plan_id"], ["t", "a"]])
    _write(ref / "regions.csv", [["region_id"], ["syn_0001"]])
    _write(ref / "region_aliases.csv", [["alias", "region_id"], ["syn_0001", "syn_0001"]])
    out = apply_generated_reference(seeds, ref, targets_per_region=False)
    assert out == {"regions_added": 1, "aliases_added": 1}
    assert len(_read(seeds / "plan_targets.csv")) == 1
