# schema: numbered migrations, installed for kefuctl migrate.
nobase_dist_pkgdata_DATA += \
	schema/0001-tenants-users.sql
nobase_dist_pkgdata_DATA += schema/0003-channels-visitors.sql
