"""The glossary: entries and the matcher, folding, file formats, the folder, lint, suggestions.

A glossary is every `.tsv`, `.csv`, `.xlsx` and `.tbx` file in a project's `glossary/` folder,
merged. Each entry names one thing the one canonical English way (`en`) and lists how the
Japanese sources spell it (`ja`). Source text and variants are *folded* by the same function
(width, separators and long-vowel marks inside katakana names, the ヴ row, case) so a variant
written one way finds the name written another, and every hit points at the exact span of the
original text. See `glossary/README.md` for the file format.

- `fold`: the folding and its map back to the original text
- `model`: Entry, Hit, Glossary and its matcher
- `formats`: reading and writing one file (TSV, CSV, XLSX, TBX)
- `folder`: a glossary folder, merged, loaded and changed (under a file lock)
- `lint`, `suggest`, `romaji`: checking a glossary, mining names it lacks, kana romanization
"""
