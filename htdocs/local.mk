# htdocs
nobase_dist_pkgdata_DATA += \
	htdocs/widget/loader.js htdocs/widget/widget.css \
	htdocs/widget/frame.html htdocs/widget/preview.html htdocs/widget/preview.css
nobase_dist_pkgdata_DATA += htdocs/workbench/workbench.css htdocs/workbench/clip.svg htdocs/common/bus.js
nobase_dist_pkgdata_DATA += htdocs/console/console.css htdocs/console/console.js htdocs/console/cond-builder.js htdocs/console/rules.js htdocs/console/triggers.js
nobase_dist_pkgdata_DATA += htdocs/console/channels.js htdocs/console/channels.css
# The workbench's modules (map and load order: htdocs/workbench/core.js).
nobase_dist_pkgdata_DATA += \
	htdocs/workbench/core.js \
	htdocs/workbench/alerts.js \
	htdocs/workbench/stream.js \
	htdocs/workbench/conversations.js \
	htdocs/workbench/chat.js \
	htdocs/workbench/composer.js \
	htdocs/workbench/canned.js \
	htdocs/workbench/typing.js \
	htdocs/workbench/read-marks.js \
	htdocs/workbench/ratings.js \
	htdocs/workbench/queue.js \
	htdocs/workbench/transfer.js \
	htdocs/workbench/inbox.js \
	htdocs/workbench/presence.js \
	htdocs/workbench/sidebar.js \
	htdocs/workbench/crm.js \
	htdocs/workbench/visitors.js htdocs/workbench/visitors.css
nobase_dist_pkgdata_DATA += htdocs/widget/typing.js htdocs/widget/read-marks.js htdocs/widget/rating.js htdocs/widget/rating.css
nobase_dist_pkgdata_DATA += htdocs/widget/visitor.js
# The chat panel's modules, in load order (htdocs/widget/core.js has the map).
nobase_dist_pkgdata_DATA += htdocs/widget/core.js htdocs/widget/panel.js htdocs/widget/messages.js htdocs/widget/forms.js htdocs/widget/leave-message.js htdocs/widget/offline.js htdocs/widget/prechat.js htdocs/widget/composer.js htdocs/widget/session.js htdocs/widget/stream.js htdocs/widget/start.js
nobase_dist_pkgdata_DATA += htdocs/console/crm.css htdocs/console/sidebar-editor.js htdocs/widget/quick.css htdocs/widget/quick.js
nobase_dist_pkgdata_DATA += htdocs/console/api.css
# The workbench's notes, tags, visitor facts, attachments (lightbox, file icons) and own-history search.
nobase_dist_pkgdata_DATA += htdocs/workbench/notes.js htdocs/workbench/tags.js htdocs/workbench/facts.js \
	htdocs/workbench/attachments.js htdocs/workbench/my-history.js htdocs/workbench/annotations.css
# wb-presence: the long-wait marks and the status banner and alert controls.
nobase_dist_pkgdata_DATA += htdocs/workbench/waiting.js htdocs/workbench/presence.css
nobase_dist_pkgdata_DATA += htdocs/console/api.css htdocs/console/reports.css
