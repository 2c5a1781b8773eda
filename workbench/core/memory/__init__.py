"""The translation memory: units, exact and fuzzy lookup, repetitions, concordance, analysis.

- `store`: the user's memory (SQLite under `$XDG_DATA_HOME/workbench/`) and its index;
- `project_units`: the open project's reviewed segments as units, mirrored into the store;
- `text`, `index`, `match`: how sources are compared, the fuzzy index, the scores;
- `lookup`: `ProjectMemory`, what the faces hold and ask;
- `tmx`: TMX files in and out; `repetitions`, `concordance`, `analysis`.
"""

from workbench.core.memory.lookup import ProjectMemory, queries
from workbench.core.memory.units import THIS_PROJECT, Match, Query, Repair, Span, Unit

__all__ = ["THIS_PROJECT", "Match", "ProjectMemory", "Query", "Repair", "Span", "Unit",
           "queries"]
