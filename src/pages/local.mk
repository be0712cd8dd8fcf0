# src/pages: see the files' first lines.
