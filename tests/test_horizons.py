"""Horizons: what a likelihood or a belief is a probability over; converting between horizons at a
constant hazard; judgements past their horizon and not resolved."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest

from riskcli import horizons, register
from riskcli.journal import appending
from riskcli.model import RegisterError, Span, SpanUnit
from riskcli.register.kinds import parse_span

REG = """\
format: 2
id: h
as_of: 2024-10-31
within: 12 months
assumptions:
  - {id: A1, statement: Supply holds, belief: 0.6, by: 2025-06-30}
  - {id: A2, statement: Prices hold, belief: 0.7}
risks:
  - {id: R1, title: Port closes, likelihood: 3, impact: 3, within: 24 months}
  - {id: R2, title: Strike, likelihood: 2, impact: 2}
  - {id: R3, title: Flood, likelihood: 4, impact: 2, by: 2026-03-31}
"""


def _json(run, *args: str) -> dict[str, Any]:
    r = run(*args, "--json")
    assert r.exit_code == 0, r.stderr
    data: dict[str, Any] = json.loads(r.stdout)
    return data


# --------------------------------------------------------------------------- the conversion


@pytest.mark.parametrize("p", [0.0, 0.01, 0.2, 0.5, 0.55, 0.8, 0.99])
@pytest.mark.parametrize(("t", "target"), [(365.25, 730.5), (730.0, 365.25), (90.0, 30.0), (30.0, 90.0)])
def test_a_conversion_there_and_back_is_the_probability_it_started_from(p: float, t: float, target: float) -> None:
    there = horizons.convert(p, t, target)
    assert horizons.convert(there, target, t) == pytest.approx(p, abs=1e-9)


def test_a_conversion_is_the_constant_hazard_formula() -> None:
    """50% within 24 months is 1 − 0.5^(1/2) within 12; 20% within a year is 1 − 0.8² within two."""
    assert horizons.convert(0.5, 730, 365) == pytest.approx(1 - 0.5**0.5)
    assert horizons.convert(0.2, 365, 730) == pytest.approx(0.36)
    assert horizons.convert(0.3, 100, 100) == pytest.approx(0.3)
    with pytest.raises(ValueError):
        horizons.convert(0.5, 0, 365)


def test_a_span_ends_on_the_calendar_day_it_names() -> None:
    assert horizons.after(date(2024, 10, 31), Span(12, SpanUnit.MONTHS)) == date(2025, 10, 31)
    assert horizons.after(date(2024, 1, 31), Span(1, SpanUnit.MONTHS)) == date(2024, 2, 29)
    assert horizons.after(date(2024, 2, 29), Span(1, SpanUnit.YEARS)) == date(2025, 2, 28)
    assert horizons.after(date(2024, 12, 25), Span(2, SpanUnit.WEEKS)) == date(2025, 1, 8)
    assert horizons.after(date(2024, 12, 25), Span(90, SpanUnit.DAYS)) == date(2025, 3, 25)


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("12 months", Span(12, SpanUnit.MONTHS)),
        (" 1 Year ", Span(1, SpanUnit.YEARS)),
        ("90 days", Span(90, SpanUnit.DAYS)),
    ],
)
def test_a_span_is_read_as_people_write_it(text: str, span: Span) -> None:
    assert parse_span(text) == span
    assert parse_span(str(span)) == span


@pytest.mark.parametrize(
    "text", ["0 days", "12", "twelve months", "12 fortnights", "-3 weeks", "012 months", "1 2 days"]
)
def test_a_span_riskcli_cannot_read_is_none(text: str) -> None:
    assert parse_span(text) is None


# --------------------------------------------------------------------------- the register


def test_the_register_gives_each_item_its_horizon(write) -> None:
    reg = register.load(write(REG))
    assert reg.within == Span(12, SpanUnit.MONTHS)
    r1, r2, r3 = reg.risks
    assert horizons.of_item(reg, r1.by, r1.within) == horizons.Horizon(None, Span(24, SpanUnit.MONTHS), True)
    assert horizons.of_item(reg, r2.by, r2.within) == horizons.Horizon(None, Span(12, SpanUnit.MONTHS), False)
    assert horizons.of_item(reg, r3.by, r3.within) == horizons.Horizon(date(2026, 3, 31), None, True)
    assert reg.assumptions[0].by == "2025-06-30"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("R2, title: Strike,", "R2, title: Strike, by: 2025-01-01, within: 3 months,"), "give by (a day) or within"),
        (("R2, title: Strike,", "R2, title: Strike, within: soon,"), "within 'soon' is not a span"),
        (("R2, title: Strike,", "R2, title: Strike, by: next year,"), "by 'next year' is not a date"),
    ],
)
def test_a_horizon_riskcli_cannot_read_is_refused_with_its_line(write, edit: tuple[str, str], message: str) -> None:
    with pytest.raises(RegisterError, match=re.escape(message)) as e:
        register.load(write(REG.replace(*edit)))
    assert e.value.problems[0].line in (4, 5, 10)


# --------------------------------------------------------------------------- the views


def test_explain_shows_the_horizon_and_the_band_converted(run, write) -> None:
    reg = str(write(REG))
    h = _json(run, "-r", reg, "explain", "R1", "--as-of", "2025-01-01")["horizon"]
    assert (h["within"], h["own"], h["start"], h["end"], h["days"], h["due"]) == (
        "24 months", True, "2024-10-31", "2026-10-31", 730.0, False,
    )  # fmt: skip
    assert h["probability"] == [0.2, 0.55]
    assert h["converted"]["over"] == "12 months" and h["converted"]["days"] == 365.25
    assert h["converted"]["probability"] == pytest.approx([1 - 0.8 ** (365.25 / 730), 1 - 0.45 ** (365.25 / 730)])
    shown = run("-r", reg, "explain", "R1", "--as-of", "2025-01-01").stdout
    assert "Horizon: within 24 months (its own), judged 2024-10-31, ends 2026-10-31" in shown
    assert "20%–55% over 24 months, is 10.6%–32.9% over 12 months at a constant hazard" in " ".join(shown.split())


def test_explain_of_a_risk_on_the_registers_default_converts_nothing(run, write) -> None:
    reg = str(write(REG))
    h = _json(run, "-r", reg, "explain", "R2", "--as-of", "2025-01-01")["horizon"]
    assert (h["within"], h["own"], h["end"], h["converted"]) == ("12 months", False, "2025-10-31", None)
    plain = write(REG.replace("within: 12 months\n", ""), "plain.yaml")
    assert _json(run, "-r", str(plain), "explain", "R2")["horizon"] is None


def test_judgements_past_their_horizon_and_unresolved_are_due(run, write) -> None:
    reg = str(write(REG))
    early = _json(run, "-r", reg, "list", "--as-of", "2025-06-30")
    assert early["due"] == []
    assert _json(run, "-r", reg, "list", "--as-of", "2025-10-31")["due"] == []  # its last day: not yet due
    later = _json(run, "-r", reg, "list", "--as-of", "2025-11-01")
    assert [(d["id"], d["since"], d["by"]) for d in later["due"]] == [("R2", "2025-10-31", None)]
    kac = _json(run, "-r", reg, "assumptions", "--as-of", "2025-11-01")["due"]
    assert [(d["id"], d["since"]) for d in kac] == [("A1", "2025-06-30"), ("A2", "2025-10-31")]
    assert _json(run, "-r", reg, "explain", "R2", "--as-of", "2025-11-01")["horizon"]["due"] is True
    shown = run("-r", reg, "list", "--as-of", "2025-11-01")
    assert "Due since their horizon, not resolved (1): R2 (2025-10-31)" in shown.stderr


def test_a_resolved_risk_is_not_due(run, write) -> None:
    reg = str(write(REG))
    assert run("-r", reg, "resolve", "R2", "did-not-occur", "--on", "2025-10-31").exit_code == 0
    assert run("-r", reg, "resolve", "A1", "held", "--on", "2025-06-30").exit_code == 0
    assert "R2" not in [d["id"] for d in _json(run, "-r", reg, "list")["due"]]
    assert "A1" not in [d["id"] for d in _json(run, "-r", reg, "assumptions")["due"]]
    assert _json(run, "-r", reg, "explain", "R2")["horizon"]["due"] is False


def test_an_analyst_score_starts_its_span_again(run, write, monkeypatch) -> None:
    reg = str(write(REG))
    monkeypatch.setattr(appending, "now_utc", lambda: "2025-09-01T09:00:00.000000Z")
    assert run("-r", reg, "--analyst", "alice", "score", "R2", "-l", "3", "-i", "2").exit_code == 0
    h = _json(run, "-r", reg, "explain", "R2", "--as-of", "2025-11-01")["horizon"]
    assert (h["start"], h["end"], h["due"]) == ("2025-09-01", "2026-09-01", False)
    assert _json(run, "-r", reg, "list", "--as-of", "2025-11-01")["due"] == []
    due = _json(run, "-r", reg, "list", "--as-of", "2026-09-02")["due"]
    assert [(d["id"], d["since"], d["by"]) for d in due] == [("R2", "2026-09-01", "alice"), ("R3", "2026-03-31", None)]


def test_set_gives_a_risk_or_an_assumption_its_horizon(run, write) -> None:
    reg = write(REG)
    r = run("set", "R2", "within", "18 months", "-r", str(reg))
    assert r.exit_code == 0, r.stderr
    assert "R2 within: — → 18 months" in r.stdout
    assert register.load(reg).risks[1].within == Span(18, SpanUnit.MONTHS)
    r = run("set", "A1", "by", "2026-01-31", "-r", str(reg))
    assert r.exit_code == 0, r.stderr
    assert register.load(reg).assumptions[0].by == "2026-01-31"
    # Both on one item, or a span riskcli cannot read, is refused and the file left as it was.
    before = reg.read_bytes()
    r = run("set", "R2", "by", "2026-01-31", "-r", str(reg))
    assert r.exit_code == 2 and "give by (a day) or within (a span of time), not both" in r.stderr
    r = run("set", "R2", "within", "soon", "-r", str(reg))
    assert r.exit_code == 2 and "within 'soon' is not a span" in r.stderr
    assert reg.read_bytes() == before
