"""The docs name every command, the README's quick start is two commands and CI runs both, and the
docs site lists every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from riskcli.cli.app import whole_app

app = whole_app()  # every command registered

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
PAGES = sorted((ROOT / "docs").glob("*.md"))
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in PAGES)
COMMANDS = sorted(c.name or c.callback.__name__ for c in app.registered_commands)


def test_there_are_commands() -> None:
    assert {"list", "show", "assumptions", "matrix", "validate", "init"} <= set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_examples(run, command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.stdout
    assert "Examples" in result.stdout


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_in_the_docs(command: str) -> None:
    assert re.search(rf"riskcli {re.escape(command)}\b", DOCS), f"`riskcli {command}` is in neither README.md nor docs/"


def _quick_start() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", section, re.S)
    return [
        line.strip() for block in blocks for line in block.splitlines() if line.strip() and not line.startswith("#")
    ]


def test_quick_start_is_two_commands_install_and_test() -> None:
    """The first installs riskcli alone and shows the matrix; the second adds the test tools and runs the tests."""
    first, second = _quick_start()
    assert "pip install -e . " in first and first.endswith("&& riskcli matrix") and "[test]" not in first
    assert "pip install -e '.[test]'" in second and second.endswith("python -m pytest")


def test_ci_runs_the_readme_commands_as_written() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    for command in _quick_start():
        assert command in ci, f"{command!r} is not a line of .ci/run"


def test_exit_codes_are_documented() -> None:
    section = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8").split("## Exit codes", 1)[1]
    for code in ("0", "1", "2"):
        assert f"| {code} |" in section


def test_every_coherence_warning_that_can_fire_is_in_the_format_docs_table() -> None:
    """Each finding code riskcli can report (W-<code>-…) has a row in docs/register-format.md."""
    from riskcli.scoring import FindingCode

    doc = (ROOT / "docs" / "register-format.md").read_text(encoding="utf-8")
    table = doc.split("## Coherence warnings", 1)[1].split("\n## ", 1)[0]
    rows = {m.group(1) for m in re.finditer(r"`W-([a-z-]+?)-[A-Z]", table)}
    missing = [c.value for c in FindingCode if c.value not in rows]
    assert not missing, f"coherence warnings missing from the table in docs/register-format.md: {missing}"


def _nav_pages(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, list):
        return [p for item in node for p in _nav_pages(item)]
    if isinstance(node, dict):
        return [p for value in node.values() for p in _nav_pages(value)]
    return []


def test_the_site_lists_every_page_once() -> None:
    import yaml

    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    listed = _nav_pages(config["nav"])
    assert sorted(listed) == sorted(p.name for p in PAGES), "mkdocs.yml's nav and docs/*.md differ"
    assert config["strict"] is True


def test_the_readme_links_to_pages_that_exist() -> None:
    for target in re.findall(r"\]\((docs/[^)#]+)", README):
        assert (ROOT / target).is_file(), target
