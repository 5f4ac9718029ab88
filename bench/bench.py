#!/usr/bin/env python3
"""Measure riskcli against the performance budgets of DESIGN.md §9, side by side in one run.

    python bench/bench.py                       # start-up, scale and memory at 1,000 and 10,000 risks, journal
    python bench/bench.py --big                 # ... and at 100,000 risks (takes many minutes)
    python bench/bench.py --only startup        # a subset (repeatable, or comma-separated)
    python bench/bench.py --python /tmp/wheel-venv/bin/python   # measure another install
    python bench/bench.py --json                # results as JSON on stdout

Every budget is a ratio of riskcli to a baseline measured in the same run. A baseline does the
same work under the same conditions as riskcli: riskcli pauses the cyclic garbage collector
while it loads, so every baseline runs with the collector off too. Each process is timed by its
CPU time (user + system, from the rusage the kernel reports when the process is reaped), not by
wall time. The commands of a comparison are interleaved (A, B, A, B, ...; every other round in
reverse order) after one warm-up round, and each ratio is the median of the per-round ratios
A_i / B_i over --repeat rounds (9). Progress goes to stderr; the final table (or JSON) to
stdout. This is a measurement, not a test: it exits 0 even when a budget is over (it exits 1
only if it could not run at all).

Adding a benchmark: write `def bench_NAME(ctx) -> list[Result]` that uses `ctx.interleave(...)`
and `pair(...)`, and add it to BENCHMARKS below; `--only NAME` then runs it alone. Standard
library only (POSIX: it needs os.wait4 or the resource module).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import select
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_journal  # noqa: E402
import gen_register  # noqa: E402

# DESIGN.md §9 states the scale and memory budgets for registers of 10,000 risks and more. Below
# that, riskcli's fixed start-up (~0.2 s importing typer and rich) dominates a parse of a few
# hundred ms, so smaller sizes are reported as "info" (ratio shown, budget in parentheses).
BUDGET_MIN_SIZE = 10_000
JOURNAL_EVENTS = 100_000

# The baselines. Each imports what it needs with the collector on (as riskcli does), then turns
# it off for the work, as riskcli's gc_paused does for its loads, and keeps what it loaded until
# exit (as riskcli keeps its register and journal).
IMPORTS_CODE = "import typer, rich.table"
IMPORTS_LABEL = "import typer, rich.table"
PARSE_CODE = (  # the fair parse: what yaml.load with libyaml costs when the collector stays out
    "import gc, sys, yaml\n"
    "gc.disable()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    data = yaml.load(f, Loader=yaml.CSafeLoader)\n"
)
COMPOSE_CODE = (  # the parse riskcli really does: it validates nodes, so it composes, never constructs
    "import gc, sys, yaml\n"
    "gc.disable()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    nodes = yaml.compose(f, Loader=yaml.CSafeLoader)\n"
)
JSON_LOAD_CODE = (  # the register's data as JSON (what the fair parse builds), loaded
    "import gc, json, sys\ngc.disable()\nwith open(sys.argv[1], 'rb') as f:\n    data = json.load(f)\n"
)
PICKLE_LOAD_CODE = (  # the same data pickled, loaded
    "import gc, pickle, sys\ngc.disable()\nwith open(sys.argv[1], 'rb') as f:\n    data = pickle.load(f)\n"
)
DATA_CODE = (  # writes the fair parse's data as JSON and as a pickle (dates as their text)
    "import json, pickle, sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    data = json.loads(json.dumps(yaml.load(f, Loader=yaml.CSafeLoader), default=str))\n"
    "with open(sys.argv[2], 'w', encoding='utf-8') as f:\n"
    "    json.dump(data, f, ensure_ascii=False)\n"
    "with open(sys.argv[3], 'wb') as f:\n"
    "    pickle.dump(data, f, protocol=pickle.HIGHEST_PROTOCOL)\n"
)
DECODE_CODE = (  # decoding a journal: every line read and json.loads'ed, all events kept
    "import gc, json, sys\n"
    "gc.disable()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    events = [json.loads(line) for line in f]\n"
)
FLOOR_CODE = (  # the least a cold read of a journal does, in one process: riskcli's matrix of the
    # register with no journal (its start-up, the cached register, the table), then the journal's
    # lines decoded many to a json.loads call (as riskcli decodes them) and its hash chain walked (a
    # SHA-256 per line, compared with the next line's "prev") — no event checked, made or folded
    "import gc, hashlib, json, os, sys\n"
    "path, empty = sys.argv[1], sys.argv[2]\n"
    "sys.argv = ['riskcli', '--journal', empty, 'matrix']\n"
    "from riskcli.cli import main\n"
    "try:\n"
    "    main()\n"
    "except SystemExit:\n"
    "    pass\n"
    "gc.disable()\n"
    "with open(path, 'rb') as f:\n"
    "    data = f.read()\n"
    "text, objs, mark, start, piece = data.decode('utf-8'), [], os.urandom(12).hex(), 0, 1 << 23\n"
    "while start < len(text):\n"
    "    end = text.find('\\n', min(start + piece, len(text)) - 1)\n"
    "    end = len(text) if end < 0 else end + 1\n"
    "    got = json.loads('[' + text[start:end].rstrip('\\n').replace('\\n', f'\\n,\"{mark}\",') + ']')\n"
    "    objs.extend(got[::2])\n"
    "    start = end\n"
    "prev, breaks = None, 0\n"
    "for raw, obj in zip(data.split(b'\\n'), objs):\n"
    "    breaks += obj.get('prev') != prev\n"
    "    prev = hashlib.sha256(raw).hexdigest()[:32]\n"
    "assert breaks == 0 and len(objs) == data.count(b'\\n')\n"
)


# --------------------------------------------------------------------------- results


def _median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


@dataclass
class Result:
    """One budget line: riskcli against a baseline, as the median of per-round ratios."""

    benchmark: str  # which benchmark produced it (startup, scale, memory, journal)
    name: str  # what is compared, e.g. "scale 10000: validate / fair parse"
    unit: str  # "s" (CPU seconds) or "MB" (peak RSS)
    riskcli_samples: list[float]  # one per round, paired with baseline_samples[i]
    baseline_samples: list[float]
    budget: float | None  # maximum ratio; None = no budget (a line shown for context)
    judged: bool = True  # False: the budget is shown for reference only (status "info")
    error: str | None = None
    timed_out: bool = False  # riskcli was killed at --timeout: its figure and ratio are lower bounds
    rounds: int = 0  # rounds measured (1 when one side ran only once)
    ratios: list[float] = field(init=False)

    def __post_init__(self) -> None:
        self.ratios = [a / b for a, b in zip(self.riskcli_samples, self.baseline_samples, strict=False) if b > 0]

    @property
    def riskcli(self) -> float | None:
        return _median(self.riskcli_samples)

    @property
    def baseline(self) -> float | None:
        return _median(self.baseline_samples)

    @property
    def ratio(self) -> float | None:
        return _median(self.ratios)

    @property
    def status(self) -> str:
        if self.timed_out and self.ratio is not None and self.budget is not None and self.judged:
            return "OVER"  # killed before it finished: slower than anything shown
        if self.error:
            return "ERROR"
        if self.budget is None or self.ratio is None or not self.judged:
            return "info"
        return "PASS" if self.ratio <= self.budget else "OVER"

    def as_json(self) -> dict:
        return {
            "benchmark": self.benchmark,
            "name": self.name,
            "unit": self.unit,
            "riskcli": self.riskcli,
            "baseline": self.baseline,
            "ratio": self.ratio,
            "ratio_is_lower_bound": self.timed_out,
            "rounds": self.rounds,
            "budget": self.budget,
            "judged": self.judged,
            "status": self.status,
            "error": self.error,
            "riskcli_samples": self.riskcli_samples,
            "baseline_samples": self.baseline_samples,
            "ratios": self.ratios,
        }


@dataclass
class Run:
    cpu: float  # user + system seconds of the child
    wall: float
    rss_kb: int | None  # peak resident set size, when os.wait4 gives it
    returncode: int
    stdout_bytes: int
    stderr_tail: str
    timed_out: bool = False
    warmup: bool = False  # a warm-up run, kept only when the command was not run again

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def why_bad(self) -> str:
        if self.timed_out:
            return "timed out"
        last = self.stderr_tail.strip().splitlines()[-1] if self.stderr_tail.strip() else ""
        return f"exit {self.returncode}: {last}"


# --------------------------------------------------------------------------- running commands


class Context:
    """What benchmarks share: the interpreter under test, commands, the environment, samples."""

    def __init__(self, args: argparse.Namespace, workdir: Path):
        self.args = args
        self.workdir = workdir
        self.python = os.path.abspath(args.python)  # not resolved: a venv's python is a symlink
        script = Path(self.python).parent / "riskcli"
        if script.is_file() and os.access(script, os.X_OK):
            self.riskcli = [str(script)]
            self.riskcli_how = f"console script {script}"
        else:
            self.riskcli = [self.python, "-m", "riskcli"]
            self.riskcli_how = f"{self.python} -m riskcli (no console script beside the interpreter)"
        self.env = dict(os.environ)
        self.env["COLUMNS"] = "100"
        for k in ("RISKCLI_REGISTER", "RISKCLI_RULES", "RISKCLI_JOURNAL", "RISKCLI_ANALYST", "NO_COLOR", "FORCE_COLOR"):
            self.env.pop(k, None)
        self.env["RISKCLI_HOME"] = str(workdir / "home")  # never touch the user's data dir
        self.env["RISKCLI_CACHE"] = str(workdir / "cache")  # nor the user's cache
        self.env.pop("RISKCLI_DEBUG", None)
        self.registers: dict[int, Path] = {}
        # samples[(size, name)] = list of Run, for scale/memory (shared so each run counts for both)
        self.samples: dict[tuple[int, str], list[Run]] = {}
        self.info: dict[str, object] = {}
        self.journals: dict[str, Any] = {}  # the journal fixtures made, and the ids they use
        self.sizes: list[int] = args.size_list
        self.last_stdout = ""

    def log(self, msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    def run(self, cmd: list[str], *, keep_stdout: bool = False) -> Run:
        """Run cmd with stdout to a pipe (read and discarded unless keep_stdout), stderr kept for
        errors, killed after --timeout seconds. CPU time and peak RSS are the child's own."""
        timeout = self.args.timeout
        with tempfile.TemporaryFile(dir=self.workdir) as err:
            before = None if hasattr(os, "wait4") else resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            p = subprocess.Popen(
                cmd, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=self.env, cwd=self.workdir
            )
            assert p.stdout is not None
            fd_out = p.stdout.fileno()
            n, keep, timed_out = 0, [], False
            while True:
                left = t0 + timeout - time.perf_counter()
                if left <= 0 or not select.select([fd_out], [], [], left)[0]:
                    timed_out = True
                    os.kill(p.pid, signal.SIGKILL)  # not reaped yet, so the pid is still this child
                    break
                chunk = os.read(fd_out, 1 << 16)
                if not chunk:
                    break
                n += len(chunk)
                if keep_stdout:
                    keep.append(chunk)
            p.stdout.close()
            if before is None:
                _, status, ru = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
                cpu, rss_kb = ru.ru_utime + ru.ru_stime, ru.ru_maxrss
                if sys.platform == "darwin":
                    rss_kb //= 1024  # bytes there, kilobytes on Linux
            else:
                p.wait()
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                rss_kb = None  # RUSAGE_CHILDREN's peak is the largest child so far, not this one
            wall = time.perf_counter() - t0
            err.seek(0)
            tail = err.read()[-2000:].decode("utf-8", "replace")
        self.last_stdout = b"".join(keep).decode("utf-8", "replace")
        return Run(cpu, wall, rss_kb, p.returncode, n, tail, timed_out)

    def interleave(
        self,
        cmds: dict[str, list[str]],
        repeat: int,
        *,
        label: str = "",
        before: dict[str, Callable[[], None]] | None = None,
    ) -> dict[str, list[Run]]:
        """One warm-up round, then `repeat` rounds of every command, forwards and backwards in
        turn (A B C, C B A, ...). A command whose warm-up fails, is killed at --timeout, or takes
        more than --slow seconds of CPU is not run again: its list holds just that run, marked
        `warmup` (pair() then sets it against every round of the other side). `before[name]` runs
        (untimed) before every run of that command: e.g. emptying riskcli's register cache."""
        out: dict[str, list[Run]] = {k: [] for k in cmds}
        names = list(cmds)
        prepare = before or {}

        def run(name: str) -> Run:
            if name in prepare:
                prepare[name]()
            return self.run(cmds[name])

        for name in names:
            r = run(name)
            slow = r.ok and r.cpu > self.args.slow
            self._log_run(label, name, "warm-up", r, "  (slower than --slow: not repeated)" if slow else "")
            if not r.ok or slow:
                r.warmup = True
                out[name] = [r]
        live = [n for n in names if not out[n]]
        for i in range(repeat):
            for name in live if i % 2 == 0 else live[::-1]:
                r = run(name)
                out[name].append(r)
                self._log_run(label, name, f"run {i + 1}/{repeat}", r)
        return out

    def _log_run(self, label: str, name: str, which: str, r: Run, note: str = "") -> None:
        mem = f"  {r.rss_kb / 1024:7.1f} MB" if r.rss_kb is not None else ""
        bad = "" if r.ok else f"  {r.why_bad()}"
        self.log(f"  {label}{name:<12} {which:>9}: {r.cpu:8.3f} s CPU {r.wall:8.3f} s wall{mem}{bad}{note}")

    # -- shared scale measurements

    def register(self, size: int) -> Path:
        if size not in self.registers:
            path = self.workdir / f"register-{size}.yaml"
            t0 = time.perf_counter()
            text = gen_register.generate(size, self.args.seed)
            path.write_text(text, encoding="utf-8")
            mb = len(text.encode()) / 1e6
            self.log(f"generated {path.name}: {size} risks, {mb:.2f} MB in {time.perf_counter() - t0:.1f} s")
            self.info[f"register_{size}_mb"] = round(mb, 2)
            self.registers[size] = path
        return self.registers[size]

    def scale_commands(self, size: int) -> dict[str, list[str]]:
        """riskcli reading a register it has not cached (cold: the cache's registers are removed
        before each run, the code it keeps for its classes stays, as for a user's new register),
        the parses it is measured against, and the loads of the same data as JSON and pickle."""
        path = str(self.register(size))
        data = self.register_data(size)
        # --register is a global option: it goes before the command name.
        return {
            "fair-parse": [self.python, "-c", PARSE_CODE, path],
            "compose": [self.python, "-c", COMPOSE_CODE, path],
            "json-load": [self.python, "-c", JSON_LOAD_CODE, str(data["json"])],
            "pickle-load": [self.python, "-c", PICKLE_LOAD_CODE, str(data["pickle"])],
            "validate": [*self.riskcli, "validate", path],
            "matrix": [*self.riskcli, "--register", path, "matrix"],
            "list-all": [*self.riskcli, "--register", path, "list", "--all"],
        }

    def forget_registers(self) -> None:
        """Empty riskcli's cache of validated registers (not the rest of its cache)."""
        shutil.rmtree(self.workdir / "cache" / "registers", ignore_errors=True)

    def register_data(self, size: int) -> dict[str, Path]:
        """The register's data as JSON and as a pickle (what the fair parse builds), written once."""
        path = self.register(size)
        out = {"json": path.with_suffix(".json"), "pickle": path.with_suffix(".pickle")}
        if not all(p.exists() for p in out.values()):
            p = subprocess.run(
                [self.python, "-c", DATA_CODE, str(path), str(out["json"]), str(out["pickle"])],
                capture_output=True,
                text=True,
                env=self.env,
                cwd=self.workdir,
            )
            if p.returncode != 0:
                raise RuntimeError(f"could not write the register's data: {p.stderr.strip()[-500:]}")
            self.info[f"register_{size}_json_mb"] = round(out["json"].stat().st_size / 1e6, 2)
        return out

    def scale_samples(self, size: int) -> dict[str, list[Run]]:
        """Runs (CPU time and peak RSS) of all scale commands, measured once, shared by the scale
        and memory benchmarks. riskcli's runs are cold (see scale_commands)."""
        cmds = self.scale_commands(size)
        if any((size, n) not in self.samples for n in cmds):
            self.log(f"scale {size}: {', '.join(cmds)}: warm-up and {self.args.repeat} interleaved rounds")
            cold = dict.fromkeys(("validate", "matrix", "list-all"), self.forget_registers)
            for n, runs in self.interleave(cmds, self.args.repeat, label=f"{size} ", before=cold).items():
                self.samples[(size, n)] = runs
        return {n: self.samples[(size, n)] for n in cmds}


def bare_app(ctx: Context) -> list[str]:
    """How to run the bare Typer app as riskcli runs: from bytecode compiled once (pip compiles a
    wheel's modules; a script run as `python FILE` is compiled from source on every run)."""
    target = ctx.workdir / "bare_typer_app.py"
    if not target.exists():
        shutil.copyfile(HERE / "bare_typer_app.py", target)
        subprocess.run([ctx.python, "-m", "py_compile", str(target)], check=True, env=ctx.env, cwd=ctx.workdir)
    return [ctx.python, "-m", "bare_typer_app"]  # every command runs in the work directory


def bare_matrix(ctx: Context, matrix: list[str], name: str) -> list[str]:
    """The bare app's arguments to print the table riskcli's `matrix` command prints today:
    `--table` (what `matrix --json` says, pickled) and `--notes` (the lines under its table)."""
    out = bare_app(ctx)
    r = ctx.run([*matrix, "--json"], keep_stdout=True)
    if r.ok:
        table = ctx.workdir / f"{name}-table.pickle"
        with table.open("wb") as f:
            pickle.dump(json.loads(ctx.last_stdout), f, protocol=4)
        out += ["--table", str(table)]
    r = ctx.run(matrix, keep_stdout=True)
    lines = ctx.last_stdout.splitlines()
    end = next((i for i, line in enumerate(lines) if line.startswith("└")), None)
    if r.ok and end is not None:
        notes = ctx.workdir / f"{name}-notes.txt"
        notes.write_text("\n".join(lines[end + 1 :]) + "\n", encoding="utf-8")
        out += ["--notes", str(notes)]
    return out


def pair(
    benchmark: str,
    name: str,
    mine: list[Run],
    base: list[Run],
    budget: float | None,
    *,
    unit: str = "s",
    judged: bool = True,
) -> Result:
    """riskcli's runs against the baseline's, round by round; a round counts only if both
    finished. A command that was run only once (its warm-up, see Context.interleave) stands
    against every round of the other side. A riskcli run killed at --timeout counts with the
    CPU time it had used, and makes the line a lower bound."""

    def value(r: Run, *, killed_counts: bool = True) -> float | None:
        if r.timed_out and not killed_counts:
            return None  # a baseline killed at --timeout is no yardstick
        if unit == "s":
            return r.cpu if (r.ok or r.timed_out) else None
        return r.rss_kb / 1024 if r.ok and r.rss_kb is not None else None

    left, _, right = name.split(": ", 1)[-1].partition(" / ")

    def bad(runs: list[Run], who: str) -> str | None:
        r = next((r for r in reversed(runs) if not r.ok), None)
        return f"{who}: {r.why_bad()}" if r else None

    mine_once, base_once = bool(mine) and mine[0].warmup, bool(base) and base[0].warmup
    if mine_once or base_once:
        a = [v for v in map(value, mine) if v is not None]
        b = [v for r in base if (v := value(r, killed_counts=False)) is not None]
        if mine_once and a:
            a = a[:1] * len(b)
        elif base_once and b:
            b = b[:1] * len(a)
        rounds = 1 if a and b else 0
    else:
        a, b = [], []
        for ra, rb in zip(mine, base, strict=False):
            va, vb = value(ra), value(rb, killed_counts=False)
            if va is not None and vb is not None:
                a.append(va)
                b.append(vb)
        rounds = len(a)
    killed = [r for r in mine if r.timed_out]
    error = bad(base, right) or bad(mine, left)
    if killed and not (error or "").startswith(right + ":"):
        error = f"{left}: killed after {killed[0].wall:.1f} s (--timeout) in {len(killed)} run(s)" + (
            "; its figure and ratio are lower bounds" if unit == "s" else ""
        )
    return Result(benchmark, name, unit, a, b, budget, judged, error, bool(killed) and unit == "s", rounds)


# --------------------------------------------------------------------------- benchmarks


STARTUP_BUDGET, STARTUP_GOAL = 1.08, 1.05


def bench_startup(ctx: Context) -> list[Result]:
    """`riskcli matrix` on the embedded register vs a bare Typer app printing the same table,
    and vs merely importing typer and rich.table. The warm-up round fills riskcli's cache, as
    any earlier run of riskcli would have."""
    bare = bare_matrix(ctx, [*ctx.riskcli, "matrix"], "startup")
    cmds = {
        "floor": [ctx.python, "-c", "pass"],
        "imports": [ctx.python, "-c", IMPORTS_CODE],
        "bare": [*bare, "matrix"],
        "riskcli": [*ctx.riskcli, "matrix"],
    }
    repeat = ctx.args.startup_repeat or ctx.args.repeat
    ctx.log(f"start-up: warm-up and {repeat} interleaved rounds")
    got = ctx.interleave(cmds, repeat, label="start-up ")
    ctx.info["startup_output_bytes"] = {k: got[k][-1].stdout_bytes for k in ("riskcli", "bare") if got[k]}
    printed = []
    for k in ("riskcli", "bare"):
        ctx.run(cmds[k], keep_stdout=True)
        printed.append([line.rstrip() for line in ctx.last_stdout.splitlines()])
    ctx.info["startup_same_table"] = printed[0] == printed[1]
    return [
        pair(
            "startup",
            f"start-up: matrix (embedded) / bare Typer app, same table (goal {STARTUP_GOAL:g}x)",
            got["riskcli"],
            got["bare"],
            STARTUP_BUDGET,
        ),
        pair("startup", f"start-up: matrix (embedded) / {IMPORTS_LABEL}", got["riskcli"], got["imports"], None),
        pair("startup", f"start-up: bare Typer app / {IMPORTS_LABEL}", got["bare"], got["imports"], None),
        pair("startup", f"start-up: {IMPORTS_LABEL} / python -c pass", got["imports"], got["floor"], None),
    ]


def bench_scale(ctx: Context) -> list[Result]:
    """validate, matrix and list --all on generated registers riskcli has not cached (cold) vs
    the fair parse (CSafeLoader, collector off) and vs composing alone (what riskcli parses:
    nodes, not Python objects); the loads of the same data as JSON and pickle, for context."""
    out = []
    for size in ctx.sizes:
        s = ctx.scale_samples(size)
        judged = size >= BUDGET_MIN_SIZE
        for name, budget in (("matrix", 1.05), ("validate", 1.3), ("list-all", None)):
            out.append(
                pair(
                    "scale",
                    f"scale {size}: {name} (cold) / fair parse",
                    s[name],
                    s["fair-parse"],
                    budget,
                    judged=judged,
                )
            )
        out.append(
            pair("scale", f"scale {size}: matrix (cold) / compose", s["matrix"], s["compose"], 1.6, judged=judged)
        )
        out.append(pair("scale", f"scale {size}: validate (cold) / compose", s["validate"], s["compose"], None))
        for floor in ("compose", "json-load", "pickle-load"):
            out.append(pair("scale", f"scale {size}: {floor} / fair parse", s[floor], s["fair-parse"], None))
    return out


def bench_memory(ctx: Context) -> list[Result]:
    """Peak RSS of riskcli reading a register it has not cached (matrix; validate and list --all
    too) vs the fair parse's: within CSafeLoader's own (DESIGN §9)."""
    if not hasattr(os, "wait4"):
        return [
            Result(
                "memory",
                "memory: no way to measure one child's peak RSS here",
                "MB",
                [],
                [],
                None,
                error="os.wait4 is not available",
            )
        ]
    out = []
    for size in ctx.sizes:
        s = ctx.scale_samples(size)
        for name, budget in (("matrix", 1.0), ("validate", None), ("list-all", None)):
            out.append(
                pair(
                    "memory",
                    f"memory {size}: {name} (cold) / fair parse",
                    s[name],
                    s["fair-parse"],
                    budget,
                    unit="MB",
                    judged=size >= BUDGET_MIN_SIZE,
                )
            )
    return out


def bench_warm(ctx: Context) -> list[Result]:
    """`matrix` on a register riskcli has read before (its validated model in the cache) vs a
    bare Typer app that loads the same data with pickle and prints the same table (written out
    for it by `riskcli matrix --json`); its peak RSS vs a json.load of the same data."""
    out = []
    for size in ctx.sizes:
        path, data = str(ctx.register(size)), ctx.register_data(size)
        bare = [*bare_matrix(ctx, [*ctx.riskcli, "--register", path, "matrix"], f"warm-{size}")]
        bare += ["--pickle", str(data["pickle"])]
        cmds = {
            "matrix": [*ctx.riskcli, "--register", path, "matrix"],
            "bare-pickle": [*bare, "matrix"],
            "json-load": [ctx.python, "-c", JSON_LOAD_CODE, str(data["json"])],
            "pickle-load": [ctx.python, "-c", PICKLE_LOAD_CODE, str(data["pickle"])],
        }
        ctx.log(f"warm {size}: {', '.join(cmds)}: warm-up (fills the cache) and {ctx.args.repeat} interleaved rounds")
        got = ctx.interleave(cmds, ctx.args.repeat, label=f"warm {size} ")
        printed = []
        for k in ("matrix", "bare-pickle"):
            ctx.run(cmds[k], keep_stdout=True)
            printed.append([line.rstrip() for line in ctx.last_stdout.splitlines()])
        ctx.info[f"warm_{size}_same_table"] = printed[0] == printed[1]
        judged = size >= BUDGET_MIN_SIZE
        m = got["matrix"]
        out += [
            pair(
                "warm",
                f"warm {size}: matrix / (bare Typer app + pickle.load)",
                m,
                got["bare-pickle"],
                1.5,
                judged=judged,
            ),
            pair("warm", f"warm {size}: matrix / pickle.load", m, got["pickle-load"], None),
            pair("warm", f"warm {size}: matrix / json.load", m, got["json-load"], None),
            pair(
                "warm", f"memory {size}: matrix (warm) / json.load", m, got["json-load"], 2.5, unit="MB", judged=judged
            ),
        ]
    return out


# In one process, in turn: riskcli's register.load of a cached register, and json.load of the same
# data (each file read and parsed), with the collector off for both; CPU time of each, per pair.
LOAD_CODE = """
import gc, json, sys, time
from riskcli import register
path, data, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
gc.disable()
register.load(path)  # fills the cache if it is empty
pairs = []
for i in range(rounds + 1):
    t0 = time.process_time()
    reg = register.load(path)
    t1 = time.process_time()
    with open(data, "rb") as f:
        doc = json.load(f)
    t2 = time.process_time()
    assert len(reg.risks) == len(doc["risks"])
    del reg, doc
    if i:  # the first pair warms up
        pairs.append((t1 - t0, t2 - t1))
print(json.dumps(pairs))
"""


def bench_load(ctx: Context) -> list[Result]:
    """riskcli's in-process load of a register it has cached vs json.load of the same data, in
    one process (interleaved, CPU time): the cost of the cache itself, without start-up."""
    out = []
    for size in ctx.sizes:
        path, data = str(ctx.register(size)), ctx.register_data(size)
        name = f"load {size}: register.load (cached) / json.load"
        ctx.log(f"load {size}: {ctx.args.repeat} pairs in one process")
        p = subprocess.run(
            [ctx.python, "-c", LOAD_CODE, path, str(data["json"]), str(ctx.args.repeat)],
            capture_output=True,
            text=True,
            env=ctx.env,
            cwd=ctx.workdir,
        )
        if p.returncode != 0:
            out.append(Result("load", name, "s", [], [], 2.0, error=p.stderr.strip()[-300:]))
            continue
        pairs = json.loads(p.stdout)
        mine, base = [a for a, _ in pairs], [b for _, b in pairs]
        out.append(Result("load", name, "s", mine, base, 2.0, judged=size >= BUDGET_MIN_SIZE, rounds=len(pairs)))
    return out


# --------------------------------------------------------------------------- the journal

# Journal floors. Each decodes (or writes) the same lines riskcli does, with the collector off for
# the work, as riskcli's journal reader has it, and keeps what it decoded.
DECODE_PRINT_CODE = (  # decode + print: every line decoded, one tab-separated line printed per event
    "import gc, json, sys\n"
    "gc.disable()\n"
    "events, out = [], []\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for n, line in enumerate(f, 1):\n"
    "        e = json.loads(line)\n"
    "        events.append(e)\n"
    "        what = e.get('risk') or e.get('assumption') or e.get('indicator') or e.get('response') or e.get('undoes')\n"
    "        out.append(f\"{n}\\t{e['at']}\\t{e['by']}\\t{e['kind']}\\t{what}\\t{e.get('why', '')}\\t\\n\")\n"
    "        if len(out) >= 4096:\n"
    "            sys.stdout.write(''.join(out))\n"
    "            out.clear()\n"
    "sys.stdout.write(''.join(out))\n"
)
# An append's floors: one event added to a table of the same events (SQLite, its default
# durability: a journal and fsyncs), and one line appended under flock and fsynced.
SQLITE_INSERT_CODE = (
    "import sqlite3, sys, time\n"
    "con = sqlite3.connect(sys.argv[1])\n"
    "now = f'{time.time_ns():x}'\n"
    'line = \'{"v":1,"id":"\' + now + \'","kind":"score","risk":"R1","likelihood":3,"impact":3}\'\n'
    "con.execute('INSERT INTO events VALUES (?,?,?,?,?,?,?,?)',\n"
    "            (now, '2025-01-01T00:00:00Z', 'bench', 'score', sys.argv[2], sys.argv[3], None, line))\n"
    "con.commit()\n"
)
APPEND_CODE = (
    "import fcntl, os, sys, time\n"
    "fd = os.open(sys.argv[1], os.O_WRONLY | os.O_APPEND)\n"
    "fcntl.flock(fd, fcntl.LOCK_EX)\n"
    'os.write(fd, (\'{"v":1,"id":"\' + f\'{time.time_ns():x}\' + \'","kind":"score","risk":"R1",\'\n'
    '             \'"likelihood":3,"impact":3}\\n\').encode())\n'
    "os.fsync(fd)\n"
)
APPEND_SIZES = (10_000, 100_000, 1_000_000)


def embedded_ids(ctx: Context) -> dict[str, list[str]]:
    """The ids the embedded register declares, asked of riskcli as a user would (--json)."""
    ids: dict[str, list[str]] = {}
    for key, cmd in (
        ("risks", ["list", "--all"]),
        ("assumptions", ["assumptions"]),
        ("indicators", ["indicators"]),
        ("responses", ["responses"]),
    ):
        r = ctx.run([*ctx.riskcli, *cmd, "--json"], keep_stdout=True)
        if not r.ok:
            raise RuntimeError(f"riskcli {' '.join(cmd)} --json: {r.why_bad()}")
        ids[key] = [x["id"] for x in json.loads(ctx.last_stdout)[key]]
        if not ids[key]:
            raise RuntimeError(f"the embedded register has no {key}")
    return ids


def embedded_binding(ctx: Context) -> tuple[str, str]:
    """The embedded register's identity and fingerprint, as its --json register block gives them."""
    r = ctx.run([*ctx.riskcli, "matrix", "--json"], keep_stdout=True)
    if not r.ok:
        raise RuntimeError(f"riskcli matrix --json: {r.why_bad()}")
    block = json.loads(ctx.last_stdout)["register"]
    return block["identity"], block["fingerprint"]


def journal_fixture(ctx: Context, n: int, *, sqlite: bool = False) -> tuple[Path, Path | None]:
    """A journal of n events on the embedded register, bound and hash-chained as riskcli writes
    them (gen_journal.py; and the same events as an SQLite table), written once per run."""
    path = ctx.workdir / f"journal-{n}.jsonl"
    db = ctx.workdir / f"journal-{n}.db" if sqlite else None
    if n not in ctx.journals or (db is not None and not db.exists()):
        if "ids" not in ctx.journals:
            ctx.journals["ids"] = embedded_ids(ctx)
            ctx.journals["binding"] = embedded_binding(ctx)
        register, fingerprint = ctx.journals["binding"]
        t0 = time.perf_counter()
        size = gen_journal.write(path, n, ctx.journals["ids"], ctx.args.seed, register, fingerprint, db)
        ctx.log(f"generated {path.name}{' and its SQLite table' if db else ''}: {n} events, "
                f"{size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f} s")  # fmt: skip
        ctx.journals[n] = path
        ctx.info[f"journal_{n}_mb"] = round(size / 1e6, 1)
    return path, db


def _cold(ctx: Context, cmd: list[str]) -> list[str]:
    """cmd run with no replay checkpoint: the cache's journals/ removed first (the register's
    entry stays). The removal (a shell and rm, a few ms) is counted in riskcli's time."""
    journals = Path(ctx.env["RISKCLI_CACHE"]) / "journals"
    return ["/bin/sh", "-c", 'rm -rf "$0" && exec "$@"', str(journals), *cmd]


def bench_journal(ctx: Context) -> list[Result]:
    """`matrix` and `history` (piped) over a journal of 100,000 events on the embedded register:
    matrix with its replay checkpoint (unchanged journal) and without (cold), vs decoding the lines;
    history vs decoding and printing them."""
    n = JOURNAL_EVENTS
    try:
        path, _ = journal_fixture(ctx, n)
    except (RuntimeError, ValueError, KeyError) as e:
        return [Result("journal", f"journal {n}", "s", [], [], None, error=str(e))]
    ctx.info["journal_mb"] = ctx.info[f"journal_{n}_mb"]
    ctx.log(f"journal {n}: warm-up and {ctx.args.repeat} interleaved rounds")
    matrix = [*ctx.riskcli, "--journal", str(path), "matrix"]
    cmds = {
        "decode": [ctx.python, "-c", DECODE_CODE, str(path)],
        "decode+print": [ctx.python, "-c", DECODE_PRINT_CODE, str(path)],
        "matrix": matrix,
        "matrix-cold": _cold(ctx, matrix),
        "floor": [ctx.python, "-c", FLOOR_CODE, str(path), str(ctx.workdir / "journal-empty.jsonl")],
        "history": [*ctx.riskcli, "--journal", str(path), "history"],
    }
    got = ctx.interleave(cmds, ctx.args.repeat, label="journal ")
    return [
        pair("journal", f"journal {n}: matrix, unchanged journal / decode", got["matrix"], got["decode"], 0.8),
        pair("journal", f"journal {n}: matrix, cold (no checkpoint) / decode", got["matrix-cold"], got["decode"], 1.2),
        pair("journal", f"journal {n}: floor of a cold read / decode", got["floor"], got["decode"], None),
        pair(
            "journal",
            f"journal {n}: matrix, cold (no checkpoint) / floor of a cold read",
            got["matrix-cold"],
            got["floor"],
            None,
        ),
        pair("journal", f"journal {n}: history (piped) / decode + print", got["history"], got["decode+print"], 1.5),
        pair("journal", f"journal {n}: history (piped) / decode", got["history"], got["decode"], None),
        pair("journal", f"journal {n}: decode + print / decode", got["decode+print"], got["decode"], None),
    ]


def bench_append(ctx: Context) -> list[Result]:
    """`score` on journals of 10,000, 100,000 and 1,000,000 events, in one set of interleaved
    rounds, vs `matrix` with an empty journal (and so vs each other: flat means the same at every
    size), and vs the floors of one append at the largest size: an SQLite INSERT of one event into
    a table of the same events, and a plain flock + append + fsync of one line."""
    empty = ctx.workdir / "journal-empty.jsonl"  # never written: matrix reads no journal
    sizes = [s for s in APPEND_SIZES if s <= ctx.args.append_max]
    cmds = {"matrix-empty": [*ctx.riskcli, "--journal", str(empty), "matrix"]}
    db: Path | None = None
    plain = ctx.workdir / "journal-plain.jsonl"
    for n in sizes:
        try:
            path, db = journal_fixture(ctx, n, sqlite=n == sizes[-1])
        except (RuntimeError, ValueError, KeyError) as e:
            return [Result("append", f"append {n}", "s", [], [], None, error=str(e))]
        cmds[f"score-{n}"] = [*ctx.riskcli, "--journal", str(path), "score", "R1", "-l", "3", "-i", "3", "--why", "b"]
        if n == sizes[-1]:
            shutil.copyfile(path, plain)
    register, fingerprint = ctx.journals["binding"]
    cmds["sqlite"] = [ctx.python, "-c", SQLITE_INSERT_CODE, str(db), register, fingerprint]
    cmds["append"] = [ctx.python, "-c", APPEND_CODE, str(plain)]
    ctx.log(f"append {', '.join(map(str, sizes))}: warm-up (each first score reads every line and makes the "
            f"checkpoint) and {ctx.args.repeat} interleaved rounds")  # fmt: skip
    got = ctx.interleave(cmds, ctx.args.repeat, label="append ")
    out = [
        pair("append", f"append {n}: score / matrix, empty journal", got[f"score-{n}"], got["matrix-empty"], 1.2)
        for n in sizes
    ]
    lo, hi = sizes[0], sizes[-1]
    if hi != lo:
        out.append(
            pair("append", f"append: score at {hi} / score at {lo}", got[f"score-{hi}"], got[f"score-{lo}"], None)
        )
    out += [
        pair("append", f"append {hi}: score / SQLite INSERT", got[f"score-{hi}"], got["sqlite"], None),
        pair("append", f"append {hi}: score / flock + append + fsync", got[f"score-{hi}"], got["append"], None),
    ]
    return out


# The simulation budget (DESIGN §9): 100,000 draws of a register of 1,000 risks and 50 assumptions
# within 3x a bare numpy product of the same shapes, (trials x assumptions) @ (assumptions x risks).
SIM_TRIALS, SIM_RISKS, SIM_ASSUMPTIONS = 100_000, 1_000, 50
# The floor does what riskcli's engine must at the least, under its conditions: one BLAS thread
# (riskcli sets OPENBLAS_NUM_THREADS=1 unless the user has), trials in chunks of the same size
# (2^21 risk-draws; memory stays bounded), the state matrix drawn from beliefs, float64 products.
PRODUCT_CODE = (
    "import os, sys\n"
    "os.environ.setdefault('OPENBLAS_NUM_THREADS', '1')\n"
    "import numpy as np\n"
    "t, k, r = (int(x) for x in sys.argv[1:4])\n"
    "rng = np.random.default_rng(1)\n"
    "w = rng.random((k, r))\n"
    "chunk = max(256, min(1 << 16, (1 << 21) // r))\n"
    "for start in range(0, t, chunk):\n"
    "    m = min(chunk, t - start)\n"
    "    s = (rng.random((m, k)) < 0.5).astype(np.float64)\n"
    "    out = s @ w\n"
)
# The same product in one piece, with numpy's default threads: the literal "bare product" (context).
PRODUCT_WHOLE_CODE = (
    "import sys\n"
    "import numpy as np\n"
    "t, k, r = (int(x) for x in sys.argv[1:4])\n"
    "rng = np.random.default_rng(1)\n"
    "s = (rng.random((t, k)) < 0.5).astype(np.float64)\n"
    "out = s @ rng.random((k, r))\n"
)


def _exact_what_if(ctx: Context, limit: int = 20) -> tuple[list[str], int] | None:
    """--what-if moves that hold enough of the embedded register's assumptions that --exact
    enumerates at most `limit` of them (none if it has no more), and the number enumerated."""
    r = ctx.run([*ctx.riskcli, "simulate", "--json", "--trials", "1", "--seed", "0"], keep_stdout=True)
    if not r.ok:
        return None
    draws = json.loads(ctx.last_stdout)["draws"]
    uncertain = [d["assumption"] for d in draws if d["parent"] is not None or 0 < d["belief"] < 1]
    fixed: list[str] = []
    while True:
        args = [a for x in fixed for a in ("--what-if", f"{x}=holds")]
        r = ctx.run([*ctx.riskcli, *args, "simulate", "--exact", "--json"], keep_stdout=True)
        if r.ok:
            return args, json.loads(ctx.last_stdout)["trials"].bit_length() - 1
        if len(fixed) >= len(uncertain):
            return None
        fixed.append(uncertain[-1 - len(fixed)])


def bench_simulate(ctx: Context) -> list[Result]:
    """`simulate` of 100,000 draws over a generated register of 1,000 risks and 50 assumptions vs the
    bare numpy product of the same shapes; 100,000 draws of the embedded register (budget: 1 s of
    CPU); `simulate --exact` of the embedded register with 20 assumptions (time stated)."""
    path = ctx.workdir / f"register-sim-{SIM_RISKS}x{SIM_ASSUMPTIONS}.yaml"
    path.write_text(gen_register.generate(SIM_RISKS, ctx.args.seed, SIM_ASSUMPTIONS), encoding="utf-8")
    shape = [str(SIM_TRIALS), str(SIM_ASSUMPTIONS), str(SIM_RISKS)]
    ctx.log(f"simulate: {SIM_TRIALS} x {SIM_RISKS} risks x {SIM_ASSUMPTIONS} assumptions; warm-up and rounds")
    trials = ["--trials", str(SIM_TRIALS), "--seed", "1"]
    cmds = {
        "simulate": [*ctx.riskcli, "--register", str(path), "simulate", *trials, "--json"],
        "product": [ctx.python, "-c", PRODUCT_CODE, *shape],
        "product-whole": [ctx.python, "-c", PRODUCT_WHOLE_CODE, *shape],
        "simulate-text": [*ctx.riskcli, "--register", str(path), "simulate", *trials],
    }
    got = ctx.interleave(cmds, ctx.args.repeat, label="simulate ")
    name = f"simulate {SIM_TRIALS} x {SIM_RISKS} x {SIM_ASSUMPTIONS}"
    out = [
        pair("simulate", f"{name}: simulate --json / bare product (chunked)", got["simulate"], got["product"], 2.5),
        pair(
            "simulate", f"{name}: simulate (text) / bare product (chunked)", got["simulate-text"], got["product"], None
        ),
        pair(
            "simulate", f"{name}: simulate --json / bare product (whole)", got["simulate"], got["product-whole"], None
        ),
    ]
    ctx.log("simulate: the embedded register")
    emb = {
        "simulate": [*ctx.riskcli, "simulate", *trials],
        "matrix": [*ctx.riskcli, "matrix"],
    }
    found = _exact_what_if(ctx)
    if found is not None:
        args, k = found
        emb["exact"] = [*ctx.riskcli, *args, "simulate", "--exact"]
        ctx.info["simulate_exact_assumptions"] = k
    got = ctx.interleave(emb, ctx.args.repeat, label="embedded ")
    runs = got["simulate"]
    one_second = Result(
        "simulate",
        f"simulate embedded, {SIM_TRIALS} draws: CPU / 1 s",
        "s",
        [r.cpu for r in runs if r.ok],
        [1.0 for r in runs if r.ok],
        1.0,
        error=next((f"simulate: {r.why_bad()}" for r in runs if not r.ok), None),
        rounds=sum(1 for r in runs if r.ok),
    )
    out += [
        one_second,
        pair("simulate", f"simulate embedded, {SIM_TRIALS} draws: simulate / matrix", runs, got["matrix"], None),
    ]
    if found is not None:
        k = found[1]
        out.append(
            pair(
                "simulate",
                f"simulate embedded --exact ({k} assumptions, 2^{k} combinations): exact / matrix",
                got["exact"],
                got["matrix"],
                None,
            )
        )
    else:
        out.append(Result("simulate", "simulate embedded --exact", "s", [], [], None, error="could not run --exact"))
    return out


# Export (DESIGN §9): `export --format xlsx` of 10,000 risks within 1.6x json.load + an openpyxl
# write-only workbook of the same cells.
EXPORT_RISKS = 10_000
CELLS_CODE = (  # every cell of every sheet of a workbook, as values, written once as JSON
    "import json, sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1], read_only=True)\n"
    "sheets = [[ws.title, [list(r) for r in ws.iter_rows(values_only=True)]] for ws in wb.worksheets]\n"
    "with open(sys.argv[2], 'w', encoding='utf-8') as f:\n"
    "    json.dump(sheets, f, ensure_ascii=False)\n"
)
WRITE_ONLY_CODE = (  # the floor: the cells loaded (collector paused, then frozen, as riskcli loads), written
    "import gc, io, json, sys, openpyxl\n"
    "gc.disable()\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    sheets = json.load(f)\n"
    "gc.freeze()\n"
    "gc.enable()\n"
    "wb = openpyxl.Workbook(write_only=True)\n"
    "for title, rows in sheets:\n"
    "    ws = wb.create_sheet(title)\n"
    "    for row in rows:\n"
    "        ws.append(row)\n"
    "buf = io.BytesIO()\n"
    "wb.save(buf)\n"
    "with open(sys.argv[2], 'wb') as f:\n"
    "    f.write(buf.getvalue())\n"
)


def bench_export(ctx: Context) -> list[Result]:
    """`export --format xlsx -o FILE` of a generated register of 10,000 risks (warm: the register
    in riskcli's cache) vs the floor of the same output: json.load of every cell riskcli's workbook
    holds (read back once from riskcli's own export) and an openpyxl write-only workbook of those
    cells, the same sheets, no styles, saved to a file."""
    path = ctx.register(EXPORT_RISKS)
    out, floor_out = ctx.workdir / "export.xlsx", ctx.workdir / "export-floor.xlsx"
    export = [*ctx.riskcli, "--register", str(path), "export", "--format", "xlsx", "-o", str(out), "--force"]
    first = ctx.run(export)
    cells = ctx.workdir / "export-cells.json"
    if first.ok:
        p = subprocess.run(
            [ctx.python, "-c", CELLS_CODE, str(out), str(cells)],
            capture_output=True,
            text=True,
            env=ctx.env,
            cwd=ctx.workdir,
        )
        if p.returncode != 0:
            raise RuntimeError(f"could not read riskcli's workbook: {p.stderr.strip()[-500:]}")
        ctx.info["export_cells_json_mb"] = round(cells.stat().st_size / 1e6, 2)
        ctx.info["export_xlsx_mb"] = round(out.stat().st_size / 1e6, 2)
    ctx.log(f"export: {EXPORT_RISKS} risks as XLSX; warm-up and {ctx.args.repeat} interleaved rounds")
    cmds = {
        "export": export,
        "floor": [ctx.python, "-c", WRITE_ONLY_CODE, str(cells), str(floor_out)],
        "matrix": [*ctx.riskcli, "--register", str(path), "matrix"],
    }
    got = ctx.interleave(cmds, ctx.args.repeat, label="export ")
    name = f"export {EXPORT_RISKS}"
    return [
        pair("export", f"{name}: export xlsx / json.load + write-only workbook", got["export"], got["floor"], 1.6),
        pair("export", f"{name}: export xlsx / matrix", got["export"], got["matrix"], None),
    ]


IMPORT_ROWS = 10_000
REPORT_RISKS = 1_000
CSV_DUMP_CODE = (  # the floor of import: the table read with csv, its rows written as YAML by libyaml
    "import csv, gc, sys, yaml\n"
    "gc.disable()\n"
    "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:\n"
    "    rows = list(csv.DictReader(f))\n"
    "with open(sys.argv[2], 'w', encoding='utf-8') as out:\n"
    "    yaml.dump({'risks': rows}, out, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)\n"
)


def bench_import(ctx: Context) -> list[Result]:
    """`import FILE.csv -o OUT.yaml --force` of a table of 10,000 risks (riskcli's own CSV export of
    the generated register, written once) vs the floor of the same work: the rows read with the csv
    module and written as one YAML document by libyaml's emitter (CSafeDumper)."""
    path = ctx.register(IMPORT_ROWS)
    table, out, floor_out = ctx.workdir / "import.csv", ctx.workdir / "import.yaml", ctx.workdir / "import-floor.yaml"
    made = ctx.run([*ctx.riskcli, "--register", str(path), "export", "--format", "csv", "-o", str(table), "--force"])
    if not made.ok:
        raise RuntimeError(f"could not export the table to import: {made.why_bad()}")
    ctx.info["import_csv_mb"] = round(table.stat().st_size / 1e6, 2)
    ctx.log(f"import: {IMPORT_ROWS} rows of CSV; warm-up and {ctx.args.repeat} interleaved rounds")
    cmds = {
        "import": [*ctx.riskcli, "import", str(table), "-o", str(out), "--force"],
        "floor": [ctx.python, "-c", CSV_DUMP_CODE, str(table), str(floor_out)],
    }
    got = ctx.interleave(cmds, ctx.args.repeat, label="import ")
    return [pair("import", f"import {IMPORT_ROWS}: import csv / csv + CSafeDumper", got["import"], got["floor"], 1.5)]


def bench_report(ctx: Context) -> list[Result]:
    """`report --format html -o FILE` on a generated register of 1,000 risks vs `matrix` on the same
    register (both warm: the register in riskcli's cache)."""
    path = ctx.register(REPORT_RISKS)
    out = ctx.workdir / "report.html"
    ctx.log(f"report: {REPORT_RISKS} risks as HTML; warm-up and {ctx.args.repeat} interleaved rounds")
    cmds = {
        "report": [*ctx.riskcli, "--register", str(path), "report", "--format", "html", "-o", str(out), "--force"],
        "matrix": [*ctx.riskcli, "--register", str(path), "matrix"],
    }
    got = ctx.interleave(cmds, ctx.args.repeat, label="report ")
    return [pair("report", f"report {REPORT_RISKS}: report html / matrix", got["report"], got["matrix"], 1.15)]


# name -> function(ctx) -> list[Result]; run in this order. Add new benchmarks here.
BENCHMARKS: dict[str, Callable[[Context], list[Result]]] = {
    "startup": bench_startup,
    "scale": bench_scale,
    "memory": bench_memory,
    "warm": bench_warm,
    "load": bench_load,
    "journal": bench_journal,
    "append": bench_append,
    "simulate": bench_simulate,
    "export": bench_export,
    "import": bench_import,
    "report": bench_report,
}


# --------------------------------------------------------------------------- environment facts


def describe_install(ctx: Context) -> dict:
    """Where riskcli is imported from in the interpreter under test: editable or wheel."""
    code = (
        "import json, sys, sysconfig, riskcli, yaml, typer, rich\n"
        "from importlib.metadata import version\n"
        "paths = {sysconfig.get_paths()[k] for k in ('purelib', 'platlib')}\n"
        "f = riskcli.__file__\n"
        "print(json.dumps({'riskcli_file': f, 'site_packages': sorted(paths),\n"
        "  'wheel': any(f.startswith(p.rstrip('/') + '/') for p in paths) or 'site-packages' in f,\n"
        "  'riskcli': riskcli.__version__, 'python': sys.version.split()[0],\n"
        "  'libyaml': bool(getattr(yaml, '__with_libyaml__', False)),\n"
        "  'typer': version('typer'), 'rich': version('rich'), 'pyyaml': yaml.__version__}))\n"
    )
    # cwd: the temp dir, so `python -c` does not import a riskcli/ from the current directory
    p = subprocess.run([ctx.python, "-c", code], capture_output=True, text=True, env=ctx.env, cwd=ctx.workdir)
    if p.returncode != 0:
        raise SystemExit(f"bench: cannot import riskcli with {ctx.python}:\n{p.stderr.strip()}")
    d = json.loads(p.stdout)
    d["install"] = "wheel" if d["wheel"] else "editable"
    d["PYTHONDONTWRITEBYTECODE"] = os.environ.get("PYTHONDONTWRITEBYTECODE", "")
    d["riskcli_command"] = ctx.riskcli_how
    d["cpu_time"] = "os.wait4 rusage" if hasattr(os, "wait4") else "getrusage(RUSAGE_CHILDREN) deltas"
    d["repeat"] = ctx.args.repeat
    d["cpus"] = os.cpu_count()
    return d


# --------------------------------------------------------------------------- output


def _fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "-"
    if unit == "s":
        return f"{x * 1000:.0f} ms" if x < 1 else f"{x:.2f} s"
    return f"{x:.0f} MB"


def print_table(results: list[Result], facts: dict) -> None:
    print()
    print(
        f"riskcli {facts['riskcli']} ({facts['install']} install: {facts['riskcli_file']}); "
        f"Python {facts['python']}; libyaml {'yes' if facts['libyaml'] else 'NO'}; {facts['cpus']} CPUs; "
        f"PYTHONDONTWRITEBYTECODE={facts['PYTHONDONTWRITEBYTECODE'] or '(unset)'}"
    )
    if facts["install"] == "editable":
        print("note: editable install; start-up should be measured on a wheel install (see bench/README.md)")
    print(f"riskcli run as: {facts['riskcli_command']}; CPU time (user+sys) and peak RSS via {facts['cpu_time']}")
    extra = {
        k: v
        for k, v in facts.items()
        if k.startswith("register_")
        or k.startswith(("startup_", "warm_", "export_"))
        or (k.startswith("journal_") and k.endswith("_mb"))
        or k in ("journal_mb", "simulate_exact_assumptions")
    }
    if extra:
        print("; ".join(f"{k}={v}" for k, v in extra.items()))
    print(
        "ratio = median over rounds of riskcli_i / baseline_i; spread = the lowest and highest of those; "
        "riskcli and baseline columns are medians; n = rounds"
    )
    print()
    headers = ("measure", "riskcli", "baseline", "ratio", "spread", "n", "budget", "result")
    rows = []
    for r in results:
        lb = ">" if r.timed_out and r.riskcli is not None else ""
        ratio = f"{lb}{r.ratio:.2f}x" if r.ratio is not None else "-"
        spread = f"{min(r.ratios):.2f}-{max(r.ratios):.2f}" if len(r.ratios) > 1 else "-"
        budget = "-" if r.budget is None else f"<= {r.budget:g}x" if r.judged else f"({r.budget:g}x)"
        rows.append(
            (
                r.name,
                lb + _fmt(r.riskcli, r.unit),
                _fmt(r.baseline, r.unit),
                ratio,
                spread,
                str(r.rounds),
                budget,
                r.status,
            )
        )
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=False))
        )

    print(line(headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row).rstrip())
    for r in results:
        if r.error:
            print(f"{r.name}: {r.error}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter of the install to measure (its riskcli console script is looked up beside it; "
        "default: this one)",
    )
    ap.add_argument("--sizes", default="1000,10000", help="register sizes for scale/memory (default 1000,10000)")
    ap.add_argument("--big", action="store_true", help="also measure 100,000 risks (takes many minutes)")
    ap.add_argument("--repeat", type=int, default=9, help="timed rounds per comparison, after a warm-up (default 9)")
    ap.add_argument("--startup-repeat", type=int, default=None, help="rounds for start-up only (default: --repeat)")
    ap.add_argument(
        "--slow",
        type=float,
        default=30.0,
        help="a command whose warm-up takes more CPU seconds than this is not run again; its lines rest "
        "on that one run (default 30)",
    )
    ap.add_argument(
        "--timeout",
        type=float,
        default=300.0,
        help="kill a run after this many wall seconds; a riskcli line with a killed run is a lower bound (default 300)",
    )
    ap.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help=f"run only these benchmarks (repeatable or comma-separated): {', '.join(BENCHMARKS)}",
    )
    ap.add_argument("--seed", type=int, default=1, help="seed for the generated register and journal (default 1)")
    ap.add_argument(
        "--append-max",
        type=int,
        default=1_000_000,
        help="the largest journal `append` measures score on (10,000, 100,000, 1,000,000; default 1,000,000)",
    )
    ap.add_argument("--workdir", type=Path, help="keep generated registers here (default: a temp dir, removed)")
    ap.add_argument("--json", action="store_true", help="print the results as JSON instead of a table")
    args = ap.parse_args(argv)
    only = [n.strip() for o in args.only for n in o.split(",") if n.strip()]
    unknown = [n for n in only if n not in BENCHMARKS]
    if unknown:
        ap.error(f"unknown benchmark {', '.join(unknown)} (known: {', '.join(BENCHMARKS)})")
    args.only = only
    try:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        ap.error(f"--sizes: expected comma-separated integers, got {args.sizes!r}")
    if args.big and 100_000 not in sizes:
        sizes.append(100_000)
    if any(s < 1 for s in sizes) or args.repeat < 1 or (args.startup_repeat is not None and args.startup_repeat < 1):
        ap.error("sizes and repeats must be at least 1")
    if args.timeout <= 0 or args.slow <= 0:
        ap.error("--timeout and --slow must be positive")
    args.size_list = sizes
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not hasattr(os, "wait4") and resource is None:
        print("bench: needs os.wait4 or the resource module (a POSIX system) to take CPU times", file=sys.stderr)
        return 1
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        workdir, cleanup = args.workdir.resolve(), False
    else:
        workdir, cleanup = Path(tempfile.mkdtemp(prefix="riskcli-bench-")), True
    try:
        ctx = Context(args, workdir)
        facts = describe_install(ctx)
        ctx.log(
            f"riskcli {facts['riskcli']}: {facts['install']} install ({facts['riskcli_file']}); "
            f"run as {ctx.riskcli_how}"
        )
        results: list[Result] = []
        t0 = time.perf_counter()
        for name, fn in BENCHMARKS.items():
            if args.only and name not in args.only:
                continue
            results.extend(fn(ctx))
        facts.update(ctx.info)
        facts["wall_seconds"] = round(time.perf_counter() - t0, 1)
        if args.json:
            json.dump({"environment": facts, "results": [r.as_json() for r in results]}, sys.stdout, indent=2)
            print()
        else:
            print_table(results, facts)
    finally:
        if cleanup:
            shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
