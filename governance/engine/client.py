"""Talking to OPA over its REST API, through opa-python-client only.

`OpaSession` loads modules and definitions, asks the one `report` query and
checks that the answer has the shape we rely on. Any surprise becomes an
`EngineError`: the caller must never mistake a broken evaluation for a pass.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import urlparse

import requests
from opa_client import OpaClient
from opa_client.errors import ConnectionsError, RegoParseError

from governance.engine.errors import EngineError

REPORT_PACKAGE = "govern/main"
DEFINITIONS_PATH = "govern/definitions"
META_PATH = "govern/meta"
SEVERITIES = ("critical", "high", "medium", "low", "info")


def client_for(url: str, timeout: float) -> OpaClient:
    parsed = urlparse(url)
    if parsed.scheme not in {"http", "https"} or not parsed.hostname:
        raise EngineError(f"--opa-url must look like http://host:port (got {url!r})")
    port = parsed.port or (443 if parsed.scheme == "https" else 8181)
    # retries=0: a retried POST could hide a crash behind a restarted server
    return OpaClient(host=parsed.hostname, port=port, ssl=parsed.scheme == "https", timeout=timeout, retries=0)


class OpaSession:
    def __init__(self, client: OpaClient, url: str, alive: Callable[[], bool] = lambda: True,
                 died: Callable[[], str] = lambda: ""):
        self.client = client
        self.url = url
        self._alive = alive
        self._died = died

    def _call(self, what: str, fn, *args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except RegoParseError as exc:
            raise EngineError(f"OPA could not compile the policies while {what}: {_rego_errors(exc)}") from None
        except requests.Timeout:
            raise EngineError(f"OPA at {self.url} timed out while {what}") from None
        except requests.HTTPError as exc:
            raise EngineError(f"OPA answered an error while {what}: {_http_error(exc)}") from None
        except (requests.ConnectionError, ConnectionsError) as exc:
            if not self._alive():
                raise EngineError(f"{self._died()} while {what}") from None
            raise EngineError(f"cannot reach OPA at {self.url} while {what}: {exc}") from None
        except (requests.RequestException, ValueError) as exc:
            raise EngineError(f"OPA communication failed while {what}: {exc}") from None

    def load_module(self, module_id: str, text: str) -> None:
        # rego_compat=False: never let the client rewrite our Rego and retry
        self._call(f"loading {module_id}", self.client.update_policy_from_string, text, module_id, rego_compat=False)

    def put_data(self, path: str, value: dict) -> None:
        self._call(f"putting data at {path}", self.client.update_or_create_data, value, path)

    def report(self, input_doc: dict) -> dict:
        answer = self._call("evaluating the checks", self.client.query_rule, input_doc, REPORT_PACKAGE, "report",
                            query_params={"strict-builtin-errors": "true"})
        return validate_report(answer)


def validate_report(answer: Any) -> dict:
    """The report must be exactly what main.rego builds; anything else is a failure."""
    if not isinstance(answer, dict) or "result" not in answer:
        raise EngineError("OPA returned no result for data.govern.main.report (policies not loaded or undefined)")
    result = answer["result"]
    if not isinstance(result, dict) or not isinstance(result.get("checks"), list):
        raise EngineError(f"OPA answered an unexpected shape for the report: {str(result)[:200]}")
    ids = set()
    for check in result["checks"]:
        _validate_check(check)
        cid = check["meta"]["custom"]["id"]
        if cid in ids:
            raise EngineError(f"two checks declare the id {cid}")
        ids.add(cid)
    return result


def _validate_check(check: Any) -> None:
    def bad(why: str):
        cid = check.get("meta", {}).get("custom", {}).get("id", "?") if isinstance(check, dict) else "?"
        raise EngineError(f"check {cid}: unexpected result shape from OPA: {why}")

    if not isinstance(check, dict) or not isinstance(check.get("meta"), dict):
        bad("no METADATA")
    meta = check["meta"]
    custom = meta.get("custom")
    if not isinstance(custom, dict):
        bad("METADATA has no custom block")
    if not isinstance(meta.get("title"), str):
        bad("METADATA has no title")
    if custom.get("severity") not in SEVERITIES:
        bad(f"custom.severity must be one of {', '.join(SEVERITIES)}")
    if not isinstance(custom.get("waivable"), bool):
        bad("custom.waivable must be true or false")
    if not isinstance(check.get("evaluated"), int) or check["evaluated"] < 0:
        bad("evaluated is not a count")
    if not isinstance(check.get("violations"), list):
        bad("violations is not a set")
    for v in check["violations"]:
        if not (isinstance(v, dict) and isinstance(v.get("message"), str) and isinstance(v.get("resource"), dict)
                and isinstance(v["resource"].get("kind"), str) and isinstance(v["resource"].get("id"), str)):
            bad(f"violation {str(v)[:120]} lacks resource.kind, resource.id or message")


def _rego_errors(exc: RegoParseError) -> str:
    errors = getattr(exc, "errors", None) or []
    parts = []
    for e in errors:
        loc = e.get("location") or {}
        where = f"{loc.get('file', '')}:{loc.get('row', '?')}:{loc.get('col', '?')}: " if loc else ""
        parts.append(f"{where}{e.get('message', '')}")
    return "; ".join(parts) or str(exc)


def _http_error(exc: requests.HTTPError) -> str:
    resp = exc.response
    try:
        body = resp.json()
        msg = body.get("message", "")
        details = "; ".join(e.get("message", "") for e in body.get("errors", []) or [])
        return f"{resp.status_code} {body.get('code', '')}: {msg}{' — ' + details if details else ''}"
    except ValueError:
        return f"{resp.status_code}: {resp.text[:300]}"
