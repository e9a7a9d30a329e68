"""The run result: its types, its vocabulary and its verdict; and the group report of many.

This package imports nothing else of govern, so the engine, the evaluation,
the renderers and the CLI can all depend on it without depending on each
other. Renderers need nothing but a `RunResult`.
"""

from governance.result.agenda import (
    AGENDA_KIND,
    ActionRecord,
    Agenda,
    AgendaChange,
    AgendaCounts,
    AgendaGoal,
    AgendaGroup,
    AgendaItem,
    AgendaPoint,
    AgendaReading,
    AgendaWindow,
    PreviousRun,
)
from governance.result.group import GROUP_SCHEMA_VERSION, Entity, GroupFinding, GroupResult
from governance.result.types import (
    COMMIT,
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
    Manifest,
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
from governance.result.verdict import (
    advisory,
    check_standings,
    control_standing,
    gate,
    sealed,
    summarize,
    tally,
    verdict_digest,
)
from governance.result.vocabulary import (
    DEFAULT_CADENCE_DAYS,
    EARLIEST,
    FAIL_ON,
    LATEST,
    SEVERITIES,
    STANDINGS,
    STATUSES,
    FailOn,
    Number,
    Severity,
    Standing,
    Status,
    check_status,
    group_standing,
    rollup,
    severity_rank,
)
from governance.result.written import BESIDE, EVIDENCE_KIND, leftovers, temporary_name

__all__ = ["AGENDA_KIND", "Agenda", "AgendaChange", "AgendaCounts", "AgendaGroup", "AgendaItem", "AgendaPoint",
           "AgendaWindow", "ActionRecord", "AgendaGoal", "PreviousRun", "AgendaReading",
           "AssessmentRecord", "BESIDE", "Band", "BudgetSummary", "COMMIT", "CheckSummary", "ControlRecord",
           "DEFAULT_CADENCE_DAYS", "DomainRecord", "EARLIEST", "EVIDENCE_KIND", "Engine", "Entity", "FAIL_ON", "FailOn",
           "Finding",
           "FindingLocation", "GROUP_SCHEMA_VERSION", "GitState", "GoalRecord", "GroupFinding", "GroupResult", "InputFile",
           "LATEST", "Manifest", "Number", "PhaseBudget", "PilotScope", "Resource", "Run", "RunResult", "SCHEMA_VERSION",
           "SEVERITIES", "STANDINGS", "STATUSES", "Selection", "Severity", "SkippedCheck", "Standing", "Status",
           "StrategySummary", "Summary", "Tool", "Verdict", "WaiverRecord", "advisory", "check_standings",
           "check_status", "control_standing", "gate", "group_standing", "leftovers", "rollup", "sealed",
           "severity_rank", "summarize", "tally", "temporary_name", "verdict_digest"]
