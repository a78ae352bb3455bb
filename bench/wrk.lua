-- Loaded by bench/wrk.py with `wrk -s`: counts every answer that is not 200 and prints one
-- line of figures wrk does not print itself (p95, and non-200 rather than only >= 400).
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  non200 = 0
end

function response(status, headers, body)
  if status ~= 200 then
    non200 = non200 + 1
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do
    bad = bad + thread:get("non200")
  end
  local errors = summary.errors
  io.write(string.format(
    "bench-wrk requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d"
      .. " non200=%d connect=%d read=%d write=%d timeout=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    bad, errors.connect, errors.read, errors.write, errors.timeout
  ))
end
