"""Findings and waivers: from OPA's raw violations to the run result."""

from governance.evaluate import (
           agenda,  # the committee's meeting pack (govern agenda)
           aggregate,  # the group report of many results, as a whole (govern aggregate)
)
from governance.evaluate.baseline import compare
from governance.evaluate.controls import controls_view, evaluated
from governance.evaluate.policy import DeclaredCheck, Domain, compile_policy
from governance.evaluate.report_set import record_for
from governance.evaluate.run import load, run_check, validate
from governance.evaluate.saved import ResultFileError, read_bytes, read_result, result_refused
from governance.evaluate.selection import SkipRefused
from governance.evaluate.signature import can_sign, check_signature, signed
from governance.evaluate.unit_tests import OUTCOMES, UnitTestReport, run_unit_tests
from governance.evaluate.verify import Recorded, differences

__all__ = ["DeclaredCheck", "Domain", "OUTCOMES", "Recorded", "ResultFileError", "SkipRefused", "UnitTestReport", "agenda",
           "aggregate", "can_sign", "check_signature", "compare", "compile_policy", "controls_view", "differences",
           "evaluated", "load", "read_bytes", "read_result", "record_for", "result_refused", "run_check",
           "run_unit_tests", "signed", "validate"]
