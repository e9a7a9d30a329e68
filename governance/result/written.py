"""The names of what a run writes beside its reports, in one place for the writer, the evidence and
`govern verify`: the evidence manifest, and the temporary files of a write, so that a later run and
verify recognise what an interrupted write left behind, and nothing else.

`.NAME.govern-PID-RANDOM.tmp` is a report being written; `.NAME.govern-PID-RANDOM.old` the previous
file kept to be put back if the run fails. PID is the process that made it: a later run removes
only those of a process that is gone (governance/cli/_places.py).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Iterator

BESIDE = "evidence.json"  # the evidence manifest a run writes into every folder it writes reports to
EVIDENCE_KIND = "govern-evidence"  # its `kind`
# An audit pack's evidence.json carries this key (how the pack was rendered, the result it binds), and the pack
# holds the run's JSON result under this name: what the pack's writer and `govern verify` agree on.
PACK = "pack"
PACK_RESULT = "result.json"
LEFTOVER = re.compile(r"\.(?P<name>.+)\.govern-(?P<pid>[0-9]+)-[0-9a-f]{12}\.(?P<kind>tmp|old)")


def temporary_name(name: str, kind: str) -> str:
    """A hidden name beside `name` that only govern makes (`kind`: tmp or old), naming this process."""
    return f".{name}.govern-{os.getpid()}-{secrets.token_hex(6)}.{kind}"


def leftovers(names: Iterable[str]) -> Iterator[tuple[str, str, int]]:
    """(leftover name, the file it was for, pid that made it) for each of `names` that govern's writes left."""
    for entry in names:
        match = LEFTOVER.fullmatch(entry)
        if match:
            yield entry, match["name"], int(match["pid"])
