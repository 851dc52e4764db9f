package io.brickworks.cache.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * The Lua scripts of acknowledged queues. Each takes the ten keys of one queue, in the order of
 * {@link io.brickworks.cache.spi.QueueKeys#all()}: {@code KEYS[1]} the list, {@code [2]} staging,
 * {@code [3]} the sequence, {@code [4]} items, {@code [5]} attempts, {@code [6]} history,
 * {@code [7]} in-flight, {@code [8]} delayed, {@code [9]} dead letters, {@code [10]} receipts. All
 * ten hash to one Cluster slot (see {@code QueueKeys}). Times are the server's ({@code TIME}, in
 * ms), so the clocks of the clients do not matter. "Held" means: the item is in flight and its stored
 * receipt is the one presented (a random token the client made for that claim).
 */
final class RedisQueueScripts {

    private RedisQueueScripts() {
    }

    private static final String NOW = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            """;

    private static final String NOTE = """
            local function note(id, text)
              redis.call('HSET', KEYS[6], id, (redis.call('HGET', KEYS[6], id) or '') .. text .. '\\n')
            end
            """;

    private static final String HELD = """
            local function held(id, receipt)
              return redis.call('HGET', KEYS[10], id) == receipt and redis.call('ZSCORE', KEYS[7], id)
            end
            """;

    /**
     * {@code ARGV[1]} the visibility timeout in ms, {@code ARGV[2]} the most attempts, {@code ARGV[3]}
     * the receipt of this claim (stored for the delivered item, replacing the last one). Delivers, in
     * this order: an expired delivery again (or, after its last attempt, moves it to the dead letters
     * and goes on, at most 100 per call), a due delayed item, the head of staging, the head of the
     * list (numbered from the sequence). Returns {@code {id, item, attempt}}, or {@code {ms}} until the
     * next in-flight deadline or delayed item ({@code -1}: none).
     */
    static final LuaScript CLAIM = new LuaScript("queue-claim", ScriptOutputType.MULTI, NOW + NOTE + """
            local vis = tonumber(ARGV[1])
            local max = tonumber(ARGV[2])
            local function claim(id)
              local attempt = redis.call('HINCRBY', KEYS[5], id, 1)
              redis.call('ZADD', KEYS[7], now + vis, id)
              redis.call('HSET', KEYS[10], id, ARGV[3])
              return {id, redis.call('HGET', KEYS[4], id), attempt}
            end
            for i = 1, 100 do
              local due = redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now, 'LIMIT', 0, 1)[1]
              if not due then
                break
              end
              local n = tonumber(redis.call('HGET', KEYS[5], due) or '0')
              note(due, 'attempt ' .. n .. ': no acknowledgement within the visibility timeout')
              if n < max then
                return claim(due)
              end
              redis.call('ZREM', KEYS[7], due)
              redis.call('HDEL', KEYS[10], due)
              redis.call('RPUSH', KEYS[9], due)
            end
            local ready = redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', now, 'LIMIT', 0, 1)[1]
            if ready then
              redis.call('ZREM', KEYS[8], ready)
              return claim(ready)
            end
            local raw = redis.call('LPOP', KEYS[2])
            if not raw then
              raw = redis.call('LPOP', KEYS[1])
            end
            if raw then
              local id = tostring(redis.call('INCR', KEYS[3]))
              redis.call('HSET', KEYS[4], id, raw)
              return claim(id)
            end
            local first = -1
            for _, k in ipairs({KEYS[7], KEYS[8]}) do
              local head = redis.call('ZRANGE', k, 0, 0, 'WITHSCORES')
              if head[2] then
                local at = tonumber(head[2]) - now
                if at < 0 then at = 0 end
                if first < 0 or at < first then first = at end
              end
            end
            return {first}
            """);

    /** {@code ARGV[1]} the item, {@code ARGV[2]} the delay in ms. Returns the new identity. */
    static final LuaScript PUSH_DELAYED = new LuaScript("queue-push-delayed", ScriptOutputType.INTEGER, NOW + """
            local id = redis.call('INCR', KEYS[3])
            redis.call('HSET', KEYS[4], id, ARGV[1])
            redis.call('ZADD', KEYS[8], now + tonumber(ARGV[2]), id)
            return id
            """);

    /** {@code ARGV[1]} the identity, {@code ARGV[2]} the receipt. Returns 1 when held (and now removed). */
    static final LuaScript ACK = new LuaScript("queue-ack", ScriptOutputType.BOOLEAN, HELD + """
            if not held(ARGV[1], ARGV[2]) then
              return 0
            end
            redis.call('ZREM', KEYS[7], ARGV[1])
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('HDEL', KEYS[5], ARGV[1])
            redis.call('HDEL', KEYS[6], ARGV[1])
            redis.call('HDEL', KEYS[10], ARGV[1])
            return 1
            """);

    /**
     * {@code ARGV[1]} the identity, {@code [2]} the receipt, {@code [3]} the delay in ms, {@code [4]}
     * the note, {@code [5]} the most attempts, {@code [6]} {@code "1"} not to count the delivery.
     * Returns 0 not held, 1 requeued, 2 dead-lettered.
     */
    static final LuaScript RELEASE = new LuaScript("queue-release", ScriptOutputType.INTEGER, NOW + NOTE + HELD + """
            local id = ARGV[1]
            if not held(id, ARGV[2]) then
              return 0
            end
            local attempt = tonumber(redis.call('HGET', KEYS[5], id) or '0')
            redis.call('ZREM', KEYS[7], id)
            redis.call('HDEL', KEYS[10], id)
            note(id, 'attempt ' .. attempt .. ': ' .. ARGV[4])
            if ARGV[6] == '1' then
              redis.call('HINCRBY', KEYS[5], id, -1)
              redis.call('ZADD', KEYS[8], now, id)
              return 1
            end
            if attempt >= tonumber(ARGV[5]) then
              redis.call('RPUSH', KEYS[9], id)
              return 2
            end
            redis.call('ZADD', KEYS[8], now + tonumber(ARGV[3]), id)
            return 1
            """);

    /** {@code ARGV[1]} the identity, {@code [2]} the receipt, {@code [3]} the visibility in ms. Returns 1 when held. */
    static final LuaScript EXTEND = new LuaScript("queue-extend", ScriptOutputType.BOOLEAN, NOW + HELD + """
            if not held(ARGV[1], ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[7], 'XX', now + tonumber(ARGV[3]), ARGV[1])
            return 1
            """);

    /** {@code ARGV[1]} the limit. Returns {@code id, item, attempts, history} for each of the first dead letters. */
    static final LuaScript DEAD_LETTERS = new LuaScript("queue-dead-letters", ScriptOutputType.MULTI, """
            local out = {}
            for _, id in ipairs(redis.call('LRANGE', KEYS[9], 0, tonumber(ARGV[1]) - 1)) do
              out[#out + 1] = id
              out[#out + 1] = redis.call('HGET', KEYS[4], id) or ''
              out[#out + 1] = redis.call('HGET', KEYS[5], id) or '0'
              out[#out + 1] = redis.call('HGET', KEYS[6], id) or ''
            end
            return out
            """);

    /** Lua that takes the dead letters {@code ARGV[1..]} (all when none) out of the list into {@code chosen}. */
    private static final String TAKE_DEAD = """
            local chosen = {}
            if #ARGV == 0 then
              chosen = redis.call('LRANGE', KEYS[9], 0, -1)
              redis.call('DEL', KEYS[9])
            else
              for _, id in ipairs(ARGV) do
                if redis.call('LREM', KEYS[9], 1, id) == 1 then
                  chosen[#chosen + 1] = id
                end
              end
            end
            """;

    /** {@code ARGV} the identities (all when none). Requeues them with attempts from zero; returns how many. */
    static final LuaScript REQUEUE_DEAD = new LuaScript("queue-requeue-dead", ScriptOutputType.INTEGER,
            NOW + NOTE + TAKE_DEAD + """
            for _, id in ipairs(chosen) do
              redis.call('HSET', KEYS[5], id, 0)
              note(id, 'requeued from the dead letters')
              redis.call('ZADD', KEYS[8], now, id)
            end
            return #chosen
            """);

    /** {@code ARGV} the identities (all when none). Deletes them; returns how many. */
    static final LuaScript PURGE_DEAD = new LuaScript("queue-purge-dead", ScriptOutputType.INTEGER, TAKE_DEAD + """
            for _, id in ipairs(chosen) do
              redis.call('HDEL', KEYS[4], id)
              redis.call('HDEL', KEYS[5], id)
              redis.call('HDEL', KEYS[6], id)
            end
            return #chosen
            """);

    /** Every queue script, loaded with the backend's others when it opens. */
    static final List<LuaScript> ALL = List.of(CLAIM, PUSH_DELAYED, ACK, RELEASE, EXTEND, DEAD_LETTERS, REQUEUE_DEAD,
            PURGE_DEAD);
}
