# fuzz harnesses for src/http
