"""The domain model: immutable records for registers, rules and journal events.

Nothing here knows about YAML, Rich or Typer. Objects are built by ``register`` (from YAML) and
``journal`` (from JSON Lines) and read by ``scoring`` and ``render``.
"""

from __future__ import annotations

import hashlib
from dataclasses import field
from enum import StrEnum
from functools import cached_property
from typing import Any, NamedTuple

from riskcli.records import frozen

# --------------------------------------------------------------------------- errors


@frozen(slots=True)
class Problem:
    """One problem found in a file, located for an editor (1-based line and column)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: {self.message}"


class RiskcliError(Exception):
    """The one family of errors riskcli reports to a user as a clear line, never a traceback."""

    exit_code = 2

    def lines(self) -> list[str]:
        return [str(self)]


class UserError(RiskcliError):
    """The user's own input is wrong (a bad value, an unknown id): exit 2."""


class RegisterError(UserError):
    """A register or rules file has problems; each is reported with its location."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(str(problems[0]) if problems else "invalid register")

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class OperationalError(RiskcliError):
    """Something outside the user's input failed (I/O, a lock timeout): exit 1."""

    exit_code = 1


# --------------------------------------------------------------------------- vocabulary


class Axis(StrEnum):
    """The two dimensions of a risk."""

    LIKELIHOOD = "likelihood"
    IMPACT = "impact"


class End(StrEnum):
    """An end of a scale."""

    FLOOR = "floor"
    CEILING = "ceiling"


# --------------------------------------------------------------------------- evidence (the vocabulary of riskcli.belief)


class Outcome(StrEnum):
    """What looking for a signpost found."""

    SEEN = "seen"  # the indicator was observed
    ABSENT = "absent"  # looked for, not seen: evidence too, when the register gives its ratio
    NONE = "none"  # a review with nothing to record: no belief moves, the review clock restarts


class SetBy(StrEnum):
    """Where a belief set came from."""

    ASSUME = "assume"  # an analyst's assume (journal)
    PRESET = "preset"  # a format-1 indicator's preset, when it was seen
    SCENARIO = "scenario"
    WHAT_IF = "what_if"
    GIVEN = "given"  # a state given as beliefs alone (a caller's own)
    RESOLVED = "resolved"  # a resolution: the assumption held or failed (journal)


@frozen(slots=True)
class BeliefSet:
    """The last belief set on an assumption: the value, and by what."""

    value: float
    by: SetBy
    ref: str  # the journal event's id, the scenario, the what-if move or the indicator


@frozen(slots=True)
class Tally:
    """Observations of one signpost counted on one assumption since its belief was last set."""

    indicator: str
    outcome: Outcome
    count: int
    ratio: float  # the likelihood ratio of one


class NotCounted(StrEnum):
    """Why an observation recorded in the journal adds no evidence."""

    REF = "ref"  # the same indicator with the same reference was counted already
    WINDOW = "window"  # an absence of this indicator was counted already in this review window
    REVIEW = "review"  # a review with nothing to record


# --------------------------------------------------------------------------- rules


@frozen(slots=True)
class Level:
    """A level of a scale: its value (1 = lowest), its name, and for likelihood its probability band."""

    value: int
    name: str
    description: str = ""
    low: float | None = None  # probability band, likelihood scales only
    high: float | None = None
    aliases: tuple[str, ...] = ()  # other names it answers to (a translation: "Vraisemblable")

    @property
    def band_text(self) -> str:
        """The probability band as people write it: ``5–20%``, ``< 5%``, ``> 80%``."""
        if self.low is None or self.high is None:
            return ""
        lo, hi = _pct(self.low), _pct(self.high)
        if self.low <= 0:
            return f"< {hi}"
        if self.high >= 1:
            return f"≥ {lo}"
        return f"{lo[:-1]}–{hi}"


def _pct(p: float) -> str:
    return f"{p * 100:.0f}%" if abs(p * 100 - round(p * 100)) < 1e-9 else f"{p * 100:g}%"


@frozen(slots=True)
class Scale:
    """The levels of one axis, lowest first."""

    kind: str  # "likelihood" or "impact"
    levels: tuple[Level, ...]

    @property
    def size(self) -> int:
        return len(self.levels)

    def level(self, value: int) -> Level:
        return self.levels[value - 1]

    @property
    def has_bands(self) -> bool:
        return all(lv.low is not None for lv in self.levels)


@frozen(slots=True)
class Band:
    """A rating band (low, medium, …): its id, the name shown and its colour."""

    id: str
    name: str
    color: str
    aliases: tuple[str, ...] = ()  # other names it answers to (a translation: "Élevé")


@frozen(slots=True)
class Rating:
    """The rating scheme: its bands, lowest first, and the band of each cell of the grid."""

    bands: tuple[Band, ...]
    grid: tuple[tuple[str, ...], ...]  # grid[likelihood - 1][impact - 1] = band id

    def band(self, band_id: str) -> Band:
        for b in self.bands:
            if b.id == band_id:
                return b
        raise KeyError(band_id)

    def rank(self, band_id: str) -> int:
        """Position of a band, lowest first."""
        for i, b in enumerate(self.bands):
            if b.id == band_id:
                return i
        raise KeyError(band_id)


@frozen(slots=True)
class Phrase:
    """An ICD 203 estimative phrase group and its probability range."""

    phrases: tuple[str, ...]
    low: float
    high: float

    @property
    def midpoint(self) -> float:
        return round((self.low + self.high) / 2, 4)


@frozen(slots=True)
class Words:
    """The words analysts may type for probabilities and beliefs, and the labels of beliefs."""

    icd203: tuple[Phrase, ...]
    beliefs: tuple[tuple[str, float], ...]  # word -> belief
    labels: tuple[tuple[str, float], ...]  # label, minimum belief; highest first


@frozen(slots=True)
class Rules:
    """What a register is scored by: both scales, the rating, the words, the default review period."""

    likelihood: Scale
    impact: Scale
    rating: Rating
    words: Words
    review_every: int = 30  # days between reviews of an indicator that sets none


# --------------------------------------------------------------------------- register


@frozen(slots=True)
class Shift:
    """A move in scale steps."""

    likelihood: float = 0.0
    impact: float = 0.0

    def __add__(self, other: Shift) -> Shift:
        return Shift(self.likelihood + other.likelihood, self.impact + other.impact)

    def __sub__(self, other: Shift) -> Shift:
        return Shift(self.likelihood - other.likelihood, self.impact - other.impact)

    def scaled(self, k: float) -> Shift:
        return Shift(self.likelihood * k, self.impact * k)

    def __bool__(self) -> bool:
        return bool(self.likelihood or self.impact)


@frozen(slots=True)
class Driver:
    """How an assumption moves a risk: the shift if it holds and the shift if it fails."""

    assumption: str
    if_holds: Shift
    if_fails: Shift
    note: str = ""

    def expected(self, belief: float) -> Shift:
        """The expected shift at belief b: ``b*if_holds + (1-b)*if_fails``."""
        return self.if_holds.scaled(belief) + self.if_fails.scaled(1.0 - belief)


class SpanUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


@frozen(slots=True)
class Span:
    """A length of time as people give a horizon: ``12 months``, ``2 years``, ``90 days``."""

    count: int
    unit: SpanUnit

    def __str__(self) -> str:
        word = self.unit.value
        return f"{self.count} {word[:-1] if self.count == 1 else word}"


@frozen(slots=True)
class Risk:
    """A risk of the register: its judgement (likelihood, impact), its drivers and its standing."""

    id: str
    title: str
    likelihood: int
    impact: int
    description: str = ""
    category: str = ""
    actors: tuple[str, ...] = ()
    rationale: str = ""
    evidence: str = ""
    drivers: tuple[Driver, ...] = ()
    line: int = 0
    confidence: Confidence | None = None  # ICD 203 analytic confidence in the judgement
    owner: str = ""
    extra: tuple[tuple[str, str | int | float], ...] = ()  # free-form fields (e.g. unmapped import columns)
    status: Status | None = None  # None: derived (accepted with an acceptance, treated with a treatment, else open)
    treatment: Treatment | None = None
    review_every: int | None = None  # days between reviews
    review_by: str = ""  # YYYY-MM-DD: the next review is due by then
    acceptance: Acceptance | None = None
    inherent: Stated | None = None  # a sheet's assessment before any control, kept as stated
    residual: Stated | None = None  # a sheet's assessment after the planned treatment, kept as stated
    by: str = ""  # YYYY-MM-DD: its likelihood is the probability it occurs by then (horizons.py)
    within: Span | None = None  # … or within this span of the judgement


@frozen(slots=True)
class Stated:
    """An assessment a sheet gives beside the one that places a risk — inherent (before any
    control) or residual (after the planned treatment): kept as the sheet states it, never scored.
    A level is None where the sheet has not assessed it."""

    likelihood: int | None
    impact: int | None


@frozen(slots=True)
class Unassessed:
    """A risk named but not yet assessed — its likelihood, its impact or both not given: kept and
    listed apart, never scored nor placed on the matrix (a level of 1 would be a judgement)."""

    id: str
    title: str
    likelihood: int | None = None  # the level given, if one of the two is
    impact: int | None = None
    description: str = ""
    category: str = ""
    actors: tuple[str, ...] = ()
    owner: str = ""
    confidence: Confidence | None = None
    rationale: str = ""
    evidence: str = ""
    line: int = 0
    extra: tuple[tuple[str, str | int | float], ...] = ()
    status: Status | None = None
    treatment: Treatment | None = None
    review_every: int | None = None
    review_by: str = ""
    acceptance: Acceptance | None = None
    inherent: Stated | None = None
    residual: Stated | None = None
    by: str = ""
    within: Span | None = None


class Confidence(StrEnum):
    """ICD 203 analytic confidence: how well founded a judgement is (never changes a score)."""

    LOW = "low"
    MODERATE = "moderate"
    HIGH = "high"


class Combine(StrEnum):
    """How several analysts' judgements of one item combine (``riskcli.combine``)."""

    LAST = "last"  # the latest judgement alone, by time
    MEDIAN = "median"
    MEAN = "mean"
    GEO_ODDS = "geo-odds"  # beliefs by the geometric mean of their odds; levels by the median


class Status(StrEnum):
    """Where a risk stands in its life cycle (ISO 31000): closed and retired risks leave the live views."""

    OPEN = "open"
    TREATED = "treated"
    ACCEPTED = "accepted"
    CLOSED = "closed"  # it can no longer happen (the exposure ended)
    RETIRED = "retired"  # no longer tracked (merged, out of scope)

    @property
    def live(self) -> bool:
        return self not in (Status.CLOSED, Status.RETIRED)


class Strategy(StrEnum):
    """A treatment decision (ISO 31000 6.5): what is done about a risk."""

    AVOID = "avoid"
    REDUCE = "reduce"
    TRANSFER = "transfer"
    ACCEPT = "accept"


class Progress(StrEnum):
    """How far a response has got."""

    PLANNED = "planned"
    IN_PROGRESS = "in progress"
    DONE = "done"


@frozen(slots=True)
class Treatment:
    """What is decided about a risk, and the responses that carry it out."""

    strategy: Strategy
    responses: tuple[str, ...] = ()


@frozen(slots=True)
class Acceptance:
    """A risk accepted as it stands: who accepted it, when, until when, and why. ``band`` is the
    rating it was accepted at ("": its baseline rating); a higher rating needs a new decision."""

    by: str = ""  # who accepted it
    on: str = ""  # YYYY-MM-DD
    until: str = ""  # YYYY-MM-DD: the last day it holds ("" never expires)
    why: str = ""
    band: str = ""


@frozen(slots=True)
class Category:
    """A category of risks (as risks name it) with its own appetite and target (bands), over the
    register's."""

    id: str
    appetite: str = ""
    target: str = ""
    description: str = ""
    line: int = 0


@frozen(slots=True)
class Conditional:
    """A belief given another assumption's state: P(this | parent holds), P(this | parent fails)."""

    parent: str
    holds: float
    fails: float


@frozen(slots=True)
class Assumption:
    """An assumption risks rest on, with the belief that it holds."""

    id: str
    statement: str
    belief: float
    rationale: str = ""
    evidence: str = ""
    line: int = 0
    support: str = ""  # the Key Assumptions Check's judgement of the evidence; "" = derive from belief
    excludes: tuple[str, ...] = ()  # assumptions that cannot hold together with this one
    given: Conditional | None = None  # its belief conditional on another assumption (simulation)
    by: str = ""  # YYYY-MM-DD: its belief is the probability it still holds then (horizons.py)
    within: Span | None = None  # … or through this span from the judgement


@frozen(slots=True)
class BeliefUpdate:
    """A belief a format-1 indicator sets when it is seen."""

    assumption: str
    belief: float


@frozen(slots=True)
class Bearing:
    """What a signpost says about an assumption, as likelihood ratios (DESIGN §4): ``seen`` is
    P(seen | holds) / P(seen | fails); ``absent`` the same for looked for and not seen."""

    assumption: str
    seen: float
    absent: float = 1.0
    note: str = ""  # why these ratios


@frozen(slots=True)
class Indicator:
    """A signpost to watch: the beliefs its sighting sets (format 1) or the evidence it is (format 2)."""

    id: str
    title: str
    watch: str = ""
    evidence: str = ""
    review_every: int | None = None
    updates: tuple[BeliefUpdate, ...] = ()  # format 1: a sighting sets these beliefs
    line: int = 0
    bears_on: tuple[Bearing, ...] = ()  # format 2: a sighting (or its absence) is evidence
    rationale: str = ""
    observed: str = ""  # YYYY-MM-DD: last observed (a rebaselined register's); review_every counts from it

    @property
    def is_evidence(self) -> bool:
        return bool(self.bears_on)


@frozen(slots=True)
class Effect:
    """What a response does to one risk: a shift in scale steps."""

    risk: str
    shift: Shift
    note: str = ""


@frozen(slots=True)
class Response:
    """A response to risks: its effects (and side effects), owner, status and target band."""

    id: str
    title: str
    description: str = ""
    actors: tuple[str, ...] = ()
    evidence: str = ""
    effects: tuple[Effect, ...] = ()
    side_effects: tuple[Effect, ...] = ()
    line: int = 0
    excludes: tuple[str, ...] = ()  # responses that cannot be applied together with this one
    rationale: str = ""
    owner: str = ""
    due: str = ""  # YYYY-MM-DD: to be done by then
    status: Progress | None = None  # done: in force in the baseline (its effects applied)
    target: str = ""  # the rating band it aims to bring its risks to


@frozen(slots=True)
class Scenario:
    """A named set of beliefs to view the register under."""

    id: str
    title: str
    description: str = ""
    beliefs: tuple[tuple[str, float], ...] = ()
    line: int = 0
    rationale: str = ""


@frozen(slots=True)
class Acknowledged:
    """A coherence warning a register accepts deliberately (``acknowledge:``), and why."""

    id: str
    why: str = ""


@frozen(slots=True)
class Actor:
    """Someone the register names (who bears a risk or acts in a response)."""

    id: str
    name: str


@frozen(slots=True)
class Source:
    """The document a register was drawn from."""

    title: str = ""
    author: str = ""
    role: str = ""
    published: str = ""
    file: str = ""
    url: str = ""
    note: str = ""


@frozen(slots=True)
class Rebaselined:
    """Where a register made by ``rebaseline`` came from: the register's id, the day, its file."""

    register: str
    on: str  # YYYY-MM-DD
    file: str = ""


@frozen
class Register:
    """A validated register with the rules it is scored by."""

    path: str  # as shown to the user; "(embedded)" for the shipped register
    rules: Rules
    risks: tuple[Risk, ...]
    assumptions: tuple[Assumption, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    responses: tuple[Response, ...] = ()
    scenarios: tuple[Scenario, ...] = ()
    actors: tuple[Actor, ...] = ()
    id: str = ""
    title: str = ""
    as_of: str = ""
    description: str = ""
    source: Source = field(default_factory=Source)
    embedded: bool = False
    acknowledged: tuple[Acknowledged, ...] = ()
    appetite: str = ""  # the highest rating band accepted without treatment ("": none declared)
    target: str = ""  # the band treatment aims for
    categories: tuple[Category, ...] = ()  # categories with their own appetite or target
    unassessed: tuple[Unassessed, ...] = ()  # risks named but not yet assessed: never scored
    combine: Combine | None = None  # how analysts' judgements combine (None: the default, riskcli.combine)
    within: Span | None = None  # the default horizon of every likelihood and belief: a span from each judgement
    rebaselined: Rebaselined | None = None  # made by rebaseline: its history before then is another register's

    @cached_property
    def derived(self) -> dict[str, Any]:
        """What the core derives from this register alone, made once per register (e.g.
        ``scoring.structural_findings``); the register cache keeps it with the model."""
        return {}

    @cached_property
    def identity(self) -> str:
        """What journal events are bound to: the register's ``id``, else its file name (a name
        that is not UTF-8 with its odd bytes as ``\\xff``, so that the journal can hold it)."""
        if self.id:
            return self.id
        name = self.path.replace("\\", "/").rsplit("/", 1)[-1]
        try:
            raw = name.encode("utf-8", "surrogateescape")  # the bytes of a name decoded by os.fsdecode
        except UnicodeEncodeError:
            raw = name.encode("utf-8", "surrogatepass")
        return raw.decode("utf-8", "backslashreplace")

    @cached_property
    def fingerprint(self) -> str:
        """A short hash of what journal events refer to: the ids of risks, assumptions,
        indicators and responses, and the scales' levels."""
        parts = [
            ",".join(r.id for r in self.risks),
            ",".join(a.id for a in self.assumptions),
            ",".join(i.id for i in self.indicators),
            ",".join(m.id for m in self.responses),
            ",".join(lv.name for lv in self.rules.likelihood.levels),
            ",".join(lv.name for lv in self.rules.impact.levels),
        ]
        return hashlib.sha256("\n".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:16]

    @cached_property
    def risk_by_id(self) -> dict[str, Risk]:
        return {r.id: r for r in self.risks}

    @cached_property
    def assumption_by_id(self) -> dict[str, Assumption]:
        return {a.id: a for a in self.assumptions}

    @cached_property
    def actor_names(self) -> dict[str, str]:
        return {a.id: a.name for a in self.actors}

    @cached_property
    def baseline_beliefs(self) -> dict[str, float]:
        """The beliefs the register's levels are read at: each assumption's own, or — for one
        ``given`` another — the belief its link implies, P(parent)·holds + (1 − P(parent))·fails
        (the prior marginal of the network; ``validate`` warns where it differs from the stated)."""
        out: dict[str, float] = {}
        by_id = self.assumption_by_id
        for a in self.assumptions:
            chain = [a]  # up the links to an assumption whose belief is known or its own
            while chain[-1].id not in out:
                g = chain[-1].given
                up = by_id.get(g.parent) if g is not None else None
                if up is None or up in chain:
                    out[chain[-1].id] = chain[-1].belief
                    chain.pop()
                    break
                chain.append(up)
            for x in reversed(chain):
                if x.id not in out:
                    assert x.given is not None
                    p = out[x.given.parent]
                    out[x.id] = p * x.given.holds + (1.0 - p) * x.given.fails
        return {a.id: out[a.id] for a in self.assumptions}

    @cached_property
    def baseline_applied(self) -> frozenset[str]:
        """The responses in force in the baseline: those the register says are done."""
        return frozenset(m.id for m in self.responses if m.status is Progress.DONE)

    @cached_property
    def dependents(self) -> dict[str, tuple[str, ...]]:
        """Assumption id -> ids of the risks whose drivers name it, in register order."""
        out: dict[str, list[str]] = {a.id: [] for a in self.assumptions}
        for r in self.risks:
            for d in r.drivers:
                lst = out.setdefault(d.assumption, [])
                if not lst or lst[-1] != r.id:
                    lst.append(r.id)
        return {k: tuple(v) for k, v in out.items()}


# --------------------------------------------------------------------------- journal


class DecisionKind(StrEnum):
    """The decisions the journal records about a risk."""

    ACCEPT = "accept"
    TREAT = "treat"
    REVIEW = "review"
    ASSIGN = "assign"
    CLOSE = "close"
    REOPEN = "reopen"


DECISION_KINDS = frozenset(k.value for k in DecisionKind)  # the journal's event kinds that are decisions


@frozen(slots=True)
class Decision:
    """One decision about a risk, as the journal records it (dated, attributed, with why). The
    fields its kind does not use keep their defaults."""

    kind: DecisionKind
    at: str  # UTC ISO-8601
    id: str
    by: str
    why: str = ""
    owner: str = ""  # assign
    strategy: Strategy | None = None  # treat
    responses: tuple[str, ...] = ()  # treat: the responses that carry it out
    until: str = ""  # accept: the last day it holds
    approver: str = ""  # accept: who accepted the risk ("": the analyst who recorded it)
    band: str = ""  # accept: the rating band the risk was in
    likelihood: float | None = None  # accept: its score then
    impact: float | None = None
    basis: str = ""  # accept: the risk's fingerprint then (``risk_fingerprint``)
    next: str = ""  # review: the next review is due by then
    status: Status | None = None  # close: closed or retired


class Resolvable(StrEnum):
    """What a resolution settles."""

    RISK = "risk"
    ASSUMPTION = "assumption"


class Resolution(StrEnum):
    """What happened to a risk (occurred, did not occur) or an assumption (held, failed)."""

    OCCURRED = "occurred"
    DID_NOT_OCCUR = "did-not-occur"
    HELD = "held"
    FAILED = "failed"

    @property
    def of(self) -> Resolvable:
        return Resolvable.RISK if self in (Resolution.OCCURRED, Resolution.DID_NOT_OCCUR) else Resolvable.ASSUMPTION

    @property
    def came_true(self) -> bool:
        """The register's statement came true: the risk occurred, the assumption held (what its
        likelihood or belief is the probability of)."""
        return self in (Resolution.OCCURRED, Resolution.HELD)


@frozen(slots=True)
class Resolved:
    """A risk or an assumption resolved, as the journal records it: what happened and on what day."""

    kind: Resolvable
    item: str  # the risk's or the assumption's id
    outcome: Resolution
    on: str  # YYYY-MM-DD: when it happened (or, did-not-occur and held, the day it was settled)
    at: str  # UTC ISO-8601: when it was recorded
    id: str
    by: str
    why: str = ""
    source: str = ""


class Event(NamedTuple):
    """One line of the assessment journal (a tuple: a journal holds 100,000s of them)."""

    line: int
    id: str
    at: str  # UTC ISO-8601
    by: str
    kind: str  # score, belief, observe, respond, undo, adopt, torn
    data: dict[str, Any]  # the line's JSON object: the kind's own fields (and the common ones)
    why: str = ""
    register: str | None = None  # the identity of the register it was recorded against
    fingerprint: str | None = None  # that register's fingerprint (ids and scales) at the time
    prev: str | None = None  # hash of the line before it (the journal's hash chain)

    def target(self) -> str:
        for key in ("risk", "assumption", "indicator", "response", "undoes"):
            if key in self.data:
                return str(self.data[key])
        return ""
