"""What travels with a register: its source text (for the evidence check) and the starter file."""

from __future__ import annotations

from pathlib import Path

from riskcli.model import Register
from riskcli.register.source import data_dir


# --------------------------------------------------------------------------- companions


def source_text(reg: Register) -> tuple[Path | None, str | None]:
    """The register's source text (``source.file``, relative to the register), if it has one."""
    if not reg.source.file:
        return None, None
    base = (data_dir() if reg.embedded else Path(reg.path).parent).resolve()
    path = (base / reg.source.file).resolve()
    if not path.is_relative_to(base):
        return path, None
    try:
        if not path.is_file() or path.stat().st_size > 64 * 2**20:
            return path, None
        return path, path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return path, None


def evidence_warnings(reg: Register) -> list[str]:
    """Evidence quotes that are not verbatim in the register's source text."""
    path, text = source_text(reg)
    if path is None:
        return []
    if text is None:
        return [f"source.file {reg.source.file!r} is not a readable UTF-8 text file in the register's folder"]
    out = []
    items: list[tuple[str, str]] = [
        *((f"assumption {a.id}", a.evidence) for a in reg.assumptions),
        *((f"risk {r.id}", r.evidence) for r in reg.risks),
        *((f"indicator {i.id}", i.evidence) for i in reg.indicators),
        *((f"response {m.id}", m.evidence) for m in reg.responses),
    ]
    for what, quote in items:
        if quote and quote not in text:
            out.append(f"{what}: evidence is not a verbatim quote of {reg.source.file}")
    return out


def write_starter(path: Path, *, force: bool = False) -> None:
    """Write the commented starter register (rules/starter.yaml) to ``path``."""
    from riskcli.files import atomic_write_text

    text = (data_dir() / "starter.yaml").read_text(encoding="utf-8")
    atomic_write_text(path, text, overwrite=force)
