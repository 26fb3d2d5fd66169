"""``healthplan extract``: draft files, the diff with the seeds, a reviewed draft, evaluation."""

from __future__ import annotations

import csv
from pathlib import Path

from orchestration.cli import main
from pipelines.extract.diff import diff_targets
from pipelines.extract.evaluate import SHARED_SEEDS_DIR
from pipelines.extract.framework import PLAN_COLUMNS, TARGET_COLUMNS

SEED = SHARED_SEEDS_DIR / "003_4c826d7c3469937e.txt"


def _rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def test_extract_writes_a_draft_and_diffs_it(tmp_path, capsys) -> None:
    out = tmp_path / "draft"
    assert main(["extract", str(SEED), "--out", str(out), "--diff"]) == 0
    printed = capsys.readouterr().out
    assert "changjiang_2030" in printed and "same:" in printed
    header, targets = _rows(out / "plan_targets.csv")
    assert header == TARGET_COLUMNS
    assert _rows(out / "plans.csv")[0] == PLAN_COLUMNS
    text = (out / "source_text.txt").read_text(encoding="utf-8")
    assert targets and all(t["source_quote"] in text for t in targets)
    review = {r["target_id"]: r for r in _rows(out / "review.csv")[1]}
    assert set(review) == {t["target_id"] for t in targets}
    statuses = {r["status"] for r in _rows(out / "diff.csv")[1]}
    assert {"same", "missing"} <= statuses


def test_diff_of_an_edited_draft(tmp_path, capsys) -> None:
    out = tmp_path / "draft"
    main(["extract", str(SEED), "--out", str(out)])
    header, targets = _rows(out / "plan_targets.csv")
    # a reviewer changes one value (the table's life expectancy, 79 in the seeds too) and
    # deletes the table's infant mortality rows
    life = next(t for t in targets if t["target_id"] == "changjiang_2030__life_expectancy__2030")
    life["target_value"] = "99"
    targets = [t for t in targets if t["indicator_code"] != "infant_mortality_rate"]
    with (out / "plan_targets.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(targets)
    assert main(["extract", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "changed  life_expectancy 2030: draft ge 99 | seeds ge 79" in printed
    statuses = [r["status"] for r in _rows(out / "diff.csv")[1]]
    assert statuses.count("changed") >= 1 and statuses.count("missing") >= 1


def test_diff_classes() -> None:
    seed = [
        {"indicator_code": "a", "target_year": "2030", "comparator": "ge", "target_value": "5"},
        {"indicator_code": "b", "target_year": "2030", "comparator": "le", "target_value": "1"},
        {"indicator_code": "c", "target_year": "2030", "comparator": "improve", "target_value": ""},
    ]
    draft = [
        {"indicator_code": "a", "target_year": "2030", "comparator": "ge", "target_value": "5.0"},
        {"indicator_code": "b", "target_year": "2030", "comparator": "lt", "target_value": "1"},
        {"indicator_code": "d", "target_year": "2030", "comparator": "eq", "target_value": "100"},
    ]
    got = {(r.status, r.indicator_code) for r in diff_targets(draft, seed)}
    assert got == {("same", "a"), ("changed", "b"), ("missing", "c"), ("added", "d")}


def test_evaluate_prints_figures_and_misses(capsys, tmp_path) -> None:
    findings = tmp_path / "findings.md"
    assert main(["extract", "--evaluate", "--misses", "--findings", str(findings)]) == 0
    printed = capsys.readouterr().out
    assert printed.splitlines()[0].split()[:4] == ["plan", "gold", "found", "match"]
    assert "MISSED" in printed and "all" in printed
    assert "alias gap" in findings.read_text(encoding="utf-8")


def test_unreadable_plan_is_a_clear_error(tmp_path, capsys) -> None:
    bad = tmp_path / "plan.odt"
    bad.write_text("x", encoding="utf-8")
    assert main(["extract", str(bad)]) == 2
    assert "plan.odt" in capsys.readouterr().err


def test_accept_refuses_an_unreviewed_draft_then_accepts_it(tmp_path, capsys) -> None:
    import shutil

    from pipelines.config import SEEDS_DIR

    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS_DIR, seeds)
    out = tmp_path / "draft"
    main(["extract", str(SEED), "--out", str(out), "--seeds", str(seeds)])
    # unreviewed rows and an existing plan: refused, nothing written
    before = (seeds / "plan_targets.csv").read_bytes()
    assert main(["extract", str(out), "--accept", "--seeds", str(seeds)]) == 1
    err = capsys.readouterr().err
    assert "still needs review" in err and "already in the seeds" in err
    assert "domain_en is blank (not_null in seeds/plan_domains.yml)" in err
    assert (seeds / "plan_targets.csv").read_bytes() == before
    # the reviewer writes the English title and each domain's English name (the seeds' YAML
    # requires them)
    for name, col, value in (("plan_domains", "domain_en", "domain"), ("plans", "title_en", "t")):
        d_header, rows = _rows(out / f"{name}.csv")
        for d in rows:
            d[col] = d[col] or value
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=d_header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    # the reviewer drops the rows they could not confirm and marks the rest reviewed
    header, targets = _rows(out / "plan_targets.csv")
    review = {r["target_id"]: r for r in _rows(out / "review.csv")[1]}
    kept = [
        t
        for t in targets
        if review[t["target_id"]]["needs_review"] == "no"
        and not t["indicator_code"].startswith("new_")
    ]
    with (out / "plan_targets.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(kept)
    assert main(["extract", str(out), "--accept", "--replace", "--seeds", str(seeds)]) == 0
    _, seeded = _rows(seeds / "plan_targets.csv")
    mine = [t for t in seeded if t["plan_id"] == "changjiang_2030"]
    assert [t["target_id"] for t in mine] == [t["target_id"] for t in kept]
    others = [
        t for t in _rows(SEEDS_DIR / "plan_targets.csv")[1] if t["plan_id"] != "changjiang_2030"
    ]
    assert [t for t in seeded if t["plan_id"] != "changjiang_2030"] == others


NEW_PLAN = """某市人民政府办公室关于印发《“健康某市2035”行动方案（2026—2030年）》的通知
某市人民政府办公室
2026年2月1日
一、主要目标
到2030年，全市人均预期寿命达到82岁以上，居民健康素养水平达到40%。
二、重点任务
（一）提升基本医疗服务（牵头单位：市卫健委；责任单位：市财政局、市医保局）。到2030年，家庭医生签约服务覆盖率达到75%以上。
"""


def test_a_new_plan_in_gb18030(tmp_path, capsys) -> None:
    """A plan the seeds do not know: title and horizon from its text, the lead department only
    for the section its statement opens, every row 'added' in the diff."""
    plan = tmp_path / "new_plan.txt"
    plan.write_bytes(NEW_PLAN.encode("gb18030"))
    out = tmp_path / "draft"
    assert (
        main(["extract", str(plan), "--plan-id", "moushi_2030", "--out", str(out), "--diff"]) == 0
    )
    assert "added: 3" in capsys.readouterr().out
    (plan_row,) = _rows(out / "plans.csv")[1]
    assert plan_row["title_zh"] == "“健康某市2035”行动方案（2026—2030年）"
    assert (plan_row["horizon_start"], plan_row["horizon_end"]) == ("2026", "2030")
    leads = {t["indicator_code"]: t["lead_department"] for t in _rows(out / "plan_targets.csv")[1]}
    assert leads == {
        "life_expectancy": "",
        "health_literacy_rate": "",
        "family_doctor_contract_coverage": "市卫健委",
    }
