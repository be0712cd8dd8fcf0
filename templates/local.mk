# templates
nobase_dist_pkgdata_DATA += templates/channels-frame.xhtml
nobase_dist_pkgdata_DATA += templates/workbench.xhtml
nobase_dist_pkgdata_DATA += templates/layout.xhtml templates/login.xhtml templates/overview.xhtml \
	templates/console-error.xhtml templates/partial-flash.xhtml templates/partial-department-fields.xhtml \
	templates/users.xhtml templates/users-form.xhtml templates/departments.xhtml templates/departments-edit.xhtml \
	templates/groups.xhtml templates/groups-form.xhtml templates/apikeys.xhtml templates/audit.xhtml
nobase_dist_pkgdata_DATA += templates/channels.xhtml templates/channels-form.xhtml
nobase_dist_pkgdata_DATA += templates/webhooks.xhtml
nobase_dist_pkgdata_DATA += templates/cgroups.xhtml
nobase_dist_pkgdata_DATA += templates/transcript.xhtml
nobase_dist_pkgdata_DATA += templates/history.xhtml templates/reports.xhtml templates/partial-chart.xhtml
nobase_dist_pkgdata_DATA += templates/rules.xhtml templates/rules-form.xhtml
nobase_dist_pkgdata_DATA += templates/canned.xhtml
nobase_dist_pkgdata_DATA += templates/crm.xhtml templates/identity.xhtml templates/quick-buttons.xhtml templates/sidebar.xhtml
nobase_dist_pkgdata_DATA += templates/privacy.xhtml
nobase_dist_pkgdata_DATA += templates/api.xhtml
nobase_dist_pkgdata_DATA += templates/mail-leave-message.xhtml templates/mail-leave-message-text.xhtml templates/mail-leave-message-subject.xhtml
nobase_dist_pkgdata_DATA += templates/mail-leave-digest.xhtml templates/mail-leave-digest-text.xhtml templates/mail-leave-digest-subject.xhtml
nobase_dist_pkgdata_DATA += templates/mail-transcript.xhtml templates/mail-transcript-text.xhtml templates/mail-transcript-subject.xhtml
nobase_dist_pkgdata_DATA += templates/triggers.xhtml
nobase_dist_pkgdata_DATA += templates/tags.xhtml
