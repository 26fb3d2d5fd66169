"""Source descriptions: the optional ``<file>.source.yml`` sidecar (CONTRACTS §5, issue 9).

A sidecar describes a source once (layout, column mapping, fixed indicator/unit, provenance);
ingestion stays generic — there is no per-file code path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from pipelines.ingest.errors import FileRejectedError
from pipelines.ingest.vocabulary import COLUMN_SYNONYMS, DATA_NATURES, DATA_STATUSES

SIDECAR_SUFFIX = ".source.yml"
LAYOUTS = ("long", "wide", "counts", "death_register", "birth_register", "described")

_KEYS = {
    "layout",
    "source",
    "licence",
    "license",
    "data_nature",
    "data_status",
    "indicator",
    "indicator_column",
    "unit",
    "region",
    "columns",
    "region_map",
    "indicator_map",
    "filter",
    "header_row",
    "sheets",
    "definition",
    "note",
    "url",
}


@dataclass(frozen=True)
class SourceDescription:
    """Parsed sidecar. Every field is optional; an absent sidecar is ``SourceDescription()``.

    Attributes:
        layout: forces the layout instead of detecting it (``described`` = long with a mapping).
        source: provenance text stored in every row's ``source`` (licence appended).
        data_nature: default nature for rows without a data_nature column.
        data_status: default publication status (``final`` | ``preliminary``) for rows
            without a data_status column; unstated means final.
        indicator: fixed indicator (code or alias) for every row of the file.
        unit: unit (id or alias) of values that carry none themselves.
        region: fixed region (id or alias) when the file has no region column.
        columns: canonical column -> header in the file (overrides header matching).
        region_map / indicator_map: extra aliases valid for this source only.
        filter: header -> allowed raw values; other rows are outside the described extract
            and are not read (their count is reported in the file's message).
        header_row: 1-based row of the header (skips detection).
        sheets: only these sheets of a workbook are read.
    """

    layout: str | None = None
    source: str | None = None
    data_nature: str | None = None
    data_status: str | None = None
    indicator: str | None = None
    unit: str | None = None
    region: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    region_map: dict[str, str] = field(default_factory=dict)
    indicator_map: dict[str, str] = field(default_factory=dict)
    filter: dict[str, list[str]] = field(default_factory=dict)
    header_row: int | None = None
    sheets: list[str] | None = None
    path: Path | None = None


def sidecar_path(data_file: Path) -> Path:
    """Where the sidecar of ``data_file`` lives (same folder, file name + ``.source.yml``)."""
    return data_file.with_name(data_file.name + SIDECAR_SUFFIX)


def _str_map(value: object, key: str, where: Path) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise FileRejectedError(f"sidecar {where}: '{key}' must be a mapping")
    return {str(k): str(v) for k, v in value.items()}


def _choice(doc: dict, key: str, allowed: tuple[str, ...], where: Path) -> str | None:
    """``doc[key]`` when absent or one of ``allowed``; anything else rejects the file."""
    value = doc.get(key)
    if value is not None and value not in allowed:
        raise FileRejectedError(f"sidecar {where}: {key} {value!r} not one of {allowed}")
    return value


def _filters(value: object, where: Path) -> dict[str, list[str]]:
    """``filter``: header -> allowed values (a single value or a list)."""
    if not value:
        return {}
    if not isinstance(value, dict):
        raise FileRejectedError(f"sidecar {where}: 'filter' must map a header to allowed values")
    return {str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in value.items()}


def load_sidecar(data_file: Path) -> SourceDescription:
    """Read and validate the sidecar of ``data_file``; empty description if there is none.

    Raises:
        FileRejectedError: the sidecar is not valid YAML, has unknown keys or invalid values.
    """
    path = sidecar_path(data_file)
    if not path.exists():
        return SourceDescription()
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise FileRejectedError(f"sidecar {path} is not valid UTF-8 YAML: {exc}") from exc
    if not isinstance(doc, dict):
        raise FileRejectedError(f"sidecar {path} must be a YAML mapping")
    unknown = sorted(set(doc) - _KEYS)
    if unknown:
        raise FileRejectedError(
            f"sidecar {path}: unknown key(s) {unknown}; allowed: {sorted(_KEYS)}"
        )
    layout = _choice(doc, "layout", LAYOUTS, path)
    nature = _choice(doc, "data_nature", DATA_NATURES, path)
    status = _choice(doc, "data_status", DATA_STATUSES, path)
    columns = _str_map(doc.get("columns"), "columns", path)
    if doc.get("indicator_column"):
        columns["indicator"] = str(doc["indicator_column"])
    bad_cols = sorted(set(columns) - set(COLUMN_SYNONYMS))
    if bad_cols:
        raise FileRejectedError(
            f"sidecar {path}: unknown canonical column(s) {bad_cols} in columns"
        )
    filters = _filters(doc.get("filter"), path)
    source = doc.get("source")
    licence = doc.get("licence") or doc.get("license")
    if source and licence:
        source = f"{source} (licence: {licence})"
    header_row = doc.get("header_row")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        raise FileRejectedError(f"sidecar {path}: header_row must be a positive integer (1-based)")
    sheets = doc.get("sheets")
    return SourceDescription(
        layout=layout,
        source=str(source) if source else None,
        data_nature=nature,
        data_status=status,
        indicator=str(doc["indicator"]) if doc.get("indicator") else None,
        unit=str(doc["unit"]) if doc.get("unit") else None,
        region=str(doc["region"]) if doc.get("region") else None,
        columns=columns,
        region_map=_str_map(doc.get("region_map"), "region_map", path),
        indicator_map=_str_map(doc.get("indicator_map"), "indicator_map", path),
        filter=filters,
        header_row=header_row,
        sheets=[str(s) for s in sheets] if sheets else None,
        path=path,
    )
