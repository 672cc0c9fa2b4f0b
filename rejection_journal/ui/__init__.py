"""Qt widgets. The main window composes the panes; each pane lives in its own module."""
