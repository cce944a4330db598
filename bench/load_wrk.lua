-- wrk report for bench/load.sh: one JSON line with requests/s, latency percentiles (ms) and
-- the count of non-2xx/3xx answers and socket errors, so that a refused page cannot pass for a fast one.
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "rps": %.1f, "p50": %.2f, "p95": %.2f, "p99": %.2f, "status_errors": %d, "socket_errors": %d}\n',
    summary.requests,
    summary.requests / seconds,
    latency:percentile(50) / 1000,
    latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    errors.status,
    errors.connect + errors.read + errors.write + errors.timeout
  ))
end
