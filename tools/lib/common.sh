# tools/lib/common.sh: shell helpers shared by tools/dev, tools/stack and tools/seed-demo.
# Source it; it defines functions only (plus KEFU_SRCDIR) and changes no shell options.
# shellcheck shell=bash

KEFU_SRCDIR=${KEFU_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

say() { printf '%s: %s\n' "${KEFU_TOOL:-kefu}" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "${KEFU_TOOL:-kefu}" "$*" >&2; }
die() {
	printf '%s: error: %s\n' "${KEFU_TOOL:-kefu}" "$*" >&2
	exit 1
}

have() { command -v "$1" >/dev/null 2>&1; }

# abspath PATH: PATH made absolute (the path need not exist yet).
abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "${1#./}" ;;
	esac
}

# free_port: an unused TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
	if have node; then
		node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
		return
	fi
	local p
	for _ in $(seq 1 50); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			printf '%s\n' "$p"
			return
		fi
	done
	die "no free port found"
}

# pid_alive PIDFILE NAME: true if the pid in PIDFILE runs a program whose
# command line mentions NAME (so a recycled pid is never mistaken for ours).
pid_alive() {
	local pidfile=$1 name=$2 pid
	[[ -s $pidfile ]] || return 1
	pid=$(<"$pidfile")
	[[ $pid =~ ^[0-9]+$ ]] || return 1
	[[ -r /proc/$pid/cmdline ]] || return 1
	tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF -- "$name"
}

# stop_pidfile PIDFILE NAME TIMEOUT: SIGTERM, wait up to TIMEOUT seconds, then SIGKILL.
stop_pidfile() {
	local pidfile=$1 name=$2 timeout=$3 pid i
	if ! pid_alive "$pidfile" "$name"; then
		rm -f "$pidfile"
		return 0
	fi
	pid=$(<"$pidfile")
	kill -TERM "$pid" 2>/dev/null || true
	for ((i = 0; i < timeout * 10; i++)); do
		pid_alive "$pidfile" "$name" || break
		sleep 0.1
	done
	if pid_alive "$pidfile" "$name"; then
		warn "$name (pid $pid) ignored SIGTERM for ${timeout}s; sending SIGKILL"
		kill -KILL "$pid" 2>/dev/null || true
		for ((i = 0; i < 50; i++)); do
			pid_alive "$pidfile" "$name" || break
			sleep 0.1
		done
	fi
	rm -f "$pidfile"
}

# Debian packages the project builds, runs and tests with. node/npm are
# checked as commands: a machine may carry a newer Node.js than Debian's.
# libcurl4-openssl-dev: kefu-webhookd's HTTP and SMTP client (TLS through
# OpenSSL); python3-aiosmtpd: the SMTP server the mail tests start;
# libmaxminddb-dev (optional for kefu, GeoIP) and mmdb-bin (mmdblookup checks
# the test's GeoIP fixture); libjemalloc-dev (optional, the worker's allocator:
# README, "Dependencies").
KEFU_DEB_PACKAGES=(
	build-essential autoconf automake libtool pkg-config
	libfcgi-dev libfcgi-bin libmariadb-dev mariadb-server mariadb-client
	libjson-c-dev libxml2-dev libxml2-utils libssl-dev libcurl4-openssl-dev check
	lighttpd apache2 curl ca-certificates chromium fonts-wqy-zenhei clang libclang-rt-14-dev
	python3 gettext man-db mandoc php-cli php-sqlite3 wrk clang-format
	python3-aiosmtpd libmaxminddb-dev mmdb-bin libjemalloc-dev
)

# ensure_deps: install whatever of KEFU_DEB_PACKAGES (and Node.js) is missing.
# Debian's own services are kept from starting: kefu runs private instances.
ensure_deps() {
	local missing=() p status
	for p in "${KEFU_DEB_PACKAGES[@]}"; do
		status=$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)
		[[ $status == installed ]] || missing+=("$p")
	done
	have node || missing+=(nodejs)
	have npm || missing+=(npm)
	((${#missing[@]} == 0)) && return 0
	[[ $(id -u) == 0 ]] || die "missing packages (${missing[*]}); run as root or install them"
	say "installing Debian packages: ${missing[*]}"
	local policy=/usr/sbin/policy-rc.d ours=0
	if [[ ! -e $policy ]]; then
		printf '#!/bin/sh\n# kefu tools/dev: keep package services from starting\nexit 101\n' >"$policy"
		chmod 755 "$policy"
		ours=1
	fi
	local rc=0
	{
		DEBIAN_FRONTEND=noninteractive apt-get update -q &&
			DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
	} </dev/null || rc=$?
	((ours)) && rm -f "$policy"
	((rc == 0)) || die "apt-get failed (exit $rc)"
	stop_package_services
}

# stop_package_services: stop the distribution's own servers if something started them.
stop_package_services() {
	local svc
	for svc in mariadb lighttpd apache2; do
		if have service && service "$svc" status >/dev/null 2>&1; then
			say "stopping the system's $svc service (kefu runs its own)"
			service "$svc" stop >/dev/null 2>&1 || true
		fi
	done
}

# ensure_node_modules: playwright-core for the browser tests (no browser download:
# Debian's /usr/bin/chromium is used). Reinstalls when the lock file changed.
ensure_node_modules() {
	local stamp="$KEFU_SRCDIR/node_modules/.kefu-lock"
	if [[ -f $stamp && -d $KEFU_SRCDIR/node_modules/playwright-core ]] &&
		cmp -s "$stamp" "$KEFU_SRCDIR/package-lock.json"; then
		return 0
	fi
	say "installing node modules (npm ci)"
	(cd "$KEFU_SRCDIR" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund </dev/null) ||
		die "npm ci failed"
	cp "$KEFU_SRCDIR/package-lock.json" "$stamp"
}

# ensure_configure: (re)generate ./configure when it is missing or older than its inputs.
ensure_configure() {
	local src=$KEFU_SRCDIR f stale=0
	if [[ ! -x $src/configure || ! -f $src/Makefile.in ]]; then
		stale=1
	else
		while IFS= read -r -d '' f; do
			if [[ $f -nt $src/configure || $f -nt $src/Makefile.in ]]; then
				stale=1
				break
			fi
		done < <(
			printf '%s\0' "$src/configure.ac" "$src/Makefile.am"
			find "$src" \( -path "$src/var" -o -path "$src/node_modules" -o -path "$src/.git" \) -prune \
				-o -name '*.mk' -print0
		)
	fi
	if ((stale)); then
		say "autoreconf -fi"
		mkdir -p "$src/m4" # git keeps no empty directory; aclocal wants it
		(cd "$src" && autoreconf -fi) || die "autoreconf failed"
	fi
	[[ -f $src/config.status ]] &&
		die "the source tree is configured in place ($src/config.status); run 'make distclean' there first"
	return 0
}

# build_in DIR [CONFIGURE-ARGS...]: configure (once) and make in an out-of-tree DIR.
build_in() {
	local dir=$1
	shift
	ensure_configure
	mkdir -p "$dir"
	if [[ ! -f $dir/Makefile ]]; then
		say "configuring in $dir${*:+ ($*)}"
		(cd "$dir" && "$KEFU_SRCDIR/configure" "$@" >configure.out 2>&1) ||
			{
				tail -n 30 "$dir/configure.out" >&2
				die "configure failed (see $dir/config.log)"
			}
	fi
	say "building in $dir"
	make -C "$dir" -j"$(nproc)" >"$dir/make.out" 2>&1 ||
		{
			tail -n 40 "$dir/make.out" >&2
			die "make failed (full log: $dir/make.out)"
		}
}
