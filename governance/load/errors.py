"""Positions and the one error type every invalid workspace ends in."""

from __future__ import annotations

from dataclasses import dataclass

from governance.text import visible


@dataclass(frozen=True, order=True)
class Location:
    """A 1-based position in a workspace file (path relative to the workspace)."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "column": self.column}


@dataclass(frozen=True, order=True)
class WorkspaceError:
    location: Location
    message: str

    def __str__(self) -> str:
        # the one place a workspace error becomes text: a zero-width or bidi character in a name the
        # message quotes is shown escaped, so "unknown system 'x\u200d'" cannot pass for one that exists
        return visible(f"{self.location}: {self.message}")


class WorkspaceErrors(Exception):
    """Raised with every problem found, so a user fixes them in one pass."""

    def __init__(self, errors: list[WorkspaceError]):
        self.errors = sorted(set(errors))
        super().__init__("\n".join(str(e) for e in self.errors))

    def __reduce__(self) -> tuple[type[WorkspaceErrors], tuple[list[WorkspaceError]]]:
        # pickled as its errors (a workspace loaded in a child process sends them back), not as its message
        return WorkspaceErrors, (self.errors,)
