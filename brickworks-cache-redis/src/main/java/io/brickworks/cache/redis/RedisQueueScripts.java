package io.brickworks.cache.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * The Lua scripts of acknowledged queues. Each takes the twenty keys of one queue, in the order of
 * {@link io.brickworks.cache.spi.QueueKeys#all()}: {@code KEYS[1]} the list, {@code [2]} staging,
 * {@code [3]} the sequence, {@code [4]} items, {@code [5]} attempts, {@code [6]} history,
 * {@code [7]} in-flight, {@code [8]} delayed, {@code [9]} dead letters, {@code [10]} receipts,
 * {@code [11]} owners, {@code [12]} progress, {@code [13]} paused, {@code [14]} rate,
 * {@code [15..17]} the lists of priorities 1 to 3, {@code [18]} jobs, {@code [19]} job of, {@code [20]}
 * done. All twenty hash to one Cluster slot (see {@code QueueKeys}). Times are the server's ({@code TIME}, in
 * ms), so the clocks of the clients do not matter. "Held" means: the item is in flight and its stored
 * receipt is the one presented (a random token the client made for that claim).
 */
final class RedisQueueScripts {

    private RedisQueueScripts() {
    }

    /** Lua that reads the server's clock, in ms ({@code TIME}); only for a script that needs it on some path. */
    private static final String CLOCK = """
            local function clock()
              local t = redis.call('TIME')
              return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
            end
            """;

    private static final String NOW = CLOCK + """
            local now = clock()
            """;

    private static final String NOTE = """
            local function note(id, text)
              redis.call('HSET', KEYS[6], id, (redis.call('HGET', KEYS[6], id) or '') .. text .. '\\n')
            end
            """;

    /** Lua that forgets the records of a delivery (receipt, owner, progress) once it is no longer in flight. */
    private static final String SETTLED = """
            local function settled(id)
              redis.call('HDEL', KEYS[10], id)
              redis.call('HDEL', KEYS[11], id)
              redis.call('HDEL', KEYS[12], id)
            end
            """;

    private static final String HELD = """
            local function held(id, receipt)
              return redis.call('HGET', KEYS[10], id) == receipt and redis.call('ZSCORE', KEYS[7], id)
            end
            """;

    /** How long a receiver held back by a pause or a limit waits before it looks again, at most (ms). */
    static final long HELD_BACK_POLL_MILLIS = 250;

    /**
     * {@code ARGV[1]} the visibility timeout in ms, {@code ARGV[2]} the most attempts, {@code ARGV[3]}
     * the receipt of this claim (stored for the delivered item, replacing the last one), {@code [4]}
     * the consumer, {@code [5]} the concurrency limit (0: none), {@code [6]} the deliveries per second
     * (0: none). Delivers nothing while paused or with the rate window used up; then, in this order:
     * an expired delivery again (or, after its last attempt, moves it to the dead letters and goes on,
     * at most 100 per call); with the concurrency limit reached, nothing more; a due delayed item, the
     * head of the highest priority's list, the head of staging, the head of the list (numbered from
     * the sequence). Returns
     * {@code {id, item, attempt}}, {@code {ms}} until the next in-flight deadline or delayed item
     * ({@code -1}: none), or {@code {ms, 'held'}} when held back.
     */
    static final LuaScript CLAIM = new LuaScript("queue-claim", ScriptOutputType.MULTI, NOW + NOTE + """
            local vis = tonumber(ARGV[1])
            local max = tonumber(ARGV[2])
            local limit = tonumber(ARGV[5])
            local rate = tonumber(ARGV[6])
            local poll = %d
            if redis.call('EXISTS', KEYS[13]) == 1 then
              return {poll, 'held'}
            end
            if rate > 0 and tonumber(redis.call('GET', KEYS[14]) or '0') >= rate then
              local left = redis.call('PTTL', KEYS[14])
              if left < 1 then left = 1 end
              return {left, 'held'}
            end
            local function claim(id, fresh)
              local attempt = 1
              if fresh then
                redis.call('HSET', KEYS[5], id, 1)
              else
                attempt = redis.call('HINCRBY', KEYS[5], id, 1)
                redis.call('HDEL', KEYS[12], id)
              end
              redis.call('ZADD', KEYS[7], now + vis, id)
              redis.call('HSET', KEYS[10], id, ARGV[3])
              redis.call('HSET', KEYS[11], id, ARGV[4] .. '\\n' .. now)
              if rate > 0 and redis.call('INCR', KEYS[14]) == 1 then
                redis.call('PEXPIRE', KEYS[14], 1000)
              end
              return {id, fresh or redis.call('HGET', KEYS[4], id), attempt}
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
              redis.call('HDEL', KEYS[11], due)
              redis.call('HDEL', KEYS[12], due)
              redis.call('RPUSH', KEYS[9], due)
            end
            if limit > 0 and redis.call('ZCARD', KEYS[7]) >= limit then
              local head = redis.call('ZRANGE', KEYS[7], 0, 0, 'WITHSCORES')
              local at = tonumber(head[2]) - now
              if at > poll then at = poll end
              if at < 1 then at = 1 end
              return {at, 'held'}
            end
            local ready = redis.call('ZRANGEBYSCORE', KEYS[8], '-inf', now, 'LIMIT', 0, 1)[1]
            if ready then
              redis.call('ZREM', KEYS[8], ready)
              return claim(ready)
            end
            if redis.call('EXISTS', KEYS[15], KEYS[16], KEYS[17]) > 0 then
              for level = 17, 15, -1 do
                local first = redis.call('LPOP', KEYS[level])
                if first then
                  return claim(first)
                end
              end
            end
            local raw = redis.call('LPOP', KEYS[2])
            if not raw then
              raw = redis.call('LPOP', KEYS[1])
            end
            if raw then
              local id = tostring(redis.call('INCR', KEYS[3]))
              redis.call('HSET', KEYS[4], id, raw)
              return claim(id, raw)
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
            """.formatted(HELD_BACK_POLL_MILLIS));

    /**
     * {@code ARGV[1]} the item, {@code [2]} the delay in ms, {@code [3]} the priority (0: none),
     * {@code [4]} the job id ({@code ''}: none). Returns {@code {id, 0}}, or for a duplicate
     * {@code {holder, 1}} ({@code ''} as the holder when a done job holds the id).
     */
    static final LuaScript PUSH = new LuaScript("queue-push", ScriptOutputType.MULTI, NOW + """
            local job = ARGV[4]
            if job ~= '' then
              redis.call('ZREMRANGEBYSCORE', KEYS[20], '-inf', now)
              local holder = redis.call('HGET', KEYS[18], job)
              if holder then
                return {holder, 1}
              end
              if redis.call('ZSCORE', KEYS[20], job) then
                return {'', 1}
              end
            end
            local id = tostring(redis.call('INCR', KEYS[3]))
            redis.call('HSET', KEYS[4], id, ARGV[1])
            local priority = tonumber(ARGV[3])
            if priority > 0 then
              redis.call('RPUSH', KEYS[14 + priority], id)
            else
              redis.call('ZADD', KEYS[8], now + tonumber(ARGV[2]), id)
            end
            if job ~= '' then
              redis.call('HSET', KEYS[18], job, id)
              redis.call('HSET', KEYS[19], id, job)
            end
            return {id, 0}
            """);

    /**
     * Lua that releases the job id of an item leaving the queue, kept in {@code done} for {@code window} ms
     * (needs {@link #CLOCK}).
     */
    private static final String RELEASE_JOB = """
            local function releaseJob(id, window)
              local job = redis.call('HGET', KEYS[19], id)
              if job then
                redis.call('HDEL', KEYS[19], id)
                redis.call('HDEL', KEYS[18], job)
                if window > 0 then
                  redis.call('ZADD', KEYS[20], clock() + window, job)
                end
              end
            end
            """;

    /**
     * {@code ARGV[1]} the identity, {@code ARGV[2]} the receipt, {@code ARGV[3]} the deduplication
     * window in ms. Returns 1 when held (and now removed).
     */
    static final LuaScript ACK = new LuaScript("queue-ack", ScriptOutputType.BOOLEAN,
            CLOCK + SETTLED + RELEASE_JOB + """
            if redis.call('HGET', KEYS[10], ARGV[1]) ~= ARGV[2] or redis.call('ZREM', KEYS[7], ARGV[1]) == 0 then
              return 0
            end
            redis.call('HDEL', KEYS[4], ARGV[1])
            redis.call('HDEL', KEYS[5], ARGV[1])
            redis.call('HDEL', KEYS[6], ARGV[1])
            settled(ARGV[1])
            releaseJob(ARGV[1], tonumber(ARGV[3]))
            return 1
            """);

    /**
     * {@code ARGV[1]} the identity, {@code [2]} the receipt, {@code [3]} the delay in ms, {@code [4]}
     * the note, {@code [5]} the most attempts, {@code [6]} {@code "1"} not to count the delivery.
     * Returns 0 not held, 1 requeued, 2 dead-lettered.
     */
    static final LuaScript RELEASE = new LuaScript("queue-release", ScriptOutputType.INTEGER,
            NOW + NOTE + SETTLED + HELD + """
            local id = ARGV[1]
            if not held(id, ARGV[2]) then
              return 0
            end
            local attempt = tonumber(redis.call('HGET', KEYS[5], id) or '0')
            redis.call('ZREM', KEYS[7], id)
            settled(id)
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

    /**
     * {@code ARGV[1]} the identity, {@code [2]} the receipt, {@code [3]} the visibility in ms, {@code [4]}
     * {@code "1"} to store {@code [5]} as the progress. Returns 1 when held.
     */
    static final LuaScript EXTEND = new LuaScript("queue-extend", ScriptOutputType.BOOLEAN, NOW + HELD + """
            if not held(ARGV[1], ARGV[2]) then
              return 0
            end
            redis.call('ZADD', KEYS[7], 'XX', now + tonumber(ARGV[3]), ARGV[1])
            if ARGV[4] == '1' then
              redis.call('HSET', KEYS[12], ARGV[1], ARGV[5])
            end
            return 1
            """);

    /**
     * {@code ARGV[1]} the most deliveries in flight, dead letters and items not yet due to list. Returns
     * {@code {now, waiting, delayed, in flight, dead letters, paused, listed in flight, listed dead}},
     * then each listed delivery in flight as five values (id, owner record, attempt, deadline,
     * progress), then each listed dead letter as four (id, item, attempts, history), then to the end
     * each listed item not yet due, first due first, as two (id, due time).
     */
    static final LuaScript STATE = new LuaScript("queue-state", ScriptOutputType.MULTI, NOW + """
            local limit = tonumber(ARGV[1])
            local flying = redis.call('ZRANGE', KEYS[7], 0, limit - 1, 'WITHSCORES')
            local dead = redis.call('LRANGE', KEYS[9], 0, limit - 1)
            local waiting = redis.call('ZCOUNT', KEYS[8], '-inf', now)
            for _, k in ipairs({KEYS[1], KEYS[2], KEYS[15], KEYS[16], KEYS[17]}) do
              waiting = waiting + redis.call('LLEN', k)
            end
            local out = {now, waiting, redis.call('ZCARD', KEYS[8]) - redis.call('ZCOUNT', KEYS[8], '-inf', now),
              redis.call('ZCARD', KEYS[7]), redis.call('LLEN', KEYS[9]), redis.call('EXISTS', KEYS[13]),
              #flying / 2, #dead}
            for i = 1, #flying, 2 do
              local id = flying[i]
              out[#out + 1] = id
              out[#out + 1] = redis.call('HGET', KEYS[11], id) or ''
              out[#out + 1] = redis.call('HGET', KEYS[5], id) or '0'
              out[#out + 1] = flying[i + 1]
              out[#out + 1] = redis.call('HGET', KEYS[12], id) or ''
            end
            for _, id in ipairs(dead) do
              out[#out + 1] = id
              out[#out + 1] = redis.call('HGET', KEYS[4], id) or ''
              out[#out + 1] = redis.call('HGET', KEYS[5], id) or '0'
              out[#out + 1] = redis.call('HGET', KEYS[6], id) or ''
            end
            local later = redis.call('ZRANGEBYSCORE', KEYS[8], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, limit)
            for _, v in ipairs(later) do
              out[#out + 1] = v
            end
            return out
            """);

    /** {@code ARGV[1]} {@code "1"} to pause, {@code "0"} to resume. Returns 1 when that changed the queue. */
    static final LuaScript PAUSE = new LuaScript("queue-pause", ScriptOutputType.BOOLEAN, """
            if ARGV[1] == '1' then
              return redis.call('SET', KEYS[13], '1', 'NX') and 1 or 0
            end
            return redis.call('DEL', KEYS[13])
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
    static final LuaScript PURGE_DEAD = new LuaScript("queue-purge-dead", ScriptOutputType.INTEGER,
            NOW + TAKE_DEAD + RELEASE_JOB + """
            for _, id in ipairs(chosen) do
              releaseJob(id, 0)
              redis.call('HDEL', KEYS[4], id)
              redis.call('HDEL', KEYS[5], id)
              redis.call('HDEL', KEYS[6], id)
            end
            return #chosen
            """);

    /** Every queue script, loaded with the backend's others when it opens. */
    static final List<LuaScript> ALL = List.of(CLAIM, PUSH, ACK, RELEASE, EXTEND, STATE, PAUSE, REQUEUE_DEAD,
            PURGE_DEAD);
}
