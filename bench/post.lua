-- wrk script: POST chat messages round-robin over the conversations in BENCH_PATHS
-- ("path token" pairs separated by ';'), one JSON text message each.
-- At the end it prints one line "bench-counts ok=N non2xx=N connect=N read=N
-- write=N timeout=N duration_us=N": only 2xx answers count as throughput
-- (wrk's own Requests/sec counts every answer, and its "Non-2xx" line lumps
-- 3xx in with the successes).
local targets = {}
for pair in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^;]+") do
	local path, token = string.match(pair, "^(%S+)%s*(%S*)$")
	targets[#targets + 1] = { path = path, token = token }
end
local body = os.getenv("BENCH_BODY") or '{"kind":"text","text":"hello from the benchmark"}'
local n = 0

-- Each wrk thread runs its own copy of this script: setup() keeps the
-- threads so done() can add up their counters.
local threads = {}
function setup(thread)
	threads[#threads + 1] = thread
end

ok, bad = 0, 0

request = function()
	n = n + 1
	local t = targets[(n % #targets) + 1]
	local headers = { ["Content-Type"] = "application/json" }
	if t.token ~= "" then
		headers["X-Visitor-Token"] = t.token
	end
	return wrk.format("POST", t.path, headers, body)
end

response = function(status, headers, body)
	if status >= 200 and status < 300 then
		ok = ok + 1
	else
		bad = bad + 1
	end
end

function done(summary, latency, requests)
	local okn, badn = 0, 0
	for _, t in ipairs(threads) do
		okn = okn + t:get("ok")
		badn = badn + t:get("bad")
	end
	local e = summary.errors
	io.write(string.format("bench-counts ok=%d non2xx=%d connect=%d read=%d write=%d timeout=%d duration_us=%d\n",
		okn, badn, e.connect, e.read, e.write, e.timeout, summary.duration))
end
