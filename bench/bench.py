#!/usr/bin/env python3
"""Measure riskcli against the performance budgets of DESIGN.md §9, side by side in one run.

    python bench/bench.py                       # start-up, scale and memory at 1,000 and 10,000 risks
    python bench/bench.py --big                 # ... and at 100,000 risks (takes many minutes)
    python bench/bench.py --only startup        # a subset (repeatable, or comma-separated)
    python bench/bench.py --only journal        # replaying 100,000 journal events
    python bench/bench.py --python /tmp/wheel-venv/bin/python   # measure another install
    python bench/bench.py --json                # results as JSON on stdout

Every budget is a ratio of riskcli to a baseline measured in the same run, with the two sides
interleaved (A, B, A, B, ...) so that machine noise hits both; each figure is the median of
--repeat runs. Progress goes to stderr; the final table (or JSON) to stdout. This is a
measurement, not a test: it exits 0 even when a budget is over (it exits 1 only if it could not
run at all).

Adding a benchmark: write `def bench_NAME(ctx) -> list[Result]` that uses `ctx.run(...)` or
`ctx.interleave(...)` and returns `Result` rows, then add it to BENCHMARKS below; `--only NAME`
then runs it alone. Standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen_register  # noqa: E402

TIME_BIN = "/usr/bin/time"
# DESIGN.md §9 states the scale and memory budgets for registers of 10,000 risks and more. Below
# that, riskcli's fixed start-up (~0.2 s importing typer and rich) dominates a parse of a few
# hundred ms, so smaller sizes are reported as "info" (ratio shown, budget in parentheses).
BUDGET_MIN_SIZE = 10_000
PARSE_CODE = (
    "import sys, yaml\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    yaml.load(f, Loader=yaml.CSafeLoader)\n"
)


# Runs inside the interpreter under test: writes a journal of N events over the embedded
# register, then times reading + JSON-decoding its lines against riskcli's read + replay.
JOURNAL_CODE = r"""
import json, random, sys, time
from pathlib import Path
from riskcli import journal, register
path, n, repeat = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
reg = register.load()
rnd = random.Random(1)
risks = [r.id for r in reg.risks]
assumptions = [a.id for a in reg.assumptions]
indicators = [i.id for i in reg.indicators]
responses = [m.id for m in reg.responses]
ids = []
with path.open("w", encoding="utf-8") as f:
    for k in range(n):
        x = rnd.random()
        if x < 0.55:
            ev = journal.new_event("belief", "analyst", "a reason of ordinary length for this change", assumption=rnd.choice(assumptions), belief=round(rnd.random(), 2), said="0.5")
        elif x < 0.85:
            ev = journal.new_event("score", "analyst", "casualty reports and a reading of the latest statements", risk=rnd.choice(risks), likelihood=rnd.randint(1, 5), impact=rnd.randint(1, 5))
        elif x < 0.93:
            ev = journal.new_event("observe", "analyst", "seen in the news", indicator=rnd.choice(indicators))
        elif x < 0.98:
            ev = journal.new_event("respond", "analyst", "decided", response=rnd.choice(responses), applied=rnd.random() < 0.7)
        else:
            ev = journal.new_event("undo", "analyst", "", undoes=rnd.choice(ids) if ids else "none")
        ids.append(ev["id"])
        f.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")
decode, replay = [], []
for _ in range(repeat):
    t = time.perf_counter()
    with path.open("rb") as f:
        for line in f:
            json.loads(line)
    decode.append(time.perf_counter() - t)
    t = time.perf_counter()
    j = journal.read(path)
    journal.replay(reg, j.events)
    replay.append(time.perf_counter() - t)
print(json.dumps({"decode": decode, "replay": replay, "bytes": path.stat().st_size}))
"""
JOURNAL_EVENTS = 100_000
JOURNAL_BUDGET_S = 1.0


# --------------------------------------------------------------------------- results


@dataclass
class Result:
    """One budget line: riskcli's median against the baseline's median."""

    benchmark: str  # which benchmark produced it (startup, scale, memory, ...)
    name: str  # what is compared, e.g. "scale 10000: validate / parse"
    unit: str  # "s" or "MB"
    riskcli: float | None
    baseline: float | None
    budget: float | None  # maximum ratio; None = no budget
    judged: bool = True  # False: the budget is shown for reference only (status "info")
    riskcli_samples: list[float] = field(default_factory=list)
    baseline_samples: list[float] = field(default_factory=list)
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.riskcli is None or not self.baseline:
            return None
        return self.riskcli / self.baseline

    @property
    def status(self) -> str:
        if self.error:
            return "ERROR"
        if self.budget is None or self.ratio is None or not self.judged:
            return "info"
        return "PASS" if self.ratio <= self.budget else "OVER"

    def as_json(self) -> dict:
        d = asdict(self)
        d["ratio"] = self.ratio
        d["status"] = self.status
        return d


@dataclass
class Run:
    seconds: float
    rss_kb: int | None
    returncode: int
    stdout_bytes: int
    stderr_tail: str


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
        for k in ("RISKCLI_REGISTER", "RISKCLI_RULES", "RISKCLI_JOURNAL", "NO_COLOR", "FORCE_COLOR"):
            self.env.pop(k, None)
        self.env["RISKCLI_HOME"] = str(workdir / "home")  # never touch the user's data dir
        self.rss_method = "time" if os.access(TIME_BIN, os.X_OK) else ("wait4" if hasattr(os, "wait4") else None)
        self.registers: dict[int, Path] = {}
        # samples[(size, name)] = list of Run, for scale/memory (shared so each run counts for both)
        self.samples: dict[tuple[int, str], list[Run]] = {}
        self.info: dict[str, object] = {}
        self.sizes: list[int] = args.size_list

    def log(self, msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    def run(self, cmd: list[str], *, rss: bool = False) -> Run:
        """Run cmd with stdout to a pipe (read and discarded), stderr kept for errors."""
        timefile = None
        full = list(cmd)
        if rss and self.rss_method == "time":
            fd, timefile = tempfile.mkstemp(prefix="time-", dir=self.workdir)
            os.close(fd)
            full = [TIME_BIN, "-v", "-o", timefile, *cmd]
        with tempfile.TemporaryFile(dir=self.workdir) as err:
            t0 = time.perf_counter()
            p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL, env=self.env,
                                 cwd=self.workdir)
            assert p.stdout is not None
            n = 0
            fd_out = p.stdout.fileno()
            keep: list[bytes] = []
            while chunk := os.read(fd_out, 1 << 16):
                n += len(chunk)
                if n <= 1 << 16:
                    keep.append(chunk)
            self.last_stdout = b"".join(keep).decode("utf-8", "replace")
            rss_kb = None
            if rss and self.rss_method == "wait4":
                _, status, usage = os.wait4(p.pid, 0)
                p.returncode = os.waitstatus_to_exitcode(status)
                rss_kb = int(usage.ru_maxrss)  # KB on Linux
            else:
                p.wait()
            seconds = time.perf_counter() - t0
            p.stdout.close()
            err.seek(0)
            tail = err.read()[-600:].decode("utf-8", "replace").strip()
        if timefile is not None:
            try:
                for line in Path(timefile).read_text().splitlines():
                    if "Maximum resident set size" in line:
                        rss_kb = int(line.rsplit(":", 1)[1])
            finally:
                os.unlink(timefile)
        return Run(seconds, rss_kb, p.returncode, n, tail)

    def interleave(self, cmds: dict[str, list[str]], repeat: int, *, rss: bool = False,
                   label: str = "") -> dict[str, list[Run]]:
        """Run each command `repeat` times, round-robin (A, B, C, A, B, C, ...)."""
        out: dict[str, list[Run]] = {k: [] for k in cmds}
        for i in range(repeat):
            for name, cmd in cmds.items():
                r = self.run(cmd, rss=rss)
                out[name].append(r)
                mem = f"  {r.rss_kb / 1024:7.1f} MB" if r.rss_kb is not None else ""
                bad = f"  EXIT {r.returncode}: {r.stderr_tail.splitlines()[-1] if r.stderr_tail else ''}" if r.returncode else ""
                self.log(f"  {label}{name:<10} run {i + 1}/{repeat}: {r.seconds:8.3f} s{mem}{bad}")
        return out

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
        path = str(self.register(size))
        # --register is a global option: it goes before the command name.
        return {
            "parse": [self.python, "-c", PARSE_CODE, path],
            "validate": [*self.riskcli, "validate", path],
            "matrix": [*self.riskcli, "--register", path, "matrix"],
            "list-all": [*self.riskcli, "--register", path, "list", "--all"],
        }

    def scale_samples(self, size: int, names: list[str]) -> dict[str, list[Run]]:
        """Runs (time and peak RSS) of the named scale commands, measured once and shared."""
        need = [n for n in names if len(self.samples.get((size, n), [])) < self.args.repeat]
        if need:
            cmds = {n: c for n, c in self.scale_commands(size).items() if n in need}
            self.log(f"scale {size}: {', '.join(need)} x{self.args.repeat}, interleaved")
            got = self.interleave(cmds, self.args.repeat, rss=self.rss_method is not None, label=f"{size} ")
            for n, runs in got.items():
                self.samples[(size, n)] = runs
        return {n: self.samples[(size, n)] for n in names}


def _median(xs: list[float]) -> float | None:
    return statistics.median(xs) if xs else None


def _error(runs: list[Run], what: str) -> str | None:
    bad = [r for r in runs if r.returncode != 0]
    if not bad:
        return None
    last = bad[-1].stderr_tail.splitlines()[-1] if bad[-1].stderr_tail else ""
    return f"{what} exited {bad[-1].returncode}: {last}"


def compare(benchmark: str, name: str, unit: str, mine: list[Run], base: list[Run], budget: float | None,
            *, what: str = "rss", judged: bool = True) -> Result:
    if what == "time":
        a, b = [r.seconds for r in mine], [r.seconds for r in base]
    else:
        a = [r.rss_kb / 1024 for r in mine if r.rss_kb is not None]
        b = [r.rss_kb / 1024 for r in base if r.rss_kb is not None]
    err = _error(mine, "riskcli") or _error(base, "baseline")
    return Result(benchmark, name, unit, _median(a), _median(b), budget, judged, a, b, err)


# --------------------------------------------------------------------------- benchmarks


def bench_startup(ctx: Context) -> list[Result]:
    """`riskcli matrix` on the embedded register vs a bare Typer app printing a 10-row Rich table."""
    cmds = {
        "floor": [ctx.python, "-c", "pass"],
        "bare": [ctx.python, str(HERE / "bare_typer_app.py"), "matrix"],
        "riskcli": [*ctx.riskcli, "matrix"],
    }
    ctx.log(f"start-up: warm-up, then {ctx.args.startup_repeat} interleaved runs")
    warm = {k: ctx.run(c) for k, c in cmds.items()}
    ctx.info["startup_output_bytes"] = {"riskcli": warm["riskcli"].stdout_bytes, "bare": warm["bare"].stdout_bytes}
    got = ctx.interleave(cmds, ctx.args.startup_repeat, label="start-up ")
    return [
        compare("startup", "start-up: matrix (embedded) / bare Typer app", "s", got["riskcli"], got["bare"], 1.3,
                what="time"),
        compare("startup", "start-up: bare Typer app / python -c pass", "s", got["bare"], got["floor"], None,
                what="time"),
    ]


def bench_scale(ctx: Context) -> list[Result]:
    """validate, matrix and list --all on generated registers vs a CSafeLoader parse alone."""
    out = []
    for size in ctx.sizes:
        s = ctx.scale_samples(size, ["parse", "validate", "matrix", "list-all"])
        for name, budget in (("validate", 1.3), ("matrix", 1.3), ("list-all", 1.5)):
            out.append(compare("scale", f"scale {size}: {name} / parse", "s", s[name], s["parse"], budget,
                               what="time", judged=size >= BUDGET_MIN_SIZE))
    return out


def bench_memory(ctx: Context) -> list[Result]:
    """Peak RSS of riskcli (matrix; validate and list --all too) vs a CSafeLoader parse alone."""
    if ctx.rss_method is None:
        return [Result("memory", "memory: no way to measure peak RSS here", "MB", None, None, None,
                       error=f"neither {TIME_BIN} nor os.wait4")]
    out = []
    for size in ctx.sizes:
        s = ctx.scale_samples(size, ["parse", "validate", "matrix", "list-all"])
        for name in ("matrix", "validate", "list-all"):
            out.append(compare("memory", f"memory {size}: {name} / parse", "MB", s[name], s["parse"], 1.3,
                               judged=size >= BUDGET_MIN_SIZE))
    return out


def bench_journal(ctx: Context) -> list[Result]:
    """Replaying 100,000 journal events over the embedded register: under one second, shown
    beside merely reading and JSON-decoding the same lines (timed in one process, interleaved)."""
    path = ctx.workdir / "journal-bench.jsonl"
    ctx.log(f"journal: {JOURNAL_EVENTS} events, {ctx.args.repeat} interleaved timings")
    r = ctx.run([ctx.python, "-c", JOURNAL_CODE, str(path), str(JOURNAL_EVENTS), str(ctx.args.repeat)])
    if r.returncode != 0:
        err = r.stderr_tail.splitlines()[-1] if r.stderr_tail else f"exit {r.returncode}"
        return [Result("journal", "journal: replay", "s", None, None, None, error=err)]
    got = json.loads(ctx.last_stdout)
    ctx.info["journal_mb"] = round(got["bytes"] / 1e6, 1)
    replay, decode = got["replay"], got["decode"]
    as_runs = lambda xs: [Run(x, None, 0, 0, "") for x in xs]  # noqa: E731
    return [
        compare("journal", f"journal {JOURNAL_EVENTS}: read+replay / read+decode", "s", as_runs(replay), as_runs(decode), None, what="time"),
        compare("journal", f"journal {JOURNAL_EVENTS}: read+replay / {JOURNAL_BUDGET_S:g} s budget", "s", as_runs(replay), as_runs([JOURNAL_BUDGET_S]), 1.0, what="time"),
    ]


# name -> function(ctx) -> list[Result]; run in this order. Add new benchmarks here.
BENCHMARKS: dict[str, Callable[[Context], list[Result]]] = {
    "startup": bench_startup,
    "scale": bench_scale,
    "memory": bench_memory,
    "journal": bench_journal,
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
    d["rss_method"] = {"time": f"{TIME_BIN} -v", "wait4": "os.wait4 rusage"}.get(ctx.rss_method or "", "none")
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
    print(f"riskcli {facts['riskcli']} ({facts['install']} install: {facts['riskcli_file']}); "
          f"Python {facts['python']}; libyaml {'yes' if facts['libyaml'] else 'NO'}; {facts['cpus']} CPUs; "
          f"PYTHONDONTWRITEBYTECODE={facts['PYTHONDONTWRITEBYTECODE'] or '(unset)'}")
    if facts["install"] == "editable":
        print("note: editable install; start-up should be measured on a wheel install (see bench/README.md)")
    print(f"riskcli run as: {facts['riskcli_command']}; peak RSS via {facts['rss_method']}")
    extra = {k: v for k, v in facts.items() if k.startswith("register_") or k == "startup_output_bytes"}
    if extra:
        print("; ".join(f"{k}={v}" for k, v in extra.items()))
    print()
    headers = ("measure (median)", "riskcli", "baseline", "ratio", "budget", "result")
    rows = []
    for r in results:
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        budget = "-" if r.budget is None else f"<= {r.budget:g}x" if r.judged else f"({r.budget:g}x)"
        rows.append((r.name, _fmt(r.riskcli, r.unit), _fmt(r.baseline, r.unit), ratio, budget, r.status))
    widths = [max(len(h), *(len(row[i]) for row in rows)) if rows else len(h) for i, h in enumerate(headers)]
    line = lambda cells: "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))
    print(line(headers).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print(line(row).rstrip())
    for r in results:
        if r.error:
            print(f"error in {r.name}: {r.error}")


# --------------------------------------------------------------------------- main


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--python", default=sys.executable,
                    help="interpreter of the install to measure (its riskcli console script is looked up beside it; "
                         "default: this one)")
    ap.add_argument("--sizes", default="1000,10000", help="register sizes for scale/memory (default 1000,10000)")
    ap.add_argument("--big", action="store_true", help="also measure 100,000 risks (takes many minutes)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per command for scale/memory (default 3)")
    ap.add_argument("--startup-repeat", type=int, default=5, help="runs per command for start-up (default 5)")
    ap.add_argument("--only", action="append", default=[], metavar="NAME",
                    help=f"run only these benchmarks (repeatable or comma-separated): {', '.join(BENCHMARKS)}")
    ap.add_argument("--seed", type=int, default=1, help="seed for the generated registers (default 1)")
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
    if any(s < 1 for s in sizes) or args.repeat < 1 or args.startup_repeat < 1:
        ap.error("sizes and repeats must be at least 1")
    args.size_list = sizes
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.workdir is not None:
        args.workdir.mkdir(parents=True, exist_ok=True)
        workdir, cleanup = args.workdir.resolve(), False
    else:
        workdir, cleanup = Path(tempfile.mkdtemp(prefix="riskcli-bench-")), True
    try:
        ctx = Context(args, workdir)
        facts = describe_install(ctx)
        ctx.log(f"riskcli {facts['riskcli']}: {facts['install']} install ({facts['riskcli_file']}); "
                f"run as {ctx.riskcli_how}")
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
