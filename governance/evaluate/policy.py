"""The policy a run evaluates: the built-in library plus the workspace's checks,
compiled once under the allowed builtins and catalogued from their METADATA.

Workspace Rego is untrusted: it may add checks, never alter the library's.
Whatever OPA finds wrong in a workspace module is the workspace's fault
(exit 2 at its file:line:col); in the library it is ours (exit 3).
"""

from __future__ import annotations

import contextlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Unpack

from governance import engine, library
from governance.engine import (
    Annotation,
    CheckOutcome,
    EngineError,
    Inspection,
    Malformed,
    MalformedCheck,
    Module,
    RegoError,
    RegoErrors,
)
from governance.evaluate import readings
from governance.load import (
    CHECK_ID,
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    Location,
    RegoSource,
    WorkspaceError,
    WorkspaceErrors,
    problems_in,
)
from governance.model import Workspace, rego_checks
from governance.vocabulary import LANGS

if TYPE_CHECKING:  # a type only: not in the engine's __all__
    from governance.engine import Ahead

WORKSPACE = "workspace/"  # module ids of workspace checks; the library's start with govern/
NO_MODULE = "?"  # where a result came from no module of this run
# main.rego reads checks from these
CHECK_ROOTS = (("govern", "checks"), ("govern", "waiver_checks"), ("govern", "action_checks"))
# The id prefix each of the library's own check packages owns: an ACT check is a rule of
# govern.action_checks, a WAV check one of govern.waiver_checks, and no other check takes their prefix,
# so an id says the same as the package (checks/lib.rego's action_check_prefix is ACT-).
RESERVED_PREFIXES = {"WAV-": ("govern", "waiver_checks"), "ACT-": ("govern", "action_checks")}
ACTION_CHECKS = ("govern", "action_checks")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_DOMAIN_ID = re.compile(r"^[a-z][a-z0-9_-]*$")
UNDECLARED_DOMAIN = "custom"  # the domain of a check whose package declares none


@dataclass(frozen=True)
class Domain:
    """A check domain, declared once in its package's METADATA (`custom.domain`)."""

    id: str
    title: dict[str, str]  # language -> title
    order: int | None  # reading order in reports; undeclared ones follow, by id


@dataclass(frozen=True)
class DeclaredCheck:
    """A check as its METADATA declares it, before anything is evaluated."""

    id: str
    rule: tuple[str, ...]  # its path under data
    module: str
    location: Location
    domain: str  # the rule's custom.domain, else its package's, else UNDECLARED_DOMAIN
    invalidates_waiver: bool  # its firing on a waiver makes that waiver invalid (WAV-001..005, WAV-007..009)
    title: dict[str, str]  # language -> title: en is METADATA `title`, zh its `custom.title_zh` where given
    description: str  # METADATA `description` on one line, "" where there is none
    severity: str
    waivable: bool
    resource: str | None  # the resource kind its findings name
    observes: str | None = None  # the reading a report draws from it (readings.py), if any
    # its findings need the committee: `govern agenda` lists them (METADATA custom.agenda)
    agenda: bool = False
    portfolio: readings.Portfolio | None = None  # the portfolio entry its findings name, if any
    description_zh: str = ""  # METADATA `custom.description_zh` on one line, "" where there is none
    # how to fix what it finds, language -> text on one line (METADATA custom.remediation); {} where it says none
    remediation: dict[str, str] = field(default_factory=dict)

    def described(self, lang: str) -> str:
        """The description in `lang`: the Chinese one for zh where the check writes one, else the English."""
        return (self.description_zh or self.description) if lang == "zh" else self.description

    @property
    def builtin(self) -> bool:
        return not self.module.startswith(WORKSPACE)


@dataclass(frozen=True)
class Policy:
    modules: list[Module]
    checks: dict[str, DeclaredCheck]  # id -> declaration: what a complete report holds
    packages: dict[str, str]  # module id -> package
    domains: dict[str, Domain]  # id -> declaration, for every domain a package declares

    def observer(self, reading: str) -> str:
        """The id of the check a report draws `reading` from (every reading has one: compile_policy)."""
        return next(c.id for c in self.checks.values() if c.observes == reading)


def library_modules() -> list[Module]:
    root = library.library_root()
    paths = library.rego_modules()
    # lib.rego defines the functions every check calls, so OPA must see it first
    paths.sort(key=lambda p: (p.name != "lib.rego", p.as_posix()))
    # the text is the file's bytes decoded, nothing translated, so its UTF-8 is exactly the bytes read:
    # the evidence hashes what OPA evaluated (run.library_files), not the file as it is later
    return [Module(id=f"govern/{p.relative_to(root).as_posix()}", path=p, text=p.read_bytes().decode("utf-8"))
            for p in paths]


def workspace_modules(ws: Workspace) -> list[Module]:
    return _modules(ws.rego_sources)


def expected_modules(root: Path | str) -> list[Module]:
    """The modules a run on `root` will most likely load, read before the workspace is: the
    library and the workspace's checks as they are now (none if the manifest is faulty)."""
    return library_modules() + _modules(rego_checks(root))


def _modules(sources: list[RegoSource]) -> list[Module]:
    return [Module(id=WORKSPACE + src.rel, path=src.path, text=src.text) for src in sources]


def compiling_ahead(expected: list[Module]) -> contextlib.AbstractContextManager[Ahead | None]:
    """The compilation of the `expected` modules (`expected_modules`), started before the workspace is
    loaded: pass it to `compile_policy`, which uses it only if the loaded modules are exactly those."""
    return engine.compiling_ahead(expected, [m for m in expected if m.id.startswith(WORKSPACE)])


def compile_policy(ws: Workspace, ahead: Ahead | None = None) -> Policy:
    """Compile and catalogue every module; `WorkspaceErrors` for the workspace's faults."""
    modules = library_modules() + workspace_modules(ws)
    try:
        found = engine.inspect(modules, ahead)
    except RegoErrors as exc:
        raise blame(exc.errors) from None
    problems = _package_problems(found, modules) + _data_problems(modules, ahead) + _metadata_text_problems(found, modules)
    checks, domains, more = catalogue(found)
    problems += more
    if problems:
        raise blame(problems)
    readings.require_every_reading({c.observes: c.id for c in checks.values() if c.observes})
    _check_controls(ws, checks)
    readings.place_portfolios(ws, {c.portfolio.id: c.portfolio for c in checks.values() if c.portfolio})
    return Policy(modules=modules, checks=checks, packages=found.packages, domains=domains)


def blame(errors: list[RegoError]) -> Exception:
    """Workspace faults as `WorkspaceErrors` (exit 2); only if there are none, the library's as `EngineError`.
    Anything from no module of this run means the answer is not ours to trust: `EngineError` first."""
    strange = [e.message for e in errors if e.module == NO_MODULE]
    if strange:
        return EngineError(f"OPA's report holds what no module of this run produced: {'; '.join(strange[:5])}")
    mine = [WorkspaceError(Location(e.module.removeprefix(WORKSPACE), e.row, e.col), e.message)
            for e in errors if e.module.startswith(WORKSPACE)]
    if mine:
        return WorkspaceErrors(mine)
    where = "; ".join(f"{e.module}:{e.row}:{e.col}: {e.message}" for e in errors[:5])
    return EngineError(f"the built-in library failed: {where}")


def _package_problems(found: Inspection, modules: list[Module]) -> list[RegoError]:
    """A workspace module lives one level under govern.checks, in no package of the library's,
    so it can neither replace nor extend a built-in rule."""
    builtin = {pkg for mid, pkg in found.packages.items() if not mid.startswith(WORKSPACE)}
    problems = []
    for m in modules:
        pkg = found.packages.get(m.id, "")
        if not m.id.startswith(WORKSPACE):
            continue
        parts = pkg.split(".")
        clash = next((b for b in sorted(builtin) if pkg == b or pkg.startswith(b + ".") or b.startswith(pkg + ".")), None)
        if len(parts) != 3 or parts[:2] != ["govern", "checks"] or not _NAME.match(parts[2]):
            why = ("a workspace check must declare `package govern.checks.<name>` (one segment under govern.checks), "
                   f"not `package {pkg}`")
        elif clash:
            why = (f"package {pkg} belongs to the built-in library ({clash}); "
                   "a workspace check may add checks, never change built-in ones")
        else:
            continue
        problems.append(RegoError(m.id, _package_line(m.text), 1, why))
    return problems


def _data_problems(modules: list[Module], ahead: Ahead | None) -> list[RegoError]:
    """A workspace module reads only `data.govern` (the library, the definitions, other checks):
    on a shared --opa-url server, anything else in `data` is someone else's."""
    problems = []
    for m in modules:
        if not m.id.startswith(WORKSPACE):
            continue
        for ref in engine.data_refs(m, ahead):
            if ref.path[:1] != ("govern",):
                shown = "data" + "".join(f".{p}" if p else "[…]" for p in ref.path)
                problems.append(RegoError(m.id, ref.row, ref.col, f"a workspace check may read data.govern only, not {shown} "
                                          "(on a shared OPA the rest of data is not this workspace's)"))
    return problems


def _metadata_text_problems(found: Inspection, modules: list[Module]) -> list[RegoError]:
    """METADATA is text that reports show, held to the rules of every other text govern reads
    (load/characters.py); a check's id is printable ASCII of one documented shape, and its title a
    name's length. Each problem is placed at the `# METADATA` line of its block."""
    texts = {m.id: m.text for m in modules}
    problems = []
    for a in sorted(found.annotations, key=lambda a: (a.module, a.row, a.col)):
        line = _metadata_line(texts.get(a.module, ""), a.row)
        whys = [f"METADATA {'.'.join(map(str, path))}: {why}"
                for path, why in problems_in({"title": a.title, "description": a.description, "custom": a.custom})]
        if a.scope in ("rule", "document") and any(a.path[:2] == r for r in CHECK_ROOTS):
            whys += _check_text_problems(a)
        problems += [RegoError(a.module, line, 1, why) for why in whys]
    return problems


def _check_text_problems(a: Annotation) -> list[str]:
    cid = a.custom.get("id")
    if not isinstance(cid, str) or not cid:  # no id at all: _declaration_problem says so
        return []
    whys = []
    if len(cid) > MAX_ID_CHARS or not CHECK_ID.fullmatch(cid):
        shown = f"{cid[:40]}…" if len(cid) > 40 else cid
        whys.append(f"METADATA custom.id '{shown}' is not a check id: upper-case letters and digits in words "
                    f"joined by ASCII hyphens (e.g. PLC-001), at most {MAX_ID_CHARS} characters")
    whys += _reserved_problem(cid, a.path[:2])
    whys += _remediation_problem(a.custom.get("remediation"))
    for key, title in (("title", a.title), ("custom.title_zh", a.custom.get("title_zh"))):
        if isinstance(title, str) and len(title) > MAX_NAME_CHARS:
            whys.append(f"METADATA {key}: a title may be at most {MAX_NAME_CHARS:,} characters (this one has {len(title):,})")
    return whys


def _remediation_problem(value: object) -> list[str]:
    """`custom.remediation` maps a language of the reports to text saying how to fix what the check finds;
    a workspace check may say it in one language, or not at all."""
    if value is None:
        return []
    if (not isinstance(value, dict) or not value or not set(value) <= set(LANGS)
            or not all(isinstance(text, str) and text.strip() for text in value.values())):
        return [f"METADATA custom.remediation must map {' and/or '.join(LANGS)} to text saying how to fix what the check "
                "finds, e.g. {zh: 为系统填写负责人, en: Name the system's owner}"]
    return []


def _reserved_problem(cid: str, root: tuple[str, ...]) -> list[str]:
    """A check outside the package that owns a prefix cannot take it: the ACT checks hold actions against
    every other check's findings and WAV-004 knows an ACT check by its id (checks/waivers.rego)."""
    owner = next((r for prefix, r in RESERVED_PREFIXES.items() if cid.startswith(prefix)), None)
    if owner is None or owner == root:
        return []
    return [f"METADATA custom.id '{cid}': the prefix {cid.split('-')[0]}- is reserved for govern's own "
            f"{'action' if owner == ACTION_CHECKS else 'waiver'} checks"]


def _metadata_line(text: str, row: int) -> int:
    """The line of the `# METADATA` comment that opens the block above line `row` (where OPA
    places an annotation: the rule or package it annotates), or `row` if there is none."""
    lines = text.splitlines()
    for i in range(min(row, len(lines) + 1) - 2, -1, -1):
        line = lines[i].strip()
        if not line.startswith("#"):
            break
        if line[1:].strip() == "METADATA":
            return i + 1
    return row


def _package_line(text: str) -> int:
    match = re.search(r"^\s*package\b", text, re.MULTILINE)
    return text.count("\n", 0, match.start()) + 1 if match else 1


def catalogue(found: Inspection) -> tuple[dict[str, DeclaredCheck], dict[str, Domain], list[RegoError]]:
    """What the METADATA of compiled modules declares: checks by id, domains by id, and
    what is wrong with the declarations."""
    domains, by_package, problems = _domains(found)
    checks, more = _checks(found, by_package)
    return checks, domains, problems + more


def _domains(found: Inspection) -> tuple[dict[str, Domain], dict[tuple[str, ...], str], list[RegoError]]:
    """The domains packages declare (package-scope METADATA `custom.domain`), and each
    declaring package's domain id. One domain, one declaration: a second one that says
    something else is refused, so no package can retitle another's domain."""
    domains: dict[str, Domain] = {}
    by_package: dict[tuple[str, ...], str] = {}
    problems: list[RegoError] = []
    for a in sorted(found.annotations, key=lambda a: (a.module, a.row, a.col)):
        if a.scope != "package" or "domain" not in a.custom:
            continue
        domain, why = _domain(a.custom["domain"])
        if domain and domain.id in domains and domains[domain.id] != domain:
            why = f"domain {domain.id} is declared already, differently"
        if why or domain is None:
            problems.append(RegoError(a.module, a.row, a.col, f"METADATA of package {'.'.join(a.path)}: {why}"))
            continue
        domains[domain.id] = domain
        by_package[a.path] = domain.id
    return domains, by_package, problems


def _domain(value: object) -> tuple[Domain | None, str]:
    if not isinstance(value, dict) or not isinstance(value.get("id"), str) or not _DOMAIN_ID.match(value["id"]):
        return None, "custom.domain must be an object with an id such as `budget` (lower case, digits, - or _)"
    title, order = value.get("title", {}), value.get("order")
    if not isinstance(title, dict) or not all(isinstance(k, str) and isinstance(v, str) and v.strip() for k, v in title.items()):
        return None, "custom.domain.title must map languages to text, e.g. {zh: 预算, en: Budget}"
    if order is not None and (not isinstance(order, int) or isinstance(order, bool)):
        return None, "custom.domain.order must be a whole number"
    return Domain(id=value["id"], title=dict(title), order=order), ""


def _checks(found: Inspection, by_package: dict[tuple[str, ...], str]) -> tuple[dict[str, DeclaredCheck], list[RegoError]]:
    """Every METADATA block on a rule in a check package declares a check: it must say
    which (custom.id) and how it reports, and the id is used once."""
    checks: dict[str, DeclaredCheck] = {}
    problems: list[RegoError] = []
    drawn: list[tuple[Annotation, str | None, readings.Portfolio | None]] = []
    for a in sorted(found.annotations, key=lambda a: (a.module, a.row, a.col)):
        root = next((r for r in CHECK_ROOTS if a.path[:2] == r), None)
        if root is None or a.scope not in ("rule", "document"):
            continue
        why = _declaration_problem(a, root)
        (observes, not_observed), (portfolio, no_portfolio) = readings.observes(a), readings.portfolio(a)
        why = why or (f"check {a.custom['id']}: {not_observed or no_portfolio}" if not_observed or no_portfolio else None)
        if why:
            problems.append(RegoError(a.module, a.row, a.col, why))
            continue
        cid = a.custom["id"]
        first = checks.get(cid)
        if first:
            problems.append(RegoError(a.module, a.row, a.col, f"check id {cid} is declared already (at {first.location})"))
            continue
        domain = a.custom.get("domain") or by_package.get(a.path[:-1], UNDECLARED_DOMAIN)
        checks[cid] = DeclaredCheck(id=cid, rule=a.path, module=a.module, location=_location(a.module, a.row, a.col),
                                    domain=domain, invalidates_waiver=a.custom.get("invalidates_waiver", False),
                                    title=_titles(a), description=_one_line(a.description), severity=a.custom["severity"],
                                    waivable=a.custom["waivable"], resource=a.custom.get("resource"),
                                    observes=observes, portfolio=portfolio, agenda=a.custom.get("agenda", False),
                                    description_zh=_one_line(a.custom.get("description_zh")),
                                    remediation=_remediation(a.custom.get("remediation")))
        drawn.append((a, observes, portfolio))
    return checks, problems + readings.duplicates(drawn)


def _titles(a: Annotation) -> dict[str, str]:
    """A check's title per language: `title` is the English one, `custom.title_zh` (where given) the
    Chinese; _declaration_problem made sure both are text."""
    zh = str(a.custom.get("title_zh", "")).strip()
    return {"en": str(a.title), **({"zh": zh} if zh else {})}


def _remediation(value: object) -> dict[str, str]:
    """A check's remediation per language, each on one line; {} where it declares none (or a malformed one, which
    _remediation_problem refuses before any catalogue is used)."""
    if not isinstance(value, dict):
        return {}
    return {lang: _one_line(value[lang]) for lang in LANGS if isinstance(value.get(lang), str) and value[lang].strip()}


def _one_line(text: object) -> str:
    """A METADATA description as one line, as OPA's report gives it to the run (engine/outcome.py)."""
    return " ".join(text.split()) if isinstance(text, str) else ""


def _declaration_problem(a: Annotation, root: tuple[str, ...]) -> str | None:
    rule = ".".join(a.path)
    cid = a.custom.get("id")
    if not isinstance(cid, str) or not cid.strip() or cid != cid.strip():
        return f"METADATA of rule {rule} has no custom.id: every METADATA block on a rule in a check package declares a check"
    if len(a.path) != len(root) + (2 if root[1] == "checks" else 1):
        return f"check {cid}: a check is a rule directly in its package, not {rule}"
    why = engine.metadata_problem(a.title, a.custom)
    for key in ("title_zh", "description_zh"):  # catalogues show them as text
        if why is None and not isinstance(a.custom.get(key, ""), str):
            why = f"custom.{key} must be text"
    return f"check {cid}: {why}" if why else None


def _location(module: str, row: int, col: int) -> Location:
    shown = module.removeprefix(WORKSPACE) if module.startswith(WORKSPACE) else f"<govern>/{module.removeprefix('govern/')}"
    return Location(shown, row, col)


def _check_controls(ws: Workspace, checks: dict[str, DeclaredCheck]) -> None:
    errors = [WorkspaceError(ws.locate("control", control.id, "checks", i), f"control {control.id} names unknown check {name}")
              for control in sorted(ws.controls.values(), key=lambda c: c.id)
              for i, name in enumerate(control.checks) if name not in checks]
    if errors:
        raise WorkspaceErrors(errors)


def evaluate(policy: Policy, definitions: dict, input_json: bytes,
             **options: Unpack[engine.EngineOptions]) -> engine.EngineResult:
    """The engine's report on `policy`, complete, with faults blamed where they lie."""
    try:
        result = engine.evaluate(policy.modules, definitions, input_json, **options)
    except RegoErrors as exc:  # an evaluation error OPA located, e.g. a builtin error in a check
        raise blame(exc.errors) from None
    except MalformedCheck as exc:  # blamed on the rule that produced it, not on the id it claims
        module = _module_of(policy, ("govern", *exc.rule)) if exc.rule else None
        if module is None or not module.id.startswith(WORKSPACE):
            raise
        raise blame([RegoError(module.id, _rule_line(module.text, exc.rule[-1]), 1, str(exc))]) from None
    complete(policy, result)
    return result


def complete(policy: Policy, result: engine.EngineResult) -> None:
    """The report holds exactly the declared checks, each from the rule that declares it, and
    nothing shaped like a check goes unnamed.

    A built-in check missing, or a result from no module of this run, means the
    answer cannot be trusted (exit 3); a workspace rule that yields nothing,
    claims an id its METADATA does not declare, reports otherwise than its METADATA
    declares, or hides a check is the workspace's fault (exit 2)."""
    reported: set[str] = set()
    problems: list[RegoError] = []
    strangers: list[str] = []
    for check in result.checks:
        cid, rule = check.id, ("govern", *check.rule)
        declared = policy.checks.get(cid)
        if declared is not None and declared.rule == rule and cid not in reported:
            reported.add(cid)
            problems += _as_declared(declared, check)
            continue
        module = _module_of(policy, rule)
        if module is None:
            strangers.append(f"{cid} from {'.'.join(rule)}")
        else:
            problems.append(RegoError(module.id, _rule_line(module.text, rule[-1]), 1,
                                      f"rule {'.'.join(rule)} reports check id {cid}, which its METADATA does not declare"))
    lacking = sorted(d.id for d in policy.checks.values() if d.builtin and d.id not in reported)
    if strangers or lacking:
        raise EngineError("OPA's report is not the evaluation of this run's policy: " + "; ".join(filter(None, [
            f"it holds checks this run did not load ({', '.join(sorted(strangers)[:10])})" if strangers else None,
            f"it lacks built-in checks ({', '.join(lacking[:10])}{', …' if len(lacking) > 10 else ''})" if lacking else None])))
    problems += [RegoError(d.module, d.location.line, d.location.column, f"check {d.id} produced no result: its rule is "
                           "undefined, or its value is not lib.check(rego.metadata.rule(), ...)")
                 for d in sorted(policy.checks.values(), key=lambda d: d.id) if d.id not in reported]
    problems += [_malformed(policy, m) for m in result.malformed]
    if problems:
        raise blame(problems)


def _as_declared(declared: DeclaredCheck, outcome: CheckOutcome) -> list[RegoError]:
    """A check reports what its METADATA declares, which is what reviewers read: the object its rule hands
    to lib.check carries the same title, description, severity, waivable flag and resource kind, and its
    findings are of that kind. Otherwise a rule declared `severity: low, waivable: false` could report its
    findings as info and waivable, below --fail-on and under any waiver. A workspace check that differs is
    exit 2 at its rule; a built-in one is a bug of the library (blame: exit 3)."""
    reported = {"title": outcome.title, "custom.title_zh": (outcome.title_zh or "").strip(),
                "description": outcome.description, "custom.severity": outcome.severity,
                "custom.waivable": outcome.waivable, "custom.resource": outcome.resource}
    meant = {"title": declared.title["en"], "custom.title_zh": declared.title.get("zh", ""),
             "description": declared.description, "custom.severity": declared.severity,
             "custom.waivable": declared.waivable, "custom.resource": declared.resource}
    differ = [f"{key} {_shown(reported[key])} where it declares {_shown(meant[key])}"
              for key in reported if reported[key] != meant[key]]
    kinds = sorted({v.kind for v in outcome.violations} - {declared.resource}) if declared.resource else []
    if kinds:
        differ.append(f"findings on {', '.join(kinds)} where it declares resource {declared.resource}")
    if not differ:
        return []
    return [RegoError(declared.module, declared.location.line, declared.location.column,
                      f"check {declared.id} reports {'; '.join(differ)}: a check reports as its METADATA declares "
                      "(pass rego.metadata.rule() to lib.check)")]


def _shown(value: object) -> str:
    return "(none)" if value in (None, "") else json.dumps(value, ensure_ascii=False)


def _module_of(policy: Policy, rule: tuple[str, ...]) -> Module | None:
    """The module of this run that defines `rule` (a package and a rule name), if any."""
    pkg = ".".join(rule[:-1])
    in_package = [m for m in policy.modules if policy.packages.get(m.id) == pkg]
    return next((m for m in in_package if _rule_head(m.text, rule[-1])), in_package[0] if in_package else None)


def _malformed(policy: Policy, entry: Malformed) -> RegoError:
    rule = ("govern", "checks", entry.package, entry.rule)
    module = _module_of(policy, rule)
    why = (f"rule {'.'.join(rule)} looks like a check result but has no METADATA with custom.id "
           "(put a # METADATA block with title and custom id, severity, waivable above it)")
    if module is None:
        return RegoError(NO_MODULE, 1, 1, why)
    return RegoError(module.id, _rule_line(module.text, rule[-1]), 1, why)


def _rule_head(text: str, rule: str) -> re.Match | None:
    """Where `rule` is defined in `text` (its name at the start of a line), for a line number only."""
    return re.search(rf"^{re.escape(rule)}\b", text, re.MULTILINE)


def _rule_line(text: str, rule: str) -> int:
    match = _rule_head(text, rule)
    return text.count("\n", 0, match.start()) + 1 if match else 1
