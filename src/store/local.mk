# src/store: see the files' first lines.
