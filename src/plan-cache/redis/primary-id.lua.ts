/**
 * A Lua function for the scripts that stamp, write and read entries: the replication id of the
 * primary running the script (a replica promoted by a failover starts a new one), or '' when the
 * ACL user may not run INFO. Scripts run on the primary of their keys' slot, so in a cluster this
 * is the id of that slot's primary.
 */
export const PRIMARY_ID_LUA = `
local function primary_id()
  local info = redis.pcall('INFO', 'replication')
  if type(info) ~= 'string' then return '' end
  return string.match(info, 'master_replid:(%w+)') or ''
end
`;
