#!/usr/bin/env python3
"""Write a synthetic, valid riskcli register of a given size, for benchmarks.

    python bench/gen_register.py N OUT.yaml [--seed S] [--assumptions K]

The register has N risks (ids R1..RN), ~N/10 assumptions (at least 1, at most 200; --assumptions K
sets the number), declared
actors, categories, and per risk 1-3 drivers, each with an if_fails shift and usually an
opposite if_holds one (so `validate` has no coherence warnings to print). Free text is of realistic length: 10,000 risks
come to about 5 MB of YAML, like a real register. Likelihood, impact and belief values use the
forms a real register mixes (numbers, level names, ICD 203 phrases, probabilities).

Output is deterministic for a given (N, seed). It is written with plain string building (no
yaml.dump), so 100,000 risks take seconds, not minutes. Standard library only.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

# Words for filler text: plain lowercase words only, so every generated sentence is a safe plain
# YAML scalar (no ': ', no ' #', no leading indicator characters, no quotes or backslashes).
_WORDS = [
    "supply",
    "chain",
    "grid",
    "operator",
    "demand",
    "forecast",
    "reserve",
    "capacity",
    "winter",
    "peak",
    "outage",
    "contract",
    "vendor",
    "regulator",
    "audit",
    "budget",
    "delay",
    "staff",
    "turnover",
    "cyber",
    "intrusion",
    "ransomware",
    "patch",
    "backlog",
    "legacy",
    "system",
    "migration",
    "data",
    "centre",
    "cooling",
    "flood",
    "storm",
    "drought",
    "heatwave",
    "port",
    "congestion",
    "shipping",
    "route",
    "sanctions",
    "export",
    "licence",
    "currency",
    "exposure",
    "interest",
    "rate",
    "credit",
    "rating",
    "liquidity",
    "covenant",
    "insurer",
    "claim",
    "litigation",
    "reputation",
    "customer",
    "churn",
    "pricing",
    "margin",
    "inflation",
    "wage",
    "dispute",
    "strike",
    "union",
    "safety",
    "incident",
    "inspection",
    "permit",
    "approval",
    "planning",
    "consent",
    "community",
    "opposition",
    "election",
    "policy",
    "shift",
    "subsidy",
    "tariff",
    "quota",
    "embargo",
    "conflict",
    "border",
    "escalation",
    "alliance",
    "partner",
    "commitment",
    "deterrence",
    "signalling",
    "intelligence",
    "estimate",
    "confidence",
    "source",
    "report",
    "analyst",
    "review",
    "baseline",
    "trend",
    "indicator",
    "threshold",
    "breach",
    "response",
    "mitigation",
    "contingency",
    "fallback",
    "redundancy",
    "single",
    "point",
    "failure",
    "dependency",
    "critical",
    "asset",
    "maintenance",
    "spare",
    "parts",
    "lead",
    "time",
    "procurement",
    "tender",
    "award",
    "schedule",
    "slippage",
    "cost",
    "overrun",
    "scope",
    "change",
    "governance",
    "board",
    "oversight",
    "escalation",
    "register",
    "owner",
    "accountability",
]
_CONNECTORS = ("because", "while", "unless", "although", "so", "and", "but", "if", "when", "after")

_CATEGORIES = (
    "infrastructure",
    "supply chain",
    "cyber",
    "financial",
    "regulatory",
    "geopolitical",
    "operational",
    "environmental",
    "people",
    "reputation",
    "legal",
    "strategic",
)
_ACTORS = (
    ("OPS", "Grid operator"),
    ("REG", "National regulator"),
    ("FIN", "Finance directorate"),
    ("SUP", "Key suppliers"),
    ("GOV", "Central government"),
    ("CUS", "Large customers"),
    ("SEC", "Security team"),
    ("BRD", "Board of directors"),
    ("LOC", "Local authorities"),
    ("INS", "Insurers"),
)
# Values a real register mixes; all valid on the default 5-level scales.
_LIKELIHOODS = (
    "1",
    "2",
    "3",
    "4",
    "5",
    "2",
    "3",
    "3",
    "4",
    "likely",
    "unlikely",
    "possible",
    "rare",
    "almost certain",
    "very likely",
    "roughly even chance",
    "30%",
    "0.65",
    "10%",
    "0.9",
)
_IMPACTS = ("1", "2", "3", "4", "5", "3", "4", "4", "5", "major", "minor", "moderate", "catastrophic", "insignificant")
_BELIEFS = (
    "0.7",
    "0.55",
    "0.85",
    "0.4",
    "0.9",
    "0.25",
    "likely",
    "very likely",
    "unlikely",
    "roughly even chance",
    "70%",
    "60%",
    "uncertain",
    "holds",
    "almost certain",
)
# (if_holds, if_fails) pairs: each axis moves opposite ways (or not at all) on the two branches.
_SHIFTS = (
    ("{likelihood: -1}", "{likelihood: 1}"),
    ("{likelihood: -1}", "{likelihood: 1, impact: 1}"),
    ("{impact: -1}", "{impact: 1}"),
    ("{likelihood: -0.5}", "{likelihood: 1}"),
    ("{likelihood: -1, impact: -1}", "{likelihood: 2}"),
    ("{likelihood: 1}", "{likelihood: -1}"),
    ("{impact: 0.5}", "{impact: -1}"),
)


def _sentence(rng: random.Random, lo: int, hi: int) -> str:
    n = rng.randint(lo, hi)
    words = rng.choices(_WORDS, k=n)
    if n > 8:
        words.insert(n // 2, rng.choice(_CONNECTORS))
    return " ".join(words).capitalize()


def _text(rng: random.Random, lo: int, hi: int, sentences: int = 1) -> str:
    return ". ".join(_sentence(rng, lo, hi) for _ in range(sentences)) + "."


def generate(n: int, seed: int = 1, assumptions: int | None = None) -> str:
    """The register's YAML text (``assumptions``: how many; default ~N/10, 1 to 200)."""
    if n < 1:
        raise ValueError("N must be at least 1")
    if assumptions is not None and assumptions < 1:
        raise ValueError("--assumptions must be at least 1")
    rng = random.Random(seed)
    n_assumptions = assumptions if assumptions is not None else max(1, min(200, n // 10))
    out: list[str] = []
    w = out.append
    w(f"# Synthetic register written by bench/gen_register.py (N={n}, seed={seed}).\n")
    w("format: 1\n")
    w(f"id: synthetic-{n}\n")
    w(f"title: Synthetic register of {n} risks\n")
    w("as_of: 2025-01-31\n")
    w(f"description: >\n  A generated register for benchmarking riskcli. {_text(rng, 12, 20, 2)}\n")
    w("source:\n  title: Generated text\n  author: bench/gen_register.py\n")
    w("\nactors:\n")
    for aid, name in _ACTORS:
        w(f"  - id: {aid}\n    name: {name}\n")

    w("\nassumptions:\n")
    for i in range(1, n_assumptions + 1):
        w(f"  - id: A{i}\n")
        w(f"    statement: {_text(rng, 8, 16)}\n")
        w(f"    belief: {rng.choice(_BELIEFS)}\n")
        w(f"    rationale: {_text(rng, 10, 22)}\n")
        w(f'    evidence: "{_text(rng, 12, 24)}"\n\n')

    w("risks:\n")
    actor_ids = [a for a, _ in _ACTORS]
    for i in range(1, n + 1):
        w(f"  - id: R{i}\n")
        w(f"    title: {_sentence(rng, 4, 8)}\n")
        if rng.random() < 0.3:
            w(f"    description: {_text(rng, 8, 16)}\n")
        w(f"    category: {rng.choice(_CATEGORIES)}\n")
        w("    actors: [{}]\n".format(", ".join(rng.sample(actor_ids, rng.randint(1, 3)))))
        w(f"    likelihood: {rng.choice(_LIKELIHOODS)}\n")
        w(f"    impact: {rng.choice(_IMPACTS)}\n")
        w(f"    rationale: {_text(rng, 5, 10)}\n")
        w(f'    evidence: "{_text(rng, 5, 12)}"\n')
        w("    drivers:\n")
        for a in rng.sample(range(1, n_assumptions + 1), min(n_assumptions, rng.choice((1, 1, 2, 2, 3)))):
            holds, fails = rng.choice(_SHIFTS)
            w(f"      - assumption: A{a}\n")
            if rng.random() < 0.7:  # a driver may give only if_fails
                w(f"        if_holds: {holds}\n")
            w(f"        if_fails: {fails}\n")
            if rng.random() < 0.15:
                w(f"        note: {_text(rng, 4, 9)}\n")
        w("\n")
    return "".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write a synthetic riskcli register with N risks.")
    ap.add_argument("n", type=int, metavar="N", help="number of risks")
    ap.add_argument("out", type=Path, metavar="OUT.yaml", help="where to write it")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--assumptions", type=int, metavar="K", help="number of assumptions (default ~N/10, 1 to 200)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("N must be at least 1")
    if args.assumptions is not None and args.assumptions < 1:
        ap.error("--assumptions must be at least 1")
    text = generate(args.n, args.seed, args.assumptions)
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}: {args.n} risks, {len(text.encode()) / 1e6:.2f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
