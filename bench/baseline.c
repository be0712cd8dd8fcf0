/* baseline: the bare minimum a chat message POST costs: libfcgi, read the body, one prepared INSERT, a JSON id. */
/* It accepts and closes as kefu's workers do (src/http/server.c): no lock
 * around accept, and the rest of stdin read before a plain close instead of
 * libfcgi's half-close and wait; bench/run starts as many of it as kefu has
 * workers, each with kefu's thread count, so the two differ only in what a
 * request does. */
#include <fcgiapp.h>
#include <mysql.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Usage: baseline SOCKET DB_SOCKET DB_USER DB_PASSWORD DB_NAME THREADS
 * Creates bench_messages if needed; every request inserts one row. */
static const char *dbsock, *dbuser, *dbpass, *dbname;
static int listen_fd;

/* kefu's server_finish: libfcgi's close half-closes and waits for the web
 * server to hang up; once stdin is read to its end a plain close (a
 * "detached" request's) is as clean and costs no wait. */
static void finish(FCGX_Request *req)
{
	char rest[4096];
	for (int i = 0; i < 16 && FCGX_GetStr(rest, (int)sizeof rest, req->in) > 0; i++)
		;
	if (FCGX_HasSeenEOF(req->in) == EOF && FCGX_GetError(req->in) == 0)
		FCGX_Detach(req);
	FCGX_Finish_r(req);
}

static void *serve(void *arg)
{
	(void)arg;
	MYSQL *my = mysql_init(NULL);
	if (!mysql_real_connect(my, NULL, dbuser, dbpass, dbname, 0, dbsock, 0)) {
		fprintf(stderr, "baseline: %s\n", mysql_error(my));
		exit(1);
	}
	static const char sql[] = "INSERT INTO bench_messages (conversation_id, text) VALUES (?, ?)";
	MYSQL_STMT *st = mysql_stmt_init(my);
	if (mysql_stmt_prepare(st, sql, sizeof sql - 1)) {
		fprintf(stderr, "baseline: %s\n", mysql_stmt_error(st));
		exit(1);
	}
	FCGX_Request req;
	FCGX_InitRequest(&req, listen_fd, 0);
	char body[65536];
	for (;;) {
		/* No lock around accept, as in kefu's workers. */
		if (FCGX_Accept_r(&req) < 0)
			break;
		int n = FCGX_GetStr(body, sizeof body - 1, req.in);
		if (n < 0)
			n = 0;
		long long conv = 1;
		unsigned long len = (unsigned long)n;
		MYSQL_BIND b[2];
		memset(b, 0, sizeof b);
		b[0].buffer_type = MYSQL_TYPE_LONGLONG;
		b[0].buffer = &conv;
		b[1].buffer_type = MYSQL_TYPE_STRING;
		b[1].buffer = body;
		b[1].buffer_length = len;
		b[1].length = &len;
		if (mysql_stmt_bind_param(st, b) || mysql_stmt_execute(st)) {
			FCGX_FPrintF(req.out, "Status: 503\r\nContent-Type: application/json\r\n\r\n{}");
		} else {
			char out[64];
			int k =
			    snprintf(out, sizeof out, "{\"id\":%llu}", (unsigned long long)mysql_stmt_insert_id(st));
			FCGX_FPrintF(
			    req.out,
			    "Status: 201 Created\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", k,
			    out);
		}
		finish(&req);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fputs("usage: baseline SOCKET DB_SOCKET DB_USER DB_PASSWORD DB_NAME THREADS\n", stderr);
		return 2;
	}
	dbsock = argv[2], dbuser = argv[3], dbpass = argv[4], dbname = argv[5];
	int threads = atoi(argv[6]);
	mysql_library_init(0, NULL, NULL);
	MYSQL *my = mysql_init(NULL);
	if (!mysql_real_connect(my, NULL, dbuser, dbpass, dbname, 0, dbsock, 0) ||
	    mysql_query(my, "CREATE TABLE IF NOT EXISTS bench_messages (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
	                    " conversation_id BIGINT NOT NULL, text TEXT NOT NULL,"
	                    " created_at DATETIME(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)) ENGINE=InnoDB")) {
		fprintf(stderr, "baseline: %s\n", mysql_error(my));
		return 1;
	}
	mysql_close(my);
	FCGX_Init();
	unlink(argv[1]);
	umask(0);
	listen_fd = FCGX_OpenSocket(argv[1], 1024);
	if (listen_fd < 0)
		return 1;
	pthread_t *t = calloc((size_t)threads, sizeof *t);
	for (int i = 0; i < threads; i++)
		pthread_create(&t[i], NULL, serve, NULL);
	for (int i = 0; i < threads; i++)
		pthread_join(t[i], NULL);
	return 0;
}
