"""Speed helpers for bulk loading."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects, then freeze them.

    Loading a 10,000-risk register creates about 1.5 million YAML nodes and model objects, none
    in reference cycles; the collector would rescan the growing heap hundreds of times for
    nothing (about three quarters of the load time). Reference counting still frees memory.

    Re-enabling the collector alone only postpones that work: every object allocated while it
    was off is still in the youngest generation, so the first allocation after ``gc.enable()``
    starts a collection that traverses all of them (about 0.5 s of a 2.1 s ``matrix`` on
    10,000 risks), and a longer command then pays again as they are promoted to the older
    generations. So the objects are moved to the permanent generation with ``gc.freeze()``
    before the collector is re-enabled, and no collection ever looks at them again.

    What freezing costs: a frozen object is never examined by the cyclic collector, so a
    reference cycle among frozen objects (or cyclic garbage made while the collector was off)
    would stay in memory until the process exits. That is acceptable here: riskcli is a
    short-lived process, what it loads is acyclic (a register or journal dropped in a running
    process leaves no cyclic garbage) and lives until exit anyway, and reference counting still
    frees frozen objects whose last reference goes away. A long-lived caller that loads many
    registers can call ``gc.unfreeze()`` to hand them back to the collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()
