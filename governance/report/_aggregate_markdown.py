"""`govern aggregate --format markdown`: the group report a person reads (zh or en, by --lang).

The group's tool and library, one row per entity (verdict, unwaived findings
by severity, waived ones, checks, policy revision), then the worst findings
across entities, in the report's language where the check wrote it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from governance.report._escape import markdown_code, markdown_text
from governance.report.markdown import _table
from governance.result import SEVERITIES, Entity, GroupResult, Standing
from governance.vocabulary import Messages, messages

if TYPE_CHECKING:  # the package imports this module
    from governance.report import RenderOptions


# the checks column, in the order of its label (aggregate.checks): as each entity's own report counts them
SHOWN_STANDINGS: tuple[Standing, ...] = ("pass", "fail", "advisory", "not_applicable", "skipped")


def unwaived(e: Entity, severity: str) -> int:
    """An entity's unwaived findings of `severity`; info ones that are advisories are unwaived too (shown
    apart from the failing in its own report, but not absent)."""
    return e.failing.get(severity, 0) + (e.advisories if severity == "info" else 0)


def render(group: GroupResult, options: RenderOptions) -> str:
    m = messages(options.lang)
    t, name = m.text, m.name
    passed = sum(e.verdict == "pass" for e in group.entities)
    engine = f"govern {group.tool.version}" + (f" · OPA {group.opa_version}" if group.opa_version else "")
    lines = [f"# {t('aggregate.title')}", "",
             f"- {t('tool')}: {markdown_text(engine)}",
             f"- {t('aggregate.library')}: {markdown_code(group.library)}" if group.library else f"- ⚠ {t('aggregate.mixed')}",
             f"- {t('aggregate.fail_on')}: {markdown_text(name(group.fail_on))}",
             f"- {t('aggregate.summary', n=len(group.entities), passed=passed, failed=len(group.entities) - passed)}", "",
             f"## {t('aggregate.entities')}", ""]
    header = [t("entity"), t("as_of"), t("aggregate.verdict"), *[name(s, capital=True) for s in SEVERITIES],
              t("waived"), t("aggregate.checks"), t("policy_revision")]
    rows = [[e.name, _as_of(e, m), _verdict(e, m), *[unwaived(e, s) for s in SEVERITIES], sum(e.waived.values()),
             " / ".join(str(e.checks_standing.get(s, 0)) for s in SHOWN_STANDINGS),
             e.policy_revision[:19] + "…"] for e in group.entities]
    lines += _table(header, rows, "lll" + "r" * (len(SEVERITIES) + 1) + "ll")
    recorded = (group.model_extra or {}).get("as_of")
    if recorded:
        lines += ["", t("aggregate.recorded_note", as_of=recorded)]
    if any(e.laxer_than_group for e in group.entities):
        lines += ["", t("aggregate.laxer_note", group=name(group.fail_on))]
    lines += ["", f"## {t('aggregate.worst')}", ""]
    if not group.findings:
        return "\n".join(lines + [t("aggregate.no_findings")]) + "\n"
    lines += [t("aggregate.worst_note", shown=len(group.findings), total=group.findings_total), ""]
    header = [t("severity"), t("entity"), t("check"), t("resource"), t("message"), t("location")]
    rows = [[name(f.severity), f.entity, f.check, f"{name(f.resource.kind)} {f.resource.id}", m.said(f),
             f"{f.location.file}:{f.location.line}" if f.location else "-"] for f in group.findings]
    return "\n".join(lines + _table(header, rows)) + "\n"


def _verdict(e: Entity, m: Messages) -> str:
    """The verdict at the group's threshold; flagged when the entity's own threshold is laxer."""
    verdict = m.name(e.verdict, capital=True)
    return f"{verdict} ⚠ {m.text('aggregate.laxer', own=m.name(e.fail_on))}" if e.laxer_than_group else verdict


def _as_of(e: Entity, m: Messages) -> str:
    """The entity's as_of, and with a history store (`aggregate --db`) how old its run is."""
    age = (e.model_extra or {}).get("age_days")
    return e.as_of if age is None else f"{e.as_of} ({m.text('aggregate.age', days=age)})"
