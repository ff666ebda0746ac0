/**
 * Lua run atomically by Redis. Each touches one key (the session hash), so it is valid on a
 * Redis Cluster as long as the key carries the session id as its hash tag.
 */

/**
 * ARGV[1] is the WriteCommand as JSON: { s: [[field, value]…], d: [field…],
 * e: [[field, present 0|1, value]…] | nil, x: mustExist 0|1, t: ttlMs }.
 * Returns {'ok'} | {'gone'} | {'conflict', field…}.
 */
export const WRITE_SCRIPT = `
local key = KEYS[1]
local c = cjson.decode(ARGV[1])
if c.x == 1 and redis.call('EXISTS', key) == 0 then return {'gone'} end
if type(c.e) == 'table' then
  local bad = {'conflict'}
  for _, e in ipairs(c.e) do
    local cur = redis.call('HGET', key, e[1])
    if (e[2] == 1 and cur ~= e[3]) or (e[2] == 0 and cur) then bad[#bad + 1] = e[1] end
  end
  if #bad > 1 then return bad end
end
for _, f in ipairs(c.d) do redis.call('HDEL', key, f) end
for _, p in ipairs(c.s) do redis.call('HSET', key, p[1], p[2]) end
redis.call('PEXPIRE', key, c.t)
return {'ok'}
`;

/**
 * ARGV: kind ('incr'|'append'|'addToSet'), field, value, mustExist '0'|'1', ttlMs.
 * Returns {'ok', newValue} | {'gone'} | {'wrong-type'}. Arrays are extended as text, so the
 * other items keep their exact bytes (cjson would re-encode numbers and escape '/').
 */
export const ATOMIC_SCRIPT = `
local key, kind, field, value = KEYS[1], ARGV[1], ARGV[2], ARGV[3]
local existed = redis.call('EXISTS', key) == 1
if ARGV[4] == '1' and not existed then return {'gone'} end
local cur = redis.call('HGET', key, field)
local nextValue
if kind == 'incr' then
  if cur and not string.match(cur, '^%-?%d+$') then return {'wrong-type'} end
  redis.call('HINCRBY', key, field, value)
  nextValue = redis.call('HGET', key, field)
else
  if cur then
    local ok, items = pcall(cjson.decode, cur)
    if not ok or type(items) ~= 'table' or string.sub(cur, 1, 1) ~= '[' then return {'wrong-type'} end
    if kind == 'addToSet' then
      local item = cjson.decode(value)
      for _, existing in ipairs(items) do
        if existing == item then return {'ok', cur} end
      end
    end
    if cur == '[]' then nextValue = '[' .. value .. ']'
    else nextValue = string.sub(cur, 1, -2) .. ',' .. value .. ']' end
  else
    nextValue = '[' .. value .. ']'
  end
  redis.call('HSET', key, field, nextValue)
end
if not existed then redis.call('PEXPIRE', key, ARGV[5]) end
return {'ok', nextValue}
`;
