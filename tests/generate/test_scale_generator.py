"""The scale generator: determinism, layouts, encodings, ingestion, bounded memory."""

from __future__ import annotations

import filecmp
import json
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.config import SEEDS_DIR
from pipelines.generate.cli import main, observation_indicators
from pipelines.generate.scale import ScaleSpec, generate_scale, parse_years, region_ids

SMALL = [
    "--regions", "4",
    "--years", "2019-2020",
    "--deaths-per-year", "3000",
    "--births-per-year", "2000",
    "--chunk-rows", "1000",
]  # fmt: skip


def _files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_parse_years() -> None:
    assert parse_years("2015-2017") == (2015, 2016, 2017)
    assert parse_years("2020") == (2020,)
    assert parse_years("2018, 2015") == (2015, 2018)
    with pytest.raises(ValueError):
        parse_years("2020-2015")


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    args = [*SMALL, "--formats", "csv,xlsx,parquet"]
    assert main([*args, "--out", str(tmp_path / "a"), "--seed", "7"]) == 0
    assert main([*args, "--out", str(tmp_path / "b"), "--seed", "7"]) == 0
    assert main([*args, "--out", str(tmp_path / "c"), "--seed", "8"]) == 0
    names = _files(tmp_path / "a")
    assert names == _files(tmp_path / "b")
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "a", tmp_path / "b", names, shallow=False)
    assert not mismatch and not errors
    deaths = "registers/deaths/deaths_2020.parquet"
    assert (tmp_path / "a" / deaths).read_bytes() != (tmp_path / "c" / deaths).read_bytes()


def test_layout_and_row_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "zone"
    assert main([*SMALL, "--out", str(out), "--reference-out", str(tmp_path / "ref")]) == 0
    printed = capsys.readouterr().out
    assert "rows written:" in printed and "peak RSS:" in printed and "seconds:" in printed
    deaths = pl.read_parquet(out / "registers/deaths/deaths_2020.parquet")
    births = pl.read_parquet(out / "registers/births/births_2020.parquet")
    assert deaths.height == 3000 and births.height == 2000
    assert deaths.columns == ["region", "death_date", "age", "sex", "icd10", "maternal"]
    assert set(deaths["region"]) <= set(region_ids(4))
    assert deaths["death_date"].dt.year().unique().to_list() == [2020]
    assert set(deaths["sex"]) == {"male", "female"}
    # maternal deaths are women of reproductive age with an O-chapter code
    maternal = deaths.filter(pl.col("maternal") == 1)
    assert (
        maternal.filter(
            (pl.col("sex") != "female")
            | ~pl.col("age").is_between(15, 49)
            | ~pl.col("icd10").str.starts_with("O")
        ).height
        == 0
    )
    pop = pl.read_csv(out / "counts/population_2020.csv")
    assert pop.height == 4 * 19 * 2 and set(pop["data_nature"]) == {"illustrative"}
    regions = pl.read_csv(tmp_path / "ref" / "regions.csv")
    assert regions["region_id"].to_list() == region_ids(4)
    manifest = json.loads((out / ".generate-manifest.json").read_text(encoding="utf-8"))
    assert manifest["files"]["registers/deaths/deaths_2020.parquet"] == 3000


def test_gb18030_and_csv_registers(tmp_path: Path) -> None:
    out = tmp_path / "gb"
    assert main([*SMALL, "--out", str(out), "--formats", "csv", "--encoding", "gb18030"]) == 0
    raw = (out / "registers/deaths/deaths_2019.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    frame = pl.read_csv(raw.decode("gb18030").encode(), infer_schema=False)
    assert frame.height == 3000 and frame["region"][0].startswith("合成县")


def test_zero_records_write_no_register(tmp_path: Path) -> None:
    out = tmp_path / "m"
    args = ["--regions", "3", "--years", "2020", "--deaths-per-year", "0",
            "--births-per-year", "0", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    assert not (out / "registers").exists()
    assert (out / "observations/observations_2020.csv").exists()


@pytest.mark.integration
@pytest.mark.parametrize(
    ("formats", "encoding"), [("csv,xlsx,parquet", "utf-8"), ("csv,xlsx", "gb18030")]
)
def test_generated_files_ingest_without_quarantine(tmp_path: Path, formats, encoding) -> None:
    """Every generated file loads through pipelines.ingest once the regions are in the seeds."""
    from pipelines.ingest import ingest_all

    out, ref = tmp_path / "zone", tmp_path / "ref"
    args = [*SMALL, "--formats", formats, "--encoding", encoding, "--out", str(out)]
    args += ["--reference-out", str(ref)]
    assert main(args) == 0
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    for name in ("regions.csv", "region_aliases.csv"):
        extra = (ref / name).read_text(encoding="utf-8").split("\n", 1)[1]
        with (seeds / name).open("a", encoding="utf-8") as fh:
            fh.write(extra)
    results = ingest_all(tmp_path / "wh.duckdb", out, "gen-test", seeds_dir=seeds)
    assert len(results) == len([p for p in _files(out) if not p.startswith(".")])
    for r in results:
        assert r.status == "loaded", (r.file_path, r.message)
        assert r.rows_quarantined == 0, (r.file_path, r.message)
        assert r.rows_loaded > 0, r.file_path


def test_observation_indicators_come_from_the_seeds() -> None:
    codes = {c for c, *_ in observation_indicators()}
    frame = pl.read_csv(SEEDS_DIR / "indicators.csv", infer_schema=False)
    computed = set(frame.filter(pl.col("computed_from_counts") == "true")["indicator_code"])
    assert codes and not codes & computed
    assert codes <= set(frame["indicator_code"])


_PROBE = """
import sys, threading, time, psutil
from pathlib import Path
from pipelines.generate.scale import ScaleSpec, generate_scale
proc = psutil.Process()
base = proc.memory_info().rss
peak = [base]
stop = threading.Event()
def sample():
    while not stop.is_set():
        peak[0] = max(peak[0], proc.memory_info().rss)
        time.sleep(0.005)
t = threading.Thread(target=sample); t.start()
n = int(sys.argv[2])
generate_scale(ScaleSpec(regions=300, years=(2020,), deaths_per_year=n, births_per_year=n,
                         out=Path(sys.argv[1]), chunk_rows=50_000))
stop.set(); t.join()
print(peak[0] - base)
"""


def _rss_growth(out: Path, records: int) -> int:
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE, str(out), str(records)],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    return int(proc.stdout.strip().splitlines()[-1])


@pytest.mark.integration
def test_memory_does_not_grow_with_the_number_of_records(tmp_path: Path) -> None:
    """10× more records, same chunk size: the resident-memory growth stays about the same."""
    small = _rss_growth(tmp_path / "s", 100_000)
    large = _rss_growth(tmp_path / "l", 1_000_000)
    assert large < small + 48 * 2**20, (small, large)
    assert (tmp_path / "l/registers/deaths/deaths_2020.parquet").stat().st_size > 10 * (
        tmp_path / "s/registers/deaths/deaths_2020.parquet"
    ).stat().st_size / 2


def test_spec_defaults_are_sane(tmp_path: Path) -> None:
    spec = ScaleSpec(regions=2, years=(2020,), deaths_per_year=10, births_per_year=10,
                     out=tmp_path)  # fmt: skip
    result = generate_scale(spec)
    assert result.rows == sum(result.files.values()) and result.peak_rss_bytes > 0
