# fuzz harnesses for src/view
