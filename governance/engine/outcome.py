"""OPA's answer to the report query, parsed once at the engine's edge into typed values.

Nothing above the engine reads OPA's JSON: a check's result arrives as a
`CheckOutcome` with its `Violation`s, or the run fails. The shape is exactly
what main.rego builds; anything else is a failure (exit 3), or, when it is
one check's own fault, a `MalformedCheck` naming the rule that produced it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from governance.engine.errors import EngineError
from governance.result import SEVERITIES, Severity


@dataclass(frozen=True)
class Violation:
    kind: str  # resource kind, e.g. "system"
    id: str  # resource id
    message: str  # English: the JSON contract's `message`
    message_zh: str | None = None  # the same finding in Chinese, when the check writes it


@dataclass(frozen=True)
class CheckOutcome:
    """One check as OPA evaluated it: its METADATA, how many subjects it looked at, what failed."""

    id: str
    rule: tuple[str, ...]  # the rule that produced it, under data.govern
    title: str
    title_zh: str | None
    description: str
    severity: Severity
    waivable: bool
    resource: str | None
    evaluated: int
    violations: tuple[Violation, ...]
    # numbers a check emits for reports besides its findings (the one observing `budget_bands`: its bands per phase)
    observations: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Malformed:
    """A value in a check package shaped like a check result but with no METADATA id."""

    package: str
    rule: str


@dataclass(frozen=True)
class Report:
    revision: Any
    definitions: Any
    vocabulary: Any
    checks: list[CheckOutcome]
    malformed: list[Malformed]


class MalformedCheck(EngineError):
    """A check's result is not the shape main.rego promises; `rule` names the rule that produced it."""

    def __init__(self, check_id: str, rule: tuple[str, ...], why: str):
        self.check_id, self.rule = check_id, rule
        super().__init__(f"check {check_id}: unexpected result shape from OPA: {why}")


def metadata_problem(title: Any, custom: Any) -> str | None:
    """What is wrong with a check's METADATA (its title and custom block), if anything.
    One rule for the static catalogue and for the results OPA reports."""
    if not isinstance(custom, dict):
        return "METADATA has no custom block"
    cid = custom.get("id")
    if not isinstance(cid, str) or not cid.strip() or cid != cid.strip():
        return "METADATA has no custom.id"
    if not isinstance(title, str) or not title.strip():
        return "METADATA has no title"
    if custom.get("severity") not in SEVERITIES:
        return f"custom.severity must be one of {', '.join(SEVERITIES)} (got {custom.get('severity')!r})"
    if not isinstance(custom.get("waivable"), bool):
        return "custom.waivable must be true or false"
    for key in ("resource", "domain", "title_zh"):  # reports show them as text
        if custom.get(key) is not None and not isinstance(custom[key], str):
            return f"custom.{key} must be text"
    if not isinstance(custom.get("invalidates_waiver", False), bool):
        return "custom.invalidates_waiver must be true or false"
    if not isinstance(custom.get("agenda", False), bool):
        return "custom.agenda must be true or false"
    return None


def parse_report(answer: Any) -> Report:
    """The report must be exactly what main.rego builds; anything else is a failure."""
    if not isinstance(answer, dict) or "result" not in answer:
        raise EngineError("OPA returned no result for data.govern.main.report (policies not loaded or undefined)")
    result = answer["result"]
    if not isinstance(result, dict) or not isinstance(result.get("checks"), list) \
            or not isinstance(result.get("malformed"), list):
        raise EngineError(f"OPA answered an unexpected shape for the report: {str(result)[:200]}")
    malformed = []
    for entry in result["malformed"]:
        if not (isinstance(entry, dict) and isinstance(entry.get("package"), str) and isinstance(entry.get("rule"), str)):
            raise EngineError(f"OPA answered an unexpected shape for the report: {str(entry)[:200]}")
        malformed.append(Malformed(package=entry["package"], rule=entry["rule"]))
    return Report(revision=result.get("revision"), definitions=result.get("definitions"), vocabulary=result.get("vocabulary"),
                  checks=[parse_check(c) for c in result["checks"]], malformed=malformed)


def parse_check(check: Any) -> CheckOutcome:
    if not isinstance(check, dict):
        raise MalformedCheck("?", (), "it is not an object")
    rule = check.get("rule")
    rule = tuple(rule) if isinstance(rule, list) and rule and all(isinstance(p, str) for p in rule) else ()
    meta = check.get("meta")
    if not isinstance(meta, dict):
        meta = {}
    custom = meta.get("custom")
    cid = str(custom.get("id", "?")) if isinstance(custom, dict) else "?"

    def bad(why: str) -> MalformedCheck:
        return MalformedCheck(cid, rule, why)

    if not rule:
        raise bad("it does not name the rule that produced it")
    why = metadata_problem(meta.get("title"), custom)
    if why:
        raise bad(why)
    assert isinstance(custom, dict)  # metadata_problem said so
    evaluated = check.get("evaluated")
    if not isinstance(evaluated, int) or isinstance(evaluated, bool) or evaluated < 0:
        raise bad("evaluated is not a count")
    if not isinstance(check.get("violations"), list):
        raise bad("violations is not a set")
    observations = check.get("observations", {})
    if not isinstance(observations, dict):
        raise bad("observations is not an object")
    description = meta.get("description")
    return CheckOutcome(
        id=cid, rule=rule, title=meta["title"], title_zh=custom.get("title_zh"),
        description=" ".join(description.split()) if isinstance(description, str) else "",
        severity=custom["severity"], waivable=custom["waivable"], resource=custom.get("resource"),
        evaluated=evaluated, violations=tuple(_violation(v, bad) for v in check["violations"]), observations=observations,
    )


def _violation(v: Any, bad: Callable[[str], MalformedCheck]) -> Violation:
    if not (isinstance(v, dict) and isinstance(v.get("message"), str) and isinstance(v.get("resource"), dict)
            and isinstance(v["resource"].get("kind"), str) and isinstance(v["resource"].get("id"), str)):
        raise bad(f"violation {str(v)[:120]} lacks resource.kind, resource.id or message")
    # lib.violation builds {en, zh} into message and message_zh; any other key, or a Chinese
    # message that is not text, means the check bypassed it and the finding cannot be trusted
    if set(v) - {"resource", "message", "message_zh"} or not isinstance(v.get("message_zh", ""), str):
        raise bad(f"violation {str(v)[:120]} has keys other than resource, message and message_zh")
    return Violation(kind=v["resource"]["kind"], id=v["resource"]["id"], message=v["message"],
                     message_zh=v.get("message_zh"))
