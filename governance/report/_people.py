"""A person as the reports show one: name (id), where the result carries the name; the id alone otherwise
(a person the inventory does not know, or a result saved before names were recorded). In Chinese the id
stands in full-width brackets, 名字（id）, as the checks' messages name a person, so a table and a message of
one report name a person alike."""

from __future__ import annotations


def person(id_: str, name: str | None, lang: str = "en") -> str:
    if not name:
        return id_
    return f"{name}（{id_}）" if lang == "zh" else f"{name} ({id_})"
