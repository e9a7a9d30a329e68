"""Findings and waivers: from OPA's raw violations to the run result."""

from governance.evaluate.result import SEVERITIES, Finding, RunResult
from governance.evaluate.run import gate, load, run_check

__all__ = ["SEVERITIES", "Finding", "RunResult", "gate", "load", "run_check"]
