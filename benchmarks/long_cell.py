"""Rendering benchmark: one long cell in every output format, each timed against the JSON output.

Ids, names and messages have no length limit a saved result must respect (a result given to
`govern report` is user input), and `--timeout` covers OPA, not rendering. So every format must
render in time linear in its input: this benchmark gives one unwaived finding of a real
`govern check examples/acme` result a resource id and a message of N characters each (ASCII and
Chinese, with a bidi control in the middle so the escaping does its work), renders the result
in every format `--format` offers and in every group format of `govern aggregate`, and prints,
for each size, JSON's time and every other format's time as a multiple of it. Side by side in
one process, so machine load affects every column alike.

It ends with each format's growth from the smallest size to the largest (linear: the size ratio,
10 for 1 MB → 10 MB; quadratic: its square), and exits 1 when a format's time is more than
`--bound` times JSON's at any size, or when a render is stopped at `--limit` seconds.

    GOVERN_OPA=$(cat .venv/.opa-path) .venv/bin/python benchmarks/long_cell.py             # 1, 3, 10 MB
    GOVERN_OPA=... .venv/bin/python benchmarks/long_cell.py 1 3 --rounds 1 --limit 120
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # the govern of this checkout, also when run from another one's venv

from governance.evaluate.aggregate import merge  # noqa: E402  (after the path above)
from governance.report import FORMATS, GROUP_FORMATS, RenderOptions, render, render_group  # noqa: E402
from governance.result import RunResult  # noqa: E402

AS_OF = "2026-11-25"
GOVERN = Path(sys.executable).with_name("govern")
UNIT = "sys-支付中心-0123456789-abcdef-"  # ASCII and Chinese, as real ids and messages are
BIDI = "\u202e"


class Stopped(Exception):
    """A render went past --limit."""


def real_result() -> RunResult:
    """`govern check examples/acme` on the real OPA (GOVERN_OPA), as bench.py runs it."""
    with tempfile.TemporaryDirectory(prefix="govern-long-cell-") as tmp:
        out = Path(tmp) / "result.json"
        proc = subprocess.run([str(GOVERN), "check", str(REPO / "examples" / "acme"), "--as-of", AS_OF,
                               "--format", f"json={out}"], capture_output=True, text=True, env=os.environ)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"govern check exited {proc.returncode}: {proc.stderr[-2000:]}")
        return RunResult.model_validate_json(out.read_text(encoding="utf-8"))


def long_text(chars: int) -> str:
    half = UNIT * (chars // (2 * len(UNIT)) + 1)
    return (half[: chars // 2] + BIDI + half)[:chars]


def with_long_cell(result: RunResult, chars: int) -> RunResult:
    """`result` with its first unwaived finding's resource id and message (both languages) `chars` characters long."""
    at = next(i for i, f in enumerate(result.findings) if f.status == "fail")
    f = result.findings[at]
    text = long_text(chars)
    long = f.model_copy(update={"resource": f.resource.model_copy(update={"id": text}), "message": text,
                                "message_zh": text})
    return result.model_copy(update={"findings": [*result.findings[:at], long, *result.findings[at + 1:]]})


def timed(job: Callable[[], object], rounds: int, limit: float) -> float:
    """The best of `rounds` runs of `job`, in seconds; Stopped when one takes longer than `limit`."""
    def stop(signum: int, frame: object) -> None:
        raise Stopped

    previous = signal.signal(signal.SIGALRM, stop)
    try:
        best = float("inf")
        for _ in range(rounds):
            gc.collect()
            started = time.perf_counter()
            signal.setitimer(signal.ITIMER_REAL, limit)
            try:
                job()
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            best = min(best, time.perf_counter() - started)
        return best
    finally:
        signal.signal(signal.SIGALRM, previous)


def jobs(result: RunResult) -> dict[str, Callable[[], object]]:
    """Every run format, then every group format (`group-<name>`) of a group of this one result."""
    options = RenderOptions(lang="zh")
    out: dict[str, Callable[[], object]] = {}
    for fmt in FORMATS:
        out[fmt] = lambda fmt=fmt: render(fmt, result, options)
    group = merge({"result.json": result})
    for fmt in GROUP_FORMATS:
        out[f"group-{fmt}"] = lambda fmt=fmt: render_group(fmt, group, options)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=float, default=[1, 3, 10], help="the long cell's length, in millions "
                        "of characters (default 1 3 10)")
    parser.add_argument("--rounds", type=int, default=3, help="renders of each format per size; the best is reported")
    parser.add_argument("--limit", type=float, default=300.0, help="seconds after which one render is stopped")
    parser.add_argument("--bound", type=float, default=25.0, help="largest acceptable time, as a multiple of JSON's")
    args = parser.parse_args()
    base = real_result()
    for job in jobs(base).values():  # imports and template compilation, once, outside the timings
        job()
    times: dict[float, dict[str, float | None]] = {}
    names: list[str] = []
    for size in args.sizes:
        todo = jobs(with_long_cell(base, int(size * 1_000_000)))
        names = list(todo)
        row: dict[str, float | None] = {}
        for name, job in todo.items():
            try:
                row[name] = timed(job, args.rounds, args.limit)
            except Stopped:
                row[name] = None
        times[size] = row
        json_s = row["json"] or float("nan")
        cells = [f"{name} {'>' + format(args.limit, 'g') + ' s' if s is None else format(s / json_s, '.1f') + '×'}"
                 for name, s in row.items() if name != "json"]
        print(f"{size:g}M chars: json {json_s:.3f} s | " + " | ".join(cells), flush=True)
    over = [(size, name) for size, row in times.items() for name, s in row.items()
            if s is None or s > args.bound * (row["json"] or float("nan"))]
    if len(args.sizes) > 1:
        low, high = min(args.sizes), max(args.sizes)
        growth = {name: (times[high][name] or float("inf")) / (times[low][name] or float("nan")) for name in names}
        print(f"growth {low:g}M → {high:g}M chars (linear ≈ {high / low:g}): "
              + " | ".join(f"{name} {g:.1f}" for name, g in growth.items()))
    print(json.dumps({"bound": args.bound, "over": [f"{name} at {size:g}M chars" for size, name in over]}, ensure_ascii=False))
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
