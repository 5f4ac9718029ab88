"""Choosing events: by time, analyst, risk or assumption (``history``, ``report``); the journal as it
stood on a date (``--as-of``)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta

from riskcli.model import DECISION_KINDS, Event, Register, UserError


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """A point in time for ``--since``: an ISO date or date-time (UTC unless it says), ``today``,
    ``yesterday``, or a span back from now such as ``7d``, ``12h`` or ``2w``."""
    now = now or datetime.now(UTC)
    key = text.strip().lower()
    if key.endswith(" ago"):
        key = key[:-4].strip()
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    if key == "today":
        return midnight
    if key == "yesterday":
        return midnight - timedelta(days=1)
    unit = {"m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
    key = key.replace(" ", "")
    if len(key) > 1 and key[-1] in unit and key[:-1].isascii() and key[:-1].isdigit():
        try:
            return now - timedelta(seconds=int(key[:-1]) * unit[key[-1]])
        except OverflowError:
            return datetime.min.replace(tzinfo=UTC)  # further back than any event
    try:
        if not re.match(r"^\d{4}-\d{2}-\d{2}", key):
            raise ValueError
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise UserError(
            f"--since {text!r} is not understood; give a date (2025-01-31), a date-time "
            "(2025-01-31T09:00), today, yesterday, or a span such as 7d or 12h"
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_as_of(text: str, now: datetime | None = None) -> datetime:
    """The last instant ``--as-of`` counts: a date means the end of that day (UTC, as the journal's
    times are), a date-time that instant (UTC unless it gives a zone); ``today``, ``yesterday`` and
    spans back from now (``7d``) as ``--since`` reads them."""
    now = now or datetime.now(UTC)
    key = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", key):
        try:
            day = datetime.fromisoformat(key).replace(tzinfo=UTC)
        except ValueError:
            raise UserError(f"--as-of {text!r} is not a date; give YYYY-MM-DD, e.g. 2025-01-01") from None
        return day + timedelta(days=1) - timedelta(microseconds=1)
    try:
        when = parse_since(text, now)
    except UserError:
        raise UserError(
            f"--as-of {text!r} is not understood; give a date (2025-01-01), a date-time (2025-01-01T09:00), "
            "today, yesterday, or a span back from now such as 30d"
        ) from None
    if key.lower() in ("today", "yesterday"):  # the whole day, as for a date
        return when + timedelta(days=1) - timedelta(microseconds=1)
    return when


def recorded_by(events: Iterable[Event], until: datetime) -> list[Event]:
    """The events of the journal as it stood at ``until``, in journal order: the judgements and
    decisions recorded by then (``at``, read as the fold orders events: ``replay.moment``, so a
    time that is no time is before every date, as its event is before every other) — and the
    facts: a resolution counts from the day it says it happened (``on``), whenever it was recorded,
    if it is in force in the journal as it is now (an undone resolution was a mistake, whenever it
    was undone), so undo events of resolutions are left out."""
    from riskcli.journal.replay import moment

    events = list(events)
    last = moment(until.isoformat())
    resolutions = any(ev.kind == "resolve" for ev in events)
    if resolutions:
        from riskcli.journal.replay import undone_ids

        now_undone = undone_ids(events)
        by_id = {ev.id: ev for ev in events}
        day = until.date().isoformat()
    out: list[Event] = []
    for ev in events:
        if resolutions:
            if ev.kind == "resolve":
                if ev.id not in now_undone and str(ev.data.get("on", "")) <= day:
                    out.append(ev)
                continue
            if ev.kind == "undo":
                target = _undone_target(ev, by_id)
                if target is not None and target.kind == "resolve":
                    continue
        if moment(ev.at) <= last:  # (a time that is no time is before every time, as in the fold)
            out.append(ev)
    return out


def event_time(ev: Event) -> datetime | None:
    try:
        when = datetime.fromisoformat(ev.at.replace("Z", "+00:00"))
    except ValueError:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def iter_filtered(
    events: Iterable[Event],
    risk: str | None = None,
    assumption: str | None = None,
    analyst: str | None = None,
    since: datetime | None = None,
    reg: Register | None = None,
) -> Iterator[Event]:
    """Events matching every filter given. With the register, ``risk`` also matches the events
    that moved that risk (beliefs of its drivers' assumptions, observations of the indicators that
    bear on them or set them, responses that act on it, decisions about it) and ``assumption`` those observations; an
    undo matches when the event it undid does (an undo of an undo, when the event it restores does)."""
    events = list(events)
    if risk is None and assumption is None and analyst is None and since is None:
        yield from events
        return
    checks = [_touches(reg, risk, None)] if risk is not None else []
    if assumption is not None:
        checks.append(_touches(reg, None, assumption))
    by_id = {ev.id: ev for ev in events}
    for ev in events:
        target = _undone_target(ev, by_id)
        if checks and (target is None or not all(check(target) for check in checks)):
            continue
        if analyst is not None and ev.by != analyst:
            continue
        if since is not None:
            when = event_time(ev)
            if when is None or when < since:
                continue
        yield ev


def _undone_target(ev: Event, by_id: Mapping[str, Event]) -> Event | None:
    """The event an undo is about, following undos of undos down to the event they restore."""
    seen: set[str] = set()
    target: Event | None = ev
    while target is not None and target.kind == "undo" and target.id not in seen:
        seen.add(target.id)
        target = by_id.get(target.data["undoes"])
    return None if target is not None and target.kind == "undo" else target


def _touches(reg: Register | None, risk: str | None, assumption: str | None) -> Callable[[Event], bool]:
    assumptions: set[str] = set()
    responses: set[str] = set()
    if assumption is not None:
        assumptions.add(assumption)
    if risk is not None and reg is not None and risk in reg.risk_by_id:
        assumptions.update(d.assumption for d in reg.risk_by_id[risk].drivers)
        responses.update(m.id for m in reg.responses if any(e.risk == risk for e in (*m.effects, *m.side_effects)))
    indicators = {
        i.id
        for i in (reg.indicators if reg is not None else ())
        if any(u.assumption in assumptions for u in i.updates) or any(b.assumption in assumptions for b in i.bears_on)
    }

    def touches(ev: Event) -> bool:
        d = ev.data
        if ev.kind == "score" or ev.kind in DECISION_KINDS:
            return risk is not None and d.get("risk") == risk
        if ev.kind == "belief":
            return d.get("assumption") in assumptions
        if ev.kind == "resolve":  # the risk itself, or an assumption it rests on
            return (risk is not None and d.get("risk") == risk) or d.get("assumption") in assumptions
        if ev.kind == "observe":
            return d.get("indicator") in indicators
        if ev.kind == "respond":
            return d.get("response") in responses
        return False

    return touches
