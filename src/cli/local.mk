# src/cli: see the files' first lines.
