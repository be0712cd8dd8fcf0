# htdocs: the static front end (plain JS and CSS, no build step), installed as it stands in the tree. A new file
# goes into its directory's list below: several names a line; modules in their load order.
nobase_dist_pkgdata_DATA += htdocs/common/bus.js

# The widget: the loader (host page), the chat panel's modules (load order and map: htdocs/widget/core.js;
# loaded by frame.html and templates/channels-frame.xhtml), then the add-ons after them.
nobase_dist_pkgdata_DATA += htdocs/widget/loader.js htdocs/widget/frame.html htdocs/widget/widget.css \
	htdocs/widget/preview.html htdocs/widget/preview.css htdocs/widget/rating.css htdocs/widget/quick.css \
	htdocs/widget/core.js htdocs/widget/panel.js htdocs/widget/messages.js htdocs/widget/forms.js \
	htdocs/widget/leave-message.js htdocs/widget/offline.js htdocs/widget/prechat.js htdocs/widget/composer.js \
	htdocs/widget/session.js htdocs/widget/stream.js htdocs/widget/start.js htdocs/widget/typing.js \
	htdocs/widget/read-marks.js htdocs/widget/rating.js htdocs/widget/visitor.js htdocs/widget/quick.js

# The workbench's modules (load order and map: htdocs/workbench/core.js; loaded by templates/workbench.xhtml).
nobase_dist_pkgdata_DATA += htdocs/workbench/workbench.css htdocs/workbench/annotations.css \
	htdocs/workbench/presence.css htdocs/workbench/visitors.css htdocs/workbench/clip.svg \
	htdocs/workbench/core.js htdocs/workbench/alerts.js htdocs/workbench/stream.js htdocs/workbench/conversations.js \
	htdocs/workbench/chat.js htdocs/workbench/composer.js htdocs/workbench/canned.js htdocs/workbench/typing.js \
	htdocs/workbench/read-marks.js htdocs/workbench/ratings.js htdocs/workbench/queue.js htdocs/workbench/transfer.js \
	htdocs/workbench/inbox.js htdocs/workbench/presence.js htdocs/workbench/sidebar.js htdocs/workbench/crm.js \
	htdocs/workbench/visitors.js htdocs/workbench/notes.js htdocs/workbench/tags.js htdocs/workbench/facts.js \
	htdocs/workbench/attachments.js htdocs/workbench/my-history.js htdocs/workbench/waiting.js

# The console's pages: their style and the form builders (htdocs/console/cond-builder.js and the pages' own).
nobase_dist_pkgdata_DATA += htdocs/console/console.css htdocs/console/api.css htdocs/console/channels.css \
	htdocs/console/crm.css htdocs/console/reports.css htdocs/console/console.js htdocs/console/cond-builder.js \
	htdocs/console/rules.js htdocs/console/triggers.js htdocs/console/channels.js htdocs/console/sidebar-editor.js
