-- wrk script: POST a chat message; the path, token and body come from the environment.
wrk.method = "POST"
wrk.path = os.getenv("BENCH_PATH")
wrk.body = os.getenv("BENCH_BODY") or '{"kind":"text","text":"hello from the benchmark"}'
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("BENCH_TOKEN")
if token and #token > 0 then
	wrk.headers["X-Visitor-Token"] = token
end
