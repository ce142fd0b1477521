"""whoosh without the modules it imports and does not use, for the commands that start a
process to search (``portail search``: a new process each time).

``whoosh.compat`` imports ``urllib.request`` for a ``urlretrieve`` that no whoosh module calls
(and with it ``http.client``, ``email``, ``ssl``); the ``cached_property`` package, which
whoosh's readers use, imports ``asyncio`` to ask whether a method is a coroutine function; and
``whoosh.query`` imports the English ``morph_en`` tables for a query the search never makes:
about a third of importing whoosh. ``light_whoosh()``, called before whoosh is first imported,
lets these imports find stand-ins instead, then takes the stand-ins out of ``sys.modules``: a
later ``import asyncio`` (or of the others) loads the real module, and the stand-ins whoosh kept
behave as the real modules (anything else they are asked for comes from the real module,
imported then).
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Callable
from typing import Any


def light_whoosh() -> None:
    """Import ``whoosh.compat`` and ``cached_property`` with stand-ins for ``urllib.request``
    and ``asyncio`` (only for those not imported yet)."""
    if "whoosh.compat" in sys.modules and "cached_property" in sys.modules:
        return
    stand_ins = {
        name: _StandIn(name, attribute, function)
        for name, attribute, function in (
            ("urllib.request", "urlretrieve", _urlretrieve),
            ("asyncio", "iscoroutinefunction", _iscoroutinefunction),
            ("whoosh.lang.morph_en", "variations", _variations),
        )
        if name not in sys.modules
    }
    sys.modules.update(stand_ins)
    try:
        import cached_property  # noqa: F401
        import whoosh.compat  # noqa: F401
        import whoosh.query  # noqa: F401
    finally:
        for name, stand_in in stand_ins.items():
            _forget(name, stand_in)


class _StandIn(types.ModuleType):
    """A module with one function of its own; any other attribute is the real module's."""

    def __init__(self, name: str, attribute: str, function: Callable[..., Any]) -> None:
        super().__init__(name)
        setattr(self, attribute, function)

    def __getattr__(self, attribute: str) -> Any:
        if attribute.startswith("__"):  # the import system asks for __path__: not a package
            raise AttributeError(attribute)
        return getattr(_real(self.__name__), attribute)


def _real(name: str) -> types.ModuleType:
    stand_in = sys.modules.get(name)
    if isinstance(stand_in, _StandIn):
        _forget(name, stand_in)
    return importlib.import_module(name)


def _forget(name: str, stand_in: _StandIn) -> None:
    if sys.modules.get(name) is stand_in:
        del sys.modules[name]
    parent, _, child = name.rpartition(".")
    if parent and getattr(sys.modules.get(parent), child, None) is stand_in:
        delattr(sys.modules[parent], child)


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    return _real("urllib.request").urlretrieve(*args, **kwargs)


def _variations(*args: Any, **kwargs: Any) -> Any:
    return _real("whoosh.lang.morph_en").variations(*args, **kwargs)


def _iscoroutinefunction(function: Any) -> bool:
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None and not isinstance(asyncio, _StandIn):
        return bool(asyncio.iscoroutinefunction(function))
    # asyncio's own test adds a mark only asyncio can have set: none before it is imported.
    import inspect

    return inspect.iscoroutinefunction(function)
