"""A target as the extractor found it, before it becomes a ``plan_targets`` row."""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.extract.phrases import Reading

__all__ = ["Candidate"]


@dataclass
class Candidate:
    """One measurable target read from the text.

    ``code`` is a catalogue indicator_code, or None when the label is not in the catalogue (then
    ``label`` is proposed as a new indicator). ``doc[quote_start:quote_end]`` is the verbatim
    source quote. ``origin`` is ``table`` or ``text``.
    """

    code: str | None
    label: str
    target_year: int
    reading: Reading
    quote_start: int
    quote_end: int
    section: str
    origin: str
    scope: str = "region"
    nature: str = "unstated"
    baseline_year: int | None = None
    baseline_value: float | None = None
    unit_token: str | None = None
    notes: tuple[str, ...] = ()
    context: str = ""  # the text just before the mention ("每千常住人口拥有")
    domain_cell: int | None = None  # a table row's 领域 cell (its start), carried down
    paragraph: str = ""  # the paragraph up to the mention
    proposed_unit: str = ""  # for a new indicator: canonical unit and direction to propose
    proposed_direction: str = ""

    @property
    def confidence(self) -> float:
        """The reading's confidence, lowered for an indicator the catalogue does not know."""
        return round(self.reading.confidence * (1.0 if self.code else 0.6), 2)

    @property
    def reason(self) -> str:
        """Why this row was read so, for the reviewer."""
        parts = [f"{self.origin}: {self.reading.reason}", *self.notes]
        if self.code is None:
            parts.append(f"indicator {self.label!r} not in the catalogue: proposed as new")
        return "; ".join(p for p in parts if p)
