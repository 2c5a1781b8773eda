"""The review TUI: a Textual app over the project state (see `workbench.tui.app`).

Importing this package is free; textual is loaded only when `workbench.tui.app` is.
"""
