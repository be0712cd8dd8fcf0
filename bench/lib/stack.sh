# shellcheck shell=bash
# bench/lib/stack.sh: how a bench script runs against a private stack of its own (sourced from the tree's top).

# bench_stack STATE PORT [tools/stack start options...]: start the stack in STATE on 127.0.0.1:PORT (tools/stack
# start), stopped when the script exits; a script that sets its own EXIT trap stops it there instead. The trap is
# set before the start, so a start that fails half-way (MariaDB up, a worker not) leaves nothing running.
bench_stack() {
	local state=$1 port=$2
	shift 2
	if [[ -z $(trap -p EXIT) ]]; then
		BENCH_STACK_STATE=$state
		trap 'tools/stack stop "$BENCH_STACK_STATE" >/dev/null 2>&1 || true' EXIT
	fi
	tools/stack start "$state" --port "$port" "$@" >/dev/null
}

# bench_env STATE: export the stack's environment (KEFU_URL, KEFU_CTL, KEFU_CONFIG, KEFU_STATE) for the node side.
bench_env() {
	set -a
	# shellcheck source=/dev/null
	. "$1/env"
	set +a
}
