"""Glossary enforcement on the English side, and pre-translation.

`enforce` takes a segment's source, its English and the glossary hits of the source, and
makes the English name each thing the one canonical way, touching nothing else:

- an `en_variants` rendering (`Elchibei`) is rewritten;
- a spelling of the name, of a part of it or of a derived form by another romanization
  system (`Nazarbaev` → `Nazarbayev`, `Nagorno Karabakh` → `Nagorno-Karabakh`, `Roussian` →
  `Russian`), found by transliteration skeleton, or a letter or two off it (`Kazakstan`);
- Japanese left in the English (`エルチベイ`) or its romanization (`Eruchibei`) is replaced.

Each rewrite says why and how sure it is; one below `APPLY_AT` is only suggested. A correct
word is never rewritten: another entry's name, an English word (`Chechen`, `Russian`), a
derived form, or anything inside quotes when the source quotes too. English often names a
person by one part of the name (`Elchibey`): a part counts as present, and a misspelling of
a part becomes that part. An entry none of whose forms is present afterwards is reported
missing. With no English yet, the result is a pre-translation: the source with each hit in
canonical English.

- `forms`: what enforcement knows of an entry, the words of a text, `Change`
- `names`: misspelt names (skeletons, edit distance, romanized katakana) and confidence
- `rewrite`: gathering, choosing and applying rewrites; `Enforcer`; pre-translation
"""

from workbench.core.enforce.forms import Change, accepted_forms, contains_word, present_in
from workbench.core.enforce.names import APPLY_AT
from workbench.core.enforce.rewrite import (
    RULES_VERSION,
    Enforced,
    Enforcer,
    enforce,
    enforce_many,
    normalized_stamp,
    pretranslate,
)

__all__ = ["APPLY_AT", "RULES_VERSION", "Change", "Enforced", "Enforcer", "accepted_forms",
           "contains_word", "enforce", "enforce_many", "normalized_stamp", "present_in",
           "pretranslate"]
