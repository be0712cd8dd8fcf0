# po: message catalogs, one flat JSON object per language; installed for the worker.
nobase_dist_pkgdata_DATA += po/en.json po/zh-CN.json
