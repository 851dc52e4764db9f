package io.brickworks.cache.admin.internal;

import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.FunctionInfo;
import io.brickworks.cache.admin.IndexInfo;
import io.brickworks.cache.admin.LockInfo;
import io.brickworks.cache.admin.PurgeReport;
import io.brickworks.cache.admin.QueueInfo;
import io.brickworks.cache.admin.TenantUsage;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.internal.Names;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.internal.DefaultReliableQueue;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.spi.KeyInfo;
import io.brickworks.cache.spi.QueueKeys;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.Predicate;

/**
 * The admin API over the backend SPI: one walk ({@link CacheBackend#scan}) over the keys of the
 * scope under both of its heads, {@code <prefix>:<tenant>:} (entries, lists, sets, indices, locks,
 * function results) and <code>&#123;&lt;prefix&gt;:&lt;tenant&gt;:</code> (the records of acknowledged queues,
 * {@code {<list>}:<suffix>} whatever the suffix, see {@link QueueKeys}), each key parsed into tenant,
 * namespace and key segment as {@link KeyScope} builds them; names are passed back to the store as
 * the walk handed them over, so a name that is not valid UTF-8 is deleted too ({@link io.brickworks.cache.spi.StoredNames});
 * queues and indices are recognised by their type ({@link CacheBackend#inspect}, asked for the
 * candidates of one step at a time). Steps run one after another, so the maps filled by a walk are
 * touched by one step at a time (each step happens-before the next through the future chain).
 */
public final class DefaultCacheAdmin implements CacheAdmin {

    private static final String INDEX_PREFIX = KeyScope.INDEX_PREFIX;
    private static final String FENCE_SUFFIX = ":fence";
    /** The length of a hex SHA-256, the suffix of a function entry's key segment after its dash. */
    private static final int SHA256_HEX = 64;

    private final CacheBackend backend;
    private final String prefix;
    private final String ownerToken;
    /** The tenant this admin is narrowed to, or null for all. */
    private final String tenant;
    private final LongConsumer progress;
    /** Whether walks cover the records' head too; false only in a negative control. */
    private final boolean recordHead;

    /**
     * @param ownerToken the cache instance's owner token, to tell its locks apart
     * @param tenant the tenant to narrow to, or null for every tenant
     * @param progress told the number of keys walked after each step, or null
     */
    public DefaultCacheAdmin(CacheBackend backend, String prefix, String ownerToken, String tenant, LongConsumer progress) {
        this(backend, prefix, ownerToken, tenant, progress, true);
    }

    private DefaultCacheAdmin(CacheBackend backend, String prefix, String ownerToken, String tenant,
                              LongConsumer progress, boolean recordHead) {
        this.backend = backend;
        this.prefix = prefix;
        this.ownerToken = ownerToken;
        this.tenant = tenant;
        this.progress = progress;
        this.recordHead = recordHead;
    }

    /**
     * {@code admin} (made by a cache) walking only the entries' head, as before acknowledged queues
     * were purged: the planted bug of a negative control. Not for use outside tests.
     */
    public static CacheAdmin withoutRecordHead(CacheAdmin admin) {
        DefaultCacheAdmin a = (DefaultCacheAdmin) admin;
        return new DefaultCacheAdmin(a.backend, a.prefix, a.ownerToken, a.tenant, a.progress, false);
    }

    @Override
    public CacheAdmin tenant(String tenant) {
        return new DefaultCacheAdmin(backend, prefix, ownerToken, Names.check("tenant", tenant), progress, recordHead);
    }

    @Override
    public CacheAdmin onProgress(LongConsumer progress) {
        return new DefaultCacheAdmin(backend, prefix, ownerToken, tenant, Names.checkNotNull("progress", progress),
                recordHead);
    }

    /** The acknowledged queue at {@code tenant}/{@code namespace}/{@code name}, for its state and pause. */
    private ReliableQueue queueOf(String tenant, String namespace, String name) {
        Names.check("tenant", tenant);
        Names.checkNamespace("namespace", namespace);
        Names.checkKey("name", name);
        return new DefaultReliableQueue(name, new KeyScope(prefix, tenant).key(namespace, name),
                QueueOptions.defaults().withNamespace(namespace), backend, () -> null, () -> { });
    }

    @Override
    public CompletableFuture<QueueStatus> queue(String tenant, String namespace, String name, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
        }
        return queueOf(tenant, namespace, name).status(limit);
    }

    @Override
    public CompletableFuture<Boolean> pauseQueue(String tenant, String namespace, String name, boolean paused) {
        ReliableQueue queue = queueOf(tenant, namespace, name);
        return paused ? queue.pause() : queue.resume();
    }

    /**
     * A full key split into its segments; {@code rest} is everything after the namespace. For an
     * acknowledged queue's record {@code {<list>}:<suffix>}, the segments are those of the list and
     * {@code record} is the suffix; null for every other key.
     */
    private record StoredKey(String full, String tenant, String namespace, String rest, String record) {

        boolean isRecord() {
            return record != null;
        }

        /** The queue's list of a record. */
        String list() {
            return full.substring(1, full.length() - record.length() - 2);
        }

        boolean isLockNamespace() {
            return namespace.equals(KeyScope.LOCK_NAMESPACE);
        }

        boolean isIndex() {
            return rest.startsWith(INDEX_PREFIX);
        }

        boolean isFunctionNamespace() {
            return namespace.equals(KeyScope.FUNCTION_NAMESPACE);
        }
    }

    private StoredKey parse(String full) {
        String name = full;
        String record = null;
        if (full.startsWith("{")) {
            int close = full.lastIndexOf("}:");
            if (close < 1) {
                return null;
            }
            name = full.substring(1, close);
            record = full.substring(close + 2);
        }
        String[] parts = name.split(":", 4);
        if (parts.length < 4 || !parts[0].equals(prefix) || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        return new StoredKey(full, parts[1], parts[2], parts[3], record);
    }

    /**
     * Walks the keys of {@code walkTenant} (every tenant when null), handing the parsed keys of each
     * step to {@code step} and reporting progress after it.
     */
    private CompletableFuture<Void> walk(String walkTenant, Function<List<StoredKey>, CompletionStage<?>> step) {
        return walk(walkTenant, new AtomicLong(), step);
    }

    /** {@link #walk(String, Function)} reporting progress as {@code seen} plus the keys walked. */
    private CompletableFuture<Void> walk(String walkTenant, AtomicLong seen,
                                         Function<List<StoredKey>, CompletionStage<?>> step) {
        String head = prefix + ':' + (walkTenant == null ? "" : walkTenant + ':');
        CompletableFuture<Void> entries = walkHead(head, seen, step);
        return recordHead ? entries.thenCompose(ignored -> walkHead("{" + head, seen, step)) : entries;
    }

    private CompletableFuture<Void> walkHead(String head, AtomicLong seen,
                                             Function<List<StoredKey>, CompletionStage<?>> step) {
        return backend.scan(head, STEP, keys -> {
            List<StoredKey> parsed = new ArrayList<>(keys.size());
            for (String key : keys) {
                StoredKey k = parse(key);
                if (k != null) {
                    parsed.add(k);
                }
            }
            return step.apply(parsed).thenRun(() -> {
                long n = seen.addAndGet(keys.size());
                if (progress != null) {
                    progress.accept(n);
                }
            });
        });
    }

    private static CompletionStage<?> done() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<KeyInfo> inspect(String keyTenant, String namespace, String key) {
        String full = new KeyScope(prefix, Names.check("tenant", keyTenant))
                .key(Names.checkReadableNamespace("namespace", namespace), Names.checkKey("key", key));
        return backend.inspect(full);
    }

    @Override
    public CompletableFuture<Boolean> releaseLock(String lockTenant, String name, String owner) {
        String full = new KeyScope(prefix, Names.check("tenant", lockTenant))
                .key(KeyScope.LOCK_NAMESPACE, Names.check("name", name));
        if (Names.checkNotNull("owner", owner).isEmpty()) {
            throw new IllegalArgumentException("owner must not be empty");
        }
        return backend.compareAndDelete(full, owner.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public CompletableFuture<List<TenantUsage>> tenants() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        return walk(tenant, keys -> {
            for (StoredKey k : keys) {
                counts.computeIfAbsent(k.tenant(), t -> new TreeMap<>()).merge(k.namespace(), 1L, Long::sum);
            }
            return done();
        }).thenApply(ignored -> {
            List<TenantUsage> out = new ArrayList<>(counts.size());
            counts.forEach((t, byNamespace) -> out.add(new TenantUsage(t, Collections.unmodifiableMap(byNamespace))));
            return List.copyOf(out);
        });
    }

    @Override
    public CompletableFuture<List<LockInfo>> locks() {
        List<StoredKey> lockKeys = new ArrayList<>();
        return walk(tenant, keys -> {
            for (StoredKey k : keys) {
                if (k.isLockNamespace() && !k.isRecord() && k.rest().indexOf(':') < 0) {
                    lockKeys.add(k);
                }
            }
            return done();
        }).thenCompose(ignored -> {
            List<CompletableFuture<LockInfo>> reads = new ArrayList<>(lockKeys.size());
            for (StoredKey k : lockKeys) {
                reads.add(lockInfo(k));
            }
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(all -> {
                TreeMap<String, LockInfo> sorted = new TreeMap<>();
                for (CompletableFuture<LockInfo> read : reads) {
                    LockInfo info = read.join();
                    if (info != null) {
                        sorted.put(info.tenant() + ':' + info.name(), info);
                    }
                }
                return List.copyOf(sorted.values());
            });
        });
    }

    /** The lock at {@code k}: owner, time left and last fencing token; null when it is gone meanwhile. */
    private CompletableFuture<LockInfo> lockInfo(StoredKey k) {
        CompletableFuture<byte[]> owner = backend.get(k.full());
        CompletableFuture<Long> ttl = backend.ttlMillis(k.full());
        CompletableFuture<byte[]> fence = backend.get(k.full() + FENCE_SUFFIX);
        return CompletableFuture.allOf(owner, ttl, fence).thenApply(all -> {
            byte[] value = owner.join();
            long ttlMillis = ttl.join();
            if (value == null || ttlMillis == -2) {
                return null;
            }
            String token = new String(value, StandardCharsets.UTF_8);
            boolean ownedHere = token.equals(ownerToken) || token.startsWith(ownerToken + '.');
            return new LockInfo(k.tenant(), k.rest(), token, ownedHere,
                    ttlMillis < 0 ? null : Duration.ofMillis(ttlMillis), fencingToken(fence.join()));
        });
    }

    private static Long fencingToken(byte[] value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.valueOf(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Walks, inspects the keys that {@code candidate} accepts (all of a step at once, the next step
     * after them), and hands each of {@code type} to {@code found}.
     */
    private CompletableFuture<Void> walkTyped(Predicate<StoredKey> candidate, KeyInfo.Type type,
                                              BiConsumer<StoredKey, KeyInfo> found) {
        return walk(tenant, keys -> {
            List<StoredKey> picked = new ArrayList<>();
            List<CompletableFuture<KeyInfo>> infos = new ArrayList<>();
            for (StoredKey k : keys) {
                if (candidate.test(k)) {
                    picked.add(k);
                    infos.add(backend.inspect(k.full()));
                }
            }
            return CompletableFuture.allOf(infos.toArray(CompletableFuture[]::new)).thenRun(() -> {
                for (int i = 0; i < picked.size(); i++) {
                    KeyInfo info = infos.get(i).join();
                    if (info.type() == type) {
                        found.accept(picked.get(i), info);
                    }
                }
            });
        });
    }

    @Override
    public CompletableFuture<List<QueueInfo>> queues() {
        TreeMap<String, StoredKey> queues = new TreeMap<>();
        Map<String, Long> listLengths = new TreeMap<>();
        // a record names its queue; a plain key is one if it holds a list
        Predicate<StoredKey> candidate = k -> {
            if (k.isRecord()) {
                queues.putIfAbsent(k.list(), new StoredKey(k.list(), k.tenant(), k.namespace(), k.rest(), null));
                return false;
            }
            return !k.isLockNamespace() && !k.isFunctionNamespace() && !k.isIndex();
        };
        return walkTyped(candidate, KeyInfo.Type.LIST, (k, info) -> {
            queues.put(k.full(), k);
            listLengths.put(k.full(), info.size());
        }).thenCompose(ignored -> {
            List<CompletableFuture<QueueInfo>> reads = new ArrayList<>(queues.size());
            queues.forEach((list, k) -> reads.add(queueInfo(k, listLengths.get(list))));
            return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(all -> {
                List<QueueInfo> out = new ArrayList<>(reads.size());
                for (CompletableFuture<QueueInfo> read : reads) {
                    QueueInfo q = read.join();
                    if (q.waiting() + q.delayed() + q.inFlight() + q.dead() > 0) {
                        out.add(q);
                    }
                }
                return List.copyOf(out);
            });
        });
    }

    /** The counts of the queue whose list is {@code k}; {@code listLength} null when the walk did not see the list. */
    private CompletableFuture<QueueInfo> queueInfo(StoredKey k, Long listLength) {
        QueueKeys keys = QueueKeys.of(k.full());
        CompletableFuture<Long> list = listLength != null ? CompletableFuture.completedFuture(listLength)
                : sizeOf(keys.list(), KeyInfo.Type.LIST);
        CompletableFuture<Long> staging = sizeOf(keys.staging(), KeyInfo.Type.LIST);
        CompletableFuture<Long> delayed = sizeOf(keys.delayed(), KeyInfo.Type.SORTED_SET);
        CompletableFuture<Long> inFlight = sizeOf(keys.inflight(), KeyInfo.Type.SORTED_SET);
        CompletableFuture<Long> dead = sizeOf(keys.dead(), KeyInfo.Type.LIST);
        return CompletableFuture.allOf(list, staging, delayed, inFlight, dead).thenApply(all -> new QueueInfo(
                k.tenant(), k.namespace(), k.rest(), list.join() + staging.join(), delayed.join(), inFlight.join(),
                dead.join()));
    }

    /** The size of {@code key} if it holds {@code type}, else 0. */
    private CompletableFuture<Long> sizeOf(String key, KeyInfo.Type type) {
        return backend.inspect(key).thenApply(info -> info.type() == type ? info.size() : 0L);
    }

    @Override
    public CompletableFuture<List<IndexInfo>> indices() {
        TreeMap<String, IndexInfo> sorted = new TreeMap<>();
        return walkTyped(k -> !k.isRecord() && k.isIndex(), KeyInfo.Type.SET, (k, info) -> sorted.put(k.full(),
                new IndexInfo(k.tenant(), k.namespace(), k.rest().substring(INDEX_PREFIX.length()), info.size())))
                .thenApply(ignored -> List.copyOf(sorted.values()));
    }

    @Override
    public CompletableFuture<List<FunctionInfo>> functions() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        return walk(tenant, keys -> {
            for (StoredKey k : keys) {
                String name = k.isFunctionNamespace() && !k.isIndex() && !k.isRecord() ? functionName(k.rest()) : null;
                if (name != null) {
                    counts.computeIfAbsent(k.tenant(), t -> new TreeMap<>()).merge(name, 1L, Long::sum);
                }
            }
            return done();
        }).thenApply(ignored -> {
            List<FunctionInfo> out = new ArrayList<>();
            counts.forEach((t, byName) -> byName.forEach((name, n) -> out.add(new FunctionInfo(t, name, n))));
            return List.copyOf(out);
        });
    }

    /** The function name of an entry's key segment {@code <name>-<sha256 hex>}, or null (a lease or another key). */
    static String functionName(String segment) {
        int dash = segment.lastIndexOf('-');
        if (dash <= 0 || segment.length() - dash - 1 != SHA256_HEX) {
            return null;
        }
        for (int i = dash + 1; i < segment.length(); i++) {
            if (Character.digit(segment.charAt(i), 16) < 0) {
                return null;
            }
        }
        return segment.substring(0, dash);
    }

    @Override
    public CompletableFuture<PurgeReport> purgeTenant(String purged, boolean includeLocks, boolean dryRun) {
        Names.check("tenant", purged);
        Map<String, Long> counts = new TreeMap<>();
        AtomicLong deleted = new AtomicLong();
        AtomicLong seen = new AtomicLong();
        CompletableFuture<Void> purge = walk(purged, seen, keys -> {
            List<String> doomed = new ArrayList<>(keys.size());
            for (StoredKey k : keys) {
                if (includeLocks || !k.isLockNamespace()) {
                    doomed.add(k.full());
                    counts.merge(k.namespace(), 1L, Long::sum);
                }
            }
            if (dryRun || doomed.isEmpty()) {
                return done();
            }
            return backend.deleteAll(doomed).thenAccept(deleted::addAndGet);
        });
        AtomicLong remaining = new AtomicLong();
        CompletableFuture<Void> checked = dryRun ? purge : purge.thenCompose(ignored -> walk(purged, seen, keys -> {
            remaining.addAndGet(keys.stream().filter(k -> includeLocks || !k.isLockNamespace()).count());
            return done();
        }));
        return checked.thenApply(ignored -> new PurgeReport(purged, dryRun, includeLocks,
                Collections.unmodifiableMap(counts), deleted.get(), remaining.get()));
    }
}
