-- wrk script: POST chat messages round-robin over the conversations in BENCH_PATHS
-- ("path token" pairs separated by ';'), one JSON text message each.
local targets = {}
for pair in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^;]+") do
	local path, token = string.match(pair, "^(%S+)%s*(%S*)$")
	targets[#targets + 1] = { path = path, token = token }
end
local body = os.getenv("BENCH_BODY") or '{"kind":"text","text":"hello from the benchmark"}'
local n = 0

request = function()
	n = n + 1
	local t = targets[(n % #targets) + 1]
	local headers = { ["Content-Type"] = "application/json" }
	if t.token ~= "" then
		headers["X-Visitor-Token"] = t.token
	end
	return wrk.format("POST", t.path, headers, body)
end
