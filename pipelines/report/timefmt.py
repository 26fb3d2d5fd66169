"""Times and run names as a Chinese monitor reads them: 北京时间 (Asia/Shanghai), no UUIDs."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from pipelines.translations import label

BEIJING = ZoneInfo("Asia/Shanghai")
#: Dagster run tags that name what started a run (schedule or sensor); anything else is manual.
TRIGGER_TAGS = {"dagster/schedule_name": "schedule", "dagster/sensor_name": "sensor"}


def to_beijing(moment: datetime | str | None) -> datetime | None:
    """A stored timestamp (naive = UTC, as every monitoring table keeps it) in Beijing time."""
    if moment is None or moment == "":
        return None
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(BEIJING)


def beijing(moment: datetime | str | None, with_seconds: bool = False) -> str:
    """``2026-12-05 06:43`` in Beijing time ("—" for none)."""
    local = to_beijing(moment)
    if local is None:
        return "—"
    return local.strftime("%Y-%m-%d %H:%M:%S" if with_seconds else "%Y-%m-%d %H:%M")


def trigger_from_tags(tags: dict[str, str] | None) -> str:
    """``schedule``, ``sensor`` or ``manual`` from a Dagster run's tags."""
    for tag, trigger in TRIGGER_TAGS.items():
        if (tags or {}).get(tag):
            return trigger
    return "manual"


def run_name(moment: datetime | str | None, trigger: str | None, lang: str = "zh") -> str:
    """A run as monitors name it: its Beijing date and time and what started it
    (``2026-12-05 06:00 定时运行``), never its UUID."""
    return f"{beijing(moment)} {label('trigger', trigger or 'manual', lang)}"
