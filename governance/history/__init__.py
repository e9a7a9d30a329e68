"""The history store (docs/history.md): every recorded run of every entity, in SQLite or PostgreSQL.

types.py is what the reading commands answer; store.py opens a store and records and reads runs.
"""

from governance.history.archive import is_archive, members
from governance.history.errors import HistoryError, StoreInputError, StoreUnavailable
from governance.history.store import Store, open_store, upgrade_store, valid_result
from governance.history.types import (
    FindingEvent,
    FindingHistory,
    OpenFinding,
    PruneOutcome,
    RecordedRun,
    RecordOutcome,
    ResolveTimes,
    SeverityResolveTime,
    Trend,
    TrendPoint,
)
from governance.history.url import DEFAULT, ENV, redact, store_file
from governance.history.views import (
    Meeting,
    ReportHistory,
    before_meeting,
    compared,
    compared_with_previous,
    current_point,
    digest_of,
    recorded_result,
    report_history,
)

__all__ = ["DEFAULT", "ENV", "FindingEvent", "FindingHistory", "HistoryError", "Meeting", "OpenFinding", "PruneOutcome",
           "RecordOutcome", "RecordedRun", "ReportHistory", "ResolveTimes", "SeverityResolveTime", "Store",
           "StoreInputError", "StoreUnavailable", "Trend", "TrendPoint", "before_meeting", "compared", "compared_with_previous",
           "current_point", "digest_of", "is_archive", "members", "open_store", "recorded_result", "redact",
           "report_history", "store_file", "upgrade_store", "valid_result"]
