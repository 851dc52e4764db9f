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
 * scope, each key parsed into tenant, namespace and key segment as {@link KeyScope} builds them;
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

    /**
     * @param ownerToken the cache instance's owner token, to tell its locks apart
     * @param tenant the tenant to narrow to, or null for every tenant
     * @param progress told the number of keys walked after each step, or null
     */
    public DefaultCacheAdmin(CacheBackend backend, String prefix, String ownerToken, String tenant, LongConsumer progress) {
        this.backend = backend;
        this.prefix = prefix;
        this.ownerToken = ownerToken;
        this.tenant = tenant;
        this.progress = progress;
    }

    @Override
    public CacheAdmin tenant(String tenant) {
        return new DefaultCacheAdmin(backend, prefix, ownerToken, Names.check("tenant", tenant), progress);
    }

    @Override
    public CacheAdmin onProgress(LongConsumer progress) {
        return new DefaultCacheAdmin(backend, prefix, ownerToken, tenant, Names.checkNotNull("progress", progress));
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

    /** A full key split into its segments; {@code rest} is everything after the namespace. */
    private record StoredKey(String full, String tenant, String namespace, String rest) {

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
        String[] parts = full.split(":", 4);
        if (parts.length < 4 || !parts[0].equals(prefix) || parts[1].isEmpty() || parts[2].isEmpty()) {
            return null;
        }
        return new StoredKey(full, parts[1], parts[2], parts[3]);
    }

    /**
     * Walks the keys of {@code walkTenant} (every tenant when null), handing the parsed keys of each
     * step to {@code step} and reporting progress after it.
     */
    private CompletableFuture<Void> walk(String walkTenant, Function<List<StoredKey>, CompletionStage<?>> step) {
        String start = prefix + ':' + (walkTenant == null ? "" : walkTenant + ':');
        AtomicLong seen = new AtomicLong();
        return backend.scan(start, STEP, keys -> {
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
                if (k.isLockNamespace() && k.rest().indexOf(':') < 0) {
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
        TreeMap<String, QueueInfo> sorted = new TreeMap<>();
        return walkTyped(k -> !k.isLockNamespace() && !k.isFunctionNamespace() && !k.isIndex(), KeyInfo.Type.LIST,
                (k, info) -> sorted.put(k.full(), new QueueInfo(k.tenant(), k.namespace(), k.rest(), info.size())))
                .thenApply(ignored -> List.copyOf(sorted.values()));
    }

    @Override
    public CompletableFuture<List<IndexInfo>> indices() {
        TreeMap<String, IndexInfo> sorted = new TreeMap<>();
        return walkTyped(StoredKey::isIndex, KeyInfo.Type.SET, (k, info) -> sorted.put(k.full(),
                new IndexInfo(k.tenant(), k.namespace(), k.rest().substring(INDEX_PREFIX.length()), info.size())))
                .thenApply(ignored -> List.copyOf(sorted.values()));
    }

    @Override
    public CompletableFuture<List<FunctionInfo>> functions() {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        return walk(tenant, keys -> {
            for (StoredKey k : keys) {
                String name = k.isFunctionNamespace() && !k.isIndex() ? functionName(k.rest()) : null;
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
        return walk(purged, keys -> {
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
        }).thenApply(ignored -> new PurgeReport(purged, dryRun, includeLocks, Collections.unmodifiableMap(counts),
                deleted.get()));
    }
}
