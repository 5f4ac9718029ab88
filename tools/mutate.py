#!/usr/bin/env python3
"""Mutation testing for riskcli's core: do the tests notice when the scoring code is wrong?

A small AST mutator (standard library only). It makes one change at a time to the code under
test — an operator, a comparison, a constant, a statement — and runs the fast test files that
cover that code against the changed copy. A mutant the tests fail on is *killed*; one they pass
on *survived*, and names a behaviour no test pins down.

Scope (``TARGETS``): every function of ``riskcli/scoring.py``, ``riskcli/rules.py``,
``riskcli/belief.py`` and ``riskcli/simulate.py``, the journal's replay functions in
``riskcli/journal/replay.py``, and ``adding_up`` and ``cents`` (what ``explain`` shows) in
``riskcli/render/layout.py``, and ``riskcli/records.py``. Operators, one at a time:

- ``+`` ↔ ``-`` and ``*`` ↔ ``/`` (also in ``+=``, ``-=``, ``*=``, ``/=``)
- ``<`` ↔ ``<=``, ``>`` ↔ ``>=``, ``==`` ↔ ``!=``, ``is`` ↔ ``is not``, ``in`` ↔ ``not in``
- ``and`` ↔ ``or``
- a number ``n`` → ``n + 1`` and ``n - 1``
- ``True`` ↔ ``False``
- ``not x`` → ``x``, and ``-x`` → ``x``
- two neighbouring elements of a sort key swapped (a ``key=lambda …: (…)`` or a ``*_key``
  function returning a tuple)
- a statement dropped (replaced by ``pass``); docstrings, ``assert`` statements and what they test
  (riskcli's asserts only narrow types for mypy) and a function's final ``return None`` (dropping
  it changes nothing) are left alone

Excluded mutants (``EXCLUDED``: equivalent ones, each with its reason) are named by source text,
still run, and fail the run when the tests kill them or when they match no mutant. The exit status
is 1 when anything failed — a survivor, an error, a wrong or stale exclusion — and 0 otherwise.

Safety: the working tree is never modified. The package, rules and tests are copied into a
temporary directory (one copy per parallel job, from one snapshot of the working tree, or of a git
revision with ``--rev``); each mutant is written into a copy and the tests
run there, in a forked child of this process with riskcli imported from the copy. Third-party
libraries are imported once, before forking, so a mutant costs its tests' run time only.

Run from the repository root, with the project's venv::

    python tools/mutate.py                    # all targets, 2 jobs
    python tools/mutate.py scoring -j 4       # one target
    python tools/mutate.py journal --list     # the mutants, without running them
    python tools/mutate.py --rev HEAD         # the committed tree, not the working tree

See tools/README.md for what it reports and how long it takes (too long for .ci/run: it is run
by hand before a change to the scoring core lands).
"""

from __future__ import annotations

import argparse
import ast
import copy
import io
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Target:
    name: str
    path: str  # relative to the repository root
    functions: tuple[str, ...] | None  # top-level functions in scope; None: every function and method
    tests: tuple[str, ...]  # test files, fastest and most focused first (missing ones are skipped)
    deselect: tuple[str, ...] = ()


TARGETS = (
    Target(
        "scoring",
        "riskcli/scoring.py",
        None,
        (
            "tests/test_scoring.py",
            "tests/test_analysis.py",  # signposts, support, confidence, coherence
            "tests/test_cli_whatif.py",
            "tests/test_cli_assessment.py",
            "tests/test_simulate.py",  # linked beliefs
            "tests/test_one_model.py",  # outlook: each risk's chances over the posterior
            "tests/test_combine.py",  # several analysts' scores of a risk, combined
        ),
        ("tests/test_scoring.py::test_clamped_scores_are_flagged_by_matrix",),
    ),
    Target("rules", "riskcli/rules.py", None, ("tests/test_rules.py",)),
    Target(
        "journal",
        "riskcli/journal/replay.py",
        (
            "replay",
            "extend",
            "_fold",
            "_decide",
            "undone_ids",
            "_in_force",
            "_looped",
            "in_order",
            "folds_on",
            "moment",
            "last_undoable",
            "find_event",
            "rebaselined",
        ),
        (
            "tests/test_journal_replay.py",
            "tests/test_journal.py",
            "tests/test_journal_merge.py",
            "tests/test_decisions.py",
            "tests/test_rebaseline.py",
        ),
        ("tests/test_journal.py::test_twenty_concurrent_commands_lose_no_event",),
    ),
    Target("layout", "riskcli/render/layout.py", ("adding_up", "cents"), ("tests/test_render_layout.py",)),
    Target("records", "riskcli/records.py", None, ("tests/test_records.py",)),
    Target(
        "belief",
        "riskcli/belief.py",
        None,
        ("tests/test_belief.py", "tests/test_one_model.py", "tests/test_analysis.py"),
    ),
    Target(
        "simulate",
        "riskcli/simulate.py",
        None,
        ("tests/test_simulate.py", "tests/test_sensitivity.py", "tests/test_one_model.py"),
    ),
)


@dataclass(frozen=True)
class Excluded:
    """A mutant left out of the kill ratio, named by its source text (``--list`` prints it): the
    file, the function, and the statement before and after. It is still run: if the tests kill it,
    it was not equivalent after all, and the run fails; an exclusion no mutant matches any more is
    stale, and fails the run too."""

    path: str
    function: str
    before: str
    after: str
    why: str
    proved: bool = True  # False: no input riskcli accepts reaches the difference, but some input would
    # When the statement occurs more than once in the function: the header of the compound statement
    # it is in ("" for the function's own body), to name one of them.
    within: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.path, self.function, self.before, self.after)

    def matches(self, m: Mutant) -> bool:
        return m.key == self.key and (self.within is None or m.within == self.within)

    @property
    def kind(self) -> str:
        return "equivalent" if self.proved else "equivalent in practice"


TOLERANCE = (
    "a comparison against a float tolerance: `<` and `<=` (or `>` and `>=`) differ only for a value exactly at "
    "the tolerance, which no score, belief or sum riskcli computes lands on"
)

CACHE = "a cache of answers: without it, or emptied at another size, the same answer is computed again"

EXCLUDED: tuple[Excluded, ...] = (
    # Proved: no input can tell the mutant from the code.
    Excluded(
        "riskcli/rules.py",
        "_parse_level",
        "if 0.0 < num < 1.0 and scale.has_bands:",
        "if 0.0 <= num < 1.0 and scale.has_bands:",
        "num is not a whole number here (whole numbers returned just before), so never exactly 0.0",
    ),
    Excluded(
        "riskcli/rules.py",
        "_parse_level",
        "if 0.0 < num < 1.0 and scale.has_bands:",
        "if 0.0 < num <= 1.0 and scale.has_bands:",
        "num is not a whole number here (whole numbers returned just before), so never exactly 1.0",
    ),
    Excluded(
        "riskcli/render/layout.py",
        "adding_up",
        "floors = [math.floor(x + 1e-09) for x in scaled]",
        "floors = [math.floor(x - 1e-09) for x in scaled]",
        "a value within 1e-9 of a whole number is floored one lower instead, which leaves it the largest "
        "remainder and one more hundredth short: it is given its hundredth back first, and the result is the same",
    ),
    # parse_level's cache of answers: a mutant changes whether the cache answers, or how large it
    # grows, never the answer.
    *(
        Excluded("riskcli/rules.py", "parse_level", before, after, CACHE)
        for before, after in (
            ("if known is not None:", "pass"),
            ("return known[2]", "pass"),
            ("if len(_LEVELS) >= 4096:", "pass"),
            ("if len(_LEVELS) >= 4096:", "if len(_LEVELS) > 4096:"),
            ("if len(_LEVELS) >= 4096:", "if len(_LEVELS) >= 4095:"),
            ("if len(_LEVELS) >= 4096:", "if len(_LEVELS) >= 4097:"),
            ("_LEVELS.clear()", "pass"),
            ("_LEVELS[key] = (scale, words, parsed)", "pass"),
        )
    ),
    # Equivalent in practice: some float input would tell them apart; none that riskcli computes does.
    *(
        Excluded("riskcli/scoring.py", function, before, after, TOLERANCE, proved=False)
        for function, before, after in (
            (
                "evidence_of",
                "targets = {a: float(b) for a, b in state.beliefs.items() if a in base and abs(b - base[a]) > 1e-12}",
                "targets = {a: float(b) for a, b in state.beliefs.items() if a in base and abs(b - base[a]) >= 1e-12}",
            ),
            ("_scored", "if x < 1 - eps:", "if x <= 1 - eps:"),
            ("_scored", "if x > n + eps:", "if x >= n + eps:"),
            (
                "moves",
                "if abs(p.likelihood - s.likelihood) > 1e-09 or abs(p.impact - s.impact) > 1e-09:",
                "if abs(p.likelihood - s.likelihood) >= 1e-09 or abs(p.impact - s.impact) > 1e-09:",
            ),
            (
                "moves",
                "if abs(p.likelihood - s.likelihood) > 1e-09 or abs(p.impact - s.impact) > 1e-09:",
                "if abs(p.likelihood - s.likelihood) > 1e-09 or abs(p.impact - s.impact) >= 1e-09:",
            ),
            (
                "causes",
                "if abs(x - y) > 1e-09 and d.assumption not in seen:",
                "if abs(x - y) >= 1e-09 and d.assumption not in seen:",
            ),
            (
                "direction",
                "return Direction.UP if after > before + 1e-09 else Direction.DOWN if after < before - 1e-09 else Direction.SAME",
                "return Direction.UP if after >= before + 1e-09 else Direction.DOWN if after < before - 1e-09 else Direction.SAME",
            ),
            (
                "direction",
                "return Direction.UP if after > before + 1e-09 else Direction.DOWN if after < before - 1e-09 else Direction.SAME",
                "return Direction.UP if after > before + 1e-09 else Direction.DOWN if after <= before - 1e-09 else Direction.SAME",
            ),
            (
                "_same_beliefs",
                "return all((abs(a.get(k, v) - v) < 1e-12 for k, v in b.items())) and all((k in b for k in a))",
                "return all((abs(a.get(k, v) - v) <= 1e-12 for k, v in b.items())) and all((k in b for k in a))",
            ),
            (
                "_structural",
                "if lo < 1 - 1e-09 or hi > n[axis] + 1e-09:",
                "if lo <= 1 - 1e-09 or hi > n[axis] + 1e-09:",
            ),
            (
                "_structural",
                "if lo < 1 - 1e-09 or hi > n[axis] + 1e-09:",
                "if lo < 1 - 1e-09 or hi >= n[axis] + 1e-09:",
            ),
            (
                "_structural",
                "if abs(implied - a.belief) > 0.05 + 1e-09:",
                "if abs(implied - a.belief) >= 0.05 + 1e-09:",
            ),
            (
                "_structural",
                "if conflict.joint - conflict.bound > 0.005:",
                "if conflict.joint - conflict.bound >= 0.005:",
            ),
            ("state_findings", "if x + y > 1 + 1e-09:", "if x + y >= 1 + 1e-09:"),
            (
                "state_findings",
                "if sx + sy > 1 + 1e-09 and (pair[0] in dict(sc.beliefs) or pair[1] in dict(sc.beliefs)):",
                "if sx + sy >= 1 + 1e-09 and (pair[0] in dict(sc.beliefs) or pair[1] in dict(sc.beliefs)):",
            ),
            (
                "conditional_conflicts",
                "if joint > bound + 1e-09 and (worst is None or joint - bound > worst.joint - worst.bound):",
                "if joint >= bound + 1e-09 and (worst is None or joint - bound > worst.joint - worst.bound):",
            ),
            (
                "outlook",
                "ties = [k for k, p in enumerate(bands) if p >= best - 1e-09]",
                "ties = [k for k, p in enumerate(bands) if p > best - 1e-09]",
            ),
        )
    ),
    # The journal's fast paths: each returns what the general path would, sooner.
    *(
        Excluded(
            "riskcli/journal/replay.py",
            "in_order",
            before,
            after,
            "fewer than two events, or times already strictly increasing, are what sorting them and "
            "dropping twins returns: the same list and the same warnings",
        )
        for before, after in (
            ("if len(events) < 2:", "pass"),
            ("return (list(events), _no_time(events))", "pass"),
            ("if len(events) < 2:", "if len(events) < 1:"),
            ("return (list(events), [])", "pass"),
            ("if all(map(lt, ats, islice(ats, 1, None))):", "pass"),
            ("if all(map(lt, ats, islice(ats, 1, None))):", "if all(map(lt, ats, islice(ats, 0, None))):"),
        )
    ),
    *(
        Excluded(
            "riskcli/journal/replay.py",
            "folds_on",
            before,
            after,
            "each makes folds_on say 'replay every line' more often, and a full replay gives the state that "
            "folding on does (its callers fall back to it): slower, never different",
        )
        for before, after in (
            (
                "if kind not in _MARKERS and order_key(ev) <= latest:",
                "if kind not in _MARKERS or order_key(ev) <= latest:",
            ),
            ("return True", "pass"),
            ("return True", "return False"),
        )
    ),
    Excluded(
        "riskcli/journal/replay.py",
        "_fold",
        "break",
        "pass",
        "ordered is sorted by order_key, so the last event that is no marker has the largest key: "
        "the max over the ones before it changes nothing",
    ),
    Excluded(
        "riskcli/journal/replay.py",
        "_fold",
        "if cut is not None and order_key(ev) <= cut:",
        "if cut is not None and order_key(ev) < cut:",
        "the cut is the key of a rebaseline event, a marker skipped before this line; no other event has "
        "its key (its time and its id)",
    ),
    Excluded(
        "riskcli/journal/replay.py",
        "in_order",
        "if _content(ev) < _content(last):",
        "if _content(ev) <= _content(last):",
        "reached only when the two copies' data differ, and JSON data that differ dump to different "
        "text (sorted keys), but for a NaN, equal to itself in neither copy",
        proved=False,
    ),
    Excluded(
        "riskcli/rules.py",
        "derived_grid",
        "idx = sum((1 for c in cuts if x > c + 1e-09))",
        "idx = sum((1 for c in cuts if x >= c + 1e-09))",
        TOLERANCE,
        proved=False,
    ),
    # outlook's outcomes are keyed by their levels rounded to 12 places, which merges outcomes whose
    # sums differ by float noise (about 1e-15) and puts a level that should be on a cell's edge on it.
    *(
        Excluded(
            "riskcli/scoring.py",
            "outlook",
            "key = (round(lv + dl, 12), round(iv + di, 12))",
            after,
            "rounded to 11 or 13 places, noise of 1e-15 is rounded away alike; the key differs only for a "
            "level within 1e-11 of a cell's edge and not on it (beliefs and shifts tuned to eleven places)",
            proved=False,
        )
        for after in (
            "key = (round(lv + dl, 11), round(iv + di, 12))",
            "key = (round(lv + dl, 13), round(iv + di, 12))",
            "key = (round(lv + dl, 12), round(iv + di, 11))",
            "key = (round(lv + dl, 12), round(iv + di, 13))",
        )
    ),
    # records.py: a record's class made.
    Excluded(
        "riskcli/records.py",
        "_make",
        "for base in cls.__mro__[-1:0:-1]:",
        "for base in cls.__mro__[-2:0:-1]:",
        "the last class of every MRO is object, which has no fields: leaving it out gathers the same fields",
    ),
    Excluded(
        "riskcli/records.py",
        "_is_classvar",
        "head = annotation.split('[', 1)[0].strip()",
        "head = annotation.split('[', 2)[0].strip()",
        "only the text before the first '[' is kept: splitting at most once or twice leaves the same first part",
    ),
    Excluded(
        "riskcli/records.py",
        "_key",
        "one = operator.attrgetter(compared[0])",
        "one = operator.attrgetter(compared[-1])",
        "the branch is taken for a tuple of one name, whose first element is its last",
    ),
    Excluded(
        "riskcli/records.py",
        "_setstate",
        "for n, v in zip(self.__record_names__, state, strict=False):",
        "for n, v in zip(self.__record_names__, state, strict=True):",
        "the state is the one _getstate wrote for the same class, a value per field: the two lengths are equal",
    ),
    # The undos in force: a walk spared, a pop made a round later.
    Excluded(
        "riskcli/journal/replay.py",
        "_looped",
        "done.update(path)",
        "pass",
        "done only spares the walks already made: each undo names one id, so a walk that reaches a loop "
        "reaches the same loop from any start; without it each walk goes on to its end and records the "
        "same loops again: slower, never different",
    ),
    Excluded(
        "riskcli/journal/replay.py",
        "_in_force",
        "stack.pop()",
        "pass",
        "the undo just decided stays on the stack, and the next round finds it in memo and pops it "
        "there: one round more, the same memo",
        within="while stack:",
    ),
    # Evidence._set_one is Jeffrey's rule in closed form for one belief set; when it declines (returns
    # False before changing anything), `set` takes the general path, `_fit`.
    *(
        Excluded(
            "riskcli/belief.py",
            "Evidence._set_one",
            "if not 0.0 < prior < 1.0:",
            after,
            "every set on an assumption with no link goes to _fit, which for one whose prior is strictly "
            "between 0 and 1 computes the same λ by the same expression (logit(v) − logit(prior)), pops "
            "its counts, and settles it, and set then shows it as v: the same model, but for the order "
            "of the keys of offset and lams (_fit removes and adds them), which no result reads",
        )
        for after in ("if not 1.0 < prior < 1.0:", "if not 0.0 < prior < 0.0:")
    ),
    Excluded(
        "riskcli/belief.py",
        "Evidence._set_one",
        "return True",
        "return False",
        "the closed form for an assumption with no link declines after it has set the assumption, and "
        "set's general path (_fit) then recomputes all of it from the same inputs: the same λ, by the same "
        "expression, and the same belief (it uses neither the λ nor the belief the closed form wrote): the "
        "same model, but for the order of the keys of offset and lams",
        within="if len(nodes) == 1:",
    ),
    *(
        Excluded(
            "riskcli/belief.py",
            "Evidence._set_one",
            "lam = math.inf if v == 1.0 else -math.inf if v == 0.0 else logit(v) - logit(prior)",
            after,
            "logit(1.0) is inf and logit(0.0) is -inf, and logit(prior) is finite here (0 < prior < 1): "
            "the closed form gives the value the test gave",
        )
        for after in (
            "lam = math.inf if v == 2.0 else -math.inf if v == 0.0 else logit(v) - logit(prior)",
            "lam = math.inf if v == 1.0 else -math.inf if v == -1.0 else logit(v) - logit(prior)",
            "lam = math.inf if v == 1.0 else -math.inf if v == 1.0 else logit(v) - logit(prior)",
        )
    ),
    *(
        Excluded(
            "riskcli/belief.py",
            "Evidence._set_one",
            before,
            after,
            "each sends a soft set on a linked assumption to _fit (always, or when its tree has no evidence "
            "yet), whose closed form for one soft set on a tree not loosened reads the same posterior "
            "(post, else the prior marginal), declines on the same test (p0, p1 > 0, |λ before| < _CAP), "
            "computes the same λ by the same expression and settles the tree with the same solve and "
            "bound, and set then shows the assumption as v: the same model, but for the order of the "
            "keys of offset and lams (_fit removes and adds them), which no result reads",
        )
        for before, after in (
            ("if not 0.0 < v < 1.0:", "if not 1.0 < v < 1.0:"),
            ("if not 0.0 < v < 1.0:", "if not 0.0 < v < 0.0:"),
            ("p = (1.0 - m, m)", "p = (0.0 - m, m)"),
            (
                "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP < before < _CAP)):",
                "if not (p0 > 1.0 and p1 > 0.0 and (-_CAP < before < _CAP)):",
            ),
            (
                "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP < before < _CAP)):",
                "if not (p0 > 0.0 and p1 > 1.0 and (-_CAP < before < _CAP)):",
            ),
            (
                "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP < before < _CAP)):",
                "if not (p0 > 0.0 and p1 > 0.0 and (_CAP < before < _CAP)):",
            ),
        )
    ),
    *(
        Excluded(
            "riskcli/belief.py",
            "Evidence._set_one",
            "if not 0.0 < v < 1.0:",
            after,
            "each lets a set to 0 or 1 on a linked assumption take the closed form, when its posterior "
            "gives both states a chance and its own λ is finite: λ is then ±inf, as _fit sets it, the tree "
            "is solved and bounded alike (q0 <= 0 gives 1.0, q1 <= 0 gives 0.0, as _bound), and the "
            "evidence is feasible (the rest of it allowed the state set), so the solve raises nothing "
            "that _fit would catch but by an underflow of products of factors of e^-700; a soft set sent "
            "to _fit instead gets the same λ, as the exclusions above say. The same model, but for the "
            "order of the keys of offset and lams",
            proved=False,
        )
        for after in (
            "pass",
            "if 0.0 < v < 1.0:",
            "if not 0.0 <= v < 1.0:",
            "if not 0.0 < v <= 1.0:",
            "if not -1.0 < v < 1.0:",
            "if not 0.0 < v < 2.0:",
        )
    ),
    Excluded(
        "riskcli/belief.py",
        "Evidence._set_one",
        "return False",
        "pass",
        "a set to 0 or 1 on a linked assumption goes on past `if not 0.0 < v < 1.0:` to the closed form's own "
        "tests, and takes the closed form when they pass: as the mutants of that test, excluded with it",
        proved=False,
        within="if not 0.0 < v < 1.0:",
    ),
    *(
        Excluded(
            "riskcli/belief.py",
            "Evidence._set_one",
            "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP < before < _CAP)):",
            after,
            "differs only when the assumption's λ is exactly ±700.0 (_CAP), which no sum of logs of ratios or "
            "difference of logits riskcli computes lands on; and there the closed form is exact too (_phi "
            "caps λ at 700 itself), where _fit iterates to the same λ",
            proved=False,
        )
        for after in (
            "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP <= before < _CAP)):",
            "if not (p0 > 0.0 and p1 > 0.0 and (-_CAP < before <= _CAP)):",
        )
    ),
)

# --------------------------------------------------------------------------- mutations


@dataclass(frozen=True)
class Mutant:
    target: Target
    index: int  # position among the target's mutants (for --show only; never a key)
    function: str  # qualified name of the function it is in
    line: int
    description: str  # the change in its smallest readable expression, for people
    before: str  # the statement it changes (a compound statement's first line), as source
    after: str  # that statement as mutated
    node: int  # index of the node to change in ast.walk order
    parent: int  # index of its parent
    field: str  # the parent's field holding it
    position: int | None  # its index in that field, when the field is a list
    change: Callable[[ast.AST], ast.AST] = field(compare=False, repr=False)
    within: str = ""  # the header of the compound statement the statement is in ("" for the function's body)

    @property
    def key(self) -> tuple[str, str, str, str]:
        """What an exclusion names: the file, the function and the statement before and after.
        Source text, not a position: edits elsewhere in the file do not move it."""
        return (self.target.path, self.function, self.before, self.after)

    @property
    def where(self) -> str:
        return f"{self.target.path}:{self.line}"


_SWAP_BIN: dict[type[ast.operator], type[ast.operator]] = {
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
}
_SWAP_CMP: dict[type[ast.cmpop], type[ast.cmpop]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
}


def _src(node: ast.AST, limit: int = 70) -> str:
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _children(node: ast.AST) -> Iterator[tuple[str, int | None, ast.AST]]:
    for name, value in ast.iter_fields(node):
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield name, i, item
        elif isinstance(value, ast.AST):
            yield name, None, value


def _in_scope(tree: ast.Module, target: Target) -> list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    out: list[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]] = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if target.functions is None or node.name in target.functions:
                out.append((node.name, node))
        elif isinstance(node, ast.ClassDef) and target.functions is None:
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    out.append((f"{node.name}.{item.name}", item))
    return out


def _is_docstring(stmt: ast.stmt) -> bool:
    return isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)


def _first_line(stmt: ast.AST) -> str:
    """A statement as one line of source: a compound statement's header (``if x < 1.0:``)."""
    return " ".join(ast.unparse(stmt).split("\n")[0].split())


def _rewritten(ctx: ast.AST, node: ast.AST, parent: ast.AST, change: Callable[[ast.AST], ast.AST]) -> ast.AST:
    """A copy of ``ctx`` (which holds ``node``, a child of ``parent``) with ``change`` made to ``node``."""
    walk = list(ast.walk(ctx))
    copy_ = copy.deepcopy(ctx)
    cwalk = list(ast.walk(copy_))
    target = cwalk[walk.index(node)]
    new = change(target)
    if target is copy_:
        return new
    holder = cwalk[walk.index(parent)]
    for fld, value in ast.iter_fields(holder):
        if value is target:
            setattr(holder, fld, new)
        elif isinstance(value, list) and any(v is target for v in value):
            value[next(i for i, v in enumerate(value) if v is target)] = new
    return copy_


def mutants(target: Target, source: str) -> list[Mutant]:
    """Every mutant of the target's functions in scope, in source order."""
    tree = ast.parse(source)
    _mark_sort_keys(tree)
    index = {id(n): i for i, n in enumerate(ast.walk(tree))}
    parents = {id(c): p for p in ast.walk(tree) for c in ast.iter_child_nodes(p)}
    out: list[Mutant] = []

    def in_context(node: ast.AST, change: Callable[[ast.AST], ast.AST]) -> str:
        """``before → after`` for the smallest enclosing expression that reads on its own."""
        ctx = node
        while isinstance(parents.get(id(ctx)), ast.expr) and len(_src(parents[id(ctx)], 200)) <= 40:
            ctx = parents[id(ctx)]
        return f"{_src(ctx)} → {_src(_rewritten(ctx, node, parents[id(node)], change))}"

    def add(
        func: str, stmt: ast.stmt, node: ast.AST, parent: ast.AST, fld: str, pos: int | None, desc: str, change
    ) -> None:
        if node is stmt and desc.startswith("drop statement"):
            after = "pass"
        else:
            after = _first_line(_rewritten(stmt, node, parent, change))
        out.append(
            Mutant(
                target,
                len(out),
                func,
                getattr(node, "lineno", 0),
                desc,
                _first_line(stmt),
                after,
                index[id(node)],
                index[id(parent)],
                fld,
                pos,
                change,
                within_of.get(id(stmt), ""),
            )
        )

    within_of: dict[int, str] = {}  # a statement -> the header of the compound statement it is in

    for qualname, fn in _in_scope(tree, target):
        sort_key_fn = fn.name.endswith("key")
        stack: list[tuple[str, ast.stmt, ast.AST]] = [(qualname, fn, fn)]
        while stack:
            func, stmt, parent = stack.pop()
            for fld, pos, node in _children(parent):
                if parent is fn and fld in ("args", "decorator_list", "returns"):
                    continue  # signatures and decorators are not behaviour under test
                if isinstance(node, ast.Assert):
                    continue  # riskcli's asserts narrow types for mypy: neither they nor what they test
                inner = func
                if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    inner = f"{func}.{node.name}"
                here = node if isinstance(node, ast.stmt) else stmt
                if isinstance(node, ast.stmt) and parent is not fn:
                    within_of[id(node)] = _first_line(parent)
                _mutate_node(func, here, node, parent, fld, pos, add, sort_key_fn, in_context)
                stack.append((inner, here, node))
    out.sort(key=lambda m: (m.line, m.node, m.description))
    return [Mutant(**{**m.__dict__, "index": i}) for i, m in enumerate(out)]


def _mutate_node(func, stmt, node, parent, fld, pos, add, sort_key_fn, in_context) -> None:
    if isinstance(node, ast.BinOp) and type(node.op) in _SWAP_BIN:
        new = _SWAP_BIN[type(node.op)]
        left, right = _src(node.left, 35), _src(node.right, 35)
        sym = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
        desc = f"operator: {left} {sym[type(node.op)]} {right} → {left} {sym[new]} {right}"
        add(func, stmt, node, parent, fld, pos, desc, _with_op(new))
    elif isinstance(node, ast.AugAssign) and type(node.op) in _SWAP_BIN:
        new = _SWAP_BIN[type(node.op)]
        after = ast.AugAssign(node.target, new(), node.value)
        add(func, stmt, node, parent, fld, pos, f"operator: {_src(node)} → {_src(after)}", _with_op(new))
    elif isinstance(node, ast.Compare):
        for k, op in enumerate(node.ops):
            if type(op) in _SWAP_CMP:
                new = _SWAP_CMP[type(op)]
                left = _src(node.left if k == 0 else node.comparators[k - 1], 35)
                right = _src(node.comparators[k], 35)
                before, after = (
                    _src(ast.Compare(ast.Name("L"), [op], [ast.Name("R")])),
                    _src(ast.Compare(ast.Name("L"), [new()], [ast.Name("R")])),
                )
                sym_before, sym_after = before[2:-2], after[2:-2]
                desc = f"compare: {left} {sym_before} {right} → {left} {sym_after} {right}"
                add(func, stmt, node, parent, fld, pos, desc, _with_cmp(k, new))
    elif isinstance(node, ast.BoolOp):
        new = ast.Or if isinstance(node.op, ast.And) else ast.And
        words = "and → or" if new is ast.Or else "or → and"
        add(func, stmt, node, parent, fld, pos, f"{words}: {_src(node)}", _with_op(new))
    elif isinstance(node, ast.Constant):
        if isinstance(node.value, bool):
            change = _const(not node.value)
            add(func, stmt, node, parent, fld, pos, f"constant: {in_context(node, change)}", change)
        elif isinstance(node.value, (int, float)) and not isinstance(parent, ast.JoinedStr):
            for d in (1, -1):
                change = _const(node.value + d)
                add(func, stmt, node, parent, fld, pos, f"constant: {in_context(node, change)}", change)
    elif isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.Not, ast.USub)):
        kind = "not" if isinstance(node.op, ast.Not) else "unary"
        add(func, stmt, node, parent, fld, pos, f"{kind}: {in_context(node, _operand)}", _operand)
    if isinstance(node, ast.Tuple) and len(node.elts) > 1 and _is_sort_key(node, parent, fld, sort_key_fn):
        for k in range(len(node.elts) - 1):
            a, b = _src(node.elts[k]), _src(node.elts[k + 1])
            add(func, stmt, node, parent, fld, pos, f"sort key: swap {a}, {b}", _swap(k))
    if (
        isinstance(node, ast.stmt)
        and pos is not None
        and not _is_docstring(node)
        and not isinstance(node, ast.Pass)
        and not _is_final_return_none(node, parent, fld, pos)
    ):
        first = _src(node, 50).split("\n")[0]
        add(func, stmt, node, parent, fld, pos, f"drop statement: {first}", lambda n: ast.copy_location(ast.Pass(), n))


def _is_final_return_none(node: ast.stmt, parent: ast.AST, fld: str, pos: int) -> bool:
    """A function's last ``return None``: dropping it changes nothing, so it is not a mutant."""
    if not isinstance(parent, (ast.FunctionDef, ast.AsyncFunctionDef)) or fld != "body":
        return False
    last = pos == len(parent.body) - 1
    returns_none = isinstance(node, ast.Return) and (
        node.value is None or (isinstance(node.value, ast.Constant) and node.value.value is None)
    )
    return last and returns_none


def _is_sort_key(node: ast.Tuple, parent: ast.AST, fld: str, sort_key_fn: bool) -> bool:
    if isinstance(parent, ast.Return) and sort_key_fn:
        return True
    return isinstance(parent, ast.Lambda) and fld == "body" and getattr(parent, "_riskcli_sort_key", False)


def _operand(n):
    return n.operand


def _with_op(new):
    def change(n):
        n.op = new()
        return n

    return change


def _with_cmp(k, new):
    def change(n):
        n.ops = [new() if j == k else o for j, o in enumerate(n.ops)]
        return n

    return change


def _const(v):
    def change(n):
        return ast.copy_location(ast.Constant(v), n)

    return change


def _swap(k):
    def change(n):
        n.elts[k], n.elts[k + 1] = n.elts[k + 1], n.elts[k]
        return n

    return change


def _mark_sort_keys(tree: ast.AST) -> None:
    """Flag the lambdas given as ``key=`` to sorted, sort, min or max."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "key" and isinstance(kw.value, ast.Lambda):
                    kw.value._riskcli_sort_key = True  # type: ignore[attr-defined]


def apply(m: Mutant, source: str) -> str:
    tree = ast.parse(source)
    nodes = list(ast.walk(tree))
    parent = nodes[m.parent]
    old = nodes[m.node]
    new = m.change(old)
    if m.position is None:
        setattr(parent, m.field, new)
    else:
        getattr(parent, m.field)[m.position] = new
    return ast.unparse(ast.fix_missing_locations(tree)) + "\n"


# --------------------------------------------------------------------------- running


_PRELOAD = ("pytest", "hypothesis", "typer", "typer.testing", "rich.console", "rich.table", "yaml", "jsonschema")


def _copy_tree(src: Path, dest: Path) -> None:
    for name in ("riskcli", "rules", "tests"):
        shutil.copytree(src / name, dest / name, ignore=shutil.ignore_patterns("__pycache__", ".hypothesis"))
    shutil.copy2(src / "pyproject.toml", dest / "pyproject.toml")


def _export(rev: str, dest: Path) -> None:
    """The tree at a git revision, as ``_copy_tree`` would copy it (others' uncommitted edits left out)."""
    dest.mkdir(parents=True)
    names = ["riskcli", "rules", "tests", "pyproject.toml"]
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, *names], capture_output=True, check=False)
    if archive.returncode:
        sys.exit(f"mutate: git archive {rev}: {archive.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(dest, filter="data")


def _pytest_args(target: Target, copy: Path, select: str | None = None) -> list[str]:
    missing = [t for t in target.tests if not (copy / t).exists()]
    if missing:  # a renamed test file would silently weaken the gate
        sys.exit(f"mutate: the tests of {target.name} are missing: {', '.join(missing)}; update TARGETS")
    tests = list(target.tests)
    args = ["-x", "-q", "-p", "no:cacheprovider", "--hypothesis-seed=0", "--no-header", "-o", "addopts="]
    if select:
        args += ["-k", select]
    for d in target.deselect:
        args += ["--deselect", d]
    return [*args, *tests]


def _fork(copy: Path, args: list[str], quiet: bool = True) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 3
    try:
        os.chdir(copy)
        sys.path.insert(0, str(copy))
        os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
        sys.dont_write_bytecode = True
        if quiet:
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
        import pytest
        from hypothesis import Phase, settings

        # A mutant the properties catch fails fast: no shrinking of the counterexample, no database.
        settings.register_profile("mutate", phases=[Phase.explicit, Phase.reuse, Phase.generate], database=None)
        settings.load_profile("mutate")
        code = int(pytest.main(args))
    except BaseException:  # noqa: BLE001 - the child reports by its exit code only
        code = 3
    finally:
        os._exit(code)


@dataclass
class Slot:
    copy: Path
    pid: int = 0
    mutant: Mutant | None = None
    started: float = 0.0


@dataclass
class Outcome:
    mutant: Mutant
    status: str  # killed, survived, timeout, error
    seconds: float


def _verdict(status: int) -> str:
    if os.WIFSIGNALED(status):
        return "killed"  # crashed
    code = os.WEXITSTATUS(status)
    return {0: "survived", 1: "killed", 2: "killed"}.get(code, "error" if code in (3, 4, 5) else "killed")


def baseline(target: Target, source: str, copy: Path, verbose: bool, select: str | None) -> float:
    """Run the target's tests on the unmutated (but unparsed) source; their time."""
    (copy / target.path).write_text(ast.unparse(ast.parse(source)) + "\n", encoding="utf-8")
    t0 = time.monotonic()
    _, status = os.waitpid(_fork(copy, _pytest_args(target, copy, select), quiet=not verbose), 0)
    (copy / target.path).write_text(source, encoding="utf-8")
    if _verdict(status) != "survived":
        sys.exit(f"mutate: the tests of {target.name} fail without any mutation; fix them first")
    return time.monotonic() - t0


def run(
    target: Target,
    source: str,
    chosen: list[Mutant],
    slots: list[Slot],
    timeout: float,
    progress: bool,
    select: str | None,
) -> list[Outcome]:
    todo = list(chosen)
    out: list[Outcome] = []
    while todo or any(s.pid for s in slots):
        for s in slots:
            if not s.pid and todo:
                m = todo.pop(0)
                (s.copy / m.target.path).write_text(apply(m, source), encoding="utf-8")
                args = _pytest_args(target, s.copy, select)
                s.mutant, s.started, s.pid = m, time.monotonic(), _fork(s.copy, args)
        time.sleep(0.02)
        for s in slots:
            if not s.pid or s.mutant is None:
                continue
            pid, status = os.waitpid(s.pid, os.WNOHANG)
            elapsed = time.monotonic() - s.started
            if pid:
                verdict = _verdict(status)
            elif elapsed > timeout:
                os.kill(s.pid, signal.SIGKILL)
                os.waitpid(s.pid, 0)
                verdict = "timeout"
            else:
                continue
            out.append(Outcome(s.mutant, verdict, elapsed))
            if progress:
                mark = {"killed": ".", "survived": "S", "timeout": "T", "error": "E"}[verdict]
                print(mark, end="", file=sys.stderr, flush=True)
                if verdict in ("survived", "error"):  # said at once: a long run stopped early still tells
                    m = s.mutant
                    print(f" {verdict} {m.where} in {m.function}: {m.description}", file=sys.stderr, flush=True)
            s.pid, s.mutant = 0, None
    for s in slots:
        (s.copy / target.path).write_text(source, encoding="utf-8")
    if progress:
        print(file=sys.stderr)
    return sorted(out, key=lambda o: o.mutant.index)


@dataclass
class Tally:
    """What one target's run found; ``failures`` fail the gate."""

    detected: int = 0
    total: int = 0
    failures: list[str] = field(default_factory=list)


def report(
    target: Target, outcomes: list[Outcome], excluded: dict[Excluded, list[Outcome]], stale: list[Excluded]
) -> Tally:
    counted = [o for o in outcomes if not any(o in os_ for os_ in excluded.values())]
    counts = {k: sum(1 for o in counted if o.status == k) for k in ("killed", "timeout", "survived", "error")}
    tally = Tally(counts["killed"] + counts["timeout"], len(counted))
    ratio = tally.detected / tally.total if tally.total else 1.0
    n_excluded = sum(len(v) for v in excluded.values())
    print(
        f"{target.path}: {tally.detected}/{tally.total} killed ({ratio:.1%}): {counts['killed']} killed, "
        f"{counts['timeout']} timed out, {counts['survived']} survived, {counts['error']} errors; "
        f"{n_excluded} excluded (run, not counted)"
    )
    for o in counted:
        if o.status in ("survived", "error"):
            m = o.mutant
            tally.failures.append(f"{o.status.upper()} {m.where} in {m.function}: {m.description}")
    by_reason: dict[tuple[str, str], int] = {}
    for ex, runs in excluded.items():
        by_reason[(ex.kind, ex.why)] = by_reason.get((ex.kind, ex.why), 0) + len(runs)
        for o in runs:
            m = o.mutant
            if o.status != "survived":
                verdict = "KILLED" if o.status in ("killed", "timeout") else "ERROR"
                tally.failures.append(
                    f"{verdict} BUT EXCLUDED {m.where} in {m.function}: {m.description} — not equivalent after all: "
                    "remove it from EXCLUDED"
                )
    for ex in stale:
        tally.failures.append(f"STALE EXCLUSION in {ex.function}: {ex.before!r} → {ex.after!r} matches no mutant")
    for (kind, why), n in sorted(by_reason.items()):
        print(f"  excluded as {kind} ({n}): {why}")
    for line in tally.failures:
        print(f"  {line}")
    return tally


def exclusions(t: Target, ms: list[Mutant]) -> tuple[dict[Excluded, list[Mutant]], list[Excluded]]:
    """The target's exclusions with the mutants each matches, and those that match none (stale)."""
    by_key: dict[tuple[str, str, str, str], list[Mutant]] = {}
    for m in ms:
        by_key.setdefault(m.key, []).append(m)
    mine = [ex for ex in EXCLUDED if ex.path == t.path]
    matched = {ex: found for ex in mine if (found := [m for m in by_key.get(ex.key, []) if ex.matches(m)])}
    return matched, [ex for ex in mine if ex not in matched]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawTextHelpFormatter)
    names = [t.name for t in TARGETS]
    ap.add_argument("targets", nargs="*", metavar="TARGET", help=f"{', '.join(names)} (default: all)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="mutants run in parallel (default 2)")
    ap.add_argument("--list", action="store_true", help="list the mutants (and the excluded ones, why) and exit")
    ap.add_argument("--function", help="only mutants in this function (qualified name)")
    ap.add_argument("--lines", help="only mutants on these lines, e.g. 120-140")
    ap.add_argument("--timeout", type=float, help="seconds per mutant (default: 5× the clean run, at least 20)")
    ap.add_argument("-k", dest="select", help="only the tests pytest -k selects (to check which test kills a mutant)")
    ap.add_argument("--show", type=int, metavar="N", help="print mutant #N's function as mutated and exit")
    ap.add_argument("--rev", help="mutate the tree at this git revision (e.g. HEAD), not the working tree")
    ap.add_argument("-q", "--quiet", action="store_true", help="no progress marks on stderr")
    ap.add_argument("-v", "--verbose", action="store_true", help="show the clean run's test output")
    args = ap.parse_args(argv)
    for name in args.targets:
        if name not in names:
            ap.error(f"unknown target {name!r}; choose from {', '.join(names)}")
    chosen_targets = [t for t in TARGETS if not args.targets or t.name in args.targets]
    partial = bool(args.function or args.lines or args.select)

    def plan(t: Target, source: str) -> tuple[list[Mutant], dict[Excluded, list[Mutant]], list[Excluded]]:
        ms = mutants(t, source)
        matched, stale = exclusions(t, ms)
        if args.function:
            ms = [m for m in ms if m.function == args.function]
        if args.lines:
            lo, _, hi = args.lines.partition("-")
            ms = [m for m in ms if int(lo) <= m.line <= int(hi or lo)]
        chosen = set(ms)
        matched = {ex: [m for m in found if m in chosen] for ex, found in matched.items()}
        return ms, {ex: found for ex, found in matched.items() if found}, stale

    if args.show is not None or args.list:
        for t in chosen_targets:
            source = (ROOT / t.path).read_text(encoding="utf-8")
            ms, matched, stale = plan(t, source)
            if args.show is not None:
                for m in ms:
                    if m.index == args.show:
                        print(f"#{m.index} {m.where} in {m.function}: {m.description}\n")
                        print(_function_source(apply(m, source), m.function))
                continue
            kinds = {m: ex for ex, found in matched.items() for m in found}
            twice = Counter(m.key for m in mutants(t, source))
            print(f"{t.path}: {len(ms)} mutants, {len(kinds)} of them excluded")
            for m in ms:
                print(f"  #{m.index} {m.where} in {m.function}: {m.description}")
                print(f"      {m.before}\n    → {m.after}")
                if twice[m.key] > 1:  # the same change of the same text elsewhere in the function
                    print(f"      within: {m.within or '(the function body)'}")
                if m in kinds:
                    print(f"      excluded as {kinds[m].kind}: {kinds[m].why}")
            for ex in stale:
                print(f"  STALE EXCLUSION in {ex.function}: {ex.before!r} → {ex.after!r}")
        return 0

    for name in _PRELOAD:  # once, before forking; never riskcli itself
        __import__(name)
    tallies: list[Tally] = []
    t_start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="riskcli-mutate-") as tmp:
        # One snapshot of the working tree, taken now: edits made while this runs do not matter.
        slots = [Slot(Path(tmp) / "copy0")]
        if args.rev:
            _export(args.rev, slots[0].copy)
        else:
            _copy_tree(ROOT, slots[0].copy)
        for i in range(1, max(1, args.jobs)):
            slots.append(Slot(Path(tmp) / f"copy{i}"))
            _copy_tree(slots[0].copy, slots[i].copy)
        for t in chosen_targets:
            source = (slots[0].copy / t.path).read_text(encoding="utf-8")
            ms, matched, stale = plan(t, source)
            clean = baseline(t, source, slots[0].copy, args.verbose, args.select)
            timeout = args.timeout or max(20.0, 5 * clean)
            n_ex = sum(len(v) for v in matched.values())
            print(
                f"{t.path}: {len(ms)} mutants ({n_ex} excluded, run too); clean run {clean:.1f} s, timeout {timeout:.0f} s",
                flush=True,
            )
            outcomes = run(t, source, ms, slots, timeout, not args.quiet, args.select)
            of = {o.mutant: o for o in outcomes}
            tallies.append(
                report(
                    t, outcomes, {ex: [of[m] for m in found] for ex, found in matched.items()}, [] if partial else stale
                )
            )
    detected, total = sum(t.detected for t in tallies), sum(t.total for t in tallies)
    failures = sum(len(t.failures) for t in tallies)
    ratio = detected / total if total else 1.0
    print(
        f"overall: {detected}/{total} killed ({ratio:.1%}) in {time.monotonic() - t_start:.0f} s; "
        + (f"{failures} failure{'s' if failures != 1 else ''} (listed above)" if failures else "no failures")
    )
    return 1 if failures else 0


def _function_source(source: str, qualname: str) -> str:
    tree = ast.parse(source)
    body: list[ast.stmt] = tree.body
    node: ast.AST | None = None
    for part in qualname.split("."):
        node = next((n for n in body if getattr(n, "name", None) == part), None)
        if node is None:
            return source
        body = getattr(node, "body", [])
    return ast.unparse(node) if node is not None else source


if __name__ == "__main__":
    sys.exit(main())
