# src/api: see the files' first lines.
