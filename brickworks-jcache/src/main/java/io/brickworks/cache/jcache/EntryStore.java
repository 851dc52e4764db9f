package io.brickworks.cache.jcache;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.BulkResult;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.spi.CacheBackendException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongSupplier;
import javax.cache.CacheException;

/**
 * The storage of one JCache cache in the library: the one place that turns entries into library keys,
 * values, indices and locks. Features above it (the {@link BrickworksJCache} operations) see encoded
 * keys and {@link Stored} envelopes only.
 *
 * <p><b>Layout.</b> Entry {@code k} of cache {@code c} is the library key {@code <c>.s<k>} (a string key
 * without colons) or {@code <c>.b<base64url of k's stored form>} in the provider's namespace, indexed under {@code <c>} (so that iteration and
 * {@code clear} find it); its value is an envelope: a format byte, the logical expiry time (epoch
 * milliseconds, {@link Long#MAX_VALUE} for never) and the value's stored form. JCache expiry is
 * decided on that time, the same way in every replica; the library TTL only cleans up, a grace
 * period after it (or after the library's default expire for an entry that never expires).
 *
 * <p><b>Mutations</b> run under the entry's distributed lock ({@link #locked}): a lock of the library,
 * then a fresh read, the change, the write, the release. The fresh read first refreshes the key's TTL:
 * a write of this process, which drops the near cache's copy of the key, so the read goes to Redis
 * and sees every write that the previous holder of the lock made.
 */
final class EntryStore {

    /** How long an entry stays in the library after its JCache expiry, so that its expiry can be reported with its value. */
    static final long GRACE_MILLIS = 60_000;
    private static final byte FORMAT = 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** The offset of the value's stored form in an envelope. */
    static final int VALUE_OFFSET = 9;

    /**
     * An envelope: its bytes (the value's stored form from {@link #VALUE_OFFSET} on, never modified) and
     * its logical expiry time. A read answered by the near cache (or the memory backend) hands out the
     * same instance for as long as the library keeps that stored value, so the value is decoded once
     * per stored value where that is safe ({@link #value}).
     */
    static final class Stored {
        private final byte[] bytes;
        private final long expiresAt;
        private volatile Object shared;

        Stored(byte[] bytes, long expiresAt) {
            this.bytes = bytes;
            this.expiresAt = expiresAt;
        }

        long expiresAt() {
            return expiresAt;
        }

        boolean expiredAt(long now) {
            return expiresAt <= now;
        }

        /** Whether the entry is live now: entries that never expire need no clock read. */
        boolean liveAt(LongSupplier clock) {
            return expiresAt == Long.MAX_VALUE || expiresAt > clock.getAsLong();
        }

        /** A copy of the value's stored form. */
        byte[] value() {
            return java.util.Arrays.copyOfRange(bytes, VALUE_OFFSET, bytes.length);
        }

        /**
         * The value (store-by-value): an immutable value ({@link ImmutableValues}) is decoded once and
         * shared by every reader of this envelope; any other is decoded anew for each caller, who owns it.
         */
        Object value(ValueCodec codec) {
            Object v = shared;
            if (v != null) {
                return v;
            }
            v = codec.decode(bytes, VALUE_OFFSET);
            if (shareImmutable && ImmutableValues.isImmutable(v)) {
                shared = v;
            } else if (!shareImmutable) {
                shared = v; // the negative control's planted bug: every value is shared, mutable ones too
            }
            return v;
        }
    }

    /**
     * Package-private switch of the negative control: false shares every decoded value, mutable ones
     * too (which breaks store-by-value).
     */
    static volatile boolean shareImmutable = true;

    /**
     * Package-private switch of the negative control: false also keeps decoded envelopes in a map of
     * this store (a second cache beside the near cache), which never hears that the near cache dropped
     * an entry.
     */
    static volatile boolean memoWithTheEntry = true;
    private final Map<String, Stored> plantedMemo = new java.util.concurrent.ConcurrentHashMap<>();

    /** Package-private switch of the negative control: mutations without the entry lock. */
    static volatile boolean lockMutations = true;

    private final BrickworksCache cache;
    private final String namespace;
    private final String head;
    private final String plainHead;
    private final String index;
    private final Duration retention;
    private final Duration lockTtl;
    private final Duration lockWait;
    private final Duration timeout;
    final LongSupplier clock;
    /**
     * This store's decoder of envelopes: its own instance (the library keeps results per decoder), so
     * that a value decoded with this cache's codec (its allowlist) is never handed to another cache.
     */
    private final Function<byte[], Stored> envelope = this::envelope;

    EntryStore(BrickworksCache cache, String namespace, String cacheName, JCacheSettings settings, LongSupplier clock) {
        this.cache = cache;
        this.namespace = namespace;
        this.index = nameToken(cacheName);
        this.head = index + ".";
        this.plainHead = head + "s";
        this.retention = cache.settings().defaultExpire();
        this.lockTtl = settings.lockTtl;
        this.lockWait = settings.lockWait;
        this.timeout = cache.settings().commandTimeout().multipliedBy(2).plus(lockWait);
        this.clock = clock;
    }

    private static String nameToken(String name) {
        boolean plain = !name.isEmpty() && name.indexOf(':') < 0 && name.charAt(0) != '~'
                && name.chars().noneMatch(c -> Character.isSurrogate((char) c)) && name.indexOf('.') < 0;
        return plain ? name : "~" + B64.encodeToString(name.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The library key of the entry of {@code key}: {@code <cache>.s<the string>} for a string without
     * colons or surrogates (no encoding work on the hot path), else {@code <cache>.b<base64url of the
     * key's stored form>}.
     */
    String key(Object key, ValueCodec codec) {
        if (key instanceof String s && isPlain(s)) {
            return plainHead.concat(s);
        }
        return head + "b" + B64.encodeToString(codec.encode("key", key));
    }

    private static boolean isPlain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == ':' || Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The key of library key {@code key}, or null if it is not an entry of this cache.
     *
     * @throws javax.cache.CacheException if its stored form holds a type outside the allowlist
     */
    Object keyOf(String key, ValueCodec codec) {
        if (!key.startsWith(head) || key.length() == head.length()) {
            return null;
        }
        String token = key.substring(head.length() + 1);
        switch (key.charAt(head.length())) {
            case 's':
                return token;
            case 'b':
                try {
                    return codec.decode(B64D.decode(token));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            default:
                return null;
        }
    }

    // ------------------------------------------------------------------ reads

    /**
     * The entry of library key {@code key}, as this process sees it (through the near cache when it is
     * on, where the envelope is parsed once per stored value and kept with the near cache's entry).
     */
    Stored read(String key) {
        if (!memoWithTheEntry) {
            Stored kept = plantedMemo.get(key);
            if (kept != null) {
                return kept;
            }
        }
        Stored seen = await(cache.getKeyDecoded(key, namespace, envelope));
        if (!memoWithTheEntry && seen != null) {
            plantedMemo.put(key, seen);
        }
        return seen;
    }

    private Stored envelope(byte[] bytes) {
        return decode(bytes);
    }

    private static Stored decode(byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        if (bytes.length < 10 || bytes[0] != FORMAT) {
            throw new CacheException("not a JCache entry (" + bytes.length + " bytes, format " + (bytes.length == 0
                    ? "none" : bytes[0]) + ")");
        }
        long expiresAt = 0;
        for (int i = 1; i <= 8; i++) {
            expiresAt = (expiresAt << 8) | (bytes[i] & 0xff);
        }
        return new Stored(bytes, expiresAt);
    }

    /** The library keys of the entries of this cache (some may have gone since). */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (String k : await(cache.listKeysByIndex(index, namespace))) {
            if (k.startsWith(head)) {
                keys.add(k);
            }
        }
        return keys;
    }

    /**
     * Reads several entries: the one place where a multi-key read is made (one future per key, all in
     * flight at once).
     */
    Map<String, Stored> readAll(Collection<String> keys) {
        // one bulk read (MGET on Redis, per slot on a Cluster; the near cache first); each key has its
        // outcome within about the command timeout, so the whole read is given twice that
        BulkResult<byte[]> read = await(cache.getManyBytes(keys, namespace), timeout.multipliedBy(2));
        if (read.hasFailures()) {
            Map.Entry<String, CacheBackendException> first = read.failures().entrySet().iterator().next();
            throw new CacheException("reading " + read.failures().size() + " of " + keys.size()
                    + " entries failed, the first '" + first.getKey() + "': " + first.getValue().getMessage(),
                    first.getValue());
        }
        Map<String, Stored> out = new LinkedHashMap<>();
        for (String k : keys) {
            out.put(k, decode(read.values().get(k)));
        }
        return out;
    }

    // ------------------------------------------------------------------ writes (under the entry lock)

    /** Writes {@code value} with logical expiry {@code expiresAt}. */
    void write(String key, byte[] value, long expiresAt) {
        byte[] bytes = ByteBuffer.allocate(9 + value.length).put(FORMAT).putLong(expiresAt).put(value).array();
        await(cache.setKey(key, bytes, SetOptions.options().namespace(namespace).indices(index)
                .expire(libraryTtl(expiresAt))));
    }

    void delete(String key) {
        await(cache.deleteKey(key, namespace));
    }

    /** Deletes every entry of this cache (without locks: {@code clear} and {@code destroyCache}). */
    void deleteAll() {
        await(cache.deleteKeysByIndex(index, namespace));
    }

    private Duration libraryTtl(long expiresAt) {
        if (expiresAt == Long.MAX_VALUE) {
            return retention;
        }
        long ms = expiresAt - clock.getAsLong() + GRACE_MILLIS;
        return Duration.ofMillis(Math.max(1, Math.min(ms, retention.toMillis())));
    }

    /** What a mutation found under the lock, and whether it changed the entry. */
    interface Mutation<R> {
        /** Runs under the lock with the entry's fresh state (null if absent); may call write/delete of the store. */
        R apply(Stored current);
    }

    /**
     * Runs {@code mutation} under the entry's distributed lock, with a fresh read of the entry.
     *
     * @throws CacheException if the lock is not free within the lock wait, or the store fails
     */
    <R> R locked(String key, Mutation<R> mutation) {
        LockHandle handle = null;
        if (lockMutations) {
            Optional<LockHandle> taken = await(cache.lock(key + ".lock", lockTtl, lockWait));
            handle = taken.orElseThrow(() -> new CacheException("the lock of entry " + key + " was not free within "
                    + lockWait.toMillis() + " ms (" + JCacheSettings.LOCK_WAIT_MILLIS + ")"));
        }
        try {
            // A write of this process drops the near cache's copy: the read below goes to the store.
            await(cache.refreshKey(key, namespace, retention));
            Stored current = read(key);
            R result = mutation.apply(current);
            return result;
        } finally {
            if (handle != null) {
                await(handle.release());
            }
        }
    }

    /** Sets the library TTL of an entry that a mutation left unchanged back to what its expiry asks. */
    void settle(String key, Stored unchanged) {
        if (unchanged != null) {
            await(cache.refreshKey(key, namespace, libraryTtl(unchanged.expiresAt())));
        }
    }

    <T> T await(CompletableFuture<T> future) {
        return await(future, timeout);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) {
        if (future.isDone() && !future.isCompletedExceptionally()) {
            return future.getNow(null);
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new CacheException("interrupted", e);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new CacheException("the store did not answer within " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof CacheException c ? c : new CacheException(String.valueOf(cause.getMessage()), cause);
        }
    }
}
