/* kefuctl: command-line administration: migrations, tenants, first admins, API keys, users. */
#include <getopt.h>
#include <mysql.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/conf.h"
#include "core/utf8.h"
#include "crypto/hash.h"
#include "crypto/password.h"
#include "crypto/random.h"
#include "store/db.h"
#include "store/migrate.h"
#include "store/store-apikeys.h"
#include "store/store-tenants.h"
#include "store/store-users.h"

struct ctx {
	struct kefu_conf conf;
	struct kefu_db *db;
	kefu_arena *arena;
};

static int fail(const char *fmt, const char *arg)
{
	fputs("kefuctl: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 1;
}

static const char *db_failure(kefu_err e)
{
	switch (e) {
	case KEFU_E_CONFLICT: return "already exists";
	case KEFU_E_UNAVAILABLE: return "cannot reach the database";
	case KEFU_E_NOT_FOUND: return "not found";
	default: return "database error";
	}
}

/* Options of one subcommand: --name value pairs into a small table. */
struct opt {
	const char *name;
	const char *value;
	bool required;
	const char *help;
};

static int parse_opts(int argc, char **argv, struct opt *opts, size_t n, const char *usage)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("%s\n", usage);
			for (size_t k = 0; k < n; k++)
				printf("  --%-16s %s%s\n", opts[k].name, opts[k].help,
				       opts[k].required ? " (required)" : "");
			exit(0);
		}
		size_t k = 0;
		for (; k < n; k++)
			if (strncmp(argv[i], "--", 2) == 0 && strcmp(argv[i] + 2, opts[k].name) == 0)
				break;
		if (k == n)
			return fail("unknown option %s (see --help)", argv[i]);
		if (i + 1 >= argc)
			return fail("%s needs a value", argv[i]);
		opts[k].value = argv[++i];
		if (!utf8_valid(opts[k].value, strlen(opts[k].value)))
			return fail("%s: not UTF-8", argv[i - 1]);
	}
	for (size_t k = 0; k < n; k++)
		if (opts[k].required && (opts[k].value == NULL || *opts[k].value == '\0'))
			return fail("--%s is required (see --help)", opts[k].name);
	return 0;
}

/* The options of a command's "create" (the one subcommand of tenant,
 * api-key and user): usage is its synopsis, what says what it does (--help). */
static int create_opts(int argc, char **argv, struct opt *opts, size_t n, const char *usage, const char *what)
{
	if (argc < 1 || strcmp(argv[0], "create") != 0)
		return fail("%s", usage);
	char help[512];
	snprintf(help, sizeof help, "%s\n%s", usage, what);
	return parse_opts(argc - 1, argv + 1, opts, n, help);
}

/* A password from the option or, failing that, the first line of stdin. */
static const char *read_password(const char *given, char *buf, size_t len)
{
	if (given != NULL)
		return given;
	if (fgets(buf, (int)len, stdin) == NULL)
		return NULL;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? buf : NULL;
}

static int tenant_id_by_name(struct ctx *c, const char *name, int64_t *id)
{
	kefu_err e = db_tenant_by_name(c->db, c->arena, name, id);
	if (e != KEFU_OK)
		return fail("tenant %s: not found", e == KEFU_E_NOT_FOUND ? name : db_failure(e));
	return 0;
}

static int cmd_migrate(struct ctx *c, int argc, char **argv)
{
	struct opt opts[] = {{"dir", NULL, false, "schema directory (default: schema_dir from the config)"}};
	if (parse_opts(argc, argv, opts, 1, "usage: kefuctl migrate [--dir DIR]\nApply pending schema migrations."))
		return 1;
	char err[600];
	if (migrate_apply(c->db, opts[0].value ? opts[0].value : c->conf.schema_dir, 1, err, sizeof err) != 0)
		return fail("migrate: %s", err);
	return 0;
}

static int create_user(struct ctx *c, int64_t tenant, const char *login, const char *name, const char *role,
                       const char *password, int64_t *id)
{
	if (password != NULL && strlen(password) < 8)
		return fail("%s: the password needs at least 8 characters", login);
	char *hash = password ? password_hash(password) : NULL;
	struct user_row u = {.login = login, .name = name, .role = role};
	kefu_err e = db_user_create(c->db, tenant, &u, hash, id);
	free(hash);
	if (e != KEFU_OK)
		return fail("user: %s", e == KEFU_E_CONFLICT ? "that login is taken" : db_failure(e));
	return 0;
}

static kefu_err tenant_tx(struct kefu_db *db, void *arg)
{
	void **p = arg;
	struct ctx *c = p[0];
	struct opt *opts = p[1];
	int64_t *tenant = p[2];
	kefu_err e = db_tenant_create(db, opts[0].value, tenant);
	if (e != KEFU_OK)
		return e;
	int64_t uid;
	return create_user(c, *tenant, opts[1].value, opts[1].value, "admin", opts[2].value, &uid) ? KEFU_E_CONFLICT
	                                                                                           : KEFU_OK;
}

static int cmd_tenant(struct ctx *c, int argc, char **argv)
{
	struct opt opts[] = {
	    {"name", NULL, true, "the enterprise's name"},
	    {"admin-login", NULL, true, "login of its first admin"},
	    {"admin-password", NULL, false, "the admin's password (else read from standard input)"},
	};
	if (create_opts(argc, argv, opts, 3,
	                "usage: kefuctl tenant create --name NAME --admin-login LOGIN [--admin-password PW]",
	                "Create a tenant and its first admin; prints the tenant id."))
		return 1;
	char buf[1100];
	opts[2].value = read_password(opts[2].value, buf, sizeof buf);
	if (opts[2].value == NULL)
		return fail("no admin password given%s", "");
	int64_t tenant = 0;
	void *args[] = {c, opts, &tenant};
	kefu_err e = db_tx(c->db, tenant_tx, args);
	if (e != KEFU_OK)
		return e == KEFU_E_CONFLICT ? 1 : fail("tenant: %s", db_failure(e));
	printf("%lld\n", (long long)tenant);
	return 0;
}

static int cmd_api_key(struct ctx *c, int argc, char **argv)
{
	struct opt opts[] = {
	    {"tenant", NULL, true, "tenant name"},
	    {"scopes", NULL, true, "comma-separated: admin, crm"},
	    {"name", NULL, false, "a label for the key"},
	};
	if (create_opts(argc, argv, opts, 3,
	                "usage: kefuctl api-key create --tenant NAME --scopes admin,crm [--name NAME]",
	                "Create an API key; prints it once (only its hash is stored)."))
		return 1;
	bool admin = false, crm = false;
	char *scopes = strdup(opts[1].value), *save = NULL;
	for (char *s = strtok_r(scopes, ",", &save); s; s = strtok_r(NULL, ",", &save)) {
		if (strcmp(s, "admin") == 0)
			admin = true;
		else if (strcmp(s, "crm") == 0)
			crm = true;
		else {
			free(scopes);
			return fail("unknown scope %s (admin, crm)", s);
		}
	}
	free(scopes);
	int64_t tenant, id;
	if (tenant_id_by_name(c, opts[0].value, &tenant))
		return 1;
	char *token = crypto_token(32);
	char *key = arena_printf(c->arena, "kefu_%s", token);
	free(token);
	char hash[65];
	crypto_sha256_hex(key, strlen(key), hash);
	char *prefix = arena_strndup(c->arena, key, 12);
	kefu_err e =
	    db_apikey_create(c->db, tenant, opts[2].value ? opts[2].value : "kefuctl", prefix, hash, admin, crm, &id);
	if (e != KEFU_OK)
		return fail("api-key: %s", db_failure(e));
	printf("%s\n", key);
	return 0;
}

static int cmd_user(struct ctx *c, int argc, char **argv)
{
	struct opt opts[] = {
	    {"tenant", NULL, true, "tenant name"},
	    {"login", NULL, true, "login (unique across tenants)"},
	    {"name", NULL, true, "display name"},
	    {"role", NULL, true, "admin or agent"},
	    {"password", NULL, false, "password (else read from standard input)"},
	};
	if (create_opts(argc, argv, opts, 5,
	                "usage: kefuctl user create --tenant NAME --login LOGIN --name NAME --role admin|agent "
	                "[--password PW]",
	                "Create a user; prints the user id."))
		return 1;
	if (strcmp(opts[3].value, "admin") != 0 && strcmp(opts[3].value, "agent") != 0)
		return fail("--role must be admin or agent, not %s", opts[3].value);
	char buf[1100];
	const char *pw = read_password(opts[4].value, buf, sizeof buf);
	if (pw == NULL)
		return fail("no password given%s", "");
	int64_t tenant, id;
	if (tenant_id_by_name(c, opts[0].value, &tenant) ||
	    create_user(c, tenant, opts[1].value, opts[2].value, opts[3].value, pw, &id))
		return 1;
	printf("%lld\n", (long long)id);
	return 0;
}

static const struct command {
	const char *name;
	int (*run)(struct ctx *c, int argc, char **argv);
	const char *help;
} commands[] = {
    {"migrate", cmd_migrate, "apply pending schema migrations"},
    {"tenant", cmd_tenant, "tenant create: a new enterprise and its first admin"},
    {"api-key", cmd_api_key, "api-key create: a key with scopes admin and/or crm"},
    {"user", cmd_user, "user create: an admin or agent"},
};

static void usage(FILE *f)
{
	fputs("usage: kefuctl [-c CONFIG] COMMAND [--help] ...\n\ncommands:\n", f);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fputs("\nThe config is the worker's (KEFU_CONFIG, or -c); KEFU_<KEY> variables override it.\n", f);
}

int main(int argc, char **argv)
{
	const char *config = NULL;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
			config = argv[++i];
		else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return 2;
	}
	const struct command *cmd = NULL;
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
		if (strcmp(argv[i], commands[k].name) == 0)
			cmd = &commands[k];
	if (cmd == NULL) {
		fprintf(stderr, "kefuctl: unknown command %s\n", argv[i]);
		usage(stderr);
		return 2;
	}
	struct ctx c;
	char err[512];
	if (conf_load(&c.conf, config, err, sizeof err) != 0)
		return fail("config: %s", err);
	mysql_library_init(0, NULL, NULL);
	c.db = db_new(&c.conf);
	c.arena = arena_new();
	int rc = cmd->run(&c, argc - i - 1, argv + i + 1);
	arena_free(c.arena);
	db_free(c.db);
	conf_free(&c.conf);
	mysql_library_end();
	return rc;
}
