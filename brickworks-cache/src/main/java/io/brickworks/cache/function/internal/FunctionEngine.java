package io.brickworks.cache.function.internal;

import io.brickworks.cache.TenantScope;
import io.brickworks.cache.Tenants;
import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.function.CachedResults;
import io.brickworks.cache.function.FunctionCacheStats;
import io.brickworks.cache.internal.DefaultBrickworksCache;
import io.brickworks.cache.internal.KeyScope;
import io.brickworks.cache.internal.Names;
import io.brickworks.cache.internal.Work;
import io.brickworks.cache.spi.CacheBackend;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
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
 *
 * <p>A miss costs five commands: {@code GET}; {@code SET NX PX} of the lease; {@code GET} again;
 * after the function ran, the store script; and, once it answered, the lease's release. The caller
 * waits for the first four round trips. All commands use the backend's connection, and commands sent
 * close together go out in one write, so concurrent misses share their writes.
 *
 * <p>Where code runs: backend continuations only send commands, complete futures and decode values
 * up to {@link #INLINE_DECODE_BYTES}. The function, a larger decode, and the encode of a result
 * that an async function completed later, run on the call's executor ({@link Call#missExecutor}),
 * or for an async function without its own executor on the calling thread when the miss is known
 * there. Timers (polling a lease held elsewhere, renewing our lease) run on the cache's scheduler.
 */
final class FunctionEngine<R> {

    /** The namespace of function results, as in the original. */
    static final String NAMESPACE = KeyScope.FUNCTION_NAMESPACE;

    /** Appended to an entry's key for its lease; cannot collide with {@code <name>-<hex>}. */
    static final String LEASE_SUFFIX = ".computing";

    private static final Logger LOG = LoggerFactory.getLogger("io.brickworks.cache.function");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 200;
    /** Values up to this size are decoded where they arrive (a backend thread); larger ones on the executor. */
    static final int INLINE_DECODE_BYTES = 8 * 1024;

    private final FunctionOptions<R> options;
    /** The function's name as log lines show it (escaped: a name may hold control characters). */
    private final String shownName;
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
    private final LongAdder waits = new LongAdder();

    /** One lookup in this process that concurrent callers of the same key share. */
    private static final class Flight<R> {
        final CompletableFuture<R> future = new CompletableFuture<>();
        /** Set before {@link #future} completes: whether the value came from the cache. */
        volatile boolean hit;
    }

    /** A value read together with its remaining TTL (for early refresh). */
    private record Read(byte[] bytes, long ttlMillis) {
    }

    /**
     * Everything one lookup needs; immutable.
     *
     * @param missExecutor where a miss invokes the function; null for an async function without its
     *     own executor: on the calling thread when it found the miss itself, else the cache's executor
     */
    private record Call<R>(KeyScope scope, String entry, String key, Arguments args,
                           Function<Arguments, ? extends CompletionStage<R>> function, Executor missExecutor,
                           String boundTenant, Thread caller) {

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
        this.shownName = Names.show(options.name());
        this.cache = cache;
        this.backend = cache.backend();
        this.codec = new ResultCodec<>(options.mapper(), options.resultType(), options.javaAllowed(),
                cache.settings().functionCacheMaxValueBytes());
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

    /** Where this function's code runs when not on the calling thread: its own executor, else the cache's. */
    Executor executor() {
        return options.executor() != null ? options.executor() : cache.executor();
    }

    FunctionOptions<R> options() {
        return options;
    }

    DefaultBrickworksCache cache() {
        return cache;
    }

    FunctionCacheStats stats() {
        return new FunctionCacheStats(hits.sum(), misses.sum(), computations.sum(), failures.sum(),
                decodeFailures.sum(), earlyRefreshes.sum(), waitTimeouts.sum(), waits.sum());
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
     * The result of {@code function} for {@code args}, from the cache or computed. Early refreshes
     * run on {@link #executor()}.
     *
     * @param missExecutor where a miss invokes the function; null for the calling thread when it
     *     found the miss itself, else {@link #executor()}
     * @throws IllegalArgumentException when the arguments cannot be serialized (nothing is read or written)
     */
    CompletableFuture<R> call(Arguments args, Function<Arguments, ? extends CompletionStage<R>> function,
                              Executor missExecutor) {
        KeyScope scope = cache.scope();
        cache.checkOpen();
        String entry = entryKey(args);

        // The local tier's hit path (the memory backend, the near cache): the entry is read and decoded
        // where it is kept, and immutable results are decoded once per value. Early refresh needs the
        // TTL too, so it takes the general path.
        if (options.earlyRefreshBeta() <= 0) {
            ResultCodec.Decoded<R> decoded = cache.localTier().getDecoded(scope.head(NAMESPACE), entry, quietDecoder,
                    sharesResults);
            if (decoded != null) {
                hits.increment();
                return CompletableFuture.completedFuture(decoded.value());
            }
            // a miss, or bytes that do not decode: the general path reads again and deals with them
        }
        Call<R> call = new Call<>(scope, entry, scope.key(NAMESPACE, entry), args, function, missExecutor,
                Tenants.current().orElse(null), Thread.currentThread());

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
                return decodeThen(call, r.bytes(), false, decoded -> {
                    if (decoded != null) {
                        hits.increment();
                        maybeRefreshEarly(call, decoded, r.ttlMillis());
                        return CompletableFuture.completedFuture(decoded.value());
                    }
                    return fly(call, CompletableFuture.completedFuture(r));
                });
            }
            // a failed read is reported through the flight too, as a miss, like every other outcome
            return fly(call, error == null ? CompletableFuture.completedFuture(r)
                    : CompletableFuture.<Read>failedFuture(unwrap(error)));
        }).thenCompose(Function.identity());
    }

    /**
     * Decodes bytes that a backend read delivered, then continues with {@code then}: a value up to
     * {@link #INLINE_DECODE_BYTES} right here, a larger one on the call's executor, so that no backend
     * I/O thread spends long on it. {@code then} receives null for bytes that do not decode.
     */
    private CompletableFuture<R> decodeThen(Call<R> call, byte[] bytes, boolean report,
                                            Function<ResultCodec.Decoded<R>, CompletableFuture<R>> then) {
        if (bytes.length <= INLINE_DECODE_BYTES || Thread.currentThread() == call.caller()) {
            return then.apply(decodeOrDiscard(call, bytes, report));
        }
        Executor where = call.missExecutor() != null ? call.missExecutor() : executor();
        return Work.supply(where, "decoding of a result of function '" + options.name() + "'",
                () -> then.apply(decodeOrDiscard(call, bytes, report)));
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

    /**
     * The cached results for many argument sets in the tenant current now, in one bulk read of the
     * cache ({@code getManyBytes}: the local tier first, the rest in one backend call); each as
     * {@link #peek} answers it. Every argument set is checked before anything is read.
     */
    CompletableFuture<CachedResults<R>> peekMany(List<Arguments> argumentSets) {
        List<Call<R>> calls = new ArrayList<>(argumentSets.size());
        List<String> entries = new ArrayList<>(argumentSets.size());
        for (int i = 0; i < argumentSets.size(); i++) {
            Call<R> call = bare(Names.checkNotNull("arguments[" + i + "]", argumentSets.get(i)));
            calls.add(call);
            entries.add(call.entry());
        }
        return cache.getManyBytes(entries, NAMESPACE).thenCompose(read -> {
            java.util.Map<Arguments, R> values = new java.util.LinkedHashMap<>();
            java.util.Map<Arguments, io.brickworks.cache.spi.CacheBackendException> failures = new java.util.LinkedHashMap<>();
            List<CompletableFuture<Boolean>> discards = new ArrayList<>();
            for (Call<R> call : calls) {
                byte[] bytes = read.values().get(call.entry());
                io.brickworks.cache.spi.CacheBackendException failed = read.failures().get(call.entry());
                if (failed != null) {
                    failures.put(call.args(), failed);
                } else if (bytes != null) {
                    ResultCodec.Decoded<R> decoded = decodeOrDiscard(call, bytes, true);
                    if (decoded == null) {
                        discards.add(discard(call, bytes));
                    } else {
                        hits.increment();
                        values.put(call.args(), decoded.value());
                    }
                }
            }
            return CompletableFuture.allOf(discards.toArray(new CompletableFuture<?>[0]))
                    .thenApply(done -> new CachedResults<>(values, failures));
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
        return new Call<>(scope, entry, scope.key(NAMESPACE, entry), args, null, null, null, null);
    }

    private CompletableFuture<R> joined(Flight<R> running) {
        waits.increment();
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
            lookup = read.thenCompose(r -> r.bytes() == null ? miss(call)
                    : decodeThen(call, r.bytes(), true, decoded -> onRead(call, mine, r.bytes(), decoded, r.ttlMillis())));
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

    /** The flight's read found {@code bytes}, which decoded to {@code decoded} (null: they do not decode). */
    private CompletableFuture<R> onRead(Call<R> call, Flight<R> flight, byte[] bytes, ResultCodec.Decoded<R> decoded,
                                        long ttlMillis) {
        if (decoded == null) {
            return discard(call, bytes).thenCompose(ignored -> miss(call));
        }
        flight.hit = true;
        maybeRefreshEarly(call, decoded, ttlMillis);
        return CompletableFuture.completedFuture(decoded.value());
    }

    /** A miss: take the lease and compute, or wait for the process that holds it. */
    private CompletableFuture<R> miss(Call<R> call) {
        return takeLeaseThenWait(call, System.nanoTime() + maxWaitNanos, FIRST_POLL_MILLIS, true);
    }

    /**
     * Takes the lease and computes under it, or, when another process holds it, waits for that
     * process's result. Each step waits for the answer to the one before: on a Cluster the entry and
     * its lease live on different nodes, and only this order guarantees that a caller holding the
     * lease sees every value stored before it was taken. The first attempt of a call ({@code first})
     * counts a wait when another process holds the lease; later attempts of the same wait do not.
     */
    private CompletableFuture<R> takeLeaseThenWait(Call<R> call, long deadline, long nextDelayMillis, boolean first) {
        return takeLease(call).thenCompose(token -> {
            if (token != null) {
                return computeUnderLease(call, token);
            }
            if (first) {
                waits.increment();
            }
            return waitForOther(call, deadline, nextDelayMillis);
        });
    }

    /** Under the lease, reads once more (another process may have just stored the value), then computes. */
    private CompletableFuture<R> computeUnderLease(Call<R> call, byte[] token) {
        return store(() -> backend.get(call.key())).handle((bytes, error) -> {
            if (error != null) {
                releaseLease(call, token);
                return CompletableFuture.<R>failedFuture(unwrap(error));
            }
            if (bytes == null) {
                return computeAndStore(call, token, call.missExecutor());
            }
            return decodeThen(call, bytes, false, decoded -> {
                if (decoded == null) {
                    return computeAndStore(call, token, call.missExecutor());   // overwrites the bytes
                }
                releaseLease(call, token);
                return CompletableFuture.completedFuture(decoded.value());
            });
        }).thenCompose(Function.identity());
    }

    /** Another process holds the lease: after a jittered pause, reads the entry; none yet, tries the lease again. */
    private CompletableFuture<R> waitForOther(Call<R> call, long deadline, long delayMillis) {
        long remainingNanos = deadline - System.nanoTime();
        if (remainingNanos <= 0) {
            waitTimeouts.increment();
            LOG.debug("function {}: no result from the process computing {} within {}; computing it here",
                    shownName, Names.show(call.key()), options.maxWait());
            return computeAndStore(call, null, call.missExecutor());
        }
        long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
        long sleep = Math.max(1, Math.min(jittered, TimeUnit.NANOSECONDS.toMillis(remainingNanos) + 1));
        long next = Math.min(MAX_POLL_MILLIS, delayMillis * 2);
        CompletableFuture<Void> pause = new CompletableFuture<>();
        try {
            cache.scheduler().schedule(() -> pause.complete(null), sleep, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | IllegalStateException e) {
            return CompletableFuture.failedFuture(new IllegalStateException("this cache was closed while function '"
                    + options.name() + "' waited for another process's result", e));
        }
        return pause.thenCompose(ignored -> store(() -> backend.get(call.key())))
                .thenCompose(bytes -> bytes == null ? takeLeaseThenWait(call, deadline, next, false)
                        : decodeThen(call, bytes, true, decoded -> decoded != null
                                ? CompletableFuture.completedFuture(decoded.value())
                                : discard(call, bytes).thenCompose(x -> takeLeaseThenWait(call, deadline, next, false))));
    }

    /**
     * Invokes the function and stores its result; renews {@code token}'s lease (none when null)
     * while the function runs, and releases it once the store has answered (so that no other
     * process can take the lease and miss the value, even with the two on different nodes).
     */
    private CompletableFuture<R> computeAndStore(Call<R> call, byte[] token, Executor executor) {
        LeaseRenewal renewal = token == null ? null : new LeaseRenewal(call.leaseKey(), token);
        if (renewal != null) {
            renewal.schedule();
        }
        computations.increment();
        return invoke(call, executor, (value, computeMillis) -> write(call, value, computeMillis)
                .thenApply(ignored -> value))
                .whenComplete((v, e) -> {
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
        byte[] bytes;
        try {
            bytes = codec.encode(options.name(), value, computeMillis);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return store(() -> backend.set(call.key(), bytes, expireMillis, false, List.of(call.indexKey(options.name()))));
    }

    /** What follows a successful computation: the value and how long it took, to the value stored. */
    @FunctionalInterface
    private interface AfterCompute<R> {
        CompletableFuture<R> apply(R value, long computeMillis);
    }

    /**
     * Invokes the function with the caller's tenant bound, then {@code after} with its value: on
     * {@code executor}; without one, right here if this is the calling thread, else on
     * {@link #executor()}; never on a backend I/O thread. When the function's stage is complete on
     * return (a synchronous function, or an async one that had the value), {@code after} (which
     * encodes the value) runs right behind it; when it completes later, on whatever thread, {@code
     * after} is handed to the executor again. A failure of the function is counted and returned.
     */
    private CompletableFuture<R> invoke(Call<R> call, Executor executor, AfterCompute<R> after) {
        String what = "function '" + options.name() + "'";
        Executor later = executor != null ? executor : executor();
        Supplier<CompletableFuture<R>> task = () -> {
            long start = System.nanoTime();
            CompletableFuture<R> computed = new CompletableFuture<>();
            TenantScope scope = call.boundTenant() == null ? null : Tenants.bind(call.boundTenant());
            try {
                Work.completeWith(computed, what, () -> call.function().apply(call.args()));
            } finally {
                if (scope != null) {
                    scope.close();
                }
            }
            if (computed.isDone()) {
                return afterComputed(computed, start, after);
            }
            return computed.handle((v, e) -> null).thenCompose(ignored ->
                    Work.supply(later, what, () -> afterComputed(computed, start, after)));
        };
        if (executor == null && Thread.currentThread() == call.caller()) {
            return task.get();
        }
        return Work.supply(later, what, task);
    }

    private CompletableFuture<R> afterComputed(CompletableFuture<R> computed, long start, AfterCompute<R> after) {
        if (computed.isCompletedExceptionally()) {
            failures.increment();
            return computed.handle((v, e) -> CompletableFuture.<R>failedFuture(unwrap(e)))
                    .thenCompose(Function.identity());
        }
        return after.apply(computed.join(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
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
                return computeAndStore(call, token, executor());
            });
        } catch (RuntimeException e) {
            refresh = CompletableFuture.failedFuture(e);
        }
        refresh.whenComplete((v, e) -> {
            refreshing.remove(call.key());
            if (e != null) {
                LOG.warn("function {}: early refresh of {} failed; the cached value stays until it expires",
                        shownName, Names.show(call.key()), unwrap(e));
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
                    LOG.warn("function {}: the cached value at {} is not a {} this function can decode ({}); "
                            + "it is deleted and recomputed (later decode failures of this function are logged "
                            + "at DEBUG)", shownName, Names.show(call.key()), codec.type(), e.getMessage());
                } else {
                    LOG.debug("function {}: deleted the undecodable value at {} ({})", shownName,
                            Names.show(call.key()), e.getMessage());
                }
            }
            return null;
        }
    }

    /** Deletes undecodable bytes, only if they are still the stored value; never fails. */
    private CompletableFuture<Boolean> discard(Call<R> call, byte[] bytes) {
        return store(() -> backend.compareAndDelete(call.key(), bytes)).exceptionally(e -> {
            LOG.debug("function {}: could not delete the undecodable value at {}", shownName,
                    Names.show(call.key()), unwrap(e));
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
                LOG.debug("function {}: could not release the lease {}; it expires in {} ms", shownName,
                        Names.show(call.leaseKey()), leaseMillis, unwrap(e));
            }
        });
    }

    /** Renews a lease every third of its length, on the cache's scheduler, until stopped or until renewing fails. */
    private final class LeaseRenewal implements Runnable {
        private final String leaseKey;
        private final byte[] token;
        private volatile boolean stopped;
        private volatile ScheduledFuture<?> next;

        LeaseRenewal(String leaseKey, byte[] token) {
            this.leaseKey = leaseKey;
            this.token = token;
        }

        void schedule() {
            try {
                next = cache.scheduler().schedule(this, Math.max(1, leaseMillis / 3), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException | IllegalStateException closed) {
                stopped = true;   // the cache closed: the lease expires by itself
            }
            if (stopped) {
                stop();
            }
        }

        void stop() {
            stopped = true;
            ScheduledFuture<?> n = next;
            if (n != null) {
                n.cancel(false);
            }
        }

        @Override
        public void run() {
            if (stopped) {
                return;
            }
            store(() -> backend.compareAndExpire(leaseKey, token, leaseMillis)).whenComplete((renewed, e) -> {
                if (e != null || !renewed) {
                    stopped = true;
                    LOG.debug("function {}: stopped renewing the lease {} ({})", shownName, Names.show(leaseKey),
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
