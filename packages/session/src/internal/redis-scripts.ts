/**
 * Lua run atomically by Redis. Each touches one key (the session hash), so it is valid on a
 * Redis Cluster as long as the key carries the session id as its hash tag.
 */

/**
 * ARGV: mustExist '0'|'1', ttlMs, ns, nd, ne, then ns field/value pairs to set, nd fields to
 * delete, and ne (compare-and-set only) field/present '0'|'1'/value triples.
 * Returns {'ok'} | {'gone'} | {'conflict', field…}.
 * Flat arguments rather than one JSON document: cjson.decode made each write cost ~14 µs of
 * Redis time instead of ~9 µs (20,000 new-session writes, INFO commandstats).
 */
export const WRITE_SCRIPT = `
local key = KEYS[1]
if ARGV[1] == '1' and redis.call('EXISTS', key) == 0 then return {'gone'} end
local ns, nd, ne = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local setEnd = 5 + 2 * ns
local delEnd = setEnd + nd
if ne > 0 then
  local bad = {'conflict'}
  for j = delEnd + 1, delEnd + 3 * ne, 3 do
    local cur = redis.call('HGET', key, ARGV[j])
    if (ARGV[j + 1] == '1' and cur ~= ARGV[j + 2]) or (ARGV[j + 1] == '0' and cur) then
      bad[#bad + 1] = ARGV[j]
    end
  end
  if #bad > 1 then return bad end
end
for j = setEnd + 1, delEnd do redis.call('HDEL', key, ARGV[j]) end
for j = 6, setEnd, 2 do redis.call('HSET', key, ARGV[j], ARGV[j + 1]) end
redis.call('PEXPIRE', key, ARGV[2])
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
