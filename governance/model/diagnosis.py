"""The diagnosis (handbook §1.1): value streams and their steps, pain points, root causes, benchmarks.

Inventory kinds like the others (model/inventory.py holds them in `Inventory`). A step's id is
unique within its stream only, so a pain point's `steps` are resolved within its stream
(model/references.py), not by the generic walk over `Ref` marks."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from governance.model.base import Date, Entity, Name, Number, Ref, Strict


class Team(Strict):
    """Who drew a value stream's map: the handbook's cross-functional team."""

    business: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id from the business side.")
    technology: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id from technology.")
    operations: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id from operations.")


class Step(Strict):
    """A node of a value stream: what it takes and gives, who owns it, how long it takes."""

    id: str = Field(description="Unique within its value stream; pain points name it in `steps`.")
    name: Name | None = Field(default=None, description="Display name.")
    owner: Annotated[str | None, Ref("person")] = Field(default=None, description="Person id of who is accountable for it.")
    inputs: list[str] = Field(default=[], description="What it takes in.")
    outputs: list[str] = Field(default=[], description="What it gives out.")
    minutes: Number | None = Field(default=None, ge=0, description="Average time it takes, in minutes.")
    error_rate: Number | None = Field(default=None, ge=0, le=1, description="Share of its work that goes wrong, 0..1.")
    manual: bool = Field(default=False, description="People carry the work between systems.")
    systems: list[Annotated[str, Ref("system")]] = Field(default=[], description="System ids it works in.")


class ValueStream(Entity):
    """A business process mapped as a value stream (handbook §1.1.1 step 1)."""

    name: Name | None = Field(default=None, description="Display name.")
    core: bool = Field(default=False, description="A core business process: its map is kept current (DIA-001).")
    owner: Annotated[str, Ref("person")] = Field(description="Person id of who is accountable for the process.")
    mapped_at: Date | None = Field(default=None, description="When its map was last drawn.")
    team: Team | None = Field(default=None, description="Who drew the map: {business, technology, operations} person ids.")
    steps: list[Step] = Field(min_length=1, description="Its steps, in order; step ids are unique within the stream.")


class PainPoint(Entity):
    """A gap found on a value stream's steps (handbook §1.1.1)."""

    value_stream: Annotated[str, Ref("value_stream")] = Field(description="Value stream id.")
    steps: list[str] = Field(default=[], description="Step ids of that value stream where the pain is felt.")
    statement: str = Field(min_length=1, description="The pain in words, with its measures.")
    root_causes: list[Annotated[str, Ref("root_cause")]] = Field(default=[], description="Root cause ids behind it.")


RootCauseCategory = Literal["architecture", "data_standards", "coordination", "other"]
RootCauseMethod = Literal["fishbone", "five_whys"]


class RootCause(Entity):
    """Why a gap exists, found by fishbone or 5 Whys (handbook §1.1.1 step 3)."""

    category: RootCauseCategory = Field(description="architecture, data_standards, coordination or other.")
    method: RootCauseMethod = Field(description="How it was found: fishbone or five_whys.")
    statement: str = Field(min_length=1, description="The cause in words.")


class Benchmark(Entity):
    """A study of a leading peer's practice (handbook §1.1.2 step 1)."""

    peer: Name = Field(description="Who was studied.")
    practice: str = Field(min_length=1, description="The practice studied.")
    studied_at: Date = Field(description="When it was studied.")
    adopted_by: list[Annotated[str, Ref("project")]] = Field(default=[], description="Project ids taking the practice up.")
