# src/http: see the files' first lines.
