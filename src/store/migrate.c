/* migrate: ordered, recorded, lock-protected application of schema files. */
#include "store/migrate.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_migration(const char *name)
{
	size_t n = strlen(name);
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return n > 9 && name[4] == '-' && strcmp(name + n - 4, ".sql") == 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 8192, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf != NULL && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (bigger == NULL)
				free(buf);
			buf = bigger;
		}
	}
	fclose(f);
	if (buf == NULL)
		abort();
	*len = n;
	return buf;
}

static int apply_one(struct kefu_db *db, kefu_arena *a, const char *dir, const char *name, int verbose, char *err,
                     size_t errlen)
{
	struct db_result *r;
	if (db_query(db, a, &r, "SELECT 1 FROM schema_migrations WHERE version = ?", "s", name) != KEFU_OK) {
		snprintf(err, errlen, "cannot read schema_migrations");
		return -1;
	}
	if (r->nrows > 0)
		return 0;
	char *path = arena_printf(a, "%s/%s", dir, name);
	size_t len;
	char *sql = read_file(path, &len);
	if (sql == NULL) {
		snprintf(err, errlen, "%s: cannot read", path);
		return -1;
	}
	char why[512];
	kefu_err e = db_script(db, sql, len, why, sizeof why);
	free(sql);
	if (e != KEFU_OK) {
		snprintf(err, errlen, "%s: %s", name, why);
		return -1;
	}
	if (db_exec(db, NULL, NULL, "INSERT INTO schema_migrations (version) VALUES (?)", "s", name) != KEFU_OK) {
		snprintf(err, errlen, "%s: applied but not recorded", name);
		return -1;
	}
	if (verbose)
		printf("applied %s\n", name);
	return 0;
}

int migrate_apply(struct kefu_db *db, const char *dir, int verbose, char *err, size_t errlen)
{
	static const char ddl[] = "CREATE TABLE IF NOT EXISTS schema_migrations ("
	                          " version VARCHAR(255) NOT NULL PRIMARY KEY,"
	                          " applied_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP"
	                          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci";
	if (db_script(db, ddl, sizeof ddl - 1, err, errlen) != KEFU_OK)
		return -1;
	kefu_arena *a = arena_new();
	int rc = -1;
	struct db_result *r;
	if (db_query(db, a, &r, "SELECT GET_LOCK('kefu_migrate', 60)", "") != KEFU_OK || r->nrows != 1 ||
	    db_i64(r, 0, 0) != 1) {
		snprintf(err, errlen, "another migration holds the lock");
		arena_free(a);
		return -1;
	}
	DIR *d = opendir(dir);
	if (d == NULL) {
		snprintf(err, errlen, "%s: cannot open schema directory", dir);
		goto unlock;
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (!is_migration(de->d_name))
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (names == NULL)
			abort();
		names[n++] = arena_strdup(a, de->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = apply_one(db, a, dir, names[i], verbose, err, errlen);
	free(names);
unlock:
	(void)db_query(db, a, &r, "SELECT RELEASE_LOCK('kefu_migrate')", "");
	arena_free(a);
	return rc;
}
