"""Talking to OPA over its REST API, through opa-python-client only.

`OpaSession` clears what earlier runs left, loads modules and definitions
(or, on a server that serves govern's policy from a bundle, reads back what
the bundle holds), asks the one `report` query and checks that the answer
has the shape we rely on. Any surprise becomes an `EngineError`: the caller
must never mistake a broken evaluation for a pass. Errors OPA locates in a module come back as
`RegoErrors`, so the caller can tell a workspace's faulty check from ours.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from typing import Any, ParamSpec, TypeVar
from urllib.parse import quote, urlencode, urlparse, urlsplit

import requests

from governance.engine.compile import RegoError, RegoErrors
from governance.engine.errors import EngineError
from governance.engine.opa_client_sync import ConnectionsError, DeletePolicyError, OpaClient, PolicyNotFoundError, RegoParseError
from governance.engine.outcome import Report, parse_report

REPORT_PACKAGE = "govern/main"
DATA_ROOT = "govern"  # definitions and meta live under it; nothing else may
# Where this run's own OPA holds the input, outside data.govern (workspace checks read only that):
# main.rego's stored_report evaluates the report on it.
STORED_INPUT = "govern_input"
OWN_PREFIXES = ("workspace/", "govern/")  # module ids govern loads; workspace ones go first on deletion
VERSION_QUERY = "version := opa.runtime().version"


def display(url: str) -> str:
    """`url` as safe to print: scheme, host and port only (no credentials, path or query)."""
    try:
        parsed = urlparse(url)
        port = f":{parsed.port}" if parsed.port else ""
        return f"{parsed.scheme}://{parsed.hostname or '?'}{port}"
    except ValueError:
        return "<the given OPA URL>"


class _Client(OpaClient):
    """opa-python-client's `OpaClient`, which serves govern's REST calls (its session, token, TLS, timeouts and
    retries; the version query, policy uploads and deletions, data writes), with two of its methods overridden
    and five calls it lacks added. Each says why, as the comment above it."""

    # Override: the base session reads requests' environment. REQUESTS_CA_BUNDLE would override --opa-ca, and
    # HTTP(S)_PROXY would send the run's token through a proxy (even the managed OPA's, on loopback): govern
    # talks to the server it was given, directly.
    def _init_session(self) -> requests.Session:
        session: requests.Session = super()._init_session()  # opa_client is untyped
        session.trust_env = False
        return session

    # Added: the base lists policies by id (`get_policies_list`) or by rules (`get_policies_info`), never with
    # their source, which govern compares with what it loaded.
    def get_policies(self) -> list[dict[str, Any]]:
        """Every module the server holds, with its source and AST, in one request: the base
        client's listing drops the source, and reading each module back costs a request each."""
        response = self._session.get(f"{self.root_url}/policies", timeout=self.timeout)
        response.raise_for_status()
        result = response.json().get("result", [])
        if not isinstance(result, list) or not all(isinstance(p, dict) for p in result):
            raise ValueError("policies listing is not a list of objects")
        return result

    # Added: the base `query_rule` takes the input as a dict and has requests serialise it, a second copy of an
    # input already serialised (at 100k systems, hundreds of megabytes).
    def query_rule_json(self, input_json: bytes, package_path: str, rule_name: str,
                        query_params: dict[str, str]) -> dict[str, Any]:
        """`query_rule` on an input already serialised: the base client would take a dict and
        have requests serialise it again."""
        url = f"{self.root_url}/data/{package_path}/{rule_name}?{urlencode(query_params)}"
        body = _InputBody(input_json)
        response = self._session.post(url, data=body, headers={"Content-Type": "application/json"},
                                      timeout=self.timeout)
        response.raise_for_status()
        answer = response.json()
        if not isinstance(answer, dict):
            raise ValueError("the answer is not an object")
        return answer

    # Added: the base `update_or_create_data` serialises a dict again, as `query_rule` does.
    def put_data_json(self, path: str, value_json: bytes) -> None:
        """`update_or_create_data` of a value already serialised: sent as the bytes it is."""
        response = self._session.put(f"{self.root_url}/data/{path}", data=value_json,
                                     headers={"Content-Type": "application/json"}, timeout=self.timeout)
        response.raise_for_status()

    # Added: the base has no call for the bundles a server serves, which decide whether govern may upload.
    def get_bundles(self) -> dict[str, tuple[str, list[str]]]:
        """The bundles the server has activated: name -> (its manifest's revision, its roots).
        OPA keeps their manifests in data.system.bundles, which is undefined while it serves none."""
        response = self._session.get(f"{self.root_url}/data/system/bundles", timeout=self.timeout)
        response.raise_for_status()
        result = response.json().get("result", {})
        if not isinstance(result, dict):
            raise ValueError("bundles are not an object")
        bundles = {}
        for name, state in result.items():
            manifest = state.get("manifest", {}) if isinstance(state, dict) else None
            revision = manifest.get("revision", "") if isinstance(manifest, dict) else None
            roots = manifest.get("roots", [""]) if isinstance(manifest, dict) else None  # no roots: it owns all of data
            if not isinstance(revision, str) or not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
                raise ValueError(f"bundle {name} has no readable manifest")
            bundles[name] = (revision, roots)
        return bundles

    # Added: the base `check_health` answers a bare yes or no; govern says why a bundle is not served.
    def get_health_of_bundles(self) -> requests.Response:
        """OPA's `GET /health?bundles`: 200 once every bundle it is configured with has been activated, else 500
        with `{"error": …}`. Served at the server's root, beside /v1."""
        response: requests.Response = self._session.get(f"{self.root_url.removesuffix('/v1')}/health",
                                                        params={"bundles": "true"}, timeout=self.timeout)
        if not (response.status_code == 500 and isinstance((_json_or_none(response) or {}).get("error"), str)):
            response.raise_for_status()  # any other error is what it is (a server error, a refused token)
        return response

    # Override: the base raises on the 500 of a server without the status plugin, an ordinary server's
    # answer that this call reads as "no status", and returns the envelope, not its `result`.
    def get_status(self) -> dict[str, Any] | None:
        """OPA's status API (`GET /v1/status`), or None where it has none (the status plugin is off: 500)."""
        response = self._session.get(f"{self.root_url}/status", timeout=self.timeout)
        if response.status_code == 500:
            return None
        response.raise_for_status()
        result = response.json().get("result")
        if not isinstance(result, dict):
            raise ValueError("the status is not an object")
        return result


class _InputBody:
    """The body `{"input": ...}` read from the input's own bytes, with its length known: requests
    streams it under a Content-Length, where a joined copy would live while OPA evaluates
    (at 100k systems, as large as the input) and a chunked body is not something every server reads."""

    def __init__(self, input_json: bytes) -> None:
        self._parts = [memoryview(b'{"input":'), memoryview(input_json), memoryview(b"}")]
        self._length = sum(len(p) for p in self._parts)

    def __len__(self) -> int:
        return self._length

    def read(self, size: int | None = -1) -> bytes:
        if size is None or size < 0:  # the rest, at once
            rest, self._parts = b"".join(self._parts), []
            return rest
        while self._parts and not self._parts[0]:
            self._parts.pop(0)
        if not self._parts:
            return b""
        part = self._parts[0]
        self._parts[0] = part[size:]
        return bytes(part[:size])


def url_problem(url: str) -> str | None:
    """What is wrong with an OPA server URL, if anything: http(s)://host[:port] and nothing more,
    since the client talks to the server's root. The message never repeats the URL: it may
    carry credentials."""
    if not url or any(ch.isspace() or not ch.isprintable() for ch in url):
        return "expected http://host:port or https://host:port (it is empty or holds spaces)"
    try:
        parsed = urlsplit(url)
        port = parsed.port
    except ValueError:  # bad IPv6 brackets, port not a number or out of range
        return "not a valid URL (its port or brackets are malformed)"
    if "://" not in url or parsed.scheme not in ("http", "https"):
        return "expected http://host:port or https://host:port"
    if not parsed.hostname:
        return "expected http://host:port or https://host:port: it names no host"
    if parsed.username is not None or parsed.password is not None:
        return ("credentials do not belong in the URL (it would be shown in logs): "
                "give the token with --opa-token or GOVERN_OPA_TOKEN")
    if port == 0:
        return "port 0 is not a port OPA can listen on"
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        return ("expected http(s)://host[:port] only: OPA is reached at the server's root, "
                "a path, query or fragment would be ignored")
    return None


def client_for(url: str, timeout: float, *, token: str | None = None, ca: str | None = None) -> OpaClient:
    problem = url_problem(url)
    if problem:
        raise EngineError(f"--opa-url: {problem}")
    parsed = urlsplit(url)
    if ca and parsed.scheme != "https":
        raise EngineError("--opa-ca needs an https:// --opa-url")
    port = parsed.port or (443 if parsed.scheme == "https" else 8181)
    # ssl: a CA bundle path verifies against that CA only; True, against requests' bundle (certifi)
    ssl: Any = ca if ca else parsed.scheme == "https"
    # retries=0: a retried POST could hide a crash behind a restarted server
    return _Client(host=parsed.hostname, port=port, ssl=ssl, token=token or None, timeout=timeout, retries=0)


P = ParamSpec("P")
T = TypeVar("T")


class OpaSession:
    def __init__(self, client: OpaClient, url: str, alive: Callable[[], bool] = lambda: True,
                 died: Callable[[], str] = lambda: "") -> None:
        self.client = client
        self.url = display(url)
        self._alive = alive
        self._died = died

    def _call(self, what: str, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return fn(*args, **kwargs)
        except (RegoParseError, DeletePolicyError, PolicyNotFoundError) as exc:
            raise self._refused(what, str(exc.expression or ""), _rego_errors(exc)) from None
        except requests.Timeout:
            raise EngineError(f"OPA at {self.url} timed out while {what}") from None
        except requests.HTTPError as exc:
            if exc.response is None:  # raised without the answer it is about: no more to say than any failed request
                raise EngineError(f"OPA at {self.url} gave no usable answer while {what}: {type(exc).__name__}") from None
            raise self._http(what, exc.response) from None
        except requests.exceptions.SSLError:
            raise EngineError(f"TLS with OPA at {self.url} failed while {what}: its certificate is not trusted "
                              "or does not match (give its CA bundle with --opa-ca)") from None
        except (requests.ConnectionError, ConnectionsError) as exc:
            if not self._alive():
                raise EngineError(f"{self._died()} while {what}") from None
            raise EngineError(f"cannot reach OPA at {self.url} while {what}: {type(exc).__name__}") from None
        except (requests.RequestException, ValueError) as exc:
            raise EngineError(f"OPA at {self.url} gave no usable answer while {what}: {type(exc).__name__}") from None
        except RecursionError:
            raise EngineError(f"OPA's answer while {what} is nested too deeply to read "
                              "(a check returning deeply nested values in its findings?)") from None

    def _refused(self, what: str, code: str, detail: str) -> EngineError:
        if code == "unauthorized":
            return EngineError(f"OPA at {self.url} refused govern's credentials (401 unauthorized) while {what}; "
                               "give the server's token with --opa-token or GOVERN_OPA_TOKEN")
        return EngineError(f"OPA at {self.url} refused {what}: {code or 'error'}: {detail}")

    def _http(self, what: str, resp: requests.Response) -> Exception:
        status = resp.status_code
        body = _json_or_none(resp)
        located = [e for e in (body or {}).get("errors") or [] if isinstance(e, dict) and e.get("location")]
        if status == 500 and located:  # an evaluation error OPA pinned to a module: whose it is, the caller decides
            return RegoErrors([_located(e) for e in located])
        if status in (401, 403):
            return EngineError(f"OPA at {self.url} refused govern ({status} {'unauthorized' if status == 401 else 'forbidden'}) "
                               f"while {what}; give the server's token with --opa-token or GOVERN_OPA_TOKEN")
        message = (body or {}).get("message") or resp.text[:200]
        kind = "a server error" if status >= 500 else "an error"
        return EngineError(f"OPA at {self.url} answered {kind} ({status}) while {what}: {message}")

    def version(self) -> str:
        answer = self._call("asking its version", self.client.ad_hoc_query, VERSION_QUERY)
        try:
            (row,) = answer["result"]
            version = row["version"]
        except (KeyError, TypeError, ValueError):
            version = None
        if not isinstance(version, str):
            raise EngineError(f"OPA at {self.url} did not report its version")
        return version

    def failed_bundles(self) -> list[str]:
        """Why each bundle the server is configured with, and has not activated, is not served ([] when all are):
        from its status API (the status plugin) when it has one, else what its health API says. A server that
        failed to activate its bundle (a wrong verification key, an unreachable bundle server) would otherwise
        take govern's uploads and answer as if it served what its operator meant it to."""
        health = self._call("asking the health of its bundles", self.client.get_health_of_bundles)
        if health.status_code == 200:
            return []
        status = self._call("reading its status", self.client.get_status) or {}
        bundles = status.get("bundles")
        failed = [_bundle_failure(str(name), state) for name, state in sorted(bundles.items())
                  if isinstance(state, dict) and (state.get("code") or state.get("errors"))] if isinstance(bundles, dict) else []
        said = (_json_or_none(health) or {}).get("error") or health.text[:200]
        return failed or [f"its health API says: {said}; its log, or its status API with OPA's status plugin on, says why"]

    def bundles(self) -> dict[str, str]:
        """The bundles the server serves that own part of data.govern: name -> their manifest's revision."""
        served = self._call("listing its bundles", self.client.get_bundles)
        return {name: revision for name, (revision, roots) in served.items() if any(map(_overlaps_govern, roots))}

    def held(self, bundles: Collection[str] = (), ids: Collection[str] = ()) -> dict[str, str | None]:
        """govern's modules that the server holds: id -> source. Those of `bundles` (which serve
        govern's policy) under the one of `ids` their path names; without bundles, ours or an
        earlier run's. A module of someone else's in a govern package is refused: it would join the checks."""
        ours: dict[str, str | None] = {}
        for entry in self._call("listing its policies", self.client.get_policies):
            module_id, raw = str(entry.get("id", "")), entry.get("raw")
            if any(module_id.startswith(b + "/") for b in bundles):
                key = own_id(module_id, ids) or module_id
                if key in ours:
                    raise EngineError(f"OPA at {self.url} serves two modules that are both {key}; serve one govern bundle")
                ours[key] = raw if isinstance(raw, str) else None
            elif module_id.startswith(OWN_PREFIXES) and not bundles:
                ours[module_id] = raw if isinstance(raw, str) else None
            elif _package_of(entry) == DATA_ROOT or _package_of(entry).startswith(DATA_ROOT + "/"):
                raise EngineError(f"OPA at {self.url} holds module {module_id!r} in package "
                                  f"{_package_of(entry).replace('/', '.')}, which govern did not load; "
                                  "it would change this run's checks. Remove it or use another server")
        return ours

    def clear(self, keep: set[str]) -> dict[str, str | None]:
        """Make the server hold no govern module but ours: earlier runs' modules would
        join this run's checks. Returns those in `keep` that the server already holds, with their source."""
        held = self.held()
        # workspace modules import the library: they go first, or deleting the library would not compile
        for module_id in sorted(set(held) - keep, key=lambda m: (not m.startswith(OWN_PREFIXES[0]), m)):
            self._call(f"removing the stale module {module_id}", self.client.delete_policy, _path(module_id))
        return {m: text for m, text in held.items() if m in keep}

    def load_module(self, module_id: str, text: str) -> None:
        # rego_compat=False: never let the client rewrite our Rego and retry
        self._call(f"loading {module_id}", self.client.update_policy_from_string, text, _path(module_id), rego_compat=False)

    def put_data(self, path: str, value: dict) -> None:
        self._call(f"putting data at {path}", self.client.update_or_create_data, value, path)

    def put_json(self, path: str, value_json: bytes, what: str) -> None:
        """Write a value already serialised at data `path`; `what` names it in errors."""
        self._call(what, self.client.put_data_json, path, value_json)

    def report(self, input_json: bytes, ids: Collection[str] = (), *, stored: bool = False) -> Report:
        """The report; an evaluation error located in a bundle's module is told under the one of `ids` it is.
        `stored`: asked on the input already written at data.govern_input (STORED_INPUT), for a
        server this run alone uses (its own OPA): OPA's authorizer reads and keeps the body of every
        query, never of a data write, and at 100k systems that copy cost as much memory as the input."""
        rule, body = ("stored_report", b"{}") if stored else ("report", input_json)
        try:
            answer = self._call("evaluating the checks", self.client.query_rule_json, body, REPORT_PACKAGE, rule,
                                query_params={"strict-builtin-errors": "true"})
        except RegoErrors as exc:
            if not ids:
                raise
            raise RegoErrors([replace(e, module=own_id(e.module, ids) or e.module) for e in exc.errors]) from None
        try:
            return parse_report(answer)
        except RecursionError:
            raise EngineError("OPA's report is nested too deeply to read "
                              "(a check returning deeply nested values in its findings?)") from None


def _bundle_failure(name: str, state: dict[str, Any]) -> str:
    """One bundle's error as OPA's status API reports it: its code and message, then each detailed error."""
    details = [str(e.get("message", e)) if isinstance(e, dict) else str(e) for e in state.get("errors") or []]
    said = ": ".join(str(p) for p in (state.get("code"), state.get("message")) if p)
    return f"bundle {name}: " + "; ".join(filter(None, [said, *details[:3]]))


def _overlaps_govern(root: str) -> bool:
    """A bundle root that covers data.govern or lies inside it ("" is all of data)."""
    root = root.strip("/")
    return root == "" or root == DATA_ROOT or root.startswith(DATA_ROOT + "/")


def own_id(path: str, ids: Collection[str]) -> str | None:
    """Which of govern's module `ids` a bundle's module is. OPA names it after the bundle and the path
    it loaded (`/srv/north.tar.gz/govern/checks/lib.rego`; a folder bundle's folder comes twice) and
    locates its errors at its path in the bundle (`/workspace/checks/x.rego`): the id ends the path.
    The longest wins: `workspace/govern/checks/lib.rego` also ends with a library id."""
    return max((i for i in ids if path == i or path.endswith("/" + i)), key=len, default=None)


def _package_of(entry: dict[str, Any]) -> str:
    """The package of a listed module, as a path ("govern/checks/x"), from its AST."""
    path = (entry.get("ast") or {}).get("package", {}).get("path", []) if isinstance(entry.get("ast"), dict) else []
    parts = [str(p.get("value")) for p in path if isinstance(p, dict)] if isinstance(path, list) else []
    return "/".join(parts[1:] if parts[:1] == ["data"] else parts)


def _path(module_id: str) -> str:
    """A module id as a URL path: the client puts it in the URL as it is, and a file named
    `a#1.rego` would otherwise be uploaded as `a`, over `a#2.rego`."""
    return quote(module_id, safe="/")


def _json_or_none(resp: requests.Response) -> dict | None:
    try:
        body = resp.json()
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


def _located(e: dict) -> RegoError:
    loc = e["location"]
    return RegoError(module=str(loc.get("file", "")), row=int(loc.get("row") or 1), col=int(loc.get("col") or 1),
                     message=f"{e.get('code', 'error')}: {e.get('message', '')}")


def _rego_errors(exc: Exception) -> str:
    errors = getattr(exc, "errors", None) or []
    parts = []
    for e in errors:
        loc = e.get("location") or {}
        where = f"{loc.get('file', '')}:{loc.get('row', '?')}:{loc.get('col', '?')}: " if loc else ""
        parts.append(f"{where}{e.get('message', '')}")
    return "; ".join(parts) or str(getattr(exc, "message", "") or exc)
