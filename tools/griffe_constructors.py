"""A griffe extension for the API reference: a class built by ``__new__`` shows that signature.

The SDK's immutable settings (``RetryPolicy``, ``TimeSync``, ``Timeout``) are ``NamedTuple``
subclasses that check their values in ``__new__``; they have no ``__init__``. griffe reads a class's
constructor from ``__init__`` only, so those classes would render without a signature, and the
``:param`` fields of their docstrings would match nothing (a warning, which fails the strict build).
This extension gives such a class an ``__init__`` with ``__new__``'s parameters, for the docs only.
mkdocs.yml loads it (``extensions`` of the mkdocstrings python handler).
"""

from __future__ import annotations

import ast
from typing import Any

import griffe


class NewAsInit(griffe.Extension):
    """A class defining ``__new__`` and no ``__init__`` is documented with ``__new__``'s parameters."""

    def on_class_members(
        self,
        *,
        node: ast.AST | griffe.ObjectNode,
        cls: griffe.Class,
        agent: griffe.Visitor | griffe.Inspector,
        **kwargs: Any,
    ) -> None:
        new = cls.members.get("__new__")
        if not isinstance(new, griffe.Function) or "__init__" in cls.members:
            return
        parameters = list(new.parameters)[1:]  # without ``cls``
        init = griffe.Function(
            "__init__",
            lineno=new.lineno,
            endlineno=new.endlineno,
            parameters=griffe.Parameters(griffe.Parameter("self"), *parameters),
            returns="None",
        )
        cls.set_member("__init__", init)
