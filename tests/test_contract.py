"""The JSON contract: shipped schemas match the result types, docs/json.md's table matches
the schemas, and the schemas themselves are sound."""

from __future__ import annotations

import inspect
import json
import re
import typing
from pathlib import Path

import jsonschema
import pytest

from riskcli.render import schema, view_for
from riskcli.results.types import RESULTS, ErrorResult, ExportData

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", sorted(schema.all_schemas()))
def test_shipped_schema_matches_the_result_types(name: str) -> None:
    shipped = (schema.SCHEMA_DIR / name).read_text(encoding="utf-8")
    assert shipped == schema.dumps(schema.all_schemas()[name]), (
        f"riskcli/schemas/{name} has drifted from the result types: run python -m riskcli.render.schema"
    )


def test_no_stale_schema_is_shipped() -> None:
    assert sorted(p.name for p in schema.SCHEMA_DIR.glob("*.json")) == sorted(schema.all_schemas())


def test_every_schema_is_valid_json_schema_and_names_itself() -> None:
    for cls in RESULTS:
        s = schema.schema_for(cls)
        jsonschema.Draft202012Validator.check_schema(s)
        assert s["properties"]["schema"] == {"const": s["$id"]}
        assert re.fullmatch(rf"riskcli/{re.escape(cls.SCHEMA)}/[1-9][0-9]*", s["$id"])


def test_the_json_page_matches_the_schemas() -> None:
    doc = (ROOT / "docs" / "json.md").read_text(encoding="utf-8")
    begin, end = doc.index(schema.DOC_BEGIN), doc.index(schema.DOC_END) + len(schema.DOC_END)
    assert doc[begin:end] == schema.doc_section(), (
        "docs/json.md's table has drifted from the schemas: run python -m riskcli.render.schema"
    )


def test_a_schema_rejects_a_wrong_shape() -> None:
    v = jsonschema.Draft202012Validator(json.loads((schema.SCHEMA_DIR / "list.json").read_text(encoding="utf-8")))
    good = {
        "schema": "riskcli/list/9",
        "register": {
            "path": "r.yaml",
            "id": None,
            "title": None,
            "as_of": None,
            "identity": "r.yaml",
            "fingerprint": "f",
        },
        "hypothetical": None,
        "as_of": None,
        "filters": {
            "actor": None,
            "category": None,
            "min_rating": None,
            "owner": None,
            "status": ["open", "treated", "accepted"],
            "treatment": None,
            "over_appetite": False,
            "overdue": False,
        },
        "count": 0,
        "shown": 0,
        "risks": [],
        "apart": 0,
        "disagree": [],
        "resolved": [],
        "due": [],
        "unassessed": [],
        "unrated": [],
    }
    assert v.is_valid(good)
    assert not v.is_valid({**good, "count": "0"})  # numbers are numbers
    assert not v.is_valid({**good, "extra": 1})  # no shape drifts in unannounced
    assert not v.is_valid({**good, "schema": "riskcli/list/1"})


def test_schema_command_prints_a_shipped_schema(run) -> None:
    listed = run("schema")
    assert listed.exit_code == 0 and "riskcli/matrix/7" in listed.stdout.splitlines()
    one = run("schema", "matrix")
    assert json.loads(one.stdout)["$id"] == "riskcli/matrix/7"
    bad = run("schema", "nope")
    assert bad.exit_code == 2 and bad.stderr.startswith("error: unknown view 'nope'")


def test_schema_command_lists_each_views_own_version(run) -> None:
    """A view whose shape changed is a new version; the listing and a request by name say which."""
    listed = run("schema").stdout.splitlines()
    assert "riskcli/lint-matrix/2" in listed and "riskcli/lint-matrix/1" not in listed
    assert json.loads(run("schema", "riskcli/lint-matrix/2").stdout)["$id"] == "riskcli/lint-matrix/2"
    old = run("schema", "riskcli/lint-matrix/1")
    assert old.exit_code == 2 and "it writes riskcli/lint-matrix/2" in old.stderr


def test_event_views_built_in_bulk_equal_the_constructed_ones() -> None:
    """convert.events builds views without their __init__ (for speed): same objects, as frozen."""
    import dataclasses

    from riskcli.results.shapes import events as ev

    common = {
        "line": 3,
        "id": "e",
        "at": "2026-01-01T00:00:00Z",
        "by": "a",
        "why": None,
        "register": "r",
        "undone": False,
    }
    cases = [
        (
            ev.ScoreEvent,
            {"risk": "R1", "likelihood": 2.0, "impact": 3.0, "said": ev.Said("70%", None), "confidence": None},
        ),
        (ev.BeliefEvent, {"assumption": "A1", "belief": 0.5, "said": "uncertain"}),
        (
            ev.ObserveEvent,
            {"indicator": "I1", "outcome": ev.Outcome.NONE, "source": "wire", "ref": "r-1", "on": "2026-01-01"},
        ),
        (ev.RespondEvent, {"response": "M1", "applied": False}),
        (ev.UndoEvent, {"undoes": "x", "undoes_line": 2}),
        (ev.AdoptEvent, {"from_register": "old.yaml"}),
        (ev.TornEvent, {"torn_lines": (4, 5)}),
    ]
    for cls, own in cases:
        built, made = ev.build(cls, **common, **own), cls(**common, **own)
        assert built == made and built.kind == made.kind and repr(built) == repr(made)
        with pytest.raises(dataclasses.FrozenInstanceError):
            built.line = 4  # type: ignore[misc]


SHOWN = [c for c in RESULTS if c not in (ErrorResult, ExportData)]  # an error is a line; ExportData a file's content


@pytest.mark.parametrize("cls", SHOWN, ids=lambda c: c.__name__)
def test_every_result_a_command_prints_has_a_view_of_its_own_class(cls: type) -> None:
    view = view_for(cls)
    first = next(iter(inspect.signature(view).parameters))
    assert typing.get_type_hints(view)[first] is cls


@pytest.mark.parametrize("cls", [ErrorResult, ExportData, str])
def test_a_class_without_a_view_is_refused_by_name(cls: type) -> None:
    with pytest.raises(TypeError, match=f"no view shows a {cls.__name__}$"):
        view_for(cls)
