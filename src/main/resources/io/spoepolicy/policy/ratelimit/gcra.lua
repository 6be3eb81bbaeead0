-- GCRA (generic cell rate algorithm), one key, one round trip.
-- Same semantics as a token bucket of capacity `burst` refilled one request per `interval`.
-- The key holds the theoretical arrival time (TAT) in microseconds of Redis' own clock, so the
-- replicas' clocks never matter.
-- KEYS[1] bucket key; ARGV[1] interval (µs per request); ARGV[2] burst (capacity)
-- Returns {allowed (0/1), remaining, retry_after_us, reset_us}
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000000 + tonumber(time[2])
local tolerance = interval * burst

local tat = tonumber(redis.call('GET', KEYS[1]))
if not tat or tat < now then
  tat = now
end

local new_tat = tat + interval
local allow_at = new_tat - tolerance
if now < allow_at then
  -- Denied: nothing is written.
  return {0, 0, allow_at - now, tat - now}
end

redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', string.format('%d', math.ceil((new_tat - now) / 1000)))
return {1, math.floor((now - allow_at) / interval), 0, new_tat - now}
