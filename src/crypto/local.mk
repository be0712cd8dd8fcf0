# src/crypto: see the files' first lines.
