# src/domain: see the files' first lines.
