package io.brickworks.cache.queue.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueHandler;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueWorker;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.WorkerOptions;
import io.brickworks.cache.spi.CacheBackend;
import io.brickworks.cache.queue.PushOptions;
import io.brickworks.cache.queue.Pushed;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.spi.QueueClaim;
import io.brickworks.cache.spi.QueueClaimRequest;
import io.brickworks.cache.spi.QueueDeadLetter;
import io.brickworks.cache.spi.QueueKeys;
import io.brickworks.cache.spi.QueueSettlement;
import io.brickworks.cache.spi.QueueState;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The acknowledged queue, written once over the backend's queue primitives: the receive loop
 * (claim; when nothing is due, wait for a push or for the next due item; claim again) and the
 * argument checks. The backend makes each step atomic.
 */
public final class DefaultReliableQueue implements ReliableQueue {

    /** The longest reason kept in an item's history. */
    static final int MAX_REASON = 500;

    /** The longest progress kept for a delivery. */
    static final int MAX_PROGRESS = 200;

    private final String name;
    private final QueueOptions options;
    private final QueueKeys keys;
    private final CacheBackend backend;
    private final Supplier<ScheduledExecutorService> scheduler;
    private final Runnable checkOpen;
    private final Supplier<String> receipts;

    /** The receipts' randomness: 128 bits per claim, from one shared, thread-safe generator. */
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A new receipt: 128 random bits in hex, never repeated in practice, not guessable. */
    static String newReceipt() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return HexFormat.of().formatHex(bits);
    }

    /**
     * @param name the checked queue name
     * @param list the full key of the queue's list
     * @param scheduler the cache's scheduler, for the workers' extensions and pauses
     * @param checkOpen throws {@link IllegalStateException} once the cache is closed
     * @throws IllegalArgumentException if the list's key has a brace (it could not name the hash
     *     slot of the queue's other keys on a Redis Cluster)
     */
    public DefaultReliableQueue(String name, String list, QueueOptions options, CacheBackend backend,
                                Supplier<ScheduledExecutorService> scheduler, Runnable checkOpen) {
        this(name, list, options, backend, scheduler, checkOpen, DefaultReliableQueue::newReceipt);
    }

    /**
     * The same, with the receipts made by {@code receipts} instead of at random: for the tests'
     * negative controls only (a planted guessable receipt must let a stale acknowledgement through).
     */
    public DefaultReliableQueue(String name, String list, QueueOptions options, CacheBackend backend,
                                Supplier<ScheduledExecutorService> scheduler, Runnable checkOpen,
                                Supplier<String> receipts) {
        if (list.indexOf('{') >= 0 || list.indexOf('}') >= 0) {
            throw new IllegalArgumentException("an acknowledged queue's key must not contain a brace ({ or }), but "
                    + "queue '" + name + "' is at '" + list + "': rename the queue, namespace, tenant or prefix");
        }
        this.name = name;
        this.options = options;
        this.keys = QueueKeys.of(list);
        this.backend = backend;
        this.scheduler = scheduler;
        this.checkOpen = checkOpen;
        this.receipts = receipts;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public QueueOptions options() {
        return options;
    }

    /** The keys this queue uses. */
    public QueueKeys keys() {
        return keys;
    }

    ScheduledExecutorService scheduler() {
        return scheduler.get();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public CompletableFuture<Long> push(String item) {
        Names.checkNotNull("item", item);
        checkOpen.run();
        return backend.pushRight(keys.list(), utf8(item));
    }

    @Override
    public CompletableFuture<String> push(String item, Duration delay) {
        Names.checkNotNull("item", item);
        Names.checkNotNegative("delay", delay);
        checkOpen.run();
        return push(item, PushOptions.defaults().withDelay(delay)).thenApply(Pushed::id);
    }

    @Override
    public CompletableFuture<Pushed> push(String item, PushOptions pushOptions) {
        Names.checkNotNull("item", item);
        Names.checkNotNull("options", pushOptions);
        checkOpen.run();
        return backend.queuePush(keys, utf8(item), pushOptions.delay().toMillis(), pushOptions.priority(),
                pushOptions.jobId()).thenApply(p -> new Pushed(p.id(), p.duplicate()));
    }

    @Override
    public CompletableFuture<String> push(String item, Instant visibleAt) {
        Names.checkNotNull("visibleAt", visibleAt);
        Duration delay = Duration.between(Instant.now(), visibleAt);
        return push(item, delay.isNegative() ? Duration.ZERO : delay);
    }

    @Override
    public CompletableFuture<Optional<Delivery>> receive(Duration wait) {
        Names.checkNotNegative("wait", wait);
        checkOpen.run();
        CompletableFuture<Optional<Delivery>> result = new CompletableFuture<>();
        AtomicReference<CompletableFuture<Boolean>> waiting = new AtomicReference<>();
        result.whenComplete((r, e) -> {
            CompletableFuture<Boolean> w = waiting.get();
            if (w != null) {
                w.cancel(false);
            }
        });
        long deadline = System.nanoTime() + wait.toNanos();
        attempt(result, deadline, waiting);
        return result;
    }

    private void attempt(CompletableFuture<Optional<Delivery>> result, long deadline,
                         AtomicReference<CompletableFuture<Boolean>> waiting) {
        if (result.isDone()) {
            return;
        }
        String receipt = receipts.get();
        QueueClaimRequest request = new QueueClaimRequest(options.visibilityTimeout().toMillis(), options.maxAttempts(),
                receipt, options.consumerName(), options.concurrencyLimit(), options.rateLimit());
        backend.queueClaim(keys, request)
                .whenComplete((claim, error) -> {
                    if (error != null) {
                        result.completeExceptionally(cause(error));
                    } else if (claim.delivered()) {
                        deliver(result, claim, receipt);
                    } else if (claim.held()) {
                        lookAgain(result, deadline, waiting, claim.nextDueMillis());
                    } else {
                        waitAndRetry(result, deadline, waiting, claim.nextDueMillis());
                    }
                });
    }

    private void deliver(CompletableFuture<Optional<Delivery>> result, QueueClaim claim, String receipt) {
        DefaultDelivery delivery = new DefaultDelivery(this, claim, receipt);
        if (!result.complete(Optional.of(delivery))) {
            // completed by someone else meanwhile (cancel, orTimeout, ...): give the item back at once,
            // this delivery not counted
            backend.queueRelease(keys, claim.id(), receipt, 0, "receive cancelled", options.maxAttempts(), true);
        }
    }

    /**
     * The queue held the delivery back (paused, or a limit reached): no push would wake us, so look
     * again after {@code retryMillis}, within the wait.
     */
    private void lookAgain(CompletableFuture<Optional<Delivery>> result, long deadline,
                           AtomicReference<CompletableFuture<Boolean>> waiting, long retryMillis) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0 || result.isDone()) {
            result.complete(Optional.empty());
            return;
        }
        CompletableFuture<Boolean> timer = new CompletableFuture<>();
        timer.completeOnTimeout(true, Math.min(remaining, retryMillis), TimeUnit.MILLISECONDS);
        waiting.set(timer);
        timer.whenComplete((t, e) -> attempt(result, deadline, waiting));
    }

    private void waitAndRetry(CompletableFuture<Optional<Delivery>> result, long deadline,
                              AtomicReference<CompletableFuture<Boolean>> waiting, long nextDueMillis) {
        long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (remaining <= 0 || result.isDone()) {
            result.complete(Optional.empty());
            return;
        }
        long slice = nextDueMillis >= 0 ? Math.min(remaining, Math.max(1, nextDueMillis)) : remaining;
        CompletableFuture<Boolean> w = backend.queueAwait(keys, slice);
        waiting.set(w);
        if (result.isDone()) {
            w.cancel(false);
            return;
        }
        w.whenComplete((arrived, error) -> {
            if (result.isDone()) {
                return;
            }
            if (error != null && !(cause(error) instanceof CancellationException)) {
                result.completeExceptionally(cause(error));
            } else {
                attempt(result, deadline, waiting);
            }
        });
    }

    /** The failure inside a {@link CompletionException}, as the other futures of the cache report it. */
    private static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    CompletableFuture<Boolean> ack(DefaultDelivery d) {
        checkOpen.run();
        return backend.queueAck(keys, d.id(), d.receipt(), options.deduplicationWindow().toMillis());
    }

    private static String oneLine(String text, int max) {
        String cut = text.length() > max ? text.substring(0, max) : text;
        return cut.replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * Returns a delivery: to be due in {@code delay}, or a dead letter after its last attempt; with
     * {@code deadNow}, a dead letter at once (the store is told that no attempts are left).
     */
    CompletableFuture<Boolean> retry(DefaultDelivery d, Duration delay, String reason, boolean uncount,
                                     boolean deadNow) {
        checkOpen.run();
        return backend.queueRelease(keys, d.id(), d.receipt(), delay.toMillis(), oneLine(reason, MAX_REASON),
                        deadNow ? 0 : options.maxAttempts(), uncount)
                .thenApply(s -> s != QueueSettlement.NOT_HELD);
    }

    CompletableFuture<Boolean> extend(DefaultDelivery d, Duration visibility, String progress) {
        checkOpen.run();
        return backend.queueExtend(keys, d.id(), d.receipt(), visibility.toMillis(),
                progress == null ? null : oneLine(progress, MAX_PROGRESS));
    }

    @Override
    public CompletableFuture<Boolean> pause() {
        checkOpen.run();
        return backend.queuePause(keys, true);
    }

    @Override
    public CompletableFuture<Boolean> resume() {
        checkOpen.run();
        return backend.queuePause(keys, false);
    }

    @Override
    public CompletableFuture<QueueStatus> status(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
        }
        checkOpen.run();
        return backend.queueState(keys, limit).thenApply(state -> {
            List<QueueStatus.InFlightJob> inFlight = new ArrayList<>(state.inFlight().size());
            for (QueueState.InFlight f : state.inFlight()) {
                inFlight.add(new QueueStatus.InFlightJob(f.id(), f.consumer(), f.attempt(),
                        Duration.ofMillis(state.nowMillis() - f.claimedAtMillis()),
                        Duration.ofMillis(f.deadlineMillis() - state.nowMillis()), f.progress()));
            }
            return new QueueStatus(state.waiting(), state.delayed(), state.inFlightCount(), state.deadLetterCount(),
                    state.paused(), List.copyOf(inFlight), deadLetters(state.deadLetters()));
        });
    }

    @Override
    public CompletableFuture<List<DeadLetter>> deadLetters(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1 but was " + limit);
        }
        checkOpen.run();
        return backend.queueState(keys, limit).thenApply(state -> deadLetters(state.deadLetters()));
    }

    private static List<DeadLetter> deadLetters(List<QueueDeadLetter> stored) {
        List<DeadLetter> out = new ArrayList<>(stored.size());
        for (QueueDeadLetter d : stored) {
            List<String> history = d.history().isEmpty() ? List.of() : List.of(d.history().split("\n"));
            out.add(new DeadLetter(d.id(), new String(d.item(), StandardCharsets.UTF_8), d.attempts(), history));
        }
        return out;
    }

    private static List<String> ids(String[] ids) {
        Names.checkNotNull("ids", ids);
        List<String> list = Arrays.asList(ids);
        for (String id : list) {
            Names.checkNotNull("ids (an element)", id);
        }
        return List.copyOf(list);
    }

    @Override
    public CompletableFuture<Long> requeueDeadLetters(String... ids) {
        List<String> chosen = ids(ids);
        checkOpen.run();
        return backend.queueRequeueDead(keys, chosen);
    }

    @Override
    public CompletableFuture<Long> purgeDeadLetters(String... ids) {
        List<String> chosen = ids(ids);
        checkOpen.run();
        return backend.queuePurgeDead(keys, chosen);
    }

    @Override
    public QueueWorker consume(QueueHandler handler, WorkerOptions workerOptions) {
        Names.checkNotNull("handler", handler);
        Names.checkNotNull("options", workerOptions);
        checkOpen.run();
        return new DefaultQueueWorker(this, handler, workerOptions);
    }

    @Override
    public String toString() {
        return "ReliableQueue{" + keys.list() + ", " + options + "}";
    }
}
