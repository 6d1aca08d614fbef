-- wrk script for bench/load.sh: counts answers that are not 2xx and prints one result line.
--   RESULT <requests/s> <p50 ms> <p99 ms> <requests> <non-2xx> <socket errors>
-- wrk's own status count misses 3xx; a redirect here means a wrong URL, so it counts too.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_2xx = 0
end

function response(status, headers, body)
  if status < 200 or status > 299 then
    not_2xx = not_2xx + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("not_2xx")
  end
  local e = summary.errors
  io.write(string.format("RESULT %.1f %.2f %.2f %d %d %d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.requests, not_ok, e.connect + e.read + e.write + e.timeout))
end
