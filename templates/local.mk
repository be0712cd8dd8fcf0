# templates
nobase_dist_pkgdata_DATA += templates/channels-frame.xhtml
