"""The only YAML reader: registers and rules files, validated completely, with line numbers.

The file is composed into YAML nodes (libyaml's C parser when present) and validated by walking
the nodes directly, so every problem carries its line and column, and nothing is ever built from
a tag riskcli does not know. The walk only descends where the format expects structure, and a
budget bounds how much aliased structure it will expand, so an alias bomb is refused instead of
walked. Duplicate keys, several documents, unknown keys and unsafe tags are all errors.
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from riskcli.model import (
    Actor,
    Assumption,
    Band,
    BeliefUpdate,
    Driver,
    Effect,
    Indicator,
    Level,
    OperationalError,
    Phrase,
    Problem,
    Rating,
    Register,
    RegisterError,
    Response,
    Risk,
    Rules,
    Scale,
    Scenario,
    Shift,
    Source,
    UserError,
    Words,
)
from riskcli.perf import gc_paused
from riskcli.rules import derived_grid, normalise, parse_belief, parse_level

try:  # libyaml's parser is an order of magnitude faster
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

EMBEDDED = "(embedded)"
MAX_PROBLEMS = 50
MAX_FILE_BYTES = 1 << 30  # 1 GiB: far above 100,000 risks (about 55 MB)
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")
_YAML_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL, _TS = (
    _YAML_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")
)
_SEQ, _MAP, _MERGE = _YAML_TAG + "seq", _YAML_TAG + "map", _YAML_TAG + "merge"
_SCALAR_TAGS = frozenset({_STR, _INT, _FLOAT, _BOOL, _NULL, _TS, _MERGE})


# --------------------------------------------------------------------------- locating files


def data_dir() -> Path:
    """Where the shipped register and rules live: inside the wheel, or rules/ in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "data", here.parent / "rules"):
        if (candidate / "register.yaml").is_file():
            return candidate
    raise OperationalError(
        "error: the embedded register is missing from this installation; reinstall riskcli"
    )


def embedded_register_path() -> Path:
    return data_dir() / "register.yaml"


def default_rules_path() -> Path:
    return data_dir() / "rules.yaml"


# --------------------------------------------------------------------------- reading text


def read_text(path: Path, shown: str) -> str:
    """Read a UTF-8 text file, refusing empty, binary and undecodable files with one line."""
    try:
        st = path.stat()
        if stat.S_ISDIR(st.st_mode):
            raise UserError(f"{shown}: is a directory, not a file")
        if not stat.S_ISREG(st.st_mode):
            raise UserError(f"{shown}: not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            raise UserError(f"{shown}: {st.st_size / 2**20:.0f} MiB is larger than riskcli reads ({MAX_FILE_BYTES // 2**20} MiB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{shown}: is a directory, not a file") from None
    except PermissionError:
        raise UserError(f"{shown}: permission denied") from None
    except OSError as e:
        raise OperationalError(f"{shown}: cannot read: {e.strerror or e}") from None
    if not data.strip():
        raise RegisterError([Problem(shown, 1, 1, "the file is empty")])
    if b"\x00" in data:
        raise RegisterError([Problem(shown, 1, 1, "this is a binary file, not YAML text")])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise RegisterError(
            [Problem(shown, line, col, "the file is not UTF-8 text (byte %#04x)" % data[e.start])]
        ) from None
    return text


def compose(text: str, shown: str) -> Node:
    """One YAML document as nodes, or a located error."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        what = e.problem or e.context or "invalid YAML"
        if "expected a single document" in (e.context or ""):
            what = "several YAML documents in one file; a register is a single document"
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise RegisterError([Problem(shown, line, col, f"YAML syntax: {what}")]) from None
    except yaml.YAMLError as e:  # e.g. a reader error on a control character
        raise RegisterError([Problem(shown, 1, 1, f"YAML: {_short(str(e), 120)}")]) from None
    except RecursionError:
        raise RegisterError([Problem(shown, 1, 1, "YAML nesting is too deep")]) from None
    finally:
        loader.dispose()
    if node is None:
        raise RegisterError([Problem(shown, 1, 1, "the file holds no YAML document (only comments?)")])
    return node


# --------------------------------------------------------------------------- the node walker


class _Abort(Exception):
    """Stop walking: the file is not worth reading further (alias bomb, too many problems)."""


class _Reader:
    """Validates nodes against the format, collecting every problem with its location."""

    def __init__(self, shown: str, text_length: int):
        self.file = shown
        self.problems: list[Problem] = []
        self.more = 0
        self.ctor = SafeConstructor()
        # Alias expansion budget: a legitimate file visits about as many nodes as it has text;
        # an alias bomb visits vastly more.
        self.budget = 100_000 + 2 * text_length

    # -- problems

    def err(self, node: Node, message: str) -> None:
        if len(self.problems) >= MAX_PROBLEMS:
            self.more += 1
            return
        m = node.start_mark
        self.problems.append(Problem(self.file, m.line + 1, m.column + 1, message))

    def hint(self, key: str, allowed: Iterable[str]) -> str:
        """``_did_you_mean`` — skipped once no more problems will be shown (it costs time)."""
        return "" if len(self.problems) >= MAX_PROBLEMS else _did_you_mean(key, allowed)

    def spend(self, n: int, node: Node) -> None:
        self.budget -= n
        if self.budget < 0:
            self.err(node, "the file expands to far more data than it holds (YAML alias bomb?)")
            raise _Abort

    def tag_ok(self, node: Node, what: str) -> bool:
        tag = node.tag
        if tag in _SCALAR_TAGS or tag == _SEQ or tag == _MAP:
            return True
        shown = "!!" + tag[len(_YAML_TAG):] if tag.startswith(_YAML_TAG) else tag
        self.err(node, f"{what}: unsupported YAML tag {_short(shown, 60)} (riskcli reads plain YAML only)")
        return False

    # -- shapes

    def mapping(
        self,
        node: Node,
        what: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
    ) -> dict[str, tuple[Node, Node]] | None:
        if not self.tag_ok(node, what):
            return None
        if not isinstance(node, MappingNode):
            self.err(node, f"{what} must be a mapping (key: value), not {_kind(node)}")
            return None
        self.spend(1 + len(node.value), node)
        out: dict[str, tuple[Node, Node]] = {}
        if not isinstance(allowed, tuple):
            allowed = tuple(allowed)
        for k, v in node.value:
            if not isinstance(k, ScalarNode) or k.tag == _MERGE:
                self.err(k, f"{what}: keys must be plain names" + (" (merge keys '<<' are not supported)" if k.tag == _MERGE else ""))
                continue
            key = k.value
            if key in out:
                first = out[key][0].start_mark.line + 1
                self.err(k, f"{what}: duplicate key {_short(key)} (first at line {first}); YAML would silently keep only the last")
                continue
            if key not in allowed:
                self.err(k, f"{what}: unknown key {_short(key)}{self.hint(key, allowed)}")
                continue
            out[key] = (k, v)
        for key in required:
            if key not in out:
                self.err(node, f"{what}: missing required key {key!r}")
        return out

    def sequence(self, node: Node, what: str) -> list[Node] | None:
        if not self.tag_ok(node, what):
            return None
        if not isinstance(node, SequenceNode):
            self.err(node, f"{what} must be a list, not {_kind(node)}")
            return None
        self.spend(1 + len(node.value), node)
        return node.value

    def scalar(self, node: Node, what: str) -> Any:
        """A scalar's Python value; ``_BAD`` after reporting a problem."""
        if not self.tag_ok(node, what):
            return _BAD
        if not isinstance(node, ScalarNode):
            self.err(node, f"{what} must be a single value, not {_kind(node)}")
            return _BAD
        tag = node.tag
        if tag == _STR or tag == _TS or tag == _MERGE:
            return node.value
        if tag == _NULL:
            return None
        try:
            if tag == _INT:
                return self.ctor.construct_yaml_int(node)
            if tag == _FLOAT:
                return self.ctor.construct_yaml_float(node)
            if tag == _BOOL:
                return self.ctor.construct_yaml_bool(node)
        except (ValueError, yaml.YAMLError):
            self.err(node, f"{what}: cannot read {_short(node.value)} as {tag[len(_YAML_TAG):]}")
            return _BAD
        return node.value  # pragma: no cover - tag_ok admits nothing else

    def text(self, node: Node, what: str) -> str | None:
        """A string; numbers and dates are taken as their text (a title may be ``2024``)."""
        v = self.scalar(node, what)
        if v is _BAD:
            return None
        if v is None:
            self.err(node, f"{what} is empty")
            return None
        if isinstance(v, bool):
            self.err(node, f"{what} must be text, not {_short(node.value)} (a yes/no value); quote it")
            return None
        return node.value if not isinstance(v, str) else v

    def ident(self, node: Node, what: str) -> str | None:
        v = self.text(node, what)
        if v is None:
            return None
        if not _ID.match(v):
            self.err(node, f"{what} {_short(v)} is not a valid id (letters, digits, '_', '-', '.', ':'; up to 64)")
            return None
        return v

    def number(self, node: Node, what: str) -> float | None:
        v = self.scalar(node, what)
        if v is _BAD:
            return None
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            self.err(node, f"{what} must be a number, not {_short(node.value) if isinstance(node, ScalarNode) else _kind(node)}")
            return None
        try:
            x = float(v)
        except OverflowError:
            x = math.inf
        if not math.isfinite(x):
            self.err(node, f"{what} must be a finite number, not {_short(node.value)}")
            return None
        return x

    def text_list(self, node: Node, what: str) -> tuple[str, ...]:
        if isinstance(node, ScalarNode) and node.tag == _STR:
            return (node.value,)  # a single actor may be written without brackets
        items = self.sequence(node, what)
        if items is None:
            return ()
        out = []
        for i, item in enumerate(items):
            v = self.ident(item, f"{what}[{i + 1}]")
            if v is not None:
                out.append(v)
        return tuple(out)

    def unique_ids(self, items: list[tuple[str, Node]], what: str) -> None:
        seen: dict[str, int] = {}
        for ident, node in items:
            if ident in seen:
                self.err(node, f"duplicate {what} id {_short(ident)} (first at line {seen[ident]})")
            else:
                seen[ident] = node.start_mark.line + 1


class _Bad:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<invalid>"


_BAD: Any = _Bad()


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "an empty value"
    return f"the value {_short(node.value)}"


def _short(s: object, limit: int = 40) -> str:
    """A user value fit for a one-line message: bounded, one line, quoted."""
    text = str(s)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


def _did_you_mean(key: str, allowed: Iterable[str]) -> str:
    """A hint for an unknown name: the closest known one, else (for short lists) all of them."""
    import difflib

    names = list(allowed)
    if len(names) > 200:  # a large register: compare with names of about the same length only
        names = [n for n in names if abs(len(n) - len(key)) <= 2][:2000]
    close = difflib.get_close_matches(key.lower(), names, n=1, cutoff=0.6)
    if not close and names is not allowed:
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    all_names = sorted(allowed)
    if len(all_names) > 30:
        return ""
    return f"; expected one of: {', '.join(all_names)}"


# --------------------------------------------------------------------------- rules


_SCALE_KEYS = ("value", "name", "description", "probability")
_BAND_KEYS = ("id", "name", "color", "description")
_WORDS_KEYS = ("icd203", "beliefs", "labels")
_RULES_KEYS = ("format", "scales", "rating", "words", "review_every")


def _read_scale(r: _Reader, node: Node, kind: str) -> Scale | None:
    items = r.sequence(node, f"scales.{kind}")
    if items is None:
        return None
    if len(items) < 2:
        r.err(node, f"scales.{kind} needs at least 2 levels")
        return None
    if len(items) > 12:
        r.err(node, f"scales.{kind} has {len(items)} levels; at most 12 are supported")
        return None
    levels: list[Level] = []
    ok = True
    for i, item in enumerate(items, start=1):
        where = f"scales.{kind}[{i}]"
        m = r.mapping(item, where, _SCALE_KEYS, ("name",))
        if m is None:
            ok = False
            continue
        if "value" in m:
            v = r.number(m["value"][1], f"{where}.value")
            if v is not None and v != i:
                r.err(m["value"][1], f"{where}.value must be {i}: levels are numbered 1..N in order")
                ok = False
        name = r.text(m["name"][1], f"{where}.name") if "name" in m else None
        desc = r.text(m["description"][1], f"{where}.description") if "description" in m else ""
        low = high = None
        if "probability" in m:
            pnode = m["probability"][1]
            if kind != "likelihood":
                r.err(pnode, f"{where}: only likelihood levels have probability bands")
                ok = False
            else:
                band = r.sequence(pnode, f"{where}.probability")
                if band is not None and len(band) == 2:
                    low, high = (r.number(b, f"{where}.probability") for b in band)
                    if low is None or high is None:
                        ok = False
                    elif not (0.0 <= low < high <= 1.0):
                        r.err(pnode, f"{where}.probability must be [low, high] with 0 ≤ low < high ≤ 1")
                        ok = False
                elif band is not None:
                    r.err(pnode, f"{where}.probability must be [low, high]")
                    ok = False
        if name is None or desc is None:
            ok = False
            continue
        levels.append(Level(i, name, desc or "", low, high))
    if not ok:
        return None
    has = [lv.low is not None for lv in levels]
    if any(has) and not all(has):
        r.err(node, f"scales.{kind}: give a probability band for every level or for none")
        return None
    if all(has):
        for a, b in zip(levels, levels[1:]):
            if abs((a.high or 0) - (b.low or 0)) > 1e-9:
                r.err(node, f"scales.{kind}: probability bands must be contiguous ({a.name} ends at {a.high}, {b.name} starts at {b.low})")
                return None
    names = [normalise(lv.name) for lv in levels]
    if len(set(names)) != len(names):
        r.err(node, f"scales.{kind}: level names must be distinct")
        return None
    return Scale(kind, tuple(levels))


def _read_rating(r: _Reader, node: Node) -> tuple[tuple[Band, ...] | None, tuple[tuple[str, ...], ...] | None, Node | None]:
    m = r.mapping(node, "rating", ("bands", "grid"))
    if m is None:
        return None, None, None
    bands: tuple[Band, ...] | None = None
    if "bands" in m:
        items = r.sequence(m["bands"][1], "rating.bands")
        if items is not None:
            out = []
            for i, item in enumerate(items, start=1):
                bm = r.mapping(item, f"rating.bands[{i}]", _BAND_KEYS, ("id",))
                if bm is None or "id" not in bm:
                    continue
                bid = r.ident(bm["id"][1], f"rating.bands[{i}].id")
                name = r.text(bm["name"][1], f"rating.bands[{i}].name") if "name" in bm else bid
                color = r.text(bm["color"][1], f"rating.bands[{i}].color") if "color" in bm else "default"
                if bid and name and color:
                    out.append(Band(bid, name, _colour(color)))
            r.unique_ids([(b.id, items[i]) for i, b in enumerate(out)], "band")
            if out:
                bands = tuple(out)
            else:
                r.err(m["bands"][1], "rating.bands needs at least one band")
    grid = None
    grid_node = m["grid"][1] if "grid" in m else None
    if grid_node is not None:
        rows = r.sequence(grid_node, "rating.grid")
        if rows is not None:
            parsed = []
            for i, row in enumerate(rows, start=1):
                cells = r.sequence(row, f"rating.grid row {i}")
                if cells is None:
                    continue
                parsed.append(tuple(r.text(c, f"rating.grid row {i}") or "" for c in cells))
            grid = tuple(parsed)
    return bands, grid, grid_node


def _check_grid(r: _Reader, node: Node | None, grid, bands, nl: int, ni: int) -> bool:
    if node is None:
        return True
    ids = {b.id for b in bands}
    if len(grid) != nl:
        r.err(node, f"rating.grid has {len(grid)} rows; the likelihood scale has {nl} levels (one row per level, level 1 first)")
        return False
    ok = True
    for i, row in enumerate(grid, start=1):
        if len(row) != ni:
            r.err(node, f"rating.grid row {i} has {len(row)} cells; the impact scale has {ni} levels")
            ok = False
        for c in row:
            if c and c not in ids:
                r.err(node, f"rating.grid row {i}: unknown band {_short(c)}{r.hint(c, ids)}")
                ok = False
    return ok


def _read_words(r: _Reader, node: Node, base: Words) -> Words:
    m = r.mapping(node, "words", _WORDS_KEYS)
    if m is None:
        return base
    icd, beliefs, labels = base.icd203, base.beliefs, base.labels
    if "icd203" in m:
        groups = []
        for i, item in enumerate(r.sequence(m["icd203"][1], "words.icd203") or (), start=1):
            gm = r.mapping(item, f"words.icd203[{i}]", ("phrases", "range"), ("phrases", "range"))
            if not gm or "phrases" not in gm or "range" not in gm:
                continue
            phrases = [r.text(p, f"words.icd203[{i}].phrases") for p in r.sequence(gm["phrases"][1], f"words.icd203[{i}].phrases") or ()]
            rng = [r.number(p, f"words.icd203[{i}].range") for p in r.sequence(gm["range"][1], f"words.icd203[{i}].range") or ()]
            if len(rng) != 2 or None in rng or not (0 <= rng[0] <= rng[1] <= 1):  # type: ignore[operator]
                r.err(gm["range"][1], f"words.icd203[{i}].range must be [low, high] within 0..1")
                continue
            groups.append(Phrase(tuple(normalise(p) for p in phrases if p), rng[0], rng[1]))  # type: ignore[arg-type]
        icd = tuple(groups)
    if "beliefs" in m:
        bm = r.mapping(m["beliefs"][1], "words.beliefs", _ANY)
        if bm is not None:
            out = []
            for word, (_, v) in bm.items():
                b = r.number(v, f"words.beliefs.{word}")
                if b is not None:
                    if not 0 <= b <= 1:
                        r.err(v, f"words.beliefs.{word} must be between 0 and 1")
                    out.append((word, b))
            beliefs = tuple(out)
    if "labels" in m:
        out_l = []
        for i, item in enumerate(r.sequence(m["labels"][1], "words.labels") or (), start=1):
            lm = r.mapping(item, f"words.labels[{i}]", ("label", "min"), ("label", "min"))
            if lm and "label" in lm and "min" in lm:
                label, mn = r.text(lm["label"][1], "label"), r.number(lm["min"][1], "min")
                if label and mn is not None:
                    out_l.append((label, mn))
        labels = tuple(sorted(out_l, key=lambda x: -x[1]))
    return Words(icd, beliefs, labels)


def _merge_rules(
    r: _Reader, m: dict[str, tuple[Node, Node]], base: Rules | None
) -> Rules | None:
    """Apply a mapping's ``scales``, ``rating`` and ``words`` over ``base``."""
    likelihood = base.likelihood if base else None
    impact = base.impact if base else None
    words = base.words if base else Words((), (), ())
    scales_changed = False
    if "scales" in m:
        sm = r.mapping(m["scales"][1], "scales", ("likelihood", "impact"))
        if sm:
            if "likelihood" in sm:
                likelihood = _read_scale(r, sm["likelihood"][1], "likelihood") or likelihood
                scales_changed = True
            if "impact" in sm:
                impact = _read_scale(r, sm["impact"][1], "impact") or impact
                scales_changed = True
    bands = base.rating.bands if base else None
    grid = base.rating.grid if base else None
    grid_node = None
    if "rating" in m:
        new_bands, new_grid, grid_node = _read_rating(r, m["rating"][1])
        if new_bands is not None:
            bands = new_bands
            if new_grid is None:
                grid = None
        if new_grid is not None:
            grid = new_grid
    if "words" in m:
        words = _read_words(r, m["words"][1], words)
    review_every = base.review_every if base else 30
    if "review_every" in m:
        n = r.number(m["review_every"][1], "review_every")
        if n is not None and (n != int(n) or not 1 <= n <= 36500):
            r.err(m["review_every"][1], "review_every must be a whole number of days from 1 to 36500")
        elif n is not None:
            review_every = int(n)
    if likelihood is None or impact is None or bands is None:
        if base is None:
            r.err(next(iter(m.values()))[0] if m else _FAKE, "rules must give scales.likelihood, scales.impact and rating.bands")
        return None
    if grid is not None and grid_node is None and scales_changed:
        if base and (len(grid) != likelihood.size or any(len(row) != impact.size for row in grid)):
            grid = None  # the inherited grid does not fit the new scales: derive one
    if grid is None:
        grid = derived_grid(likelihood.size, impact.size, Rating(bands, ()))
    elif not _check_grid(r, grid_node, grid, bands, likelihood.size, impact.size):
        return None
    return Rules(likelihood, impact, Rating(bands, grid), words, review_every)


class _FakeMark:
    line = 0
    column = 0


class _FakeNode:
    start_mark = _FakeMark()


_FAKE: Any = _FakeNode()


def _colour(name: str) -> str:
    """A band colour as Rich accepts it: a name like ``red`` or a hex ``#BBF7D0``."""
    return name.strip() or "default"


def load_rules_file(path: Path, shown: str, base: Rules | None) -> Rules:
    """A riskcli rules file, or a CISO Assistant risk-matrix library file, over ``base``."""
    text = read_text(path, shown)
    root = compose(text, shown)
    r = _Reader(shown, len(text))
    try:
        if isinstance(root, MappingNode) and any(
            isinstance(k, ScalarNode) and k.value == "objects" for k, _ in root.value
        ):
            rules = _read_ciso(r, root, base)
        else:
            m = r.mapping(root, "rules file", _RULES_KEYS)
            rules = _merge_rules(r, m, base) if m is not None else None
            if m is not None and "format" in m:
                _check_format(r, m["format"][1])
    except _Abort:
        rules = None
    _raise_if(r)
    assert rules is not None
    return rules


def _read_ciso(r: _Reader, root: MappingNode, base: Rules | None) -> Rules | None:
    """``objects.risk_matrix[0]`` of a CISO Assistant library: probability, impact, risk, grid."""
    top = {k.value: v for k, v in root.value if isinstance(k, ScalarNode)}
    objs = r.mapping(top["objects"], "objects", _ANY)
    if objs is None:
        return None
    if "risk_matrix" not in objs:
        r.err(top["objects"], "objects: no risk_matrix in this CISO Assistant library")
        return None
    matrices = r.sequence(objs["risk_matrix"][1], "objects.risk_matrix")
    if matrices is None:
        return None
    if not matrices:
        r.err(objs["risk_matrix"][1], "objects.risk_matrix is empty")
        return None
    mx = r.mapping(matrices[0], "risk_matrix[0]", _ANY)
    if mx is None:
        return None
    for key in ("probability", "impact", "risk", "grid"):
        if key not in mx:
            r.err(matrices[0], f"risk_matrix[0]: missing {key!r}")
    if r.problems:
        return None

    def levels(key: str) -> list[tuple[str, str, str]]:
        out = []
        for i, item in enumerate(r.sequence(mx[key][1], f"risk_matrix[0].{key}") or ()):
            lm = r.mapping(item, f"risk_matrix[0].{key}[{i}]", _ANY)
            if lm is None:
                continue
            name = r.text(lm["name"][1], f"{key}[{i}].name") if "name" in lm else None
            desc = r.text(lm["description"][1], f"{key}[{i}].description") if "description" in lm else ""
            color = r.text(lm["hexcolor"][1], f"{key}[{i}].hexcolor") if "hexcolor" in lm else ""
            abbr = r.text(lm["abbreviation"][1], f"{key}[{i}].abbreviation") if "abbreviation" in lm else ""
            out.append((name or abbr or str(i), desc or "", color or ""))
        return out

    prob, imp, risk = levels("probability"), levels("impact"), levels("risk")
    words = base.words if base else Words((), (), ())
    lscale = Scale("likelihood", tuple(Level(i, n, d) for i, (n, d, _) in enumerate(prob, 1)))
    iscale = Scale("impact", tuple(Level(i, n, d) for i, (n, d, _) in enumerate(imp, 1)))
    ids: list[str] = []
    for i, (n, _, _) in enumerate(risk):
        slug = re.sub(r"[^a-z0-9]+", "-", n.lower()).strip("-")[:40] or f"r{i}"
        ids.append(slug if slug not in ids and _ID.match(slug) else f"r{i}")
    bands = tuple(Band(ids[i], n, c or "default") for i, (n, _, c) in enumerate(risk))
    grid_rows = []
    for i, row in enumerate(r.sequence(mx["grid"][1], "risk_matrix[0].grid") or ()):
        cells = []
        for c in r.sequence(row, f"grid row {i + 1}") or ():
            v = r.number(c, f"grid row {i + 1}")
            if v is not None and (v != int(v) or not 0 <= v < len(bands)):
                r.err(c, f"grid row {i + 1}: {int(v) if v == int(v) else v} is not an index into risk (0..{len(bands) - 1})")
                v = None
            cells.append(bands[int(v)].id if v is not None else "")
        grid_rows.append(tuple(cells))
    if len(prob) < 2 or len(imp) < 2 or not bands:
        r.err(matrices[0], "risk_matrix[0] needs at least 2 probability and impact levels and 1 risk level")
        return None
    if not _check_grid(r, mx["grid"][1], tuple(grid_rows), bands, len(prob), len(imp)):
        return None
    if r.problems:
        return None
    return Rules(lscale, iscale, Rating(bands, tuple(grid_rows)), words, base.review_every if base else 30)


class _Anything(tuple):
    """An ``allowed`` collection that admits every key (foreign formats are read leniently)."""

    def __contains__(self, key: object) -> bool:
        return True


_ANY = _Anything()


def _check_format(r: _Reader, node: Node) -> None:
    v = r.number(node, "format")
    if v is not None and v != 1:
        r.err(node, f"format {v:g} is not supported; this riskcli reads format 1")


def _raise_if(r: _Reader) -> None:
    if r.problems:
        problems = list(r.problems)
        if r.more:
            last = problems[-1]
            problems.append(Problem(last.file, last.line, last.col, f"… and {r.more} more problems"))
        raise RegisterError(problems)


_default_rules_cache: dict[str, Rules] = {}


def default_rules() -> Rules:
    """The shipped rules/rules.yaml."""
    path = default_rules_path()
    key = str(path)
    if key not in _default_rules_cache:
        _default_rules_cache[key] = load_rules_file(path, f"{EMBEDDED} rules.yaml", None)
    return _default_rules_cache[key]


# --------------------------------------------------------------------------- registers


_TOP_KEYS = (
    "format", "id", "title", "as_of", "description", "source", "actors", "scales", "rating",
    "assumptions", "risks", "indicators", "responses", "scenarios",
)  # fmt: skip
_SOURCE_KEYS = ("title", "author", "role", "published", "file", "url", "note")
_ACTOR_KEYS = ("id", "name")
_ASSUMPTION_KEYS = ("id", "statement", "belief", "rationale", "evidence")
_RISK_KEYS = (
    "id", "title", "description", "category", "actors", "likelihood", "impact", "rationale",
    "evidence", "drivers",
)  # fmt: skip
_DRIVER_KEYS = ("assumption", "if_holds", "if_fails", "note")
_SHIFT_KEYS = ("likelihood", "impact")
_INDICATOR_KEYS = ("id", "title", "watch", "evidence", "review_every", "updates")
_UPDATE_KEYS = ("assumption", "belief")
_RESPONSE_KEYS = ("id", "title", "description", "actors", "evidence", "effects", "side_effects")
_EFFECT_KEYS = ("risk", "likelihood", "impact", "note")
_SCENARIO_KEYS = ("id", "title", "description", "beliefs")


def load(path: str | os.PathLike[str] | None = None, rules_path: str | os.PathLike[str] | None = None) -> Register:
    """Load and validate a register (the embedded one when ``path`` is None).

    Raises ``RegisterError`` listing every problem found, or ``UserError`` for a missing file.
    """
    embedded = path is None
    p = embedded_register_path() if embedded else Path(path)  # type: ignore[arg-type]
    shown = f"{EMBEDDED} register.yaml" if embedded else str(path)
    base = default_rules()
    text = read_text(p, shown)
    with gc_paused():
        root = compose(text, shown)
        rules_override = None
        if rules_path is not None:
            rules_override = Path(rules_path)
        return _build(root, shown, len(text), base, rules_override, embedded)


def _build(root: Node, shown: str, text_length: int, base: Rules, rules_override: Path | None, embedded: bool) -> Register:
    r = _Reader(shown, text_length)
    reg: Register | None = None
    try:
        reg = _read_register(r, root, base, rules_override, embedded)
    except _Abort:
        pass
    _raise_if(r)
    assert reg is not None
    return reg


def _read_register(r: _Reader, root: Node, base: Rules, rules_override: Path | None, embedded: bool) -> Register | None:
    if isinstance(root, MappingNode) and not any(isinstance(k, ScalarNode) and k.value == "risks" for k, _ in root.value):
        keys = {k.value for k, _ in root.value if isinstance(k, ScalarNode)}
        if keys & {"words", "review_every", "objects"} or (keys and keys <= {"format", "scales", "rating"}):
            r.err(root, "this looks like a rules file, not a register (no 'risks'): pass it with --rules FILE")
            return None
    m = r.mapping(root, "register", _TOP_KEYS, ("risks",))
    if m is None:
        return None
    if "format" in m:
        _check_format(r, m["format"][1])
    rules = _merge_rules(r, m, base) if ("scales" in m or "rating" in m) else base
    if rules_override is not None and rules is not None:
        rules = load_rules_file(rules_override, str(rules_override), rules)
    if rules is None:
        return None

    def opt_text(key: str) -> str:
        if key not in m:
            return ""
        return r.text(m[key][1], key) or ""

    source = Source()
    if "source" in m:
        sm = r.mapping(m["source"][1], "source", _SOURCE_KEYS)
        if sm:
            source = Source(**{k: (r.text(v, f"source.{k}") or "") for k, (_, v) in sm.items()})

    declared_actors: set[str] = set()
    actors = _read_list(r, m.get("actors"), "actors", "actor", _ACTOR_KEYS, _read_actor, declared_actors)
    actor_ids = declared_actors if "actors" in m else None
    assumption_ids: set[str] = set()
    assumptions = _read_list(r, m.get("assumptions"), "assumptions", "assumption", _ASSUMPTION_KEYS,
                             lambda r_, mm, where, node: _read_assumption(r_, mm, where, node, rules), assumption_ids)
    risk_ids: set[str] = set()
    risks = _read_list(r, m.get("risks"), "risks", "risk", _RISK_KEYS,
                       lambda r_, mm, where, node: _read_risk(r_, mm, where, node, rules, assumption_ids, actor_ids), risk_ids)
    indicators = _read_list(r, m.get("indicators"), "indicators", "indicator", _INDICATOR_KEYS,
                            lambda r_, mm, where, node: _read_indicator(r_, mm, where, node, rules, assumption_ids))
    responses = _read_list(r, m.get("responses"), "responses", "response", _RESPONSE_KEYS,
                           lambda r_, mm, where, node: _read_response(r_, mm, where, node, risk_ids, actor_ids))
    scenarios = _read_list(r, m.get("scenarios"), "scenarios", "scenario", _SCENARIO_KEYS,
                           lambda r_, mm, where, node: _read_scenario(r_, mm, where, node, rules, assumption_ids))
    if "risks" in m and not risks and not r.problems:
        r.err(m["risks"][1], "risks is empty; a register needs at least one risk")
    if r.problems:
        return None
    return Register(
        path=r.file, rules=rules, risks=tuple(risks), assumptions=tuple(assumptions),
        indicators=tuple(indicators), responses=tuple(responses), scenarios=tuple(scenarios),
        actors=tuple(actors), id=opt_text("id"), title=opt_text("title"), as_of=opt_text("as_of"),
        description=opt_text("description"), source=source, embedded=embedded,
    )  # fmt: skip


def _read_list(
    r: _Reader,
    entry: tuple[Node, Node] | None,
    section: str,
    what: str,
    keys: tuple[str, ...],
    read: Callable[[_Reader, dict[str, tuple[Node, Node]], str, Node], Any],
    declared: set[str] | None = None,
) -> list[Any]:
    """Read a section's items; ``declared`` collects every id given, even of items with other
    problems, so that references to them are not reported as unknown as well."""
    if entry is None:
        return []
    node = entry[1]
    if isinstance(node, ScalarNode) and node.tag == _NULL:
        return []
    items = r.sequence(node, section)
    if items is None:
        return []
    out = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items, start=1):
        where = f"{what} #{i}"
        if isinstance(item, MappingNode):
            for k, v in item.value:
                if isinstance(k, ScalarNode) and k.value == "id" and isinstance(v, ScalarNode) and v.tag in (_STR, _INT):
                    where = f"{what} {_short(v.value, 30)[1:-1]}"
                    break
        mm = r.mapping(item, where, keys, ("id",))
        if mm is None or "id" not in mm:
            continue
        ident = r.ident(mm["id"][1], f"{what} id")
        if ident is None:
            continue
        where = f"{what} {ident}"
        if ident in seen:
            r.err(mm["id"][1], f"duplicate {what} id {_short(ident)} (first at line {seen[ident]})")
            continue
        seen[ident] = item.start_mark.line + 1
        if declared is not None:
            declared.add(ident)
        obj = read(r, mm, where, item)
        if obj is not None:
            out.append(obj)
    return out


def _req_text(r: _Reader, mm: dict[str, tuple[Node, Node]], key: str, where: str, node: Node) -> str | None:
    if key not in mm:
        r.err(node, f"{where}: missing required key {key!r}")
        return None
    return r.text(mm[key][1], f"{where}: {key}")


def _opt_text(r: _Reader, mm: dict[str, tuple[Node, Node]], key: str, where: str) -> str:
    if key not in mm:
        return ""
    node = mm[key][1]
    if isinstance(node, ScalarNode) and node.tag == _NULL:
        return ""
    return r.text(node, f"{where}: {key}") or ""


def _read_actor(r: _Reader, mm, where: str, node: Node) -> Actor | None:
    ident = mm["id"][1].value
    name = _opt_text(r, mm, "name", where) or ident
    return Actor(ident, name)


def _actors(r: _Reader, mm, where: str, actor_ids: set[str] | None) -> tuple[str, ...]:
    if "actors" not in mm:
        return ()
    out = r.text_list(mm["actors"][1], f"{where}: actors")
    if actor_ids is not None:
        for a in out:
            if a not in actor_ids:
                r.err(mm["actors"][1], f"{where}: unknown actor {_short(a)}{r.hint(a, actor_ids)}")
    return out


def _belief(r: _Reader, node: Node, what: str, rules: Rules) -> float | None:
    v = r.scalar(node, what)
    if v is _BAD:
        return None
    if v is None or isinstance(v, bool):
        r.err(node, f"{what} must be a belief: holds, fails, uncertain, an ICD 203 phrase, 0..1 or a percentage")
        return None
    try:
        return float(parse_belief(rules.words, v).value)
    except UserError as e:  # the message names the belief already
        r.err(node, f"{what.rsplit(': ', 1)[0]}: {e}" if str(e).startswith("belief") else f"{what}: {e}")
        return None


def _level(r: _Reader, node: Node, what: str, scale: Scale, rules: Rules) -> int | None:
    v = r.scalar(node, what)
    if v is _BAD:
        return None
    if v is None:
        r.err(node, f"{what} is empty; give a level 1–{scale.size}")
        return None
    if isinstance(v, bool):
        r.err(node, f"{what}: {_short(node.value)} is a yes/no value, not a level; give a level 1–{scale.size}")
        return None
    try:
        return int(parse_level(scale, rules.words, v).value)
    except UserError as e:  # the message names the scale already
        r.err(node, f"{what.rsplit(': ', 1)[0]}: {e}")
        return None


def _read_assumption(r: _Reader, mm, where: str, node: Node, rules: Rules) -> Assumption | None:
    statement = _req_text(r, mm, "statement", where, node)
    belief = None
    if "belief" not in mm:
        r.err(node, f"{where}: missing required key 'belief'")
    else:
        belief = _belief(r, mm["belief"][1], f"{where}: belief", rules)
    rationale = _opt_text(r, mm, "rationale", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if statement is None or belief is None:
        return None
    return Assumption(mm["id"][1].value, statement, belief, rationale, evidence, node.start_mark.line + 1)


def _shift(r: _Reader, node: Node, what: str) -> Shift | None:
    if isinstance(node, ScalarNode) and node.tag == _NULL:
        return Shift()
    sm = r.mapping(node, what, _SHIFT_KEYS)
    if sm is None:
        return None
    vals = {}
    for k, (_, v) in sm.items():
        n = r.number(v, f"{what}.{k}")
        if n is None:
            return None
        if abs(n) > 12:
            r.err(v, f"{what}.{k} = {n:g} steps is out of range (at most ±12)")
            return None
        vals[k] = n
    return Shift(**vals)


def _read_risk(r: _Reader, mm, where: str, node: Node, rules: Rules, assumption_ids: set[str], actor_ids: set[str] | None) -> Risk | None:
    title = _req_text(r, mm, "title", where, node)
    lk = im = None
    for key, scale in (("likelihood", rules.likelihood), ("impact", rules.impact)):
        if key not in mm:
            r.err(node, f"{where}: missing required key {key!r}")
            continue
        val = _level(r, mm[key][1], f"{where}: {key}", scale, rules)
        if key == "likelihood":
            lk = val
        else:
            im = val
    drivers: list[Driver] = []
    ok = True
    if "drivers" in mm:
        dnode = mm["drivers"][1]
        for j, item in enumerate(r.sequence(dnode, f"{where}: drivers") or (), start=1):
            dwhere = f"{where}: driver {j}"
            dm = r.mapping(item, dwhere, _DRIVER_KEYS, ("assumption",))
            if dm is None or "assumption" not in dm:
                ok = False
                continue
            aid = r.ident(dm["assumption"][1], f"{dwhere}: assumption")
            if aid is not None and aid not in assumption_ids:
                r.err(dm["assumption"][1], f"{dwhere}: unknown assumption {_short(aid)}{r.hint(aid, assumption_ids) if assumption_ids else ' (the register has no assumptions)'}")
                aid = None
            holds = _shift(r, dm["if_holds"][1], f"{dwhere}: if_holds") if "if_holds" in dm else Shift()
            fails = _shift(r, dm["if_fails"][1], f"{dwhere}: if_fails") if "if_fails" in dm else Shift()
            if "if_holds" not in dm and "if_fails" not in dm:
                r.err(item, f"{dwhere}: give if_holds and/or if_fails")
                ok = False
            note = _opt_text(r, dm, "note", dwhere)
            if aid is not None and any(d.assumption == aid for d in drivers):
                r.err(dm["assumption"][1], f"{dwhere}: a second driver on {aid}; give one driver per assumption")
                aid = None
            if aid is None or holds is None or fails is None:
                ok = False
                continue
            drivers.append(Driver(aid, holds, fails, note))
    actors = _actors(r, mm, where, actor_ids)
    category = _opt_text(r, mm, "category", where)
    description = _opt_text(r, mm, "description", where)
    rationale = _opt_text(r, mm, "rationale", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if title is None or lk is None or im is None or not ok:
        return None
    return Risk(
        mm["id"][1].value, title, lk, im, description, category, actors, rationale, evidence,
        tuple(drivers), node.start_mark.line + 1,
    )


def _read_indicator(r: _Reader, mm, where: str, node: Node, rules: Rules, assumption_ids: set[str]) -> Indicator | None:
    title = _req_text(r, mm, "title", where, node)
    review = None
    if "review_every" in mm:
        n = r.number(mm["review_every"][1], f"{where}: review_every")
        if n is not None and (n != int(n) or not 1 <= n <= 36500):
            r.err(mm["review_every"][1], f"{where}: review_every must be a whole number of days from 1 to 36500")
        elif n is not None:
            review = int(n)
    updates = []
    if "updates" in mm:
        for j, item in enumerate(r.sequence(mm["updates"][1], f"{where}: updates") or (), start=1):
            um = r.mapping(item, f"{where}: update {j}", _UPDATE_KEYS, _UPDATE_KEYS)
            if not um or "assumption" not in um or "belief" not in um:
                continue
            aid = r.ident(um["assumption"][1], f"{where}: update {j}: assumption")
            if aid is not None and aid not in assumption_ids:
                r.err(um["assumption"][1], f"{where}: update {j}: unknown assumption {_short(aid)}{r.hint(aid, assumption_ids)}")
                continue
            b = _belief(r, um["belief"][1], f"{where}: update {j}: belief", rules)
            if aid and b is not None:
                updates.append(BeliefUpdate(aid, b))
    watch = _opt_text(r, mm, "watch", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if title is None:
        return None
    return Indicator(mm["id"][1].value, title, watch, evidence, review, tuple(updates), node.start_mark.line + 1)


def _effects(r: _Reader, mm, key: str, where: str, risk_ids: set[str]) -> tuple[Effect, ...]:
    if key not in mm:
        return ()
    out = []
    for j, item in enumerate(r.sequence(mm[key][1], f"{where}: {key}") or (), start=1):
        ewhere = f"{where}: {key} {j}"
        em = r.mapping(item, ewhere, _EFFECT_KEYS, ("risk",))
        if not em or "risk" not in em:
            continue
        rid = r.ident(em["risk"][1], f"{ewhere}: risk")
        if rid is not None and rid not in risk_ids:
            r.err(em["risk"][1], f"{ewhere}: unknown risk {_short(rid)}{r.hint(rid, risk_ids)}")
            continue
        vals = {}
        for axis in _SHIFT_KEYS:
            if axis in em:
                n = r.number(em[axis][1], f"{ewhere}: {axis}")
                if n is not None:
                    vals[axis] = n
        if not vals:
            r.err(item, f"{ewhere}: give a likelihood and/or impact shift")
            continue
        if rid:
            out.append(Effect(rid, Shift(**vals), _opt_text(r, em, "note", ewhere)))
    return tuple(out)


def _read_response(r: _Reader, mm, where: str, node: Node, risk_ids: set[str], actor_ids: set[str] | None) -> Response | None:
    title = _req_text(r, mm, "title", where, node)
    effects = _effects(r, mm, "effects", where, risk_ids)
    side = _effects(r, mm, "side_effects", where, risk_ids)
    actors = _actors(r, mm, where, actor_ids)
    description = _opt_text(r, mm, "description", where)
    evidence = _opt_text(r, mm, "evidence", where)
    if title is None:
        return None
    return Response(mm["id"][1].value, title, description, actors, evidence, effects, side, node.start_mark.line + 1)


def _read_scenario(r: _Reader, mm, where: str, node: Node, rules: Rules, assumption_ids: set[str]) -> Scenario | None:
    title = _opt_text(r, mm, "title", where) or mm["id"][1].value
    beliefs = []
    if "beliefs" not in mm:
        r.err(node, f"{where}: missing required key 'beliefs'")
    else:
        bm = r.mapping(mm["beliefs"][1], f"{where}: beliefs", _ANY)
        for aid, (k, v) in (bm or {}).items():
            if aid not in assumption_ids:
                r.err(k, f"{where}: unknown assumption {_short(aid)}{r.hint(aid, assumption_ids)}")
                continue
            b = _belief(r, v, f"{where}: belief of {aid}", rules)
            if b is not None:
                beliefs.append((aid, b))
    description = _opt_text(r, mm, "description", where)
    return Scenario(mm["id"][1].value, title, description, tuple(beliefs), node.start_mark.line + 1)


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
