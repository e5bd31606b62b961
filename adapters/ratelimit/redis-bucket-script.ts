/**
 * The one Lua script behind the Redis bucket store: the arithmetic of bucket-math.ts, run atomically inside
 * Redis. Time comes from Redis `TIME`, never from the caller, so processes whose clocks disagree still share one
 * timeline. Each bucket is a hash { t: tokens, at: ms } that expires once it would be full again.
 *
 * KEYS: the bucket keys. ARGV[1] is the operation:
 *   take    ARGV = take, then per key: capacity, refillPerSec, tokens, floor   → { granted 0|1, waitMs (-1 = never), level per key }
 *   adjust  ARGV = adjust, capacity, refillPerSec, set|'', atMost|'', delta   → { level }
 *   peek    ARGV = peek, capacity, refillPerSec                               → { level }
 * Numbers go back as strings: Redis would truncate a Lua number to an integer reply.
 * Needs Redis ≥ 5 (effects replication, so TIME may precede writes).
 */
export const BUCKET_SCRIPT = `
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + tonumber(clock[2]) / 1000
local EPSILON = 1e-9

local function fmt(x) return string.format('%.17g', x) end

local function level(key, capacity, rate)
  local state = redis.call('HMGET', key, 't', 'at')
  if not state[1] then return capacity end
  local elapsed = math.max(0, now - tonumber(state[2]))
  return math.min(capacity, tonumber(state[1]) + elapsed * rate / 1000)
end

local function save(key, capacity, rate, tokens)
  redis.call('HSET', key, 't', fmt(tokens), 'at', fmt(now))
  local ttl = 86400000
  if rate > 0 then ttl = math.ceil((capacity - tokens) / rate * 1000) + 1000 end
  redis.call('PEXPIRE', key, ttl)
end

local op = ARGV[1]

if op == 'take' then
  local levels = {}
  local wait = 0
  for i, key in ipairs(KEYS) do
    local b = 1 + (i - 1) * 4
    local capacity, rate = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2])
    local need = tonumber(ARGV[b + 3]) + tonumber(ARGV[b + 4])
    local lvl = level(key, capacity, rate)
    levels[i] = lvl
    local w
    if need > capacity + EPSILON then w = -1
    elseif lvl + EPSILON >= need then w = 0
    elseif rate <= 0 then w = -1
    else w = math.ceil((need - lvl) / rate * 1000) end
    if w < 0 or wait < 0 then wait = -1 elseif w > wait then wait = w end
  end
  local out = {}
  if wait ~= 0 then
    out[1] = '0'
    out[2] = tostring(wait)
    for i = 1, #KEYS do out[i + 2] = fmt(levels[i]) end
    return out
  end
  out[1] = '1'
  out[2] = '0'
  for i, key in ipairs(KEYS) do
    local b = 1 + (i - 1) * 4
    local capacity, rate, tokens = tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3])
    local left = levels[i] - tokens
    save(key, capacity, rate, left)
    out[i + 2] = fmt(left)
  end
  return out
end

local capacity, rate = tonumber(ARGV[2]), tonumber(ARGV[3])
local lvl = level(KEYS[1], capacity, rate)
if op == 'peek' then return { fmt(lvl) } end

if op == 'adjust' then
  if ARGV[4] ~= '' then lvl = tonumber(ARGV[4]) end
  if ARGV[5] ~= '' then lvl = math.min(lvl, tonumber(ARGV[5])) end
  lvl = lvl + tonumber(ARGV[6])
  lvl = math.max(-capacity, math.min(capacity, lvl))
  save(KEYS[1], capacity, rate, lvl)
  return { fmt(lvl) }
end

return redis.error_reply('unknown bucket operation ' .. tostring(op))
`;
