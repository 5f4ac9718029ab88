"""riskcli.records' @frozen and @mutable against the standard library's @dataclass: the same class
declared both ways behaves the same way in everything riskcli and the standard library use."""

from __future__ import annotations
import __future__

import abc
import copy
import dataclasses
import inspect
import pickle
import sys
import types
import typing
from typing import Any

import pytest

from riskcli import records

# Each case: the class body, and the arguments to make two instances that differ. The same body is
# declared with @dataclass(<options>) and with the record decorator that stands for it.
CASES: dict[str, tuple[str, str, tuple[Any, ...], dict[str, Any], tuple[Any, ...], dict[str, Any]]] = {
    "frozen": (
        "frozen=True",
        "@records.frozen",
        (1, "a"),
        {},
        (1, "b"),
        {},
    ),
    "slots": (
        "frozen=True, slots=True",
        "@records.frozen(slots=True)",
        (1,),
        {"b": "z", "c": (1, 2)},
        (2,),
        {},
    ),
    "kw_only": (
        "frozen=True, kw_only=True",
        "@records.frozen(kw_only=True)",
        (),
        {"a": 1, "b": "q"},
        (),
        {"a": 1, "b": "q", "c": (3,)},
    ),
    "mutable": ("", "@records.mutable", (1, "a"), {}, (2, "a"), {}),
}
BODY = """
class Thing:
    '''A thing.'''
    KIND: ClassVar[str] = "thing"
    a: int
    b: str = "x"
    c: tuple[int, ...] = field(default_factory=tuple)
    d: list[int] = field(default_factory=list, compare=False, repr=False)
    e: int = field(default=3)

    def total(self) -> int:
        return self.a + len(self.c)
"""


def declare(decorator: str, name: str) -> type[Any]:
    module = types.ModuleType(name)
    module.__dict__.update(records=records, dataclass=dataclasses.dataclass)
    sys.modules[name] = module  # pickle finds the class by its module
    source = "from __future__ import annotations\nfrom dataclasses import field\nfrom typing import ClassVar\n"
    exec(compile(source + decorator + BODY, name, "exec", dont_inherit=True), module.__dict__)
    cls: type[Any] = module.Thing
    return cls


def pair(case: str) -> tuple[type[Any], type[Any]]:
    options, decorator, *_ = CASES[case]
    return declare(f"@dataclass({options})", f"dc_{case}"), declare(decorator, f"rec_{case}")


@pytest.mark.parametrize("case", CASES)
def test_a_record_is_the_dataclass_it_stands_for(case: str) -> None:
    dc, rec = pair(case)
    _, _, args, kwargs, other_args, other_kwargs = CASES[case]
    assert str(inspect.signature(rec)) == str(inspect.signature(dc))
    assert dataclasses.is_dataclass(rec)
    assert [
        (f.name, f.type, f.default, f.default_factory, f.compare, f.repr, f.kw_only) for f in dataclasses.fields(rec)
    ] == [(f.name, f.type, f.default, f.default_factory, f.compare, f.repr, f.kw_only) for f in dataclasses.fields(dc)]
    assert rec.__match_args__ == dc.__match_args__
    assert getattr(rec, "__slots__", None) == getattr(dc, "__slots__", None)
    assert rec.__qualname__ == dc.__qualname__ and rec.__doc__ == dc.__doc__ and rec.KIND == "thing"
    for name in ("b", "c", "e"):  # a default is a class attribute (slots: the slot), a factory is not
        mine, theirs = vars(rec).get(name), vars(dc).get(name)
        assert type(mine) is type(theirs) and (mine == theirs or isinstance(mine, types.MemberDescriptorType))
    assert rec.__init__.__qualname__ == dc.__init__.__qualname__ == "Thing.__init__"

    x, y = rec(*args, **kwargs), dc(*args, **kwargs)
    assert repr(x).replace("rec_", "dc_") == repr(y) or repr(x) == repr(y)
    assert dataclasses.asdict(x) == dataclasses.asdict(y) and dataclasses.astuple(x) == dataclasses.astuple(y)
    assert x.total() == y.total()
    same, different = rec(*args, **kwargs), rec(*other_args, **other_kwargs)
    assert x == same and x != different and (x == y) is False and x.__eq__(y) is NotImplemented
    assert x.d == [] and x.d is not same.d  # a default factory is called once per instance
    same.d.append(9)
    assert x == same  # d is not compared

    if dc.__hash__ is None:
        assert rec.__hash__ is None
        with pytest.raises(TypeError):
            hash(x)
        x.a = 5
        assert x.a == 5
    else:
        assert hash(x) == hash(y) == hash(same)  # the same tuple of compared values
        for obj in (x, y):  # the record and the dataclass alike
            with pytest.raises(dataclasses.FrozenInstanceError):
                obj.a = 2
            with pytest.raises(dataclasses.FrozenInstanceError):
                del obj.a
        with pytest.raises(dataclasses.FrozenInstanceError):  # (a slots dataclass of 3.11 fails with a TypeError)
            x.new = 1

    changed = dataclasses.replace(x, a=7)
    assert type(changed) is rec and changed.a == 7 and changed.b == x.b
    for copied in (copy.copy(x), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert type(copied) is rec and copied == x and dataclasses.astuple(copied) == dataclasses.astuple(x)
    with pytest.raises(TypeError):
        rec(*args, **kwargs, unknown=1)


def test_fields_are_inherited_as_dataclass_inherits_them() -> None:
    @records.frozen(kw_only=True)
    class Base:
        a: int
        b: str = "x"

    @records.frozen(kw_only=True)
    class Child(Base):
        c: int = 0
        a: int = 5  # redeclared: keeps its place, takes the new default

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class DBase:
        a: int
        b: str = "x"

    @dataclasses.dataclass(frozen=True, kw_only=True)
    class DChild(DBase):
        c: int = 0
        a: int = 5

    assert (
        [f.name for f in dataclasses.fields(Child)] == [f.name for f in dataclasses.fields(DChild)] == ["a", "b", "c"]
    )
    assert str(inspect.signature(Child)) == str(inspect.signature(DChild))
    assert Child() == Child(a=5) and Child() != Base(a=5) and repr(Child()).endswith("Child(a=5, b='x', c=0)")


def test_fields_of_several_bases_are_gathered_as_dataclass_gathers_them() -> None:
    made = {}
    for name, deco, deco_kw in (
        (
            "dc",
            lambda c: dataclasses.dataclass(frozen=True)(c),
            lambda c: dataclasses.dataclass(frozen=True, kw_only=True)(c),
        ),
        ("rec", records.frozen, records.frozen(kw_only=True)),
    ):

        class Left:
            left: int = 1

        class Right:
            right: int = 2

        class Both:
            both: int = 3

        left, right = deco(Left), deco(Right)
        made[name] = deco_kw(type("Both", (left, right), dict(vars(Both))))
    dc, rec = made["dc"], made["rec"]
    assert (
        [f.name for f in dataclasses.fields(rec)]
        == [f.name for f in dataclasses.fields(dc)]
        == ["right", "left", "both"]
    )
    assert rec() == rec(left=1, right=2, both=3) and repr(rec()).endswith("Both(right=2, left=1, both=3)")


@pytest.mark.parametrize("count", [0, 1, 2])
def test_a_record_of_few_fields_compares_and_hashes_as_a_dataclass(count: int) -> None:
    annotations = {f"f{i}": "int" for i in range(count)}
    dc = dataclasses.dataclass(frozen=True)(type("Few", (), {"__annotations__": dict(annotations)}))
    rec = records.frozen(type("Few", (), {"__annotations__": dict(annotations)}))
    values = list(range(10, 10 + count))
    assert rec(*values) == rec(*values) and hash(rec(*values)) == hash(dc(*values))
    if count:
        assert rec(*values) != rec(*[v + 1 for v in values])


def test_a_local_slots_record_keeps_its_qualified_name() -> None:
    @records.frozen(slots=True)
    class Local:
        a: int

    assert Local.__qualname__.endswith("<locals>.Local") and repr(Local(1)).endswith("<locals>.Local(a=1)")


def test_post_init_is_called_after_the_fields_are_set() -> None:
    seen = []

    @records.frozen
    class Checked:
        a: int

        def __post_init__(self) -> None:
            seen.append(self.a)

    Checked(4)
    assert seen == [4]


def test_a_plain_subclass_of_a_frozen_record_may_have_attributes_of_its_own() -> None:
    @records.frozen
    class Base:
        a: int

    class Sub(Base):
        pass

    @dataclasses.dataclass(frozen=True)
    class DBase:
        a: int

    class DSub(DBase):
        pass

    for sub in (Sub(1), DSub(1)):
        sub.extra = 2  # type: ignore[attr-defined]
        assert sub.extra == 2  # type: ignore[attr-defined]
        del sub.extra  # type: ignore[attr-defined]
        assert not hasattr(sub, "extra")
        with pytest.raises(dataclasses.FrozenInstanceError):
            sub.a = 2  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            del sub.a  # type: ignore[misc]


def test_what_a_class_defines_itself_is_kept() -> None:
    @records.frozen
    class Own:
        a: int

        def __repr__(self) -> str:
            return "own"

        def __eq__(self, other: object) -> bool:
            return True

        def __hash__(self) -> int:
            return 7

    assert repr(Own(1)) == "own" and Own(1) == Own(2) and hash(Own(1)) == 7

    @records.frozen
    class OwnEq:  # its __eq__ only (Python sets its __hash__ to None): hashed by its fields, as @dataclass does
        a: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, OwnEq)

    @dataclasses.dataclass(frozen=True)
    class DOwnEq:
        a: int

        def __eq__(self, other: object) -> bool:
            return isinstance(other, DOwnEq)

    assert OwnEq(1) == OwnEq(2) and hash(OwnEq(1)) == hash(DOwnEq(1)) != hash(OwnEq(2))


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("    a: int = 1\n    b: int\n", "non-default argument 'b' follows default argument"),
        ("    a: list[int] = []\n", "mutable default list"),
        ("    a: int = field(init=False, default=0)\n", r"field\(init=...\) and field\(hash=...\) are not supported"),
        ("    a: InitVar[int]\n", "InitVar and KW_ONLY are not supported"),
        ("    __slots__ = ('a',)\n    a: int\n", "already specifies __slots__"),
        ("    a: int\n    def __setattr__(self, name, value): pass\n", "cannot define __setattr__ or __delattr__"),
        ("    a: int\n    def __delattr__(self, name): pass\n", "cannot define __setattr__ or __delattr__"),
    ],
)
def test_what_records_do_not_support_is_refused(body: str, error: str) -> None:
    slots = "(slots=True)" if "__slots__" in body else ""
    source = f"from dataclasses import field, InitVar\n@records.frozen{slots}\nclass Bad:\n" + body
    with pytest.raises((TypeError, ValueError), match=error):
        exec(compile(source, "bad", "exec", dont_inherit=True), {"records": records, "__name__": "bad"})


def test_a_record_cannot_extend_a_plain_dataclass() -> None:
    @dataclasses.dataclass(frozen=True)
    class Plain:
        a: int

    with pytest.raises(TypeError, match="is a dataclass, not a record"):

        @records.frozen
        class Child(Plain):
            b: int = 0


def test_every_riskcli_class_with_fields_is_a_record() -> None:
    """No class of riskcli is made by dataclasses itself (ruff's banned-api holds the import)."""
    import importlib
    import pkgutil

    import riskcli

    seen = 0
    for info in pkgutil.walk_packages(riskcli.__path__, "riskcli."):
        if info.name.startswith(("riskcli.cli", "riskcli.__main__")):
            continue
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == info.name and dataclasses.is_dataclass(value):
                assert value.__dict__.get("__record__"), value
                # its annotations strings, in the class's dict, on every Python (3.14 keeps them elsewhere)
                assert vars(module).get("annotations") is __future__.annotations, info.name
                seen += 1
    assert seen > 200


# --------------------------------------------------------------------------- what review found


def test_a_class_without_a_docstring_is_given_its_signature_as_dataclass_gives_it() -> None:
    for options, decorator in (
        ("frozen=True", records.frozen),
        ("frozen=True, kw_only=True", records.frozen(kw_only=True)),
    ):
        source = "from __future__ import annotations\nfrom dataclasses import field\nclass Bare:\n    a: int\n    b: str = 'x'\n    c: tuple[int, ...] = field(default_factory=tuple)\n"
        made = []
        for deco in (eval(f"lambda c: dataclasses.dataclass({options})(c)"), decorator):
            space: dict[str, Any] = {"__name__": __name__}
            exec(compile(source, "bare", "exec", dont_inherit=True), space)
            made.append(deco(space["Bare"]))
        assert made[1].__doc__ == made[0].__doc__ and made[1].__doc__.startswith("Bare(")


def test_a_record_that_holds_itself_is_shown_without_end() -> None:
    @records.mutable
    class Node:
        items: list[Any] = dataclasses.field(default_factory=list)

    node = Node()
    node.items.append(node)
    assert repr(node).endswith("Node(items=[...])")


@pytest.mark.parametrize(
    "default", ["field(default=[])", "bytearray()", "{}", "set()"], ids=["field-list", "bytearray", "dict", "set"]
)
def test_an_unhashable_default_is_refused_as_dataclass_refuses_it(default: str) -> None:
    source = f"from dataclasses import field\n@records.frozen\nclass Bad:\n    a: object = {default}\n"
    with pytest.raises(ValueError, match="mutable default"):
        exec(compile(source, "bad", "exec", dont_inherit=True), {"records": records, "__name__": "bad"})
    with pytest.raises(ValueError, match="mutable default"):
        exec(compile(source.replace("@records.frozen", "@dataclass(frozen=True)"), "bad", "exec", dont_inherit=True),
             {"dataclass": dataclasses.dataclass, "__name__": "bad"})  # fmt: skip


def test_field_hash_is_refused() -> None:
    with pytest.raises(TypeError, match=r"field\(hash=...\)"):

        @records.frozen
        class Bad:
            a: int = dataclasses.field(default=0, hash=False)


def test_frozen_and_mutable_records_do_not_extend_one_another() -> None:
    @records.frozen
    class Frozen:
        a: int

    @records.mutable
    class Mutable:
        a: int

    with pytest.raises(TypeError, match="cannot inherit frozen record"):

        @records.mutable
        class A(Frozen):
            b: int = 0

    with pytest.raises(TypeError, match="cannot inherit non-frozen record"):

        @records.frozen
        class B(Mutable):
            b: int = 0


def test_replace_is_a_records_own_method_too() -> None:  # copy.replace (Python 3.13) calls it
    @records.frozen(slots=True)
    class Thing:
        a: int
        b: int = 0

    assert Thing.__replace__(Thing(1, 2), a=5) == Thing(5, 2)  # type: ignore[attr-defined]


def test_init_type_hints_resolve_in_the_records_module() -> None:
    from riskcli import model

    for cls in (model.Risk, model.Register):
        assert typing.get_type_hints(cls.__init__) == {**typing.get_type_hints(cls), "return": type(None)}
        inspect.signature(cls, eval_str=True)  # no NameError


def test_a_classvar_under_any_module_name_is_no_field() -> None:
    source = "from __future__ import annotations\nimport typing as t\n@records.frozen\nclass C:\n    K: t.ClassVar[int] = 1\n    a: int = 0\n"
    space: dict[str, Any] = {"records": records, "__name__": "classvar"}
    exec(compile(source, "classvar", "exec", dont_inherit=True), space)
    assert [f.name for f in dataclasses.fields(space["C"])] == ["a"] and space["C"].K == 1


def test_what_an_abstract_base_asks_for_may_be_written_by_the_record() -> None:
    class Shown(abc.ABC):
        @abc.abstractmethod
        def __repr__(self) -> str: ...

    @records.frozen
    class Thing(Shown):
        a: int

    assert repr(Thing(1)).endswith("Thing(a=1)")


def test_a_slots_records_own_state_methods_are_kept() -> None:
    @records.frozen(slots=True)
    class Own:
        a: int

        def __getstate__(self) -> int:
            return 10

        def __setstate__(self, state: int) -> None:
            object.__setattr__(self, "a", state)

    assert copy.copy(Own(1)).a == 10


@pytest.mark.parametrize("name", ["self", "_rec_set"])
def test_a_name_records_keep_for_themselves_is_refused(name: str) -> None:
    source = f"@records.frozen\nclass Bad:\n    {name}: int\n"
    with pytest.raises(TypeError, match=r"a name riskcli\.records keeps for itself"):
        exec(compile(source, "bad", "exec", dont_inherit=True), {"records": records, "__name__": "bad"})


def test_a_record_without_annotations_has_no_fields() -> None:
    @records.frozen
    class Empty:
        """Nothing."""

    @dataclasses.dataclass(frozen=True)
    class DEmpty:
        """Nothing."""

    assert dataclasses.fields(Empty) == () and Empty() == Empty() and hash(Empty()) == hash(DEmpty())


def test_annotations_that_are_not_strings_are_read_as_dataclass_reads_them() -> None:
    """A module without ``from __future__ import annotations``: its annotations are objects."""
    source = "import typing\nclass C:\n    K: typing.ClassVar[int] = 1\n    L: typing.ClassVar = 2\n    a: int = 0\n    b: 'str' = ''\n"
    made = []
    for deco in (dataclasses.dataclass(frozen=True), records.frozen):
        space: dict[str, Any] = {"__name__": __name__}
        exec(compile(source, "plain", "exec", dont_inherit=True), space)
        made.append(deco(space["C"]))
    assert [(f.name, f.type) for f in dataclasses.fields(made[1])] == [
        (f.name, f.type) for f in dataclasses.fields(made[0])
    ]
    assert [f.name for f in dataclasses.fields(made[1])] == ["a", "b"] and (made[1].K, made[1].L) == (1, 2)
