"""Text safety and output streams, without Rich (so that --help and usage errors load none of it).

Every string that comes from a register or a journal goes through ``clean`` before it is shown:
C0/C1 controls, bidi and invisible formatting characters and lone surrogates become visible
symbols instead of reaching the terminal. ``Out`` is where one command writes.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sys
from typing import IO, TextIO

from riskcli.model import UserError
from riskcli.records import mutable

# C0 controls except newline, DEL, C1 controls; bidi marks, overrides and isolates (incl. the Arabic
# letter mark); zero-width and invisible formatting characters; line and paragraph separators; the
# soft hyphen; tag characters; and lone surrogates (a non-UTF-8 name), which no stream can encode.
# Compiled on first use (about a millisecond), by the first value that is not printable.
_CONTROL = (
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
    "\U000e0000-\U000e007f\ud800-\udfff]"
)
LIMIT = 4000  # characters of one value shown on a terminal


def _picture(m: re.Match[str]) -> str:
    c = ord(m.group())
    if c == 0x09:
        return " "
    if c < 0x20:
        return chr(0x2400 + c)  # ␛ for ESC, ␍ for CR, …
    if c == 0x7F:
        return "\u2421"  # ␡
    if 0xD800 <= c <= 0xDFFF:
        return "\ufffd"
    return f"<U+{c:04X}>"


def clean(text: object, *, one_line: bool = False, limit: int | None = None) -> str:
    """Text from a file made safe to print: no control character reaches the terminal. With a
    ``limit``, a longer value is cut there, with a note of how much was left out."""
    s = str(text)
    if s.isprintable() and (limit is None or len(s) <= limit):
        return s  # the common case: isprintable() is false for every character made visible below
    if limit is not None and len(s) > limit:
        s = s[:limit] + f"… [{len(s) - limit:,} more characters; --json shows all]"
    s = re.sub(_CONTROL, _picture, s)
    if one_line:
        s = s.replace("\n", " ")
    return s


def tsv(text: str) -> str:
    """One field of a tab-separated line: cleaned to one line, its own tabs as spaces."""
    return clean(text, one_line=True).replace("\t", " ")


def quiet_stdout() -> None:
    """Send the rest of stdout nowhere (its reader has gone)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    with contextlib.suppress(OSError, ValueError, AttributeError):
        os.dup2(devnull, sys.stdout.fileno())


def _is_terminal(stream: IO[str]) -> bool:
    """Whether output is read by a person. TTY_COMPATIBLE=1 says so for a terminal that is not a
    TTY (TTY_COMPATIBLE=0 the opposite); FORCE_COLOR never changes the layout of piped output."""
    forced = os.environ.get("TTY_COMPATIBLE", "")
    if forced in ("0", "1"):
        return forced == "1"
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(terminal: bool) -> int | None:
    """COLUMNS when it is a sane width; else the terminal's own (80 when piped). Rich alone would
    print nothing at all at COLUMNS=0."""
    cols = os.environ.get("COLUMNS", "")
    if cols.strip().isascii() and cols.strip().isdigit() and int(cols) >= 20:
        return min(int(cols), 1000)
    if cols:
        return shutil.get_terminal_size((80, 24)).columns if terminal else 80
    return None


@mutable
class Out:
    """Where one command writes: data to stdout, messages to stderr. Made per command, so that
    nothing about one invocation lasts into the next."""

    stdout: TextIO
    stderr: TextIO
    terminal: bool  # stdout is read by a person: Rich tables; else plain lines

    @classmethod
    def open(cls) -> Out:
        return cls(sys.stdout, sys.stderr, _is_terminal(sys.stdout))

    def error(self, message: str) -> None:
        """One line on stderr: ``error: …`` (cleaned, never markup)."""
        self.stderr.write(f"error: {clean(message, one_line=True)}\n")

    def warn(self, message: str) -> None:
        self.stderr.write(f"warning: {clean(message, one_line=True)}\n")

    def note(self, message: str) -> None:
        self.stderr.write(f"{clean(message, one_line=True)}\n")

    def prompt(self, text: str) -> str | None:
        """Ask on stderr, read a line from stdin; None at end of input (Ctrl-D)."""
        self.stderr.write(text)
        self.stderr.flush()
        try:
            line = sys.stdin.readline()
        except UnicodeDecodeError:
            self.stderr.write("\n")
            raise UserError("the answer is not valid UTF-8 text; check your terminal's encoding") from None
        if not line:
            return None
        return line.rstrip("\r\n")
