package io.brickworks.cache.redis;

import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.KeyInfo;
import io.brickworks.cache.spi.LocalTier;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The Redis backend: every SPI primitive as one Redis command or one Lua script on one Lettuce
 * connection (String keys, byte[] values), in the wire format of the Python original. See
 * {@link RedisBackendFactory} for the wire format and the fault behaviour.
 */
final class RedisBackend implements CacheBackend {

    private static final String[] NO_KEYS = new String[0];

    private static final Function<String, Boolean> WAS_OK = reply -> reply != null;
    private static final Function<Long, Boolean> POSITIVE = n -> n != null && n > 0;
    private static final Function<Set<byte[]>, Set<String>> STRING_SET = RedisBackend::strings;

    private final RedisChannel link;
    private final MultiKeyOps multiKey;
    private final RedisFaults faults;
    private final String description;
    private final RedisQueues queues;
    /** The near cache that {@link #get} reads through and writes invalidate, or {@code null} when it is off. */
    private final NearCache near;

    /**
     * @param link one server (or Sentinel's primary), or a cluster
     * @param multiKey how the operations on several keys are done: {@link ScriptedMultiKeyOps} on
     *     one server, {@link ClusterMultiKeyOps} on a cluster
     * @param near the near cache, or {@code null} for none; the backend closes it
     */
    RedisBackend(RedisChannel link, MultiKeyOps multiKey, long commandTimeoutMillis, NearCache near) {
        this.link = link;
        this.near = near;
        this.queues = new RedisQueues(link, commandTimeoutMillis);
        this.multiKey = multiKey;
        this.faults = link.faults();
        this.description = "redis " + faults.address();
    }

    /** Loads every script into the server's script cache (one pipelined batch), checking each SHA. */
    void loadScripts(long timeoutMillis) {
        RedisClusterAsyncCommands<String, byte[]> commands = link.commandsNow();
        List<LuaScript> all = new ArrayList<>(RedisScripts.ALL);
        all.addAll(RedisQueueScripts.ALL);
        List<CompletableFuture<String>> loads = new ArrayList<>(all.size());
        for (LuaScript script : all) {
            loads.add(commands.scriptLoad(script.body()).toCompletableFuture());
        }
        for (int i = 0; i < loads.size(); i++) {
            LuaScript script = all.get(i);
            String sha;
            try {
                sha = loads.get(i).get(timeoutMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw faults.translate(e);
            } catch (Exception e) {
                throw faults.translate(e);
            }
            if (!script.sha().equals(sha)) {
                throw new IllegalStateException("Redis at " + faults.address() + " loaded script " + script.name()
                        + " as " + sha + ", expected " + script.sha());
            }
        }
    }

    private <T, R> CompletableFuture<R> call(Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command,
                                             Function<? super T, ? extends R> convert) {
        return link.execute(new RedisCall<>(link, command, convert, false));
    }

    private <T> CompletableFuture<T> call(Function<RedisClusterAsyncCommands<String, byte[]>, ? extends CompletionStage<T>> command) {
        return link.execute(new RedisCall<>(link, command, Function.identity(), false));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The decimal ASCII form of {@code n}, as scripts read their numeric arguments. */
    static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] utf8(Collection<String> members) {
        byte[][] out = new byte[members.size()][];
        int i = 0;
        for (String m : members) {
            out[i++] = utf8(m);
        }
        return out;
    }

    private static Set<String> strings(Set<byte[]> members) {
        Set<String> out = new HashSet<>(Math.max(4, (int) (members.size() / .75f) + 1));
        for (byte[] m : members) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public String describe() {
        return description;
    }

    /** With the near cache on, served from it while Redis keeps the key valid (see {@link NearCache}). */
    @Override
    public CompletableFuture<byte[]> get(String key) {
        return near == null ? getFromRedis(key) : near.get(key, this::getFromRedis);
    }

    private CompletableFuture<byte[]> getFromRedis(String key) {
        return link.execute(new RedisCall<byte[], byte[]>(link, c -> c.get(key), Function.identity(), true));
    }

    /**
     * {@code MGET}s ({@link MultiKeyOps#getMany}); with the near cache on, each key through the near
     * cache's read instead (its reads register the key for invalidation and guard against a change
     * while the read is in flight, which a read beside it would not), all sent at once. The cache asks
     * only for the keys the near cache did not hold.
     */
    @Override
    public List<CompletableFuture<byte[]>> getMany(List<String> keys) {
        return near == null ? multiKey.getMany(keys) : CacheBackend.super.getMany(keys);
    }

    /** {@code write} of {@code key}, which the near cache (if on) forgets when it is sent and when it completes. */
    private <T> CompletableFuture<T> wrote(String key, CompletableFuture<T> write) {
        return near == null ? write : near.written(key, write);
    }

    /** The near cache's tier, which the cache reads before it calls {@link #get}; none when it is off. */
    @Override
    public LocalTier localTier() {
        return near == null ? LocalTier.none() : near.tier();
    }

    /** How the operations on several keys are done (tests plant bugs there for their negative controls). */
    MultiKeyOps multiKeyOps() {
        return multiKey;
    }

    /** The near cache, or {@code null} when it is off (tests and benchmarks look inside). */
    NearCache nearCache() {
        return near;
    }

    @Override
    public CompletableFuture<Boolean> set(String key, byte[] value, long ttlMillis, boolean ifAbsent,
                                          List<String> indexKeys) {
        if (indexKeys.isEmpty()) {
            SetArgs args = ifAbsent ? SetArgs.Builder.px(ttlMillis).nx() : SetArgs.Builder.px(ttlMillis);
            return wrote(key, call(c -> c.set(key, value, args), WAS_OK));
        }
        return wrote(key, multiKey.setWithIndices(key, value, ttlMillis, ifAbsent, indexKeys));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return wrote(key, call(c -> c.del(key), POSITIVE));
    }

    @Override
    public CompletableFuture<Long> deleteAll(Collection<String> keys) {
        if (keys.isEmpty()) {
            return CompletableFuture.completedFuture(0L);
        }
        String[] all = keys.toArray(NO_KEYS);
        CompletableFuture<Long> write = call(c -> c.del(all));
        return near == null ? write : near.written(List.of(all), write);
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, long ttlMillis) {
        return wrote(key, call(c -> c.pexpire(key, ttlMillis)));
    }

    @Override
    public CompletableFuture<Long> ttlMillis(String key) {
        return call(c -> c.pttl(key));
    }

    @Override
    public CompletableFuture<Long> pushRight(String key, byte[] value) {
        return call(c -> c.rpush(key, value));
    }

    @Override
    public CompletableFuture<byte[]> popLeft(String key) {
        return call(c -> c.lpop(key));
    }

    @Override
    public CompletableFuture<Long> setAdd(String key, Collection<String> members, long ttlMillis) {
        byte[][] args = new byte[members.size() + 1][];
        args[0] = number(ttlMillis);
        int i = 1;
        for (String m : members) {
            args[i++] = utf8(m);
        }
        String[] keys = {key};
        return call(c -> RedisScripts.SET_ADD.<Long>run(c, keys, args));
    }

    @Override
    public CompletableFuture<Long> setRemove(String key, Collection<String> members) {
        byte[][] values = utf8(members);
        return call(c -> c.srem(key, values));
    }

    @Override
    public CompletableFuture<Set<String>> setMembers(String key) {
        return call(c -> c.smembers(key), STRING_SET);
    }

    @Override
    public CompletableFuture<Boolean> setIsMember(String key, String member) {
        byte[] m = utf8(member);
        return call(c -> c.sismember(key, m));
    }

    @Override
    public CompletableFuture<List<String>> indexMembers(String indexKey) {
        return multiKey.indexMembers(indexKey);
    }

    @Override
    public CompletableFuture<Boolean> compareAndDelete(String key, byte[] expected) {
        String[] keys = {key};
        return wrote(key, call(c -> RedisScripts.COMPARE_AND_DELETE.<Boolean>run(c, keys, expected)));
    }

    @Override
    public CompletableFuture<Boolean> compareAndExpire(String key, byte[] expected, long ttlMillis) {
        String[] keys = {key};
        byte[] ttl = number(ttlMillis);
        return wrote(key, call(c -> RedisScripts.COMPARE_AND_EXPIRE.<Boolean>run(c, keys, expected, ttl)));
    }

    @Override
    public CompletableFuture<Long> acquireWithFence(String key, byte[] owner, long lockTtlMillis, String fenceKey,
                                                    long fenceTtlMillis) {
        return multiKey.acquireWithFence(key, owner, lockTtlMillis, fenceKey, fenceTtlMillis);
    }

    @Override
    public CompletableFuture<Long> increment(String key) {
        return wrote(key, call(c -> c.incr(key)));
    }

    // ------------------------------------------------------------------ queues: waiting and acknowledged delivery

    @Override
    public CompletableFuture<byte[]> popLeft(String key, long waitMillis) {
        return queues.popLeft(key, waitMillis);
    }

    @Override
    public CompletableFuture<QueueClaim> queueClaim(QueueKeys keys, long visibilityMillis, long maxAttempts) {
        return queues.claim(keys, visibilityMillis, maxAttempts);
    }

    @Override
    public CompletableFuture<Boolean> queueAwait(QueueKeys keys, long waitMillis) {
        return queues.await(keys, waitMillis);
    }

    @Override
    public CompletableFuture<String> queuePushDelayed(QueueKeys keys, byte[] item, long delayMillis) {
        return queues.pushDelayed(keys, item, delayMillis);
    }

    @Override
    public CompletableFuture<Boolean> queueAck(QueueKeys keys, String id, long attempt) {
        return queues.ack(keys, id, attempt);
    }

    @Override
    public CompletableFuture<QueueSettlement> queueRelease(QueueKeys keys, String id, long attempt, long delayMillis,
                                                           String note, long maxAttempts, boolean uncount) {
        return queues.release(keys, id, attempt, delayMillis, note, maxAttempts, uncount);
    }

    @Override
    public CompletableFuture<Boolean> queueExtend(QueueKeys keys, String id, long attempt, long visibilityMillis) {
        return queues.extend(keys, id, attempt, visibilityMillis);
    }

    @Override
    public CompletableFuture<List<QueueDeadLetter>> queueDeadLetters(QueueKeys keys, int limit) {
        return queues.deadLetters(keys, limit);
    }

    @Override
    public CompletableFuture<Long> queueRequeueDead(QueueKeys keys, List<String> ids) {
        return queues.requeueDead(keys, ids);
    }

    @Override
    public CompletableFuture<Long> queuePurgeDead(QueueKeys keys, List<String> ids) {
        return queues.purgeDead(keys, ids);
    }

    @Override
    public CompletableFuture<Void> ping() {
        return call(c -> c.ping(), reply -> null);
    }

    /**
     * {@code SCAN cursor MATCH <prefix>* COUNT count}, one step at a time; on a cluster Lettuce's
     * cursor walks every primary in turn.
     */
    @Override
    public CompletableFuture<Void> scan(String prefix, int count, Function<List<String>, ? extends CompletionStage<?>> step) {
        ScanArgs args = ScanArgs.Builder.matches(glob(prefix) + "*").limit(Math.max(1, count));
        return scanFrom(ScanCursor.INITIAL, args, step);
    }

    private CompletableFuture<Void> scanFrom(ScanCursor cursor, ScanArgs args,
                                             Function<List<String>, ? extends CompletionStage<?>> step) {
        return this.<KeyScanCursor<String>>call(c -> c.scan(cursor, args)).thenCompose(page -> {
            CompletionStage<?> handled = page.getKeys().isEmpty()
                    ? CompletableFuture.completedFuture(null) : step.apply(List.copyOf(page.getKeys()));
            return handled.thenCompose(ignored -> page.isFinished()
                    ? CompletableFuture.<Void>completedFuture(null) : scanFrom(page, args, step));
        });
    }

    /** {@code text} with the glob characters of {@code SCAN MATCH} escaped. */
    static String glob(String text) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch == '*' || ch == '?' || ch == '[' || ch == ']' || ch == '\\') {
                out.append('\\');
            }
            out.append(ch);
        }
        return out.toString();
    }

    @Override
    public CompletableFuture<KeyInfo> inspect(String key) {
        String[] keys = {key};
        return call(c -> RedisScripts.INSPECT.<List<Object>>run(c, keys), RedisBackend::keyInfo);
    }

    private static KeyInfo keyInfo(List<Object> reply) {
        String type = reply.get(0) instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(reply.get(0));
        KeyInfo.Type kind = switch (type) {
            case "none" -> KeyInfo.Type.NONE;
            case "string" -> KeyInfo.Type.STRING;
            case "list" -> KeyInfo.Type.LIST;
            case "set" -> KeyInfo.Type.SET;
            default -> KeyInfo.Type.OTHER;
        };
        return kind == KeyInfo.Type.NONE ? KeyInfo.MISSING
                : new KeyInfo(kind, ((Number) reply.get(1)).longValue(), ((Number) reply.get(2)).longValue());
    }

    @Override
    public void bindMetrics(CacheMetrics metrics) {
        faults.bindMetrics(metrics);
        if (near != null) {
            metrics.nearCacheCreated(near::stats);
        }
    }

    @Override
    public java.util.Optional<io.brickworks.cache.metrics.NearCacheStats> nearCacheStats() {
        return near == null ? java.util.Optional.empty() : java.util.Optional.of(near.stats());
    }

    @Override
    public void close() {
        if (near != null) {
            near.close();
        }
        queues.close();
        link.close();
    }

    @Override
    public String toString() {
        return "RedisBackend{" + faults.address() + "}";
    }
}
