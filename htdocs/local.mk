# htdocs
nobase_dist_pkgdata_DATA += \
	htdocs/widget/loader.js htdocs/widget/widget.js htdocs/widget/widget.css \
	htdocs/widget/frame.html htdocs/widget/preview.html htdocs/widget/preview.css
nobase_dist_pkgdata_DATA += htdocs/workbench/workbench.js htdocs/workbench/workbench.css
nobase_dist_pkgdata_DATA += htdocs/console/console.css htdocs/console/console.js
nobase_dist_pkgdata_DATA += htdocs/console/channels.js htdocs/console/channels.css
nobase_dist_pkgdata_DATA += htdocs/workbench/sidebar.js htdocs/workbench/sidebar.css
nobase_dist_pkgdata_DATA += htdocs/workbench/workbench2.js htdocs/workbench/workbench2.css htdocs/widget/rating.js htdocs/widget/rating.css
nobase_dist_pkgdata_DATA += htdocs/console/crm.css htdocs/console/sidebar-editor.js htdocs/widget/quick.css htdocs/widget/quick.js
nobase_dist_pkgdata_DATA += htdocs/console/api.css htdocs/console/reports.css
