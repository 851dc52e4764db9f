package io.brickworks.cache.redis;

import io.lettuce.core.ScriptOutputType;
import java.util.List;

/**
 * The Lua scripts of the Redis backend. Each runs atomically on the server; none touches a key it
 * was not given except {@link #INDEX_MEMBERS} and {@link #SET_WITH_INDICES}, which check the members of an index (full keys) with
 * {@code EXISTS}: fine on a standalone server or Sentinel, not on a Cluster.
 *
 * <p>"Raise the TTL, never lower it" is written the same way everywhere: read {@code PTTL} before
 * adding, then set the expiry when the set did not exist ({@code -2}) or expires sooner than
 * {@code ttl}; a set without expiry ({@code -1}) keeps none. Sets are written with {@code SADD} in
 * chunks of 1000 members to stay below Lua's stack limit.
 */
final class RedisScripts {

    private RedisScripts() {
    }

    /**
     * Lua for {@code KeyScope.isOwnMember}: {@code own(index, m)} is true when {@code m} is a key under
     * the index's own head {@code <prefix>:<tenant>:<namespace>:} (everything up to the index key's last
     * colon) whose key segment is not empty, has no colon and is not itself an index
     * ({@code __index__.}). Members for which it is false were not written by this library for this
     * index: they are never checked, listed or deleted, only removed from the index.
     */
    private static final String OWN_MEMBER = """
            local function own(index, m)
              local h = #string.match(index, '^(.*:)')
              return #m > h and string.sub(m, 1, h) == string.sub(index, 1, h)
                and not string.find(m, ':', h + 1, true)
                and string.sub(m, h + 1, h + 10) ~= '__index__.'
            end
            """;

    /**
     * {@code KEYS[1]} the key, {@code KEYS[2..]} its index sets; {@code ARGV[1]} the value,
     * {@code ARGV[2]} the TTL in ms, {@code ARGV[3]} {@code "1"} for set-if-absent, {@code ARGV[4]}
     * {@code "1"} to prune (not on a cluster, where the members may live on other nodes). Every index is
     * checked to be a set before anything is written, so a bad index leaves nothing half done.
     * Each write also checks two random members of each index and removes those whose key is gone
     * or that are not the index's own (see {@link #OWN_MEMBER}),
     * so an index that is written often and never listed does not fill with dead members (it stays
     * near its live size: each write removes dead members in proportion to their share).
     * Returns 1 when stored, 0 when set-if-absent found the key.
     */
    static final LuaScript SET_WITH_INDICES = new LuaScript("set-with-indices", ScriptOutputType.BOOLEAN, OWN_MEMBER + """
            local ttl = tonumber(ARGV[2])
            local before = {}
            for i = 2, #KEYS do
              local t = redis.call('TYPE', KEYS[i])['ok']
              if t ~= 'set' and t ~= 'none' then
                return redis.error_reply('WRONGTYPE index ' .. KEYS[i] .. ' holds a ' .. t .. ', not a set')
              end
              before[i] = redis.call('PTTL', KEYS[i])
            end
            local stored
            if ARGV[3] == '1' then
              stored = redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl, 'NX')
            else
              stored = redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
            end
            if not stored then
              return 0
            end
            for i = 2, #KEYS do
              redis.call('SADD', KEYS[i], KEYS[1])
              if before[i] == -2 or (before[i] >= 0 and before[i] < ttl) then
                redis.call('PEXPIRE', KEYS[i], ttl)
              end
              if ARGV[4] == '1' then
                for _, m in ipairs(redis.call('SRANDMEMBER', KEYS[i], 2)) do
                  if not own(KEYS[i], m) or redis.call('EXISTS', m) == 0 then
                    redis.call('SREM', KEYS[i], m)
                  end
                end
              end
            end
            return 1
            """);

    /**
     * {@code KEYS[1]} the set; {@code ARGV[1]} the TTL in ms, {@code ARGV[2..]} the members.
     * Returns how many members were new.
     */
    static final LuaScript SET_ADD = new LuaScript("set-add", ScriptOutputType.INTEGER, """
            local ttl = tonumber(ARGV[1])
            local before = redis.call('PTTL', KEYS[1])
            local added = 0
            for i = 2, #ARGV, 1000 do
              added = added + redis.call('SADD', KEYS[1], unpack(ARGV, i, math.min(i + 999, #ARGV)))
            end
            if before == -2 or (before >= 0 and before < ttl) then
              redis.call('PEXPIRE', KEYS[1], ttl)
            end
            return added
            """);

    /**
     * {@code KEYS[1]} the index set. Returns the members whose keys exist and removes the others, in
     * one step: a listing never shows a deleted or expired key, and dead members do not pile up.
     * A member that is not the index's own ({@link #OWN_MEMBER}) is removed without being looked at.
     */
    static final LuaScript INDEX_MEMBERS = new LuaScript("index-members", ScriptOutputType.MULTI, OWN_MEMBER + """
            local members = redis.call('SMEMBERS', KEYS[1])
            local alive = {}
            local dead = {}
            for _, m in ipairs(members) do
              if own(KEYS[1], m) and redis.call('EXISTS', m) == 1 then
                alive[#alive + 1] = m
              else
                dead[#dead + 1] = m
              end
            end
            for i = 1, #dead, 1000 do
              redis.call('SREM', KEYS[1], unpack(dead, i, math.min(i + 999, #dead)))
            end
            return alive
            """);

    /**
     * {@code KEYS[1]} the key, {@code ARGV[1]} the expected value. Deletes the key only when it holds
     * exactly that value (a key of another type never matches). Returns 1 when deleted.
     */
    static final LuaScript COMPARE_AND_DELETE = new LuaScript("compare-and-delete", ScriptOutputType.BOOLEAN, """
            if redis.pcall('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """);

    /**
     * {@code KEYS[1]} the key, {@code ARGV[1]} the expected value, {@code ARGV[2]} the TTL in ms.
     * Sets the expiry only when the key holds exactly that value. Returns 1 when set.
     */
    static final LuaScript COMPARE_AND_EXPIRE = new LuaScript("compare-and-expire", ScriptOutputType.BOOLEAN, """
            if redis.pcall('GET', KEYS[1]) == ARGV[1] then
              return redis.call('PEXPIRE', KEYS[1], ARGV[2])
            end
            return 0
            """);

    /**
     * {@code KEYS[1]} the lock, {@code KEYS[2]} its fencing counter; {@code ARGV[1]} the owner token,
     * {@code ARGV[2]} the lock's TTL in ms, {@code ARGV[3]} the counter's TTL in ms. Takes the lock
     * ({@code SET NX PX}) and, in the same step, advances the counter and returns it; returns -1
     * when the lock exists. See {@link #advanceFence} for how the counter advances.
     */
    static final LuaScript ACQUIRE_WITH_FENCE = acquireWithFence("acquire-with-fence", advanceFence("KEYS[2]", "ARGV[3]"));

    /**
     * {@code KEYS[1]} a fencing counter, {@code ARGV[1]} its TTL in ms: the second half of
     * {@link #ACQUIRE_WITH_FENCE} on its own, for a cluster where the lock and its counter live in
     * different slots (the lock is taken with {@code SET NX PX} first). Returns the new token.
     */
    static final LuaScript ADVANCE_FENCE = new LuaScript("advance-fence", ScriptOutputType.INTEGER,
            advanceFence("KEYS[1]", "ARGV[1]"));

    /**
     * The pair before the token floor ({@code INCR}, seeded with {@code TIME} only when the counter is
     * missing): a token drawn on a promoted replica that missed acquisitions goes back. Kept only for
     * the negative control of the failover tests ({@link RedisBackend#tokenFloor}); never loaded
     * at open, never chosen by a user setting.
     */
    static final LuaScript ACQUIRE_WITH_FENCE_UNFLOORED = acquireWithFence("acquire-with-fence-unfloored",
            advanceFenceUnfloored("KEYS[2]", "ARGV[3]"));
    static final LuaScript ADVANCE_FENCE_UNFLOORED = new LuaScript("advance-fence-unfloored", ScriptOutputType.INTEGER,
            advanceFenceUnfloored("KEYS[1]", "ARGV[1]"));

    private static LuaScript acquireWithFence(String name, String advance) {
        return new LuaScript(name, ScriptOutputType.INTEGER, """
                if not redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then
                  return -1
                end
                """ + advance);
    }

    /**
     * Lua that advances the counter at {@code counter} and returns the new token:
     * {@code max(previous + 1, TIME in microseconds)}, the token floor. {@code INCR} gives
     * {@code previous + 1} (or fails on a counter that holds anything but an integer); when that is
     * not above the server's {@code TIME} in microseconds, the counter is set to the time instead.
     *
     * <p>So on one server tokens strictly increase (the {@code + 1}), whatever its clock does, and a
     * token is never ahead of the clock of the server that drew it by more than the acquisitions of
     * that lock within one microsecond (none: one script takes longer). A server that lost the
     * counter (a restart without persistence, an expiry) or never saw its latest values (a replica
     * promoted after it missed acquisitions, or promoted by hand while the old primary still served)
     * therefore draws a token above every earlier one as soon as its clock has passed the clock of
     * the server that drew those, at the time it drew them: see {@code docs/locks.md}, <i>Fencing
     * across restarts and failover</i>, for the assumption on clocks.
     *
     * <p>The microseconds are built as a string of digits and stored as such, so no Lua number is
     * ever formatted (Lua would print 16 digits in exponent notation); tokens stay below 2^53, exact
     * as a Lua number, until the year 2255. Counters written by the earlier scheme (a seed from
     * {@code TIME}, then {@code INCR}) stay valid.
     */
    private static String advanceFence(String counter, String ttl) {
        return """
                local time = redis.call('TIME')
                local now = time[1] .. string.format('%06d', tonumber(time[2]))
                local token = redis.pcall('INCR', COUNTER)
                if type(token) == 'number' and token > tonumber(now) then
                  redis.call('PEXPIRE', COUNTER, TTL)
                  return token
                end
                redis.call('SET', COUNTER, now, 'PX', TTL)
                return tonumber(now)
                """.replace("COUNTER", counter).replace("TTL", ttl);
    }

    /** The earlier {@link #advanceFence}: {@code INCR}, and {@code TIME} only for a missing counter. */
    private static String advanceFenceUnfloored(String counter, String ttl) {
        return """
                local token = redis.pcall('INCR', COUNTER)
                if type(token) == 'number' and token > 1000000000000000 then
                  redis.call('PEXPIRE', COUNTER, TTL)
                  return token
                end
                local time = redis.call('TIME')
                local now = time[1] .. string.format('%06d', tonumber(time[2]))
                redis.call('SET', COUNTER, now, 'PX', TTL)
                return tonumber(now)
                """.replace("COUNTER", counter).replace("TTL", ttl);
    }

    /**
     * {@code KEYS[1]} any key. Returns {@code {type, size, pttl}}: the {@code TYPE} name, the length of
     * a string ({@code STRLEN}), list ({@code LLEN}) or set ({@code SCARD}), 0 for other types, and
     * {@code PTTL}. For the admin API.
     */
    static final LuaScript INSPECT = new LuaScript("inspect", ScriptOutputType.MULTI, """
            local t = redis.call('TYPE', KEYS[1])['ok']
            local n = 0
            if t == 'string' then n = redis.call('STRLEN', KEYS[1])
            elseif t == 'list' then n = redis.call('LLEN', KEYS[1])
            elseif t == 'set' then n = redis.call('SCARD', KEYS[1])
            elseif t == 'zset' then n = redis.call('ZCARD', KEYS[1])
            elseif t == 'hash' then n = redis.call('HLEN', KEYS[1]) end
            return {t, n, redis.call('PTTL', KEYS[1])}
            """);

    /** Every script, loaded once when a backend opens. */
    static final List<LuaScript> ALL = List.of(INSPECT, SET_WITH_INDICES, SET_ADD, INDEX_MEMBERS, COMPARE_AND_DELETE,
            COMPARE_AND_EXPIRE, ACQUIRE_WITH_FENCE, ADVANCE_FENCE);
}
