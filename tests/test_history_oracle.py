"""An independent oracle of the history store: lifecycles and trend points computed from the result files
alone, in plain Python (none of governance.history), agree with what the store answers, on random
sequences of runs recorded in random order and in order (backfill, regressions, waivers lifted and restored), on
SQLite and on PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import random

import pytest

from governance.history.store import open_store
from tests.history_support import acme_result, postgres_cluster, store_url, variant  # fixtures, by import

SEVERITIES = ["critical", "high", "medium", "low", "info"]


def oracle(files: list[bytes]) -> tuple[list[dict], dict[tuple[str, str], dict]]:
    """(trend points, {(entity, fingerprint): lifecycle}) from the files' JSON alone."""
    docs = {hashlib.sha256(b).hexdigest(): json.loads(b) for b in files}
    timeline: dict[str, list[tuple[str, str, str]]] = {}
    for digest, doc in docs.items():
        started = doc["run"]["started_at"] if doc.get("run") else ""
        timeline.setdefault(doc["workspace"], []).append((doc["as_of"], started, digest))
    points, lives = [], {}
    for entity in sorted(timeline):
        before: dict[str, str] = {}
        ever: set[str] = set()
        for as_of, started, digest in sorted(timeline[entity]):
            doc = docs[digest]
            now = {f["fingerprint"]: f["status"] for f in doc["findings"]}
            found: list[tuple[str, str]] = []
            for fp, status in now.items():
                if fp not in before:
                    found.append((fp, "regressed" if fp in ever else "new"))
                elif before[fp] != status:
                    found.append((fp, status if status == "waived" else "unwaived"))
                lives.setdefault((entity, fp), {"events": [], "seen": []})["seen"].append(as_of)
            found += [(fp, "resolved") for fp in before if fp not in now]
            for fp, kind in found:
                lives[(entity, fp)]["events"].append({"as_of": as_of, "kind": kind, "digest": digest})
            count = {k: sum(kind == k for _, kind in found) for k in ("new", "resolved", "regressed")}
            ever |= set(now)
            before = now
            failing = [f for f in doc["findings"] if f["status"] == "fail"]
            domain = {c["id"]: c["domain"] for c in doc["checks"]}
            by_domain: dict[str, int] = {}
            for f in failing:
                if f["severity"] != "info":
                    by_domain[domain[f["check"]]] = by_domain.get(domain[f["check"]], 0) + 1
            points.append({
                "entity": entity, "as_of": as_of, "digest": digest, "started": started or None,
                "unwaived": sum(f["severity"] != "info" for f in failing),
                "advisories": sum(f["severity"] == "info" for f in failing),
                "waived": len(doc["findings"]) - len(failing),
                "by_severity": {s: sum(f["severity"] == s for f in failing) for s in SEVERITIES},
                **count, "by_domain": by_domain,
                "controls_satisfied": sum(_satisfied(doc, c) for c in doc["controls"]),
                "controls_total": len(doc["controls"])})
    for life in lives.values():
        life["state"] = "resolved" if life["events"][-1]["kind"] == "resolved" else "open"
        life["first_seen"], life["last_seen"] = life["seen"][0], life["seen"][-1]
    return points, lives


def random_runs(base: dict, rng: random.Random) -> list[bytes]:
    fps = [f["fingerprint"] for f in base["findings"]]
    waived = [f["fingerprint"] for f in base["findings"] if f["status"] == "waived"]
    out = []
    for entity in ("north", "south"):
        for _ in range(rng.randint(4, 9)):
            day = f"2026-11-{rng.randint(1, 9):02d}"  # several runs on one day: ordered by start time
            started = None if rng.random() < 0.15 else f"2026-11-{rng.randint(1, 28):02d}T{rng.randint(0, 23):02d}:00:00Z"
            keep = {fp for fp in fps if rng.random() < 0.7}
            unwaive = {fp for fp in waived if rng.random() < 0.5}
            out.append(variant(base, entity=entity, as_of=day, started=started, keep=keep, unwaive=unwaive))
    out.append(out[0])  # recorded twice: stored once
    rng.shuffle(out)  # recorded in any order: backfill
    return out


SEEDS = (1, 4, 5)  # random sequences of runs of acme; together they reach every kind of event (tested below)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_store_agrees_with_an_oracle_computed_from_the_result_files(store_url, acme_result, seed):
    _recorded_agrees_with_the_oracle(store_url, random_runs(acme_result, random.Random(seed)))


def _recorded_agrees_with_the_oracle(store_url: str, files: list[bytes]) -> dict:
    """Records `files` in the order given and holds the store's trend and every finding's lifecycle to the
    oracle's; returns the oracle's lifecycles."""
    points, lives = oracle(files)
    with open_store(store_url) as store:
        for i, data in enumerate(files):
            store.record(data, f"run-{i}.json")
        assert [p.model_dump() for p in store.trend().points] == points
        for (entity, fp), life in lives.items():
            found = store.finding(fp, entity).model_dump()
            assert [{k: e[k] for k in ("as_of", "kind", "digest")} for e in found["events"]] == life["events"], fp
            assert (found["state"], found["first_seen"], found["last_seen"]) == (
                life["state"], life["first_seen"], life["last_seen"])
    return lives


def test_the_random_sequences_exercise_every_kind_of_event(acme_result):
    """The seeds above, together, reach every event kind, so the agreement covers each case (one seed alone
    need not: which findings acme waives moves with the example)."""
    kinds = {e["kind"] for seed in SEEDS for life in oracle(random_runs(acme_result, random.Random(seed)))[1].values()
             for e in life["events"]}
    assert kinds == {"new", "resolved", "regressed", "waived", "unwaived"}, kinds


def _satisfied(doc: dict, control: dict) -> bool:
    """As the run's reports read a control: none of its checks fails on more than advisories or was
    skipped, and one passed (with advisories or not)."""
    def standing(c: dict) -> str:
        advice = c["status"] == "fail" and c["severity"] == "info" and doc["fail_on"] != "info"
        return "advisory" if advice else c["status"]

    checks = {c["id"]: standing(c) for c in doc["checks"]}
    seen = {checks.get(c, "not_applicable") for c in control["checks"]}
    return not seen & {"fail", "skipped"} and bool(seen & {"pass", "advisory"})


def _in_order(files: list[bytes]) -> list[bytes]:
    """`files` in the order of their runs (as_of, start time, digest): each is its entity's latest when recorded."""
    def key(data: bytes) -> tuple[str, str, str]:
        doc = json.loads(data)
        return doc["as_of"], doc["run"]["started_at"] if doc.get("run") else "", hashlib.sha256(data).hexdigest()
    return sorted(files, key=key)


def test_recording_in_order_agrees_with_the_oracle_too(store_url, acme_result):
    # each run then follows the one before it in its entity, and only what changed since that run is read back:
    # a finding an earlier run reported is found among the entity's findings (regressed), any other is new
    lives = _recorded_agrees_with_the_oracle(store_url, _in_order(random_runs(acme_result, random.Random(4))))
    kinds = {e["kind"] for life in lives.values() for e in life["events"]}
    assert kinds == {"new", "resolved", "regressed", "waived", "unwaived"}, kinds
