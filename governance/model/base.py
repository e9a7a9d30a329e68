"""Shared pydantic base: unknown fields are errors, every entity may carry notes."""

from __future__ import annotations

from typing import Optional, Union

from pydantic import BaseModel, ConfigDict, StrictInt

# Money and counts keep their int-ness so messages read "2500000", not "2.5e+06".
Number = Union[StrictInt, float]


class Strict(BaseModel):
    """A value object: no unknown fields, no free-text extras."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Entity(Strict):
    """Anything with an id; may carry a description and free-form annotations."""

    id: str
    description: Optional[str] = None
    annotations: Optional[dict[str, str]] = None


class Localized(Strict):
    zh: str
    en: str
