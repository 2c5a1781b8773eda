"""Aligning an existing translation with a document's segments, sentence by sentence.

- `language`, `english`, `languages`: the target side, one module per language behind a small
  interface (sentence splitting with the cleanup of extraction damage, numbers, words);
- `anchors`: what ties a source sentence to a target sentence (glossary names, numbers and
  dates, dictionary and MT words), weighted by how rare it is;
- `jmdict`: English words for Japanese ones from JMdict, loaded only when asked for;
- `dp`: the dynamic programme over beads, in a band, with per-bead confidence;
- `score`: strict and lax bead F1, to measure an alignment against a gold one;
- `document`: aligning a translation file with a document of a project and applying it.
"""
