"""Results of add and set: a register file edited in place."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from riskcli.records import frozen
from riskcli.results.shapes.common import Output, Score, Understood


class ItemKind(StrEnum):
    """The kinds of item ``add`` and ``set`` edit."""

    RISK = "risk"
    ASSUMPTION = "assumption"
    INDICATOR = "indicator"
    RESPONSE = "response"


@frozen
class Baseline:
    """A risk's baseline (its levels in the register) before and after an edit."""

    from_: Score | None  # None: the risk was not yet assessed (a level unassessed)
    to: Score


@frozen(kw_only=True)
class AddResult(Output):
    """An item added to a register file; ``register`` is the register as written."""

    SCHEMA = "add"
    kind: ItemKind
    id: str
    assigned: bool  # riskcli chose the id (the next free number)
    line: int  # where the item starts in the file
    understood: tuple[Understood, ...]  # the levels or belief as riskcli read them
    baseline: Score | None  # a risk's baseline cell and rating


@frozen(kw_only=True)
class SetResult(Output):
    """One field of an item set in a register file; ``register`` is the register as written."""

    SCHEMA = "set"
    SCHEMA_VERSION: ClassVar[int] = 2  # 2: a baseline's from is null when the risk was not yet assessed
    kind: ItemKind
    id: str
    field: str
    from_: str | int | float | None  # the value before (as the model reads it), None if absent
    to: str | int | float
    changed: bool  # False: it had that value already, and the file was left alone
    line: int  # where the item starts in the file
    understood: Understood | None  # a level or belief as riskcli read it
    baseline: Baseline | None  # a risk's baseline, when its likelihood or impact was set
