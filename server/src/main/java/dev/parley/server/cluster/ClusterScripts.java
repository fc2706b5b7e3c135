package dev.parley.server.cluster;

/**
 * The Lua scripts that change shared presence and device ownership. Each runs atomically in
 * Redis, and each publishes the presence events its change causes itself, so that every node
 * hears presence changes in the order they happened (two nodes publishing after their own
 * commands could be heard in either order). The reap script builds key names as
 * {@link RedisNames} does ({@code parley:node:}, {@code parley:presence:}, {@code parley:socket:}).
 */
final class ClusterScripts {

    private ClusterScripts() {
    }

    /**
     * A device arrives at a node. KEYS: socket, presence, node's devices, online. ARGV: owner
     * ({@code node/connection/loginMillis}), mode, node, presence entry, node entry, account,
     * device channel, events channel, presence prefix.
     *
     * <p>Mode {@code login}: this connection is the device's newest login; it takes the socket
     * key and the previous holder, if another, is told it is replaced. Mode {@code resync} (a
     * node re-registering what it holds): when another live node's connection holds the key with
     * a later login, this one yields: nothing is registered and the holder is returned, so the
     * caller closes its own connection; otherwise it takes the key as a login would.
     * Then the presence entry; the account's first entry makes it online.
     */
    static final String ARRIVE = """
            local owner = ARGV[1]
            local holder
            if ARGV[2] == 'login' then
              holder = redis.call('SET', KEYS[1], owner, 'GET')
            else
              holder = redis.call('GET', KEYS[1])
              if holder and holder ~= owner then
                local node, millis = string.match(holder, '^([^/]+)/[^/]+/(%d+)$')
                local mine = tonumber(string.match(owner, '/(%d+)$'))
                if node and node ~= ARGV[3] and redis.call('EXISTS', 'parley:node:' .. node) == 1
                    and (tonumber(millis) > mine or (tonumber(millis) == mine and holder > owner)) then
                  return holder
                end
              end
              redis.call('SET', KEYS[1], owner)
            end
            if holder and holder ~= owner then
              redis.call('PUBLISH', ARGV[7], 'replaced ' .. holder)
            end
            redis.call('SADD', KEYS[3], ARGV[5])
            if redis.call('SADD', KEYS[2], ARGV[4]) == 1 and redis.call('SCARD', KEYS[2]) == 1 then
              redis.call('SADD', KEYS[4], ARGV[6])
              redis.call('PUBLISH', ARGV[8], ARGV[9] .. ARGV[6] .. ' 1')
            end
            return false
            """;

    /**
     * A device leaves a node. KEYS: socket, presence, node's devices, online. ARGV: owner,
     * presence entry, node entry, account, events channel, presence prefix, node. The socket key
     * goes only if it still names this connection (a newer login elsewhere keeps it), or, with an
     * empty owner (a departure this node could not register while Redis was away), any
     * connection of this node; the account's last presence entry makes it offline.
     */
    static final String LEAVE = """
            local holder = redis.call('GET', KEYS[1])
            if holder and (holder == ARGV[1] or (ARGV[1] == '' and string.sub(holder, 1, #ARGV[7] + 1) == ARGV[7] .. '/')) then
              redis.call('DEL', KEYS[1])
            end
            redis.call('SREM', KEYS[3], ARGV[3])
            if redis.call('SREM', KEYS[2], ARGV[2]) == 1 and redis.call('SCARD', KEYS[2]) == 0 then
              redis.call('SREM', KEYS[4], ARGV[4])
              redis.call('PUBLISH', ARGV[5], ARGV[6] .. ARGV[4] .. ' 0')
            end
            return 0
            """;

    /**
     * Removes what dead nodes registered. KEYS: nodes, online. ARGV: events channel, presence
     * prefix, then the node ids to examine (none: every registered node). A node is dead when its
     * heartbeat key is gone; checked inside the script, so a node that renews its heartbeat
     * before this runs keeps everything, and two nodes reaping at once reap once. Returns how
     * many nodes were reaped.
     */
    static final String REAP = """
            local nodes
            if #ARGV > 2 then
              nodes = {unpack(ARGV, 3)}
            else
              nodes = redis.call('SMEMBERS', KEYS[1])
            end
            local reaped = 0
            for _, node in ipairs(nodes) do
              if redis.call('EXISTS', 'parley:node:' .. node) == 0 then
                local index = 'parley:node:' .. node .. ':devices'
                for _, entry in ipairs(redis.call('SMEMBERS', index)) do
                  local account, device = string.match(entry, '^(.+)/(%d+)$')
                  if account then
                    local presence = 'parley:presence:' .. account
                    if redis.call('SREM', presence, node .. '/' .. device) == 1 and redis.call('SCARD', presence) == 0 then
                      redis.call('SREM', KEYS[2], account)
                      redis.call('PUBLISH', ARGV[1], ARGV[2] .. account .. ' 0')
                    end
                    local socket = 'parley:socket:' .. account .. ':' .. device
                    local owner = redis.call('GET', socket)
                    if owner and string.sub(owner, 1, #node + 1) == node .. '/' then
                      redis.call('DEL', socket)
                    end
                  end
                end
                redis.call('DEL', index)
                redis.call('SREM', KEYS[1], node)
                reaped = reaped + 1
              end
            end
            return reaped
            """;
}
