"""The validated-register cache and the cache it lives in: a cached register reads as the file
does, and the cache never runs code it did not write, nor fails a command."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from riskcli import cache
from riskcli.register import cache as register_cache
from riskcli.register import sections

from conftest import MINIMAL, SUPPLY, Run

# Every view of a register (text and JSON), with a journal behind it, and the commands that read
# registers without a journal.
VIEWS = [
    ["list"],
    ["list", "--json"],
    ["show", "R1"],
    ["show", "R1", "--json"],
    ["assumptions"],
    ["assumptions", "--json"],
    ["matrix"],
    ["matrix", "--json"],
    ["matrix", "--inherent", "--compare", "baseline"],
    ["compare", "baseline", "current", "--json"],
    ["explain", "R1"],
    ["explain", "R1", "--json"],
    ["scenarios"],
    ["scenarios", "--json"],
    ["indicators"],
    ["indicators", "--json"],
    ["responses"],
    ["responses", "--json"],
    ["history"],
    ["history", "--json"],
    ["validate"],
    ["validate", "--json"],
    ["report", "--json"],
    ["report", "--format", "md"],
    ["export", "--format", "csv"],
    ["export", "--format", "yaml"],
    ["export", "--format", "json"],
    ["simulate", "--trials", "200", "--seed", "3", "--json"],
    ["sensitivity", "--trials", "200", "--seed", "3"],
    ["lint-matrix", "--json"],
    ["--what-if", "A1=fails", "matrix"],
    ["--what-if", "A1=fails", "list", "--json"],
]


def _seen(r) -> tuple[int, str, str]:
    return r.exit_code, r.stdout, r.stderr


@pytest.fixture
def journal_behind(run: Run) -> None:
    """A journal with a score, a belief and a response, so that views show a state."""
    assert run("score", "R1", "--likelihood", "4", "--impact", "3", "--why", "seen").exit_code == 0
    assert run("assume", "A1", "0.3", "--why", "doubt").exit_code == 0
    assert run("respond", "M2", "--why", "decided").exit_code == 0


@pytest.mark.parametrize("args", VIEWS, ids=" ".join)
def test_deleting_the_cache_changes_no_output(
    run: Run, args: list[str], journal_behind: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cold (the cache filled), warm (the register not read: its reader would fail) and cold again
    (the cache deleted): the same output, on stdout and stderr, and the same exit code."""
    cold = _seen(run(*args))
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        warm = _seen(run(*args))
    shutil.rmtree(cache.directory())
    again = _seen(run(*args))
    assert cold == warm == again
    assert cold[0] == 0, cold


def _not_read(*args: object, **kw: object) -> None:
    raise AssertionError("the register was read, not loaded from the cache")


def test_a_user_register_and_its_rules_are_cached_and_follow_their_files(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg = tmp_path / "supply.yaml"
    reg.write_text(SUPPLY, encoding="utf-8")
    first = run("-r", str(reg), "list", "--json")
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        assert run("-r", str(reg), "list", "--json").stdout == first.stdout
    st = reg.stat()
    reg.write_text(SUPPLY.replace("Production stops", "Production halts"), encoding="utf-8")
    os.utime(reg, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same time: only the bytes changed
    assert "Production halts" in run("-r", str(reg), "list", "--json").stdout
    monkeypatch.chdir(tmp_path)
    assert json.loads(run("-r", "supply.yaml", "list", "--json").stdout)["register"]["path"] == "supply.yaml"


def test_a_rules_file_is_part_of_the_key(run: Run, tmp_path: Path) -> None:
    reg = tmp_path / "r.yaml"
    reg.write_text(MINIMAL, encoding="utf-8")
    rules = tmp_path / "rules.yaml"
    rules.write_text("rating:\n  bands:\n    - {id: low, name: Low, color: green}\n", encoding="utf-8")
    a = run("-r", str(reg), "--rules", str(rules), "matrix", "--json")
    rules.write_text("rating:\n  bands:\n    - {id: low, name: Lowish, color: green}\n", encoding="utf-8")
    b = run("-r", str(reg), "--rules", str(rules), "matrix", "--json")
    assert a.exit_code == b.exit_code == 0, (a.stderr, b.stderr)
    assert '"Lowish"' not in a.stdout and '"Lowish"' in b.stdout


def test_a_register_with_problems_is_not_cached(run: Run, tmp_path: Path) -> None:
    reg = tmp_path / "bad.yaml"
    reg.write_text(MINIMAL.replace("likelihood: 3", "likelihood: 9"), encoding="utf-8")
    for _ in range(2):
        r = run("-r", str(reg), "list")
        assert r.exit_code == 2 and "out of range" in r.stderr
    assert not (Path(cache.directory()) / "registers").exists() or not os.listdir(Path(cache.directory()) / "registers")


# --------------------------------------------------------------------------- what the cache refuses


def _entry() -> Path:
    (entry,) = (Path(cache.directory()) / "registers").iterdir()
    return entry


class _Payload:
    """A pickle that runs code when loaded: it must never be."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self) -> tuple[object, ...]:
        return (os.mkdir, (str(self.marker),))


def _plant(entry: Path, marker: Path, *, keep_head: bool) -> None:
    """Replace an entry's pickle with one that runs code; ``keep_head``: keep its magic, HMAC and key."""
    head = entry.read_bytes()[: cache._HEAD] if keep_head else b""
    entry.write_bytes(head + pickle.dumps(_Payload(marker)))


def _sign(entry: Path, marker: Path) -> None:
    """Replace an entry by one that runs code, signed with the cache's key as riskcli signs."""
    made_from = entry.read_bytes()[len(cache.MAGIC) + 32 : cache._HEAD]
    cache.write(f"registers/{entry.name}", made_from, [pickle.dumps(_Payload(marker))])


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped", "planted", "planted-no-head", "empty", "symlink", "directory", "group-writable"],
)
def test_a_damaged_or_planted_entry_is_ignored_and_rebuilt(run: Run, tmp_path: Path, damage: str) -> None:
    before = run("list", "--json")
    entry, marker = _entry(), tmp_path / "ran"
    data = entry.read_bytes()
    if damage == "truncated":
        entry.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        entry.write_bytes(data[:-10] + bytes([data[-10] ^ 1]) + data[-9:])
    elif damage in ("planted", "planted-no-head"):
        _plant(entry, marker, keep_head=damage == "planted")
    elif damage == "empty":
        entry.write_bytes(b"")
    elif damage == "symlink":  # to a signed entry that runs code
        _sign(entry, marker)
        real = tmp_path / "elsewhere"
        entry.rename(real)
        entry.symlink_to(real)
    elif damage == "directory":
        entry.unlink()
        entry.mkdir()
    elif damage == "group-writable":  # a signed entry that runs code, but others could have written it
        _sign(entry, marker)
        entry.chmod(0o664)
    after = run("list", "--json")
    assert (after.exit_code, after.stdout, after.stderr) == (0, before.stdout, before.stderr)
    assert not marker.exists()
    if damage != "directory":
        assert _entry().read_bytes() == data  # rebuilt as it was
        assert not _entry().is_symlink()


def test_a_validly_signed_entry_in_a_directory_others_can_write_is_refused(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user who could write into the cache could have replaced the entry (and read the
    key): nothing there is loaded, however well it verifies."""
    run("list")
    marker = tmp_path / "ran"
    _sign(_entry(), marker)
    os.chmod(cache.directory(), 0o777)
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        with pytest.raises(AssertionError, match="was read"):
            run("list")  # the register is read, not the entry
    assert not marker.exists()
    os.chmod(cache.directory(), 0o700)
    run("list")
    assert marker.exists()  # the same entry in a trusted directory is loaded: the test can fail


def test_entries_owned_by_another_user_are_refused(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    run("list")
    monkeypatch.setattr(os, "geteuid", lambda: os.getuid() + 1)
    assert cache.read(f"registers/{_entry().name}", b"\0" * 32) is None
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        with pytest.raises(AssertionError, match="was read"):
            run("list")


def test_a_key_others_can_read_is_refused(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    run("list")
    (Path(cache.directory()) / cache.KEY_FILE).chmod(0o644)
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        with pytest.raises(AssertionError, match="was read"):
            run("list")


def test_an_entry_copied_to_another_name_is_refused(run: Run, tmp_path: Path) -> None:
    reg = tmp_path / "r.yaml"
    reg.write_text(MINIMAL, encoding="utf-8")
    run("-r", str(reg), "list")
    entry = _entry()
    made_from = entry.read_bytes()[len(cache.MAGIC) + 32 : cache._HEAD]
    assert cache.read(f"registers/{entry.name}", made_from) is not None
    shutil.copy(entry, entry.with_name("0" * 32))
    assert cache.read(f"registers/{'0' * 32}", made_from) is None


def test_an_entry_of_another_riskcli_version_is_not_used(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    run("list")
    monkeypatch.setattr(register_cache, "__version__", "0.0.0-other")
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        with pytest.raises(AssertionError, match="was read"):
            run("list")


def test_an_unusable_cache_directory_is_no_error(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "file").write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("RISKCLI_CACHE", str(tmp_path / "file" / "cache"))
    monkeypatch.setenv("RISKCLI_DEBUG", "1")
    r = run("list")
    assert r.exit_code == 0
    assert "riskcli: cache:" in r.stderr and "Traceback" not in r.stderr
    monkeypatch.delenv("RISKCLI_DEBUG")
    assert run("list").stderr == ""


def test_the_cache_directory_is_made_private(run: Run) -> None:
    run("list")
    d = Path(cache.directory())
    assert d.stat().st_mode & 0o777 == 0o700
    assert _entry().stat().st_mode & 0o777 == 0o600
    assert (d / cache.KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_the_registers_kept_are_bounded(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for i in range(5):
        reg = tmp_path / f"r{i}.yaml"
        reg.write_text(MINIMAL, encoding="utf-8")
        assert run("-r", str(reg), "list").exit_code == 0
    assert len(os.listdir(Path(cache.directory()) / "registers")) == 3


# --------------------------------------------------------------------------- records, compiled once

PROBE = """
import sys
from riskcli.cli import main
sys.argv = ["riskcli", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
"""


def test_the_console_script_keeps_compiled_classes_and_prints_the_same(tmp_path: Path) -> None:
    env = {**os.environ, "RISKCLI_HOME": str(tmp_path / "home")}

    def matrix() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-c", PROBE, "matrix", "--json"], capture_output=True, text=True, env=env
        )

    # The first run reads the register and caches it; the second loads it from the cache, which
    # makes its records with perf.maker (code compiled then, and kept).
    runs = [matrix(), matrix()]
    code = [p for p in Path(cache.directory()).iterdir() if p.name.startswith("code-")]
    assert len(code) == 1
    stamp = code[0].stat().st_mtime_ns
    runs.append(matrix())
    assert code[0].stat().st_mtime_ns == stamp  # nothing new to compile: not written again
    assert runs[0].stdout == runs[1].stdout == runs[2].stdout and runs[0].stdout.startswith("{")
    assert runs[0].stderr == runs[1].stderr == runs[2].stderr == ""


def test_a_records_init_is_compiled_once_then_taken_from_what_was_stored(monkeypatch: pytest.MonkeyPatch) -> None:
    from riskcli import perf, records

    made = []
    for _ in range(2):
        compiler = perf._Compiler({} if not made else made[0][1])
        monkeypatch.setattr(perf, "_active", [compiler])

        @records.frozen(slots=True)
        class Thing:
            a: int
            b: str = "x"

        made.append((Thing, {**compiler.stored, **compiler.new}, compiler.new))
    (_, stored, new), (second, _, again) = made
    assert len(new) == 1 and not again  # one method compiled (__init__), then taken from what was stored
    assert set(stored) == set(new)
    assert (
        repr(second(1))
        == "test_a_records_init_is_compiled_once_then_taken_from_what_was_stored.<locals>.Thing(a=1, b='x')"
    )


def test_validate_keeps_the_findings_with_the_register(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view caches the model alone (it needs no structural findings); validate adds them to
    the entry, and reads them from it next time."""
    from riskcli import scoring

    reg = tmp_path / "r.yaml"
    reg.write_text(SUPPLY.replace("if_holds: {likelihood: -1}", "if_holds: {likelihood: 1}"), encoding="utf-8")
    run("-r", str(reg), "matrix")
    first = run("validate", str(reg), "--json")
    assert [f["code"] for f in json.loads(first.stdout)["findings"]] == ["same-sign"]
    with monkeypatch.context() as m:
        m.setattr(sections, "load", _not_read)
        m.setattr(scoring, "_structural", _not_read)
        assert run("validate", str(reg), "--json").stdout == first.stdout


def test_equal_values_are_loaded_once_and_the_rest_as_read(tmp_path: Path) -> None:
    """Shifts and drivers carry no identity: a cached register loads each equal one once. Risks
    (which have ids) stay apart, and the model equals the one read from the file."""
    from riskcli import register

    text = SUPPLY + "".join(
        f"  - id: X{i}\n    title: Same drivers {i}\n    likelihood: 2\n    impact: 2\n"
        "    drivers:\n      - {assumption: A1, if_holds: {likelihood: -1}, if_fails: {likelihood: 1}}\n"
        for i in range(3)
    )
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    read = register.load(path)
    cached = register.load(path)
    assert cached == read and cached is not read
    xs = [r for r in cached.risks if r.id.startswith("X")]
    assert xs[0].drivers[0] is xs[1].drivers[0] is xs[2].drivers[0]  # one driver, three risks
    assert xs[0] is not xs[1]
    r1 = cached.risk_by_id["R1"].drivers[0]
    assert r1.if_holds is xs[0].drivers[0].if_holds  # the same shift in another driver


def _reachable(x: object, seen: dict[int, object]) -> None:
    """Every object of the model inside ``x`` (by identity)."""
    import dataclasses

    if id(x) in seen:
        return
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        seen[id(x)] = x
        for f in dataclasses.fields(x):
            _reachable(getattr(x, f.name), seen)
    elif isinstance(x, tuple | list | frozenset | set):
        for v in x:
            _reachable(v, seen)
    elif isinstance(x, dict):
        for v in x.values():
            _reachable(v, seen)


def test_a_cached_register_is_made_of_the_models_own_frozen_objects(tmp_path: Path) -> None:
    """Loading an entry makes each object without its class's __init__ (perf.maker): what it
    makes is of the class itself, equal to the object read, frozen, and pickles as it."""
    import dataclasses

    from riskcli import register

    path = tmp_path / "every.yaml"
    shutil.copy(Path(__file__).parent / "data" / "every_field.yaml", path)
    read = register.load(path)
    cached = register.load(path)
    assert cached == read and cached is not read
    found: dict[int, object] = {}
    _reachable(cached, found)
    kinds = {type(x) for x in found.values()}
    assert len(kinds) > 15  # risks, drivers, shifts, scales, levels, bands, indicators, …
    assert all(k.__module__ == "riskcli.model" and k.__name__[0].isupper() for k in kinds)
    for x in found.values():
        f = dataclasses.fields(x)[0]
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(x, f.name, getattr(x, f.name))
    risk = cached.risks[0]
    assert pickle.loads(pickle.dumps(risk)) == risk and hash(risk) == hash(read.risks[0])


def test_a_maker_makes_what_the_class_makes() -> None:
    """perf.maker(cls)(*fields) is cls(*fields): the same class, fields, equality, hash and repr,
    frozen; a class it cannot serve (not slots, a field not in __init__) is given back itself."""
    import dataclasses

    from riskcli import model, perf, scoring

    classes = [c for c in vars(model).values() if isinstance(c, type) and dataclasses.is_dataclass(c)]
    unserved = []
    for cls in [*classes, scoring.Scored, scoring.Finding]:
        names = [f.name for f in dataclasses.fields(cls)]
        values = [(cls.__name__, i) for i in range(len(names))]  # any value: nothing is checked
        make = perf.maker(cls)
        if make is cls:
            unserved.append(cls)
            continue
        made, called = make(*values), cls(*values)
        assert type(made) is cls and made == called and hash(made) == hash(called) and repr(made) == repr(called)
        assert [getattr(made, n) for n in names] == values
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(made, names[0], None)
    assert unserved == [model.Register]  # a register has no slots (it caches what is derived from it)

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived:
        a: int
        b: int = dataclasses.field(init=False, default=0)

    assert perf.maker(Derived) is Derived


def test_views_score_with_the_class_itself(run: Run) -> None:
    """Every risk's score is a Scored (made by perf.maker), equal to one made by the class."""
    import dataclasses

    from riskcli import register, scoring

    reg = register.load(None)
    for s in scoring.score_all(reg):
        assert type(s) is scoring.Scored
        assert s == scoring.Scored(*(getattr(s, f.name) for f in dataclasses.fields(s)))
