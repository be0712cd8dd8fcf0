# src/view: see the files' first lines.
