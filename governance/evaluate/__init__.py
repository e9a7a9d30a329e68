"""Findings and waivers: from OPA's raw violations to the run result."""

from governance.evaluate.run import load, run_check, validate

__all__ = ["load", "run_check", "validate"]
