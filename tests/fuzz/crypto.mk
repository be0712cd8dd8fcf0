# fuzz harnesses for src/crypto
