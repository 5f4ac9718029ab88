"""The register format's JSON Schema (for editors) and the pre-commit hook: the conventions that let
a register be checked where it is written and where it is committed."""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from riskcli.model import RegisterError
from riskcli.register import fields, rules_formats
from riskcli.register import schema as register_schema
from riskcli.register.sections import load_text

from conftest import BAD

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = json.loads(register_schema.SCHEMA_PATH.read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SHIPPED)


def _data(text: str) -> Any:
    """A register as an editor's YAML language server sees it: dates are text (YAML 1.2)."""

    def plain(x: Any) -> Any:
        if isinstance(x, dict):
            return {str(k): plain(v) for k, v in x.items()}
        if isinstance(x, list):
            return [plain(v) for v in x]
        if isinstance(x, (datetime.date, datetime.datetime)):
            return x.isoformat()
        return x

    return plain(yaml.safe_load(text))


def _examples() -> list[tuple[str, str]]:
    """Every register in the README and the docs (a YAML block with ``risks:``)."""
    out = []
    for name in ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]:
        blocks = re.findall(r"```yaml\n(.*?)```", (ROOT / name).read_text(encoding="utf-8"), re.S)
        out += [(f"{name} #{i}", b) for i, b in enumerate(blocks) if re.search(r"^risks:", b, re.M)]
    return out


# --------------------------------------------------------------------------- the schema


def test_the_shipped_schema_is_generated_from_the_loader() -> None:
    assert register_schema.SCHEMA_PATH.read_text(encoding="utf-8") == register_schema.dumps(register_schema.build()), (
        "riskcli/formats/register.schema.json has drifted from the format: run python -m riskcli.register.schema"
    )


def test_it_is_a_valid_draft_2020_12_schema_that_names_itself() -> None:
    jsonschema.Draft202012Validator.check_schema(SHIPPED)
    from riskcli.cli.files import REGISTER_FORMAT

    assert SHIPPED["$id"] == register_schema.NAME == REGISTER_FORMAT


@pytest.mark.parametrize("item", fields.items(), ids=lambda item: item.name)
def test_every_item_of_the_table_is_described_with_its_keys_in_order(item: fields.Item) -> None:
    found = [SHIPPED] if item is fields.REGISTER else [SHIPPED["$defs"].get(item.name)]
    if found[0] is None:  # described where it is used (the conditional beliefs of given, acknowledgements)
        found = list(_objects_with_keys(SHIPPED, item.keys))
    assert found, f"no schema of {item.name}"
    for where in found:
        assert tuple(where["properties"]) == item.keys and where["additionalProperties"] is False
        assert where.get("required", []) == list(item.required)


def _objects_with_keys(schema: Any, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    if isinstance(schema, dict):
        here = [schema] if tuple(schema.get("properties", ())) == keys else []
        return here + [x for v in schema.values() for x in _objects_with_keys(v, keys)]
    if isinstance(schema, list):
        return [x for v in schema for x in _objects_with_keys(v, keys)]
    return []


def test_the_rules_parts_of_the_table_are_the_keys_rules_formats_reads() -> None:
    """Scales and rating are read by rules_formats (as a rules file's are): the table only
    describes them, so it is held to the keys that reader accepts."""
    assert fields.LEVEL.keys == rules_formats._SCALE_KEYS
    assert fields.BAND.keys == rules_formats._BAND_KEYS
    assert fields.RATING.keys == ("bands", "grid")
    assert fields.SCALES.keys == ("likelihood", "impact")


@pytest.mark.parametrize(
    "path",
    ["rules/register.yaml", "rules/starter.yaml", "tests/data/full.yaml"],
)
def test_it_accepts_the_shipped_registers(path: str) -> None:
    errors = [e.message for e in VALIDATOR.iter_errors(_data((ROOT / path).read_text(encoding="utf-8")))]
    assert errors == []


@pytest.mark.parametrize(("where", "text"), _examples(), ids=[w for w, _ in _examples()])
def test_it_accepts_every_example_riskcli_accepts(where: str, text: str) -> None:
    try:
        load_text(text, where)
    except RegisterError:
        pytest.skip("an illustration, not a whole register (riskcli refuses it too)")
    assert [e.message for e in VALIDATOR.iter_errors(_data(text))] == []


def test_the_docs_have_register_examples() -> None:
    assert len([w for w, _ in _examples() if w.startswith("docs/looking.md")]) >= 2
    assert len([w for w, _ in _examples() if w.startswith("docs/editing.md")]) >= 1


# Bad registers whose problem is one of shape or type, which a JSON Schema can express. The rest
# of tests/bad/ needs the loader: YAML syntax, duplicates, references, scales, alias bombs, tags.
TYPE_ERRORS = [
    "belief_out_of_range",
    "control_chars_in_key",
    "empty",
    "empty_risks",
    "grid_row_not_a_list",
    "huge_integer_shift",
    "id_trailing_newline",
    "invalid_id",
    "likelihood_boolean",
    "likelihood_zero",
    "lone_actor_not_an_id",
    "missing_risks",
    "null_risk",
    "one_bad_belief_no_knock_on",
    "only_comments",
    "review_every_huge",
    "risk_missing_title",
    "risks_not_a_list",
    "rules_file_as_register",
    "shift_not_a_number",
    "title_is_a_list",
    "top_level_list",
    "top_level_scalar",
    "unknown_key_typo",
    "unknown_top_level_key",
    "unsupported_format",
]


@pytest.mark.parametrize("name", TYPE_ERRORS)
def test_it_rejects_the_type_errors_of_the_bad_register_corpus(name: str) -> None:
    text = (BAD / f"{name}.yaml").read_text(encoding="utf-8")
    with pytest.raises(RegisterError):
        load_text(text, name)  # riskcli refuses it …
    assert not VALIDATOR.is_valid(_data(text))  # … and so does an editor with the schema


def test_words_are_read_as_the_loader_reads_them() -> None:
    risk = {"id": "R1", "title": "x", "likelihood": "possible", "impact": 5}
    assert VALIDATOR.is_valid({"risks": [{**risk, "confidence": " High "}]})
    assert not VALIDATOR.is_valid({"risks": [{**risk, "confidence": "very"}]})
    assumption = {"id": "A1", "statement": "s", "belief": "70%", "support": "Caveated"}
    assert VALIDATOR.is_valid({"risks": [risk], "assumptions": [assumption]})
    assert not VALIDATOR.is_valid({"risks": [risk], "assumptions": [{**assumption, "support": "firm"}]})
    assert VALIDATOR.is_valid({"risks": [{**risk, "id": 2024, "title": 2024}]})  # read as text


def test_schema_register_prints_it_and_schema_lists_it(run) -> None:
    one = run("schema", "register")
    assert one.exit_code == 0 and json.loads(one.stdout) == SHIPPED
    assert run("schema", "riskcli/register-format/1").stdout == one.stdout
    listed = run("schema").stdout.splitlines()
    assert "riskcli/register-format/1" in listed and "riskcli/matrix/7" in listed


def test_a_starter_register_validates_against_it(run, tmp_path) -> None:
    path = tmp_path / "mine.yaml"
    assert run("init", str(path)).exit_code == 0
    assert VALIDATOR.is_valid(_data(path.read_text(encoding="utf-8")))


def test_the_docs_show_the_language_server_line() -> None:
    readme = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in readme
    assert "riskcli/formats/register.schema.json" in readme
    assert "riskcli schema register > register.schema.json" in readme


# --------------------------------------------------------------------------- pre-commit


HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def test_the_pre_commit_hook_runs_validate_on_the_files_given() -> None:
    hook = HOOKS[0]
    assert hook["id"] == "riskcli-validate" and hook["entry"] == "riskcli validate"
    assert hook["language"] == "python" and hook["pass_filenames"] is True


@pytest.mark.parametrize(
    ("path", "matched"),
    [
        ("register.yaml", True),
        ("risks.yml", True),
        ("team/supply-risks.yaml", True),
        ("q3.register.yaml", True),
        ("risk.yaml", True),
        (".github/workflows/ci.yaml", False),
        ("docker-compose.yml", False),
        ("registers.txt", False),
        ("my_registry.yaml", False),
    ],
)
def test_the_hook_picks_registers_by_name(path: str, matched: bool) -> None:
    assert bool(re.search(HOOKS[0]["files"], path)) is matched


def test_validate_reports_each_of_several_registers(run, write) -> None:
    good = write("risks:\n  - {id: R1, title: x, likelihood: 1, impact: 1}\n", "good.yaml")
    bad = write("risks:\n  - {id: R1, titel: x, likelihood: 1, impact: 1}\n", "bad.yaml")
    result = run("validate", str(good), str(bad))
    assert result.exit_code == 2
    assert result.stdout == f"ok: {good}: 1 risk\n"
    assert result.stderr.startswith(f"error: {bad}:2:14: risk R1: unknown key 'titel'")
    assert run("validate", str(good), str(good)).exit_code == 0
    refused = run("validate", str(good), str(bad), "--json")
    assert refused.exit_code == 2 and "one register at a time" in refused.stderr


def test_the_docs_show_the_pre_commit_snippet() -> None:
    readme = (ROOT / "docs" / "editing.md").read_text(encoding="utf-8")
    snippet = re.search(r"```yaml\n(repos:.*?)```", readme, re.S)
    assert snippet is not None
    (repo,) = yaml.safe_load(snippet.group(1))["repos"]
    assert [h["id"] for h in repo["hooks"]] == ["riskcli-validate"]
