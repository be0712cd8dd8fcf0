# htdocs
nobase_dist_pkgdata_DATA += \
	htdocs/widget/loader.js htdocs/widget/widget.js htdocs/widget/widget.css \
	htdocs/widget/frame.html htdocs/widget/preview.html htdocs/widget/preview.css
