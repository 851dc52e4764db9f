package io.brickworks.cache.function.internal;

import io.brickworks.cache.TenantScope;
import io.brickworks.cache.Tenants;
import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.internal.InProcessStore;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.spi.CacheBackend;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The function cache algorithm, written once above the backend SPI: key, lookup, strict decode,
 * single flight in the process and across processes (a lease taken with set-if-absent, renewed
 * with compare-and-expire, released with compare-and-delete; waiters poll with backoff and take
 * over an expired lease), store, and probabilistic early refresh. One engine per cached function.
 */
final class FunctionEngine<R> {

    /** The namespace of function results, as in the original. */
    static final String NAMESPACE = "FUNC_CACHE";

    /** Appended to an entry's key for its lease; cannot collide with {@code <name>-<hex>}. */
    static final String LEASE_SUFFIX = ".computing";

    private static final Logger LOG = LoggerFactory.getLogger("io.brickworks.cache.function");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 200;

    private final FunctionOptions<R> options;
    private final DefaultBrickworksCache cache;
    private final CacheBackend backend;
    private final ResultCodec<R> codec;
    private final long expireMillis;
    private final long leaseMillis;
    private final long maxWaitNanos;
    private final String tokenPrefix;
    private final AtomicLong tokens = new AtomicLong();
    private final ConcurrentHashMap<String, Flight<R>> flights = new ConcurrentHashMap<>();
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean decodeFailureLogged = new AtomicBoolean();

    /** Whether one decoded result may be handed to every caller (see {@link ResultCodec#sharesResults}). */
    private final boolean sharesResults;
    /** Decodes stored bytes, or answers null; one instance, by which an in-process store memoizes its results. */
    private final Function<byte[], ResultCodec.Decoded<R>> quietDecoder = this::decodeQuietly;

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder computations = new LongAdder();
    private final LongAdder failures = new LongAdder();
    private final LongAdder decodeFailures = new LongAdder();
    private final LongAdder earlyRefreshes = new LongAdder();
    private final LongAdder waitTimeouts = new LongAdder();

    /** One lookup in this process that concurrent callers of the same key share. */
    private static final class Flight<R> {
        final CompletableFuture<R> future = new CompletableFuture<>();
        /** Set before {@link #future} completes: whether the value came from the cache. */
        volatile boolean hit;
    }

    /** A value read together with its remaining TTL (for early refresh). */
    private record Read(byte[] bytes, long ttlMillis) {
    }

    /** Everything one lookup needs; immutable. */
    private record Call<R>(KeyScope scope, String entry, String key, Arguments args,
                           Function<Arguments, ? extends CompletionStage<R>> function, Executor missExecutor,
                           Executor refreshExecutor, String boundTenant, Thread caller) {

        /** The lease's key; built only off the hit path. */
        String leaseKey() {
            return scope.key(NAMESPACE, entry + LEASE_SUFFIX);
        }

        /** The function's index key; built only off the hit path. */
        String indexKey(String name) {
            return scope.indexKey(NAMESPACE, name);
        }
    }

    /**
     * @param cache the cache view calls resolve their tenant with (the master view for a
     *     master-tenant function)
     */
    FunctionEngine(FunctionOptions<R> options, DefaultBrickworksCache cache) {
        this.options = options;
        this.cache = cache;
        this.backend = cache.backend();
        this.codec = new ResultCodec<>(options.mapper(), options.resultType(), options.javaAllowed());
        this.sharesResults = codec.sharesResults();
        this.expireMillis = (options.expire() != null ? options.expire() : cache.settings().defaultExpire()).toMillis();
        this.leaseMillis = options.computeLease().toMillis();
        this.maxWaitNanos = options.maxWait().toNanos();
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        this.tokenPrefix = "bwf-" + HexFormat.of().formatHex(random) + "-";
    }

    String name() {
        return options.name();
    }

    FunctionOptions<R> options() {
        return options;
    }

    DefaultBrickworksCache cache() {
        return cache;
    }

    FunctionCacheStats stats() {
        return new FunctionCacheStats(hits.sum(), misses.sum(), computations.sum(), failures.sum(),
                decodeFailures.sum(), earlyRefreshes.sum(), waitTimeouts.sum());
    }

    /** The key segment {@code <name>-<sha256>} of a call; checks the arguments. */
    String entryKey(Arguments args) {
        return options.name() + "-" + CanonicalJson.hash(options.mapper(), options.name(), args,
                options.parameterNames());
    }

    /** Deletes the entries of this function in the tenant current now. */
    CompletableFuture<Long> clear() {
        return cache.deleteKeysByIndex(options.name(), NAMESPACE);
    }

    /** Deletes the entry of one call in the tenant current now. */
    CompletableFuture<Boolean> invalidate(Arguments args) {
        return cache.deleteKey(entryKey(args), NAMESPACE);
    }

    // ------------------------------------------------------------------ a call

    /**
     * The result of {@code function} for {@code args}, from the cache or computed.
     *
     * @param missExecutor where a miss invokes the function; null for the calling thread when it
     *     found the miss itself, else the common pool
     * @param refreshExecutor where an early refresh invokes it; null likewise
     * @throws IllegalArgumentException when the arguments cannot be serialized (nothing is read or written)
     */
    CompletableFuture<R> call(Arguments args, Function<Arguments, ? extends CompletionStage<R>> function,
                              Executor missExecutor, Executor refreshExecutor) {
        KeyScope scope = cache.scope();
        cache.checkOpen();
        String entry = entryKey(args);

        // The in-process hit path (the memory backend): the entry is read and decoded where it is
        // stored, and immutable results are decoded once per write. Early refresh needs the TTL too,
        // so it takes the general path.
        InProcessStore local = cache.inProcessStore();
        if (local != null && options.earlyRefreshBeta() <= 0) {
            ResultCodec.Decoded<R> decoded = local.getDecoded(scope.head(NAMESPACE), entry, quietDecoder,
                    sharesResults);
            if (decoded != null) {
                hits.increment();
                return CompletableFuture.completedFuture(decoded.value());
            }
            // a miss, or bytes that do not decode: the general path reads again and deals with them
        }
        Call<R> call = new Call<>(scope, entry, scope.key(NAMESPACE, entry), args, function, missExecutor,
                refreshExecutor, Tenants.current().orElse(null), Thread.currentThread());

        // The hit path: a read that has already completed (the memory backend answers at once) with a
        // value that decodes needs no flight, no extra future and no other key.
        CompletableFuture<Read> read = read(call);
        if (read.isDone() && !read.isCompletedExceptionally()) {
            Read r = read.join();
            ResultCodec.Decoded<R> decoded = r.bytes() == null ? null : decodeOrDiscard(call, r.bytes(), false);
            if (decoded != null) {
                hits.increment();
                maybeRefreshEarly(call, decoded, r.ttlMillis());
                return CompletableFuture.completedFuture(decoded.value());
            }
        }

        Flight<R> running = flights.get(call.key());
        if (running != null) {
            return joined(running);
        }
        // A remote read: a hit completes with the decoded value; only a miss (or bytes that do not
        // decode) takes part in the flight of this key, so a hit costs no shared state.
        return read.handle((r, error) -> {
            if (error == null && r.bytes() != null) {
                ResultCodec.Decoded<R> decoded = decodeOrDiscard(call, r.bytes(), false);
                if (decoded != null) {
                    hits.increment();
                    maybeRefreshEarly(call, decoded, r.ttlMillis());
                    return CompletableFuture.completedFuture(decoded.value());
                }
            }
            // a failed read is reported through the flight too, as a miss, like every other outcome
            return fly(call, error == null ? CompletableFuture.completedFuture(r)
                    : CompletableFuture.<Read>failedFuture(unwrap(error)));
        }).thenCompose(Function.identity());
    }

    /**
     * The cached result for {@code args} in the tenant current now, or null; bytes that do not decode
     * are reported, deleted and read as missing. Computes nothing.
     */
    CompletableFuture<R> peek(Arguments args) {
        Call<R> call = bare(args);
        return read(call).thenCompose(r -> {
            if (r.bytes() == null) {
                return CompletableFuture.completedFuture(null);
            }
            ResultCodec.Decoded<R> decoded = decodeOrDiscard(call, r.bytes(), true);
            if (decoded == null) {
                return discard(call, r.bytes()).thenApply(ignored -> null);
            }
            hits.increment();
            return CompletableFuture.completedFuture(decoded.value());
        });
    }

    /** Stores {@code value} for {@code args} in the tenant current now, as a computation would. */
    CompletableFuture<Boolean> put(Arguments args, R value) {
        return write(bare(args), value, 0);
    }

    /** A call for reading or writing one entry without a function (peek and put). */
    private Call<R> bare(Arguments args) {
        KeyScope scope = cache.scope();
        cache.checkOpen();
        String entry = entryKey(args);
        return new Call<>(scope, entry, scope.key(NAMESPACE, entry), args, null, null, null, null, null);
    }

    private CompletableFuture<R> joined(Flight<R> running) {
        return running.future.whenComplete((v, e) -> (running.hit ? hits : misses).increment());
    }

    /** Looks {@code call} up in the flight of its key: joins the running one, or starts one on {@code read}. */
    private CompletableFuture<R> fly(Call<R> call, CompletableFuture<Read> read) {
        Flight<R> mine = new Flight<>();
        Flight<R> running = flights.putIfAbsent(call.key(), mine);
        if (running != null) {
            return joined(running);
        }
        CompletableFuture<R> lookup;
        try {
            lookup = read.thenCompose(r -> onRead(call, mine, r.bytes(), r.ttlMillis()));
        } catch (RuntimeException | Error e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        lookup.whenComplete((v, e) -> {
            flights.remove(call.key(), mine);
            (mine.hit ? hits : misses).increment();
            if (e != null) {
                mine.future.completeExceptionally(unwrap(e));
            } else {
                mine.future.complete(v);
            }
        });
        return mine.future.copy();
    }

    /** Reads the entry, and its remaining TTL when early refresh is on (-1 otherwise). */
    private CompletableFuture<Read> read(Call<R> call) {
        CompletableFuture<byte[]> bytes = store(() -> backend.get(call.key()));
        if (options.earlyRefreshBeta() > 0) {
            return bytes.thenCombine(store(() -> backend.ttlMillis(call.key())), Read::new);
        }
        return bytes.thenApply(b -> new Read(b, -1L));
    }

    private CompletableFuture<R> onRead(Call<R> call, Flight<R> flight, byte[] bytes, long ttlMillis) {
        if (bytes == null) {
            return miss(call);
        }
        ResultCodec.Decoded<R> decoded = decodeOrDiscard(call, bytes, true);
        if (decoded == null) {
            return discard(call, bytes).thenCompose(ignored -> miss(call));
        }
        flight.hit = true;
        maybeRefreshEarly(call, decoded, ttlMillis);
        return CompletableFuture.completedFuture(decoded.value());
    }

    /** A miss: take the lease and compute, or wait for the process that holds it. */
    private CompletableFuture<R> miss(Call<R> call) {
        long deadline = System.nanoTime() + maxWaitNanos;
        return takeLease(call).thenCompose(token -> token != null
                ? computeUnderLease(call, token, call.missExecutor())
                : waitForOther(call, deadline, FIRST_POLL_MILLIS));
    }

    /** Under the lease, reads once more (another process may have just stored it), then computes. */
    private CompletableFuture<R> computeUnderLease(Call<R> call, byte[] token, Executor executor) {
        return store(() -> backend.get(call.key())).thenCompose(bytes -> {
            ResultCodec.Decoded<R> decoded = bytes == null ? null : decodeOrDiscard(call, bytes, false);
            if (decoded != null) {
                releaseLease(call, token);
                return CompletableFuture.completedFuture(decoded.value());
            }
            return computeAndStore(call, token, executor);
        });
    }

    private CompletableFuture<R> waitForOther(Call<R> call, long deadline, long delayMillis) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            waitTimeouts.increment();
            LOG.debug("function '{}': no result from the process computing {} within {}; computing it here",
                    options.name(), call.key(), options.maxWait());
            return computeAndStore(call, null, call.missExecutor());
        }
        long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
        long sleep = Math.max(1, Math.min(jittered, TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1));
        Executor later = CompletableFuture.delayedExecutor(sleep, TimeUnit.MILLISECONDS, ForkJoinPool.commonPool());
        long next = Math.min(MAX_POLL_MILLIS, delayMillis * 2);
        return CompletableFuture.supplyAsync(() -> null, later)
                .thenCompose(ignored -> store(() -> backend.get(call.key())))
                .thenCompose(bytes -> {
                    if (bytes != null) {
                        ResultCodec.Decoded<R> decoded = decodeOrDiscard(call, bytes, true);
                        if (decoded != null) {
                            return CompletableFuture.completedFuture(decoded.value());
                        }
                        return discard(call, bytes).thenCompose(x -> takeLeaseThenWait(call, deadline, next));
                    }
                    return takeLeaseThenWait(call, deadline, next);
                });
    }

    /** No value yet: the lease holder finished without storing, failed, or died; try to take over. */
    private CompletableFuture<R> takeLeaseThenWait(Call<R> call, long deadline, long nextDelay) {
        return takeLease(call).thenCompose(token -> token != null
                ? computeUnderLease(call, token, call.missExecutor())
                : waitForOther(call, deadline, nextDelay));
    }

    /**
     * Invokes the function and stores its result; renews and finally releases {@code token}'s lease
     * (none when null).
     */
    private CompletableFuture<R> computeAndStore(Call<R> call, byte[] token, Executor executor) {
        LeaseRenewal renewal = token == null ? null : new LeaseRenewal(call.leaseKey(), token);
        if (renewal != null) {
            renewal.schedule();
        }
        long start = System.nanoTime();
        computations.increment();
        CompletableFuture<R> computed = invoke(call, executor);
        CompletableFuture<R> stored = computed.handle((value, error) -> {
            if (error != null) {
                failures.increment();
                return CompletableFuture.<R>failedFuture(unwrap(error));
            }
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            return write(call, value, millis).thenApply(ignored -> value);
        }).thenCompose(Function.identity());
        return stored.whenComplete((v, e) -> {
            if (renewal != null) {
                renewal.stop();
                releaseLease(call, token);
            }
        });
    }

    private CompletableFuture<Boolean> write(Call<R> call, R value, long computeMillis) {
        if (value == null && !options.cacheNulls()) {
            return CompletableFuture.completedFuture(false);
        }
        byte[] bytes = codec.encode(options.name(), value, computeMillis);
        return store(() -> backend.set(call.key(), bytes, expireMillis, false, List.of(call.indexKey(options.name()))));
    }

    /**
     * Invokes the function with the caller's tenant bound: on {@code executor}; without one, right
     * here if this is the calling thread, else on the common pool.
     */
    private CompletableFuture<R> invoke(Call<R> call, Executor executor) {
        Supplier<CompletableFuture<R>> task = () -> {
            TenantScope scope = call.boundTenant() == null ? null : Tenants.bind(call.boundTenant());
            try {
                CompletionStage<R> stage = call.function().apply(call.args());
                if (stage == null) {
                    throw new NullPointerException("function '" + options.name() + "' returned a null future");
                }
                return stage.toCompletableFuture();
            } catch (Throwable e) {
                return CompletableFuture.failedFuture(e);
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
        };
        if (executor == null && Thread.currentThread() == call.caller()) {
            return task.get();
        }
        // Never run the application's function on a backend I/O thread (it would stall every command).
        Executor where = executor != null ? executor : ForkJoinPool.commonPool();
        return CompletableFuture.supplyAsync(task, where).thenCompose(Function.identity());
    }

    // ------------------------------------------------------------------ early refresh

    /** XFetch: refresh now with probability growing as {@code delta * beta * -ln(U)} reaches the TTL. */
    private void maybeRefreshEarly(Call<R> call, ResultCodec.Decoded<R> decoded, long ttlMillis) {
        double beta = options.earlyRefreshBeta();
        if (beta <= 0 || ttlMillis < 0) {
            return;
        }
        double delta = Math.max(1, decoded.computeMillis());
        double u = 1.0 - ThreadLocalRandom.current().nextDouble();
        if (delta * beta * -Math.log(u) < ttlMillis || !refreshing.add(call.key())) {
            return;
        }
        CompletableFuture<R> refresh;
        try {
            refresh = takeLease(call).thenCompose(token -> {
                if (token == null) {
                    return CompletableFuture.completedFuture(null);
                }
                earlyRefreshes.increment();
                return computeAndStore(call, token, call.refreshExecutor());
            });
        } catch (RuntimeException e) {
            refresh = CompletableFuture.failedFuture(e);
        }
        refresh.whenComplete((v, e) -> {
            refreshing.remove(call.key());
            if (e != null) {
                LOG.warn("function '{}': early refresh of {} failed; the cached value stays until it expires",
                        options.name(), call.key(), unwrap(e));
            }
        });
    }

    // ------------------------------------------------------------------ decoding

    /** The decoded entry, or null after counting and logging a decode failure (when {@code report}). */
    private ResultCodec.Decoded<R> decodeQuietly(byte[] bytes) {
        try {
            return codec.decode(bytes);
        } catch (ResultCodec.DecodeException e) {
            return null;
        }
    }

    private ResultCodec.Decoded<R> decodeOrDiscard(Call<R> call, byte[] bytes, boolean report) {
        try {
            return codec.decode(bytes);
        } catch (ResultCodec.DecodeException e) {
            if (report) {
                decodeFailures.increment();
                if (decodeFailureLogged.compareAndSet(false, true)) {
                    LOG.warn("function '{}': the cached value at {} is not a {} this function can decode ({}); "
                            + "it is deleted and recomputed (later decode failures of this function are logged "
                            + "at DEBUG)", options.name(), call.key(), codec.type(), e.getMessage());
                } else {
                    LOG.debug("function '{}': deleted the undecodable value at {} ({})", options.name(), call.key(),
                            e.getMessage());
                }
            }
            return null;
        }
    }

    /** Deletes undecodable bytes, only if they are still the stored value; never fails. */
    private CompletableFuture<Boolean> discard(Call<R> call, byte[] bytes) {
        return store(() -> backend.compareAndDelete(call.key(), bytes)).exceptionally(e -> {
            LOG.debug("function '{}': could not delete the undecodable value at {}", options.name(), call.key(),
                    unwrap(e));
            return false;
        });
    }

    // ------------------------------------------------------------------ the lease

    /** Takes the lease of a call's entry; completes with the token, or null when another holds it. */
    private CompletableFuture<byte[]> takeLease(Call<R> call) {
        byte[] token = (tokenPrefix + tokens.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
        return store(() -> backend.set(call.leaseKey(), token, leaseMillis, true, List.of()))
                .thenApply(taken -> taken ? token : null);
    }

    private void releaseLease(Call<R> call, byte[] token) {
        store(() -> backend.compareAndDelete(call.leaseKey(), token)).whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("function '{}': could not release the lease {}; it expires in {} ms", options.name(),
                        call.leaseKey(), leaseMillis, unwrap(e));
            }
        });
    }

    /** Renews a lease every third of its length until stopped, or until renewing fails. */
    private final class LeaseRenewal implements Runnable {
        private final String leaseKey;
        private final byte[] token;
        private volatile boolean stopped;

        LeaseRenewal(String leaseKey, byte[] token) {
            this.leaseKey = leaseKey;
            this.token = token;
        }

        void schedule() {
            // An explicit pool: without one, a machine with 2 cores would start a thread per renewal.
            CompletableFuture.delayedExecutor(Math.max(1, leaseMillis / 3), TimeUnit.MILLISECONDS,
                    ForkJoinPool.commonPool()).execute(this);
        }

        void stop() {
            stopped = true;
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            store(() -> backend.compareAndExpire(leaseKey, token, leaseMillis)).whenComplete((renewed, e) -> {
                if (e != null || !renewed) {
                    stopped = true;
                    LOG.debug("function '{}': stopped renewing the lease {} ({})", options.name(), leaseKey,
                            e != null ? unwrap(e).toString() : "lost");
                } else {
                    schedule();
                }
            });
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Runs a backend command: fails if the cache was closed, and turns a throw into a failed future. */
    private <T> CompletableFuture<T> store(Supplier<CompletableFuture<T>> command) {
        try {
            cache.checkOpen();
            return command.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static Throwable unwrap(Throwable e) {
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
