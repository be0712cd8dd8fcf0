# htdocs
