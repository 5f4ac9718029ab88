"""What a view's filters choose — list's --actor, --category, --min-rating, --owner, --status,
--treatment, --over-appetite and --overdue, matrix's --actor — as one test that every risk the view
shows or says it leaves out goes through: the risks ranked or placed, the closed and retired ones, the
resolved ones, those not yet assessed. What a view names apart is then of the risks its filters chose."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from riskcli import decisions
from riskcli.decisions import Standing
from riskcli.model import Register, Risk, Status, Strategy, Unassessed, UserError
from riskcli.records import frozen
from riskcli.results import convert
from riskcli.rules import normalise
from riskcli.scoring import Scored, State

UNTREATED = "none"  # --treatment none: the risks with no treatment


@frozen(slots=True)
class Choice:
    """The filters a view was given, each read against the register (None, empty or False: not given)."""

    actors: frozenset[str] | None = None  # the actor ids --actor names
    category: str | None = None  # --category, normalised
    band: str | None = None  # --min-rating: the lowest band kept, its id …
    floor: int = 0  # … and its rank
    owner: str | None = None  # --owner, normalised
    statuses: tuple[Status, ...] = ()  # the statuses --status names (none: the live ones are listed)
    treatment: str | None = None  # --treatment: a strategy, or UNTREATED
    over_appetite: bool = False
    overdue: bool = False
    today: date | None = None  # the day --overdue is judged on

    @property
    def rated(self) -> bool:
        """A filter on the rating is given (--min-rating, --over-appetite): a risk not yet assessed
        has no rating, so it chooses none of them."""
        return self.band is not None or self.over_appetite

    @property
    def listed(self) -> tuple[Status, ...]:
        """The statuses of the risks the view lists: those --status names, else the live ones."""
        return self.statuses or tuple(x for x in Status if x.live)

    def shows(self, status: Status) -> bool:
        """A risk of this status is listed (unless it is resolved): --status names it, or none is
        given and it is live."""
        return status in self.statuses if self.statuses else status.live

    def names(self, status: Status) -> bool:
        """A resolved risk of this status is named apart: whatever its status, unless --status names
        others."""
        return not self.statuses or status in self.statuses

    def chooses(self, reg: Register, risk: Risk | Unassessed, st: Standing | None, x: Scored | None) -> bool:
        """Whether the filters other than --status choose ``risk``. ``x``: its score; None for a risk
        not yet assessed, which is judged by the filters that can apply to it (the filters on the
        rating cannot: see ``rated``). ``st``: its standing, which the filters on what was decided
        read (--owner, --treatment, --overdue); None only when none of them is given."""
        if self.actors is not None and self.actors.isdisjoint(risk.actors):
            return False
        if self.category is not None and normalise(risk.category) != self.category:
            return False
        if x is not None:
            if self.band is not None and x.band_rank < self.floor:
                return False
            if self.over_appetite and not decisions.over_appetite(reg, x):
                return False
        if self.owner is None and self.treatment is None and not self.overdue:
            return True
        if st is None:
            raise ValueError(f"the filters on what was decided read {risk.id}'s standing")
        if self.owner is not None and normalise(st.owner) != self.owner:
            return False
        if self.treatment is not None and self.treatment != (_strategy(st) or UNTREATED):
            return False
        return not self.overdue or (self.today is not None and _overdue(reg, st, x, self.today))

    def unplaced(self, reg: Register, state: State) -> Unplaced:
        """What the view says of the risks not yet assessed that the filters choose (it never ranks
        nor places them), each risk's standing read once."""
        if not reg.unassessed:
            return Unplaced()
        chosen, closed = [], []
        for u in reg.unassessed:
            st = decisions.standing(reg, u, state)
            if not self.chooses(reg, u, st, None):
                continue
            if self.shows(st.status):
                chosen.append(u.id)
            elif not st.status.live and not self.statuses and not self.rated:
                closed.append(u.id)
        ids = tuple(chosen)
        return Unplaced((), ids, tuple(closed)) if self.rated else Unplaced(ids, (), tuple(closed))


@frozen(slots=True)
class Unplaced:
    """The risks not yet assessed a view leaves out, of those its filters choose."""

    waiting: tuple[str, ...] = ()  # named as not yet assessed
    unrated: tuple[str, ...] = ()  # under a filter on the rating: left out for having none (then waiting is empty)
    closed: tuple[str, ...] = ()  # closed or retired: counted with the closed and retired risks (none under
    # --status, which names them with the others not yet assessed, or under a filter on the rating)


def choose(
    reg: Register,
    *,
    actor: str | None = None,
    category: str | None = None,
    min_rating: str | None = None,
    owner: str | None = None,
    owners: Iterable[str] = (),
    status: Sequence[str] = (),
    treatment: str | None = None,
    over_appetite: bool = False,
    overdue: bool = False,
    today: date | None = None,
) -> Choice:
    """The filters given, read against the register: an unknown status, owner, treatment, actor,
    category or band is refused (a UserError). ``owners``: the owner of every assessed risk as it
    stands (the journal may have given it another); those of the risks not yet assessed are added."""
    statuses: tuple[Status, ...] = ()
    if status:
        from riskcli.results.decide import members

        statuses = members(
            status,
            Status,
            lambda part, choices: f"--status {part!r} is not one of {choices}",
            lambda text, choices: f"--status {text!r} names no status; give any of {choices}",
        )
    owner_key = None
    if owner is not None:
        owner_key = normalise(owner)
        # the owners of risks not yet assessed too: they own a risk, which the view names apart
        known = sorted({o for o in owners if o} | {u.owner for u in reg.unassessed if u.owner})
        if not any(normalise(o) == owner_key for o in known):
            raise convert.unknown("owner", owner, known)
    how = None
    if treatment is not None:
        how = treatment.strip().lower()
        if how != UNTREATED and how not in {x.value for x in Strategy}:
            choices = ", ".join(x.value for x in Strategy)
            raise UserError(f"--treatment {treatment!r} is not one of {choices}, {UNTREATED}")
    actors = frozenset(actors_named(reg, actor)) if actor is not None else None
    category_key = None
    if category is not None:
        category_key = normalise(category)
        cats = sorted(
            {r.category for r in reg.risks if r.category} | {u.category for u in reg.unassessed if u.category}
        )
        if not any(normalise(c) == category_key for c in cats):
            raise convert.unknown("category", category, cats)
    band_id, floor = None, 0
    if min_rating is not None:
        key = normalise(min_rating)
        band = next((b for b in reg.rules.rating.bands if normalise(b.id) == key or normalise(b.name) == key), None)
        if band is None:
            raise convert.unknown("rating", min_rating, [b.id for b in reg.rules.rating.bands])
        band_id, floor = band.id, reg.rules.rating.rank(band.id)
    return Choice(
        actors=actors,
        category=category_key,
        band=band_id,
        floor=floor,
        owner=owner_key,
        statuses=statuses,
        treatment=how,
        over_appetite=over_appetite,
        overdue=overdue,
        today=today,
    )


def actors_named(reg: Register, actor: str) -> set[str]:
    """The actor ids an ``--actor`` names (an id or a name, in any case), or a UserError; the actors
    of risks not yet assessed are known too."""
    key = normalise(actor)
    ids = {a.id for a in reg.actors if normalise(a.id) == key or normalise(a.name) == key}
    known = sorted(
        {a for r in reg.risks for a in r.actors}
        | {a for u in reg.unassessed for a in u.actors}
        | {a.id for a in reg.actors}
    )
    if not ids:
        ids = {a for a in known if normalise(a) == key}
    if not ids:
        raise convert.unknown("actor", actor, known)
    return ids


def _strategy(st: Standing) -> str | None:
    """How a risk is treated: an accepted risk is accepted, whether the register or the journal says so."""
    if st.status is Status.ACCEPTED:
        return Strategy.ACCEPT.value
    return st.treatment.strategy.value if st.treatment is not None else None


def _overdue(reg: Register, st: Standing, x: Scored | None, today: date) -> bool:
    """A risk's review is overdue, or its acceptance has lapsed (``x`` None: a risk not yet assessed,
    whose acceptance can only expire)."""
    acc = st.acceptance
    return decisions.review_overdue(st, today) or (acc is not None and bool(decisions.lapses(reg, acc, x, today)))
