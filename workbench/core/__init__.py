"""The UI-free core: text, segments, glossary, MT, project state and export.

Nothing under this package imports textual or rich; the CLI and the TUI sit on it.
"""
