"""The chain of dbt nodes that set a build's elapsed time (its critical path), from
``run_results.json`` and ``manifest.json``.

On a machine with fewer cores than work the build's wall time is not its summed work: a node starts
only when its parents and, under ``dbt build``, its parents' tests have finished. Walking back
from the node that finished last, always to the predecessor that finished last, gives the chain
that the build waited on; work off that chain (another thread's models) shortens the build only
by the core it frees. Measured at M (docs/benchmark.md, 6 December 2026, 13:00–15:00): a 7 s
model taken off the chain saved ≈ 2 s of a 79 s build.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


def _span(node: dict[str, Any]) -> tuple[float, float] | None:
    """(start, end) POSIX seconds of a run_results node: its first and last timing entries."""
    timing = node.get("timing") or []
    if not timing:
        return None
    start = min(datetime.fromisoformat(t["started_at"].replace("Z", "+00:00")) for t in timing)
    end = max(datetime.fromisoformat(t["completed_at"].replace("Z", "+00:00")) for t in timing)
    return start.timestamp(), end.timestamp()


def node_spans(results: dict[str, Any]) -> dict[str, tuple[float, float]]:
    """(start, end) POSIX seconds of every node of a ``run_results.json`` that has timings."""
    return {n["unique_id"]: s for n in results.get("results", []) if (s := _span(n))}


def wall_seconds(spans: list[tuple[float, float]]) -> float:
    """Wall-clock seconds during which at least one of ``spans`` ran (their union).

    Summed execution times count a core twice when two nodes share it, and more threads share
    more: the union is what a set of concurrent nodes cost the build's clock."""
    total, end = 0.0, float("-inf")
    for start, stop in sorted(spans):
        if stop <= end:
            continue
        total += stop - max(start, end)
        end = stop
    return total


def _predecessors(manifest: dict[str, Any], uid: str) -> set[str]:
    """What ``dbt build`` waits for before ``uid``: its parents and, unless it is a test itself,
    the tests of those parents."""
    parents = set(manifest.get("parent_map", {}).get(uid, []))
    if uid.startswith("test."):
        return parents
    child_map: dict[str, list[str]] = manifest.get("child_map", {})
    tests = {c for p in parents for c in child_map.get(p, []) if c.startswith("test.")}
    return parents | tests


def critical_path(manifest: dict[str, Any], results: dict[str, Any]) -> dict[str, Any]:
    """The chain the build waited on: its nodes (name, seconds, seconds waited before it), the
    chain's summed node and waiting seconds, and the build's elapsed seconds.

    Each step goes back to the predecessor that finished last (among the nodes this invocation
    ran); the wait before a node is the time between that predecessor's end and its start (a
    free thread's latency, or a node of the chain waiting for a thread)."""
    spans = node_spans(results)
    elapsed = round(float(results.get("elapsed_time") or 0.0), 2)
    if not spans:
        return {"nodes": [], "path_s": 0.0, "waited_s": 0.0, "elapsed_s": elapsed}
    names = {uid: str(node.get("name", uid)) for uid, node in manifest.get("nodes", {}).items()}
    uid: str | None = max(spans, key=lambda u: spans[u][1])
    chain: list[tuple[str, float, float]] = []
    while uid is not None:
        start, end = spans[uid]
        # finished before this one ended (strictly: the walk ends), as dbt scheduled it
        ran = [p for p in _predecessors(manifest, uid) if p in spans and spans[p][1] < end]
        before = max(ran, key=lambda p: spans[p][1]) if ran else None
        # the chain's first node waited from the build's first start
        ready = spans[before][1] if before else min(first for first, _ in spans.values())
        waited = start - ready
        chain.append((names.get(uid, uid), round(end - start, 2), round(max(waited, 0.0), 2)))
        uid = before
    chain.reverse()
    return {
        "nodes": [list(step) for step in chain],
        "path_s": round(sum(step[1] for step in chain), 2),
        "waited_s": round(sum(step[2] for step in chain), 2),
        "elapsed_s": elapsed,
    }


def describe(path: dict[str, Any], top: int = 8) -> str:
    """One line for the benchmark's notes: the chain's share of the build and its longest nodes."""
    longest = sorted(path["nodes"], key=lambda step: step[1], reverse=True)[:top]
    names = ", ".join(f"{name} {seconds:.1f} s" for name, seconds, _ in longest)
    return (
        f"dbt critical path: {len(path['nodes'])} nodes running {path['path_s']:.1f} s and waiting "
        f"{path['waited_s']:.1f} s for a thread, of the build's {path['elapsed_s']:.1f} s; "
        f"longest on it: {names}"
    )
