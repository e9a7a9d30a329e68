"""A person as the reports show one: name (id), where the result carries the name; the id alone otherwise
(a person the inventory does not know, or a result saved before names were recorded)."""

from __future__ import annotations


def person(id_: str, name: str | None) -> str:
    return f"{name} ({id_})" if name else id_
