"""The translation memory: units, exact and fuzzy lookup, repetitions, concordance, analysis.

- `store`: the user's memory (SQLite under `$XDG_DATA_HOME/workbench/`) and its index;
- `project_units`: the open project's reviewed segments as units, mirrored into the store;
- `text`, `index`, `match`: how sources are compared, the fuzzy index, the scores;
- `lookup`: `ProjectMemory`, what the faces hold and ask;
- `tmx`: TMX files in and out; `repetitions`, `concordance`, `analysis`;
- `review`: what the review screen asks of it.

The names below are imported when first used: a module that needs only `repetitions`
(the review session, at start-up) does not pay for numpy and the matcher.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workbench.core.memory.lookup import ProjectMemory, queries
    from workbench.core.memory.units import THIS_PROJECT, Match, Query, Repair, Span, Unit

__all__ = ["THIS_PROJECT", "Match", "ProjectMemory", "Query", "Repair", "Span", "Unit",
           "queries"]
_HOMES = {"ProjectMemory": "lookup", "queries": "lookup"}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f"{__name__}.{_HOMES.get(name, 'units')}")
    return getattr(module, name)
