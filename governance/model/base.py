"""Shared pydantic base: unknown fields are errors, every entity may carry notes."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from governance.load import MAX_NAME_CHARS
from governance.result import EARLIEST as EARLIEST  # the range of dates, defined with the result's words
from governance.result import LATEST as LATEST
from governance.result import Number as Number  # re-exported: the model's modules take it from here

# Money and counts keep their int-ness so messages read "2500000", not "2.5e+06".


def _written_as_a_date(value: object) -> object:
    # pydantic would read a number as seconds since 1970: 946684800 is no way to write 2000-01-01
    if isinstance(value, (int, float)):
        raise ValueError("a date is written YYYY-MM-DD, not as a number")
    return value


def _in_range(value: dt.date) -> dt.date:
    if not EARLIEST <= value <= LATEST:
        raise ValueError(f"date must be between {EARLIEST} and {LATEST}")
    return value


Date = Annotated[dt.date, BeforeValidator(_written_as_a_date), AfterValidator(_in_range)]

# A name or title: shown in every report's cells and headings, so bounded (load/limits.py)
Name = Annotated[str, StringConstraints(max_length=MAX_NAME_CHARS)]


@dataclass(frozen=True)
class Ref:
    """Marks a field whose value names another entity by id: `Annotated[str | None, Ref("person")]`,
    also inside a list, and on a nested object that names one by its `id`. Every such id must resolve
    (model/references.py walks the marks; tests/test_kinds.py fails on a field that looks like a
    reference and is not marked). `kind` None: the object says the kind itself, in its own `kind`."""

    kind: str | None = None


def resource_kind(model: type) -> str:
    """The kind findings and references name an entity by: its model's name in snake case
    (`MaturityAssessment` -> `maturity_assessment`), so the name is written once."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", model.__name__).lower()


class Strict(BaseModel):
    """A value object: no unknown fields, no free-text extras, no NaN or infinity
    (JSON has neither, so OPA could not be sent them)."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Entity(Strict):
    """Anything with an id; may carry a description and free-form annotations."""

    id: str = Field(description="Unique within its kind across the whole workspace.")
    description: str | None = Field(default=None, description="Free text for the people who read this file.")
    annotations: dict[str, str] | None = Field(
        default=None, description="Free-form labels, text to text; the built-in checks do not read them.")


class Localized(Strict):
    """A text in Chinese and in English."""

    zh: Name = Field(description="Chinese.")
    en: Name = Field(description="English.")
