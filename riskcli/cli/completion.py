"""Shell completion of ids: the risks, assumptions, indicators and responses of the register given
with --register (or RISKCLI_REGISTER), else the embedded one — read cheaply (no validation, no
journal), and never an error: a register that cannot be read completes nothing."""

from __future__ import annotations

import os
import re
from pathlib import Path

import typer

_UNSAFE = re.compile(r"[^\w .,-]+")


def _register(ctx: typer.Context) -> Path | None:
    value = ctx.find_root().params.get("register") or os.environ.get("RISKCLI_REGISTER")
    return Path(value) if value else None


def _ids(ctx: typer.Context, incomplete: str, sections: tuple[str, ...]) -> list[tuple[str, str]]:
    from riskcli.model import RiskcliError
    from riskcli.register import edit, embedded_register_path

    try:
        path = _register(ctx) or embedded_register_path()
    except RiskcliError:
        return []
    key = incomplete.lower()
    out = []
    for section in sections:
        for ident, title in edit.item_ids(path, section):
            if ident.lower().startswith(key):
                # The title is help text a shell shows beside the id (zsh and fish evaluate it):
                # only letters, digits, spaces and . , - reach it.
                out.append((ident, " ".join(_UNSAFE.sub(" ", title).split())[:60]))
    return out


def complete_risks(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("risks",))


def complete_assumptions(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("assumptions",))


def complete_indicators(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("indicators",))


def complete_responses(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("responses",))


def complete_items(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    return _ids(ctx, incomplete, ("risks", "assumptions", "indicators", "responses"))
