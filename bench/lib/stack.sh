# shellcheck shell=bash
# bench/lib/stack.sh: how a bench script runs against a private stack of its own (sourced from the tree's top).

# bench_stack STATE PORT [tools/stack start options...]: start the stack in STATE on 127.0.0.1:PORT (tools/stack
# start), stopped when the script exits; a script that sets its own EXIT trap stops it there instead. The trap is
# set before the start, so a start that fails half-way (MariaDB up, a worker not) leaves nothing running.
bench_stack() {
	local state=$1 port=$2
	shift 2
	bench_other_stacks "$state"
	if [[ -z $(trap -p EXIT) ]]; then
		BENCH_STACK_STATE=$state
		trap 'tools/stack stop "$BENCH_STACK_STATE" >/dev/null 2>&1 || true' EXIT
	fi
	tools/stack start "$state" --port "$port" "$@" >/dev/null
	# The script's PID, so that a later bench can tell a stack whose script is gone: one killed outright (SIGKILL,
	# a timeout's kill) never ran its EXIT trap, and its stack runs on, loading every measure after it.
	printf '%s\n' "$$" >"$state/bench.owner"
}

# bench_other_stacks OWN_STATE: say which other stacks run on this machine (found by their MariaDB, every stack
# has one), since they share its cores with the measure, and which of them a bench left behind.
bench_other_stacks() {
	local own dir
	own=$(realpath -m "$1")
	for dir in $(pgrep -a -x mariadbd | grep -o -- '--pid-file=[^ ]*/mysqld\.pid' | sed 's/^--pid-file=//; s/\/mysqld\.pid$//'); do
		[[ $(realpath -m "$dir") != "$own" ]] || continue
		if [[ -f $dir/bench.owner ]] && ! kill -0 "$(<"$dir/bench.owner")" 2>/dev/null; then
			echo "bench: a stack left behind by a bench whose script is gone runs in $dir and loads this measure;" \
				"stop it: tools/stack stop $dir" >&2
		else
			echo "bench: another stack runs in $dir (it shares the machine with this measure)" >&2
		fi
	done
}

# bench_env STATE: export the stack's environment (KEFU_URL, KEFU_CTL, KEFU_CONFIG, KEFU_STATE) for the node side.
bench_env() {
	set -a
	# shellcheck source=/dev/null
	. "$1/env"
	set +a
}
