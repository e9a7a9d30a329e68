"""The run result: its types, its vocabulary and its verdict; and the group report of many.

This package imports nothing else of govern, so the engine, the evaluation,
the renderers and the CLI can all depend on it without depending on each
other. Renderers need nothing but a `RunResult`.
"""

from governance.result.group import GROUP_SCHEMA_VERSION, Entity, GroupFinding, GroupResult
from governance.result.types import (
    SCHEMA_VERSION,
    AssessmentRecord,
    Band,
    BudgetSummary,
    CheckSummary,
    ControlRecord,
    DomainRecord,
    Engine,
    Finding,
    FindingLocation,
    GitState,
    GoalRecord,
    InputFile,
    PhaseBudget,
    PilotScope,
    Resource,
    Run,
    RunResult,
    Selection,
    SkippedCheck,
    StrategySummary,
    Summary,
    Tool,
    Verdict,
    WaiverRecord,
)
from governance.result.verdict import advisory, gate, sealed, summarize, verdict_digest
from governance.result.vocabulary import (
    FAIL_ON,
    SEVERITIES,
    STATUSES,
    FailOn,
    Number,
    Severity,
    Status,
    check_status,
    rollup,
    severity_rank,
)

__all__ = [
    "FAIL_ON", "GROUP_SCHEMA_VERSION", "SCHEMA_VERSION", "SEVERITIES", "STATUSES", "AssessmentRecord", "Band", "BudgetSummary",
    "CheckSummary", "ControlRecord", "DomainRecord", "Engine", "Entity", "FailOn", "Finding", "FindingLocation", "GitState",
    "GoalRecord", "GroupFinding", "GroupResult", "InputFile", "Number", "PhaseBudget", "PilotScope", "Resource", "Run",
    "RunResult", "Selection", "Severity", "SkippedCheck", "Status", "StrategySummary", "Summary", "Tool", "Verdict",
    "WaiverRecord", "advisory", "check_status", "gate", "rollup", "sealed", "severity_rank", "summarize", "verdict_digest",
]
