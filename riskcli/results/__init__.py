"""The results layer: one function per view or action, each returning a typed result.

``types`` holds the result dataclasses (the JSON contract); ``session`` opens a register with
its journal; ``views`` computes the read views, ``record`` the journal actions, ``checks`` the
register checks (validate, diff). Commands call these and hand the result to ``render``.
"""
