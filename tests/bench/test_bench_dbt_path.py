"""The dbt critical path the benchmark prints (bench/dbt_path.py), on artifacts whose chain is
known: the walk follows the predecessor that finished last, counts a model's wait for its
parents' tests (``dbt build`` runs them first), and reports the time a node waited for a thread."""

from __future__ import annotations

from typing import Any

from bench.dbt_path import critical_path, describe, wall_seconds

T0 = "2026-12-06T10:00:"


def _node(uid: str, start: float, end: float) -> dict[str, Any]:
    def at(second: float) -> str:
        return f"{T0}{second:06.3f}Z"

    timing = [
        {"name": "compile", "started_at": at(start), "completed_at": at(start)},
        {"name": "execute", "started_at": at(start), "completed_at": at(end)},
    ]
    return {"unique_id": uid, "timing": timing}


# seed s → model a → (test t on a) → model b → model d; model c (parent s) runs beside a and b
PARENTS = {
    "seed.p.s": [],
    "model.p.a": ["seed.p.s"],
    "test.p.t.1f": ["model.p.a"],
    "model.p.b": ["model.p.a"],
    "model.p.c": ["seed.p.s"],
    "model.p.d": ["model.p.b", "model.p.c"],
}


def _manifest() -> dict[str, Any]:
    children: dict[str, list[str]] = {uid: [] for uid in PARENTS}
    for uid, parents in PARENTS.items():
        for parent in parents:
            children[parent].append(uid)
    nodes = {uid: {"name": uid.split(".")[2]} for uid in PARENTS}
    return {"parent_map": PARENTS, "child_map": children, "nodes": nodes}


def _results(seed_start: float = 0.0) -> dict[str, Any]:
    spans = {
        "seed.p.s": (seed_start, 1.0),
        "model.p.a": (1.0, 5.0),
        "test.p.t.1f": (5.0, 6.0),
        "model.p.b": (6.5, 10.0),  # waited 0.5 s for a thread after its parent's test
        "model.p.c": (1.0, 9.0),
        "model.p.d": (10.0, 12.0),
    }
    nodes = [_node(uid, start, end) for uid, (start, end) in spans.items()]
    return {"results": nodes, "elapsed_time": 12.0}


def test_the_path_follows_the_last_finished_predecessor_through_tests() -> None:
    path = critical_path(_manifest(), _results())
    assert path["nodes"] == [
        ["s", 1.0, 0.0],
        ["a", 4.0, 0.0],
        ["t", 1.0, 0.0],
        ["b", 3.5, 0.5],
        ["d", 2.0, 0.0],
    ]
    assert (path["path_s"], path["waited_s"], path["elapsed_s"]) == (11.5, 0.5, 12.0)
    line = describe(path, top=2)
    assert "5 nodes running 11.5 s and waiting 0.5 s" in line
    assert line.endswith("longest on it: a 4.0 s, b 3.5 s"), line


def test_the_first_node_waits_from_the_builds_first_start() -> None:
    results = _results(seed_start=0.4)
    results["results"].append(_node("model.p.other", 0.0, 0.4))  # took the only thread first
    path = critical_path(_manifest(), results)
    assert path["nodes"][0] == ["s", 0.6, 0.4]


def test_no_timings_no_path() -> None:
    path = critical_path(_manifest(), {"results": [], "elapsed_time": 3.0})
    assert path == {"nodes": [], "path_s": 0.0, "waited_s": 0.0, "elapsed_s": 3.0}


def test_concurrent_nodes_cost_the_clock_once() -> None:
    """Overlapping spans count once, nested ones not at all, a gap not at all."""
    spans = [(0.0, 4.0), (1.0, 3.0), (2.0, 6.0), (8.0, 9.5)]
    assert wall_seconds(spans) == 7.5  # [0, 6] and [8, 9.5]; their summed lengths are 13.5
    assert wall_seconds(list(reversed(spans))) == 7.5
    assert wall_seconds([]) == 0.0
