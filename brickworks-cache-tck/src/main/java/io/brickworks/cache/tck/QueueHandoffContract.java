package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.metrics.CacheMetrics;
import io.brickworks.cache.metrics.QueueEvent;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.internal.DefaultReliableQueue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

/**
 * What a caller does with its future never loses an item, and a stale receipt never settles
 * another consumer's delivery (issue 24, defects 1-3).
 *
 * <p>The race tests push large items to a waiting pop and complete the caller's future early at a
 * random moment (cancel, {@code orTimeout}, {@code completeExceptionally}, or an interrupt of the
 * blocking view), with a deliberately slow metrics hook; every item must then be either in the
 * caller's hands or back in the list, exactly once. Each has a negative control in this class: the
 * same harness, given a pop that hands the item over before a slow continuation (the shape of the
 * bug), must report a lost item.
 */
public abstract class QueueHandoffContract extends CacheContract {

    /** Rounds per mode; each round one large item races one early completion. */
    private static final int ROUNDS = 16;

    /** The size of each item: large, so that decoding it widens the window. */
    private static final int ITEM_BYTES = 256 * 1024;

    /** How long an item may take to come back to the list (Redis: a running BLPOP ends within a 1 s slice). */
    private static final Duration PUT_BACK = Duration.ofMillis(2500);

    private static final String PADDING = "x".repeat(ITEM_BYTES);

    /** A pop under test: the caller's future for a waiting pop of {@code queue}. */
    @FunctionalInterface
    interface Pop {
        CompletableFuture<String> start(String queue);
    }

    /** How the caller gives up on its future. */
    enum GiveUp { CANCEL, OR_TIMEOUT, COMPLETE_EXCEPTIONALLY }

    private static void jitter(int maxMicros) {
        LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(ThreadLocalRandom.current().nextInt(maxMicros + 1)));
    }

    /** A metrics hook that takes its time on every queue event: the slow continuation. */
    private static CacheMetrics slowHook() {
        return new CacheMetrics() {
            @Override
            public void queue(String tenant, String queue, QueueEvent event) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
            }
        };
    }

    /** The async pop of the library. */
    private Pop libraryPop() {
        return queue -> cache.popFromQueue(queue, Duration.ofSeconds(10));
    }

    /**
     * The planted bug: the element is handed over by the store first and the caller's future is a
     * slow continuation of that, so that completing the caller's future no longer reaches the store.
     */
    private Pop plantedPop() {
        return queue -> backendOf(cache).popLeft(fullKey(MASTER, "default", queue), 10_000, b -> b)
                .thenApply(bytes -> {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(3));
                    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
                });
    }

    /** Waits until {@code item} is back at the head of {@code queue}; false if it does not come. */
    private boolean putBack(String queue, String item) {
        AtomicReference<String> popped = new AtomicReference<>();
        try {
            eventually().atMost(PUT_BACK).until(() -> {
                popped.set(await(cache.popFromQueue(queue)));
                return popped.get() != null;
            });
        } catch (ConditionTimeoutException e) {
            return false;
        }
        assertThat(popped.get()).as("the item that was put back").isEqualTo(item);
        return true;
    }

    /**
     * Runs the race {@link #ROUNDS} times and returns how many items were lost (neither received nor
     * put back); stops at the first loss. Fails if an item is received and put back (a duplicate).
     */
    private int losses(Pop pop, GiveUp giveUp) {
        String queue = "race-" + giveUp;
        for (int round = 0; round < ROUNDS; round++) {
            String item = round + ":" + PADDING;
            CompletableFuture<String> caller = pop.start(queue);
            if (giveUp == GiveUp.OR_TIMEOUT) {
                caller.orTimeout(1 + ThreadLocalRandom.current().nextInt(8), TimeUnit.MILLISECONDS);
            }
            CompletableFuture<Long> pushed = pushFromAnotherThread(queue, item);
            jitter(4000);
            if (giveUp == GiveUp.CANCEL) {
                caller.cancel(false);
            } else if (giveUp == GiveUp.COMPLETE_EXCEPTIONALLY) {
                caller.completeExceptionally(new IllegalStateException("the caller gave up"));
            }
            await(pushed);
            String received = outcome(caller);
            if (received != null) {
                assertThat(received).as("round %d: the item received", round).isEqualTo(item);
            } else if (!putBack(queue, item)) {
                return 1;
            }
        }
        // an item both received and put back would still be here (a late put-back comes within a slice)
        assertThat(await(cache.popFromQueue(queue, Duration.ofMillis(1500)))).as("a duplicate").isNull();
        return 0;
    }

    /**
     * Pushes on a pool thread: on the memory backend a push completes the waiting pop (and runs its
     * continuations) on the pushing thread, which must not be the thread that gives up.
     */
    private CompletableFuture<Long> pushFromAnotherThread(String queue, String item) {
        return CompletableFuture.supplyAsync(() -> cache.pushToQueue(queue, item)).thenCompose(f -> f);
    }

    /** The value the caller ended with, or null when it gave up. */
    private static String outcome(CompletableFuture<String> caller) {
        try {
            return caller.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            assertThat(e).isNotInstanceOf(java.util.concurrent.TimeoutException.class);
            return null;
        }
    }

    @Test
    void aCancelledPopHandsItsItemToTheCallerOrPutsItBack() {
        cache.bindMetrics(slowHook());
        assertThat(losses(libraryPop(), GiveUp.CANCEL)).isZero();
    }

    @Test
    void aPopEndedByOrTimeoutHandsItsItemToTheCallerOrPutsItBack() {
        cache.bindMetrics(slowHook());
        assertThat(losses(libraryPop(), GiveUp.OR_TIMEOUT)).isZero();
    }

    @Test
    void aPopCompletedExceptionallyHandsItsItemToTheCallerOrPutsItBack() {
        cache.bindMetrics(slowHook());
        assertThat(losses(libraryPop(), GiveUp.COMPLETE_EXCEPTIONALLY)).isZero();
    }

    @Test
    void negativeControlAPopThatHandsOverBeforeASlowContinuationLosesItems() {
        assertThat(losses(plantedPop(), GiveUp.CANCEL)).as("the harness sees the planted loss").isEqualTo(1);
    }

    // ------------------------------------------------------------------ the blocking view's give-up

    /** A blocking pop on its own thread, interrupted at a random moment after the push. */
    private int blockingLosses(boolean planted) throws InterruptedException {
        for (int round = 0; round < ROUNDS; round++) {
            String queue = "blocking-race-" + round;
            String item = round + ":" + PADDING;
            AtomicReference<String> received = new AtomicReference<>();
            Thread consumer = new Thread(() -> {
                try {
                    received.set(planted ? plantedBlockingPop(queue) : cache.blocking().popFromQueue(queue,
                            Duration.ofSeconds(10)));
                } catch (RuntimeException giveUp) {
                    // interrupted: the caller has nothing
                }
            }, "blocking-pop-" + round);
            consumer.start();
            CompletableFuture<Long> pushed = pushFromAnotherThread(queue, item);
            jitter(4000);
            consumer.interrupt();
            await(pushed);
            consumer.join(TIMEOUT.toMillis());
            assertThat(consumer.isAlive()).isFalse();
            if (received.get() != null) {
                assertThat(received.get()).isEqualTo(item);
            } else if (!putBack(queue, item)) {
                return 1;
            }
        }
        return 0;
    }

    /** The planted bug: the blocking view as it was, throwing when its cancel came too late. */
    private String plantedBlockingPop(String queue) {
        CompletableFuture<String> future = plantedPop().start(queue);
        try {
            return future.get();
        } catch (InterruptedException e) {
            future.cancel(false);
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void anInterruptedBlockingPopHandsItsItemToTheCallerOrPutsItBack() throws InterruptedException {
        cache.bindMetrics(slowHook());
        assertThat(blockingLosses(false)).isZero();
    }

    @Test
    void negativeControlTheOldBlockingViewLosesItems() throws InterruptedException {
        assertThat(blockingLosses(true)).as("the harness sees the planted loss").isEqualTo(1);
    }

    // ------------------------------------------------------------------ the server-side wait

    /**
     * Up to three rounds of: a pop of 3 s ended early by {@code orTimeout}, then a push. Returns 1 at
     * the first round where the pushed item did not reach the list (a wait left behind swallowed
     * it), else 0.
     */
    private int swallowedItems(Pop pop) {
        for (int round = 0; round < 3; round++) {
            String queue = "left-behind-" + round;
            CompletableFuture<String> endedEarly = pop.start(queue).orTimeout(50, TimeUnit.MILLISECONDS);
            assertThat(outcome(endedEarly)).isNull();
            assertThat(endedEarly).isCompletedExceptionally();
            await(cache.pushToQueue(queue, "next"));
            if (!putBack(queue, "next")) {
                return 1;
            }
        }
        return 0;
    }

    @Test
    void aPopEndedEarlyLeavesNoWaitBehindThatSwallowsTheNextItem() {
        assertThat(swallowedItems(queue -> cache.popFromQueue(queue, Duration.ofSeconds(3)))).isZero();
    }

    @Test
    void negativeControlAWaitThatIsNotToldSwallowsTheNextItem() {
        // a round may see no loss when the planted wait reached the server after the push
        assertThat(swallowedItems(queue -> backendOf(cache).popLeft(fullKey(MASTER, "default", queue), 3000, b -> b)
                .thenApply(b -> new String(b, StandardCharsets.UTF_8)))).isPositive();
    }

    // ------------------------------------------------------------------ receipts

    /**
     * A delivery times out and becomes a dead letter, is requeued and delivered to a second consumer
     * as attempt 1 again; then the first consumer acknowledges late. Returns whether that stale
     * acknowledgement went through; asserts the second consumer's job is untouched when it did not.
     */
    private boolean staleAckGoesThrough(ReliableQueue queue) {
        await(queue.push("job"));
        Delivery first = await(queue.receive(Duration.ZERO)).orElseThrow();
        eventually().until(() -> await(queue.receive(Duration.ZERO)).isEmpty()
                && !await(queue.deadLetters(10)).isEmpty());
        assertThat(await(queue.requeueDeadLetters())).isEqualTo(1);
        Delivery second = await(queue.receive(Duration.ZERO)).orElseThrow();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempt()).as("attempts count from zero after a requeue").isEqualTo(first.attempt());
        boolean stale = await(first.ack());
        if (!stale) {
            assertThat(await(first.extend(Duration.ofMinutes(1)))).isFalse();
            assertThat(await(first.retry(Duration.ZERO, "late"))).isFalse();
            assertThat(await(second.ack())).as("the second consumer still holds its job").isTrue();
        }
        return stale;
    }

    private static QueueOptions shortVisibility() {
        return QueueOptions.defaults().withVisibilityTimeout(Duration.ofMillis(100)).withMaxAttempts(1);
    }

    @Test
    void aStaleReceiptCannotSettleTheDeliveryOfAnotherConsumer() {
        assertThat(staleAckGoesThrough(cache.reliableQueue("receipts", shortVisibility()))).isFalse();
    }

    @Test
    void negativeControlGuessableReceiptsLetAStaleAckThrough() {
        Supplier<String> guessable = () -> "receipt";
        ReliableQueue planted = new DefaultReliableQueue("receipts", fullKey(MASTER, "default", "receipts"),
                shortVisibility(), backendOf(cache), () -> null, () -> { }, guessable);
        assertThat(staleAckGoesThrough(planted)).as("the harness sees the planted stale ack").isTrue();
    }

    @Test
    void receiptsAreUniquePerClaim() {
        ReliableQueue queue = cache.reliableQueue("unique", QueueOptions.defaults()
                .withVisibilityTimeout(Duration.ofMillis(1)).withMaxAttempts(1000));
        await(queue.push("job"));
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Optional<Delivery> d = Optional.empty();
            while (d.isEmpty()) {
                d = await(queue.receive(Duration.ofSeconds(1)));
            }
            deliveries.add(d.get());
        }
        for (int i = 0; i < deliveries.size() - 1; i++) {
            assertThat(await(deliveries.get(i).extend(Duration.ofMinutes(1)))).as("an older delivery").isFalse();
        }
        assertThat(await(deliveries.get(deliveries.size() - 1).ack())).isTrue();
    }
}
