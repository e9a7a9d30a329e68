"""The engine: compile and run every check on a real Open Policy Agent.

Public surface: `inspect(...)` (compile under the allowed builtins, list
packages and METADATA), `evaluate(...)` (the report from an OPA; the protocol
is protocol.py), `build_bundle(...)` (the same policy as an OPA bundle), the
work a run starts early (early.py), their result and error types, and
`policy_revision`. This module only re-exports.
"""

from governance.engine.binary import OPA_VERSION, find_opa
from governance.engine.client import url_problem
from governance.engine.compile import Ahead, Annotation, DataRef, Inspection, RegoError, RegoErrors
from governance.engine.early import compiling_ahead, starting_opa, storing_input
from governance.engine.errors import EngineError
from governance.engine.module import Module, canonical_json, policy_revision
from governance.engine.outcome import CheckOutcome, Malformed, MalformedCheck, Violation, metadata_problem
from governance.engine.pinned import build_bundle, data_refs, inspect, sign, verified_payload
from governance.engine.protocol import EngineOptions, EngineResult, evaluate
from governance.engine.server import MEMORY_FORMAT, ManagedOpa, die_with_parent, parse_memory
from governance.engine.signing import (
           DEFAULT_SIGNING_ALG,
           SIGNED_FILE,
           SIGNING_ALGS,
           SigningKeyError,
           VerificationKeyError,
           verification_key,
)
from governance.engine.stored import StoredInput
from governance.engine.testing import ERROR, FAILED, PASSED, FileCoverage, UnitTest, run_tests

__all__ = ["Ahead", "Annotation", "CheckOutcome", "DEFAULT_SIGNING_ALG", "DataRef", "ERROR", "EngineError",
           "EngineOptions", "EngineResult", "FAILED", "FileCoverage", "Inspection", "MEMORY_FORMAT", "Malformed",
           "MalformedCheck", "ManagedOpa", "Module", "OPA_VERSION", "PASSED", "RegoError", "RegoErrors", "SIGNED_FILE",
           "SIGNING_ALGS", "SigningKeyError", "StoredInput", "UnitTest", "VerificationKeyError", "Violation",
           "build_bundle", "canonical_json", "compiling_ahead", "data_refs", "die_with_parent", "evaluate", "find_opa",
           "inspect", "metadata_problem", "parse_memory", "policy_revision", "run_tests", "sign", "starting_opa",
           "storing_input", "url_problem", "verification_key", "verified_payload"]
