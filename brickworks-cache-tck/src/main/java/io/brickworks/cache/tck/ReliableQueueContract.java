package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueWorker;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.WorkerOptions;
import io.brickworks.cache.spi.QueueKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Waiting receives and acknowledged queues: blocking pop (timeout, wake-up, cancel), receive with
 * ack, retry, extend, redelivery after a visibility timeout with the attempt count, dead letters
 * (list, requeue, purge), delayed items, the worker loop, tenancy and bad input. Waits use short
 * visibility timeouts and Awaitility; nothing asserts how long something took.
 */
public abstract class ReliableQueueContract extends CacheContract {

    private static final Duration LONG_WAIT = Duration.ofSeconds(10);

    private static QueueOptions options() {
        return QueueOptions.defaults();
    }

    private static Delivery received(ReliableQueue queue, Duration wait) {
        Optional<Delivery> d = await(queue.receive(wait));
        assertThat(d).as("a delivery").isPresent();
        return d.get();
    }

    // ------------------------------------------------------------------ blocking pop

    @Test
    void aWaitingPopEndsEmptyAfterItsWait() {
        assertThat(await(cache.popFromQueue("q", Duration.ofMillis(50)))).isNull();
        assertThat(await(cache.popFromQueue("q", "jobs", Duration.ofMillis(1)))).isNull();
    }

    @Test
    void aWaitingPopWakesOnPush() {
        CompletableFuture<String> waiting = cache.popFromQueue("q", LONG_WAIT);
        await(newCache().pushToQueue("q", "hello"));
        assertThat(await(waiting)).isEqualTo("hello");
    }

    @Test
    void aWaitingPopTakesAnItemAlreadyThere() {
        await(cache.pushToQueue("q", "first"));
        await(cache.pushToQueue("q", "second"));
        assertThat(await(cache.popFromQueue("q", LONG_WAIT))).isEqualTo("first");
    }

    @Test
    void cancellingAWaitingPopLosesNoItem() {
        CompletableFuture<String> waiting = cache.popFromQueue("q", LONG_WAIT);
        assertThat(waiting.cancel(false)).isTrue();
        await(cache.pushToQueue("q", "kept"));
        String[] popped = new String[1];
        eventually().until(() -> (popped[0] = await(cache.popFromQueue("q"))) != null);
        assertThat(popped[0]).isEqualTo("kept");
    }

    @Test
    void manyWaitingPopsGetOneItemEach() {
        List<CompletableFuture<String>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(cache.popFromQueue("q", LONG_WAIT));
        }
        for (int i = 0; i < 20; i++) {
            await(cache.pushToQueue("q", "item-" + i));
        }
        Set<String> got = ConcurrentHashMap.newKeySet();
        for (CompletableFuture<String> w : waiting) {
            got.add(await(w));
        }
        assertThat(got).hasSize(20).doesNotContainNull();
    }

    @Test
    void waitingReceivesDoNotHoldUpOtherCalls() {
        List<CompletableFuture<?>> waiting = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            waiting.add(cache.popFromQueue("idle", Duration.ofSeconds(30)));
            waiting.add(cache.reliableQueue("idle-jobs").receive(Duration.ofSeconds(30)));
        }
        assertThat(await(cache.setKey("k", "v"))).isTrue();
        assertThat(await(cache.getKey("k"))).isEqualTo("v");
        assertThat(await(cache.pushToQueue("other", "x"))).isEqualTo(1L);
        assertThat(waiting).as("the waits are still running").noneMatch(CompletableFuture::isDone);
        waiting.forEach(w -> w.cancel(false));
    }

    // ------------------------------------------------------------------ acknowledged delivery

    @Test
    void anItemPushedToTheListIsDeliveredAndAcknowledged() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        await(cache.pushToQueue("jobs", "job-1"));
        Delivery d = received(queue, Duration.ZERO);
        assertThat(d.item()).isEqualTo("job-1");
        assertThat(d.attempt()).isEqualTo(1);
        assertThat(d.id()).isNotEmpty();
        assertThat(await(d.ack())).isTrue();
        assertThat(await(d.ack())).as("a second ack").isFalse();
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        assertThat(stored(fullKey(MASTER, "default", "jobs"))).isFalse();
    }

    @Test
    void receiveKeepsTheOrderOfTheList() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        for (int i = 0; i < 5; i++) {
            await(queue.push("job-" + i));
        }
        for (int i = 0; i < 5; i++) {
            assertThat(received(queue, Duration.ZERO).item()).isEqualTo("job-" + i);
        }
    }

    @Test
    void aWaitingReceiveEndsEmptyAfterItsWait() {
        assertThat(await(cache.reliableQueue("jobs").receive(Duration.ofMillis(50)))).isEmpty();
    }

    @Test
    void aWaitingReceiveWakesOnAPushFromAnotherInstance() {
        CompletableFuture<Optional<Delivery>> waiting = cache.reliableQueue("jobs").receive(LONG_WAIT);
        await(newCache().pushToQueue("jobs", "wake"));
        assertThat(await(waiting)).map(Delivery::item).contains("wake");
    }

    @Test
    void cancellingAWaitingReceiveLosesNoItem() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        CompletableFuture<Optional<Delivery>> waiting = queue.receive(LONG_WAIT);
        assertThat(waiting.cancel(false)).isTrue();
        await(queue.push("kept"));
        Delivery d = received(newCache().reliableQueue("jobs"), LONG_WAIT);
        assertThat(d.item()).isEqualTo("kept");
        assertThat(d.attempt()).isEqualTo(1);
    }

    @Test
    void aReturnedItemComesBackWithTheSameIdentityAndTheNextAttempt() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        await(queue.push("job"));
        Delivery first = received(queue, Duration.ZERO);
        assertThat(await(first.retry(Duration.ZERO, "failed once"))).isTrue();
        Delivery second = received(queue, LONG_WAIT);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(await(first.ack())).as("the earlier delivery's ack").isFalse();
        assertThat(await(second.ack())).isTrue();
    }

    @Test
    void anUnacknowledgedItemIsDeliveredAgainToAnotherConsumer() {
        QueueOptions shortVisibility = options().withVisibilityTimeout(Duration.ofMillis(200));
        ReliableQueue dying = cache.reliableQueue("jobs", shortVisibility);
        ReliableQueue other = newCache().reliableQueue("jobs", shortVisibility);
        await(dying.push("job"));
        Delivery lost = received(dying, Duration.ZERO);
        Delivery again = received(other, LONG_WAIT);
        assertThat(again.id()).isEqualTo(lost.id());
        assertThat(again.item()).isEqualTo("job");
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(await(lost.ack())).as("the timed-out delivery's ack").isFalse();
        assertThat(await(lost.extend(Duration.ofMinutes(1)))).isFalse();
        assertThat(await(again.ack())).isTrue();
    }

    @Test
    void anExtendedDeliveryStaysInvisible() throws InterruptedException {
        ReliableQueue queue = cache.reliableQueue("jobs", options().withVisibilityTimeout(Duration.ofMillis(100)));
        await(queue.push("long job"));
        Delivery d = received(queue, Duration.ZERO);
        assertThat(await(d.extend(Duration.ofMinutes(5)))).isTrue();
        Thread.sleep(300); // past the first visibility timeout, far before the extended one
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        assertThat(await(d.ack())).isTrue();
    }

    @Test
    void anItemFailingEveryAttemptBecomesADeadLetterWithItsHistory() {
        ReliableQueue queue = cache.reliableQueue("jobs", options().withMaxAttempts(3));
        await(queue.push("poison"));
        String id = null;
        for (int attempt = 1; attempt <= 3; attempt++) {
            Delivery d = received(queue, LONG_WAIT);
            assertThat(d.attempt()).isEqualTo(attempt);
            id = d.id();
            assertThat(await(d.retry(Duration.ZERO, "boom " + attempt))).isTrue();
        }
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        List<DeadLetter> dead = await(queue.deadLetters(10));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).id()).isEqualTo(id);
        assertThat(dead.get(0).item()).isEqualTo("poison");
        assertThat(dead.get(0).attempts()).isEqualTo(3);
        assertThat(dead.get(0).history()).containsExactly("attempt 1: boom 1", "attempt 2: boom 2", "attempt 3: boom 3");
    }

    @Test
    void anItemWhoseConsumersKeepDyingBecomesADeadLetter() {
        ReliableQueue queue = cache.reliableQueue("jobs",
                options().withMaxAttempts(1).withVisibilityTimeout(Duration.ofMillis(100)));
        await(queue.push("crashes its consumer"));
        received(queue, Duration.ZERO);
        // expired deliveries are examined by the next receive
        eventually().until(() -> await(queue.receive(Duration.ZERO)).isEmpty()
                && !await(queue.deadLetters(10)).isEmpty());
        DeadLetter dead = await(queue.deadLetters(10)).get(0);
        assertThat(dead.item()).isEqualTo("crashes its consumer");
        assertThat(dead.history()).containsExactly("attempt 1: no acknowledgement within the visibility timeout");
    }

    @Test
    void deadLettersCanBeRequeuedAndPurged() {
        ReliableQueue queue = cache.reliableQueue("jobs", options().withMaxAttempts(1));
        for (String item : List.of("a", "b", "c")) {
            await(queue.push(item));
            assertThat(await(received(queue, Duration.ZERO).retry(Duration.ZERO, "no"))).isTrue();
        }
        List<DeadLetter> dead = await(queue.deadLetters(10));
        assertThat(dead).extracting(DeadLetter::item).containsExactly("a", "b", "c");
        assertThat(await(queue.deadLetters(2))).hasSize(2);

        assertThat(await(queue.requeueDeadLetters(dead.get(1).id()))).isEqualTo(1L);
        Delivery again = received(queue, LONG_WAIT);
        assertThat(again.item()).isEqualTo("b");
        assertThat(again.id()).isEqualTo(dead.get(1).id());
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(await(again.ack())).isTrue();

        assertThat(await(queue.purgeDeadLetters(dead.get(0).id()))).isEqualTo(1L);
        assertThat(await(queue.deadLetters(10))).extracting(DeadLetter::item).containsExactly("c");
        assertThat(await(queue.requeueDeadLetters())).isEqualTo(1L);
        assertThat(received(queue, LONG_WAIT).item()).isEqualTo("c");
        assertThat(await(queue.purgeDeadLetters())).isZero();
    }

    @Test
    void purgingEveryDeadLetterLeavesNothingBehind() {
        ReliableQueue queue = cache.reliableQueue("jobs", options().withMaxAttempts(1));
        await(queue.push("x"));
        await(received(queue, Duration.ZERO).retry(Duration.ZERO, "no"));
        assertThat(await(queue.purgeDeadLetters())).isEqualTo(1L);
        assertThat(await(queue.deadLetters(10))).isEmpty();
        QueueKeys keys = QueueKeys.of(fullKey(MASTER, "default", "jobs"));
        for (String key : List.of(keys.list(), keys.staging(), keys.items(), keys.attempts(), keys.history(),
                keys.inflight(), keys.delayed(), keys.dead())) {
            assertThat(stored(key)).as("%s", key).isFalse();
        }
    }

    @Test
    void aDelayedItemIsDeliveredOnlyWhenDue() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        String later = await(queue.push("later", Duration.ofMinutes(10)));
        assertThat(later).isNotEmpty();
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        String soon = await(queue.push("soon", Duration.ofMillis(200)));
        Delivery d = received(queue, LONG_WAIT);
        assertThat(d.item()).isEqualTo("soon");
        assertThat(d.id()).isEqualTo(soon);
        assertThat(await(d.ack())).isTrue();
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
    }

    @Test
    void aRetryWithADelayWaitsForIt() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        await(queue.push("job"));
        await(received(queue, Duration.ZERO).retry(Duration.ofMinutes(10), "later"));
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        await(queue.push("next"));
        assertThat(received(queue, Duration.ZERO).item()).isEqualTo("next");
    }

    @Test
    void concurrentReceiversGetEachItemOnce() {
        ReliableQueue queue = cache.reliableQueue("work");
        int items = 200;
        for (int i = 0; i < items; i++) {
            await(queue.push("item-" + i));
        }
        List<ReliableQueue> receivers = List.of(queue, newCache().reliableQueue("work"), newCache().reliableQueue("work"));
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        List<CompletableFuture<Void>> loops = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ReliableQueue r = receivers.get(i % receivers.size());
            loops.add(CompletableFuture.runAsync(() -> {
                for (Optional<Delivery> d = await(r.receive(Duration.ZERO)); d.isPresent();
                        d = await(r.receive(Duration.ZERO))) {
                    if (!seen.add(d.get().item())) {
                        duplicates.incrementAndGet();
                    }
                    assertThat(await(d.get().ack())).isTrue();
                }
            }));
        }
        loops.forEach(CacheContract::await);
        assertThat(duplicates).hasValue(0);
        assertThat(seen).hasSize(items);
    }

    @Test
    void queuesOfTenantsAndNamespacesAreApart() {
        ReliableQueue acme = cache.forTenant("acme").reliableQueue("jobs");
        ReliableQueue globex = cache.forTenant("globex").reliableQueue("jobs");
        ReliableQueue acmeOther = cache.forTenant("acme").reliableQueue("jobs", options().withNamespace("other"));
        await(acme.push("for acme"));
        await(acme.push("delayed for acme", Duration.ZERO));
        assertThat(await(globex.receive(Duration.ZERO))).isEmpty();
        assertThat(await(acmeOther.receive(Duration.ZERO))).isEmpty();
        assertThat(await(cache.forTenant("acme").popFromQueue("jobs"))).isEqualTo("for acme");
        assertThat(received(acme, Duration.ZERO).item()).isEqualTo("delayed for acme");
    }

    @Test
    void badInputIsRejectedBeforeAnythingIsWritten() {
        assertNothingWritten(() -> cache.reliableQueue("a:b"));
        assertNothingWritten(() -> cache.reliableQueue(""));
        assertNothingWritten(() -> cache.reliableQueue("q{x}"));
        assertNothingWritten(() -> cache.reliableQueue("q", null));
        assertNothingWritten(() -> cache.popFromQueue("q", Duration.ofMillis(-1)));
        assertNothingWritten(() -> cache.popFromQueue("q", (Duration) null));
        assertNothingWritten(() -> cache.popFromQueue("q:x", Duration.ofMillis(1)));
        ReliableQueue queue = cache.reliableQueue("jobs");
        assertNothingWritten(() -> queue.push(null));
        assertNothingWritten(() -> queue.push("x", Duration.ofMillis(-1)));
        assertNothingWritten(() -> queue.receive(Duration.ofMillis(-1)));
        assertNothingWritten(() -> queue.deadLetters(0));
        assertNothingWritten(() -> queue.requeueDeadLetters((String) null));
        assertThatThrownBy(() -> options().withMaxAttempts(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxAttempts").hasMessageContaining("0");
        assertThatThrownBy(() -> options().withVisibilityTimeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("visibilityTimeout");
        assertThatThrownBy(() -> cache.reliableQueue("q{x}")).hasMessageContaining("q{x}");
        await(queue.push("x"));
        Delivery d = received(queue, Duration.ZERO);
        assertThatThrownBy(() -> d.retry(Duration.ofMillis(-5), "r")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delay");
        assertThatThrownBy(() -> d.extend(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("visibility");
    }

    // ------------------------------------------------------------------ the worker

    @Test
    void aWorkerAcknowledgesWhatItsHandlerCompletes() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        Set<String> done = ConcurrentHashMap.newKeySet();
        try (QueueWorker worker = queue.consume(d -> done.add(d.item()), WorkerOptions.defaults().withConcurrency(4))) {
            for (int i = 0; i < 50; i++) {
                await(newCache().pushToQueue("jobs", "job-" + i));
            }
            eventually().until(() -> done.size() == 50 && worker.inFlight() == 0);
        }
        assertThat(await(queue.receive(Duration.ZERO))).isEmpty();
        assertThat(stored(QueueKeys.of(fullKey(MASTER, "default", "jobs")).items())).isFalse();
    }

    @Test
    void aWorkerRetriesFailuresWithBackoffUntilTheDeadLetters() {
        ReliableQueue queue = cache.reliableQueue("jobs", options().withMaxAttempts(3));
        AtomicInteger calls = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(2);
        WorkerOptions fast = WorkerOptions.defaults().withExecutor(executor)
                .withRetryBackoff(Duration.ofMillis(10), Duration.ofMillis(40));
        try (QueueWorker worker = queue.consume(d -> {
            calls.incrementAndGet();
            throw new IllegalStateException("always fails (attempt " + d.attempt() + ")");
        }, fast)) {
            await(queue.push("poison"));
            eventually().until(() -> !await(queue.deadLetters(1)).isEmpty());
        } finally {
            executor.shutdownNow();
        }
        assertThat(calls).hasValue(3);
        DeadLetter dead = await(queue.deadLetters(1)).get(0);
        assertThat(dead.history()).hasSize(3);
        assertThat(dead.history().get(2)).startsWith("attempt 3: java.lang.IllegalStateException: always fails (attempt 3)");
    }

    @Test
    void aWorkerExtendsALongJobAndClosesGracefully() {
        Duration visibility = Duration.ofSeconds(1);
        ReliableQueue queue = cache.reliableQueue("jobs", options().withVisibilityTimeout(visibility));
        CompletableFuture<Void> release = new CompletableFuture<>();
        AtomicInteger started = new AtomicInteger();
        QueueWorker worker = queue.consume(d -> {
            started.incrementAndGet();
            release.get();
        }, WorkerOptions.defaults().withConcurrency(1).withShutdownTimeout(Duration.ofSeconds(10)));
        await(queue.push("long"));
        eventually().until(() -> started.get() == 1);
        ReliableQueue other = newCache().reliableQueue("jobs", options().withVisibilityTimeout(visibility));
        // several visibility timeouts pass while the job runs: the extensions keep it from others
        for (int i = 0; i < 3; i++) {
            assertThat(await(other.receive(visibility))).isEmpty();
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(worker::close);
        release.complete(null);
        await(closing);
        assertThat(started).hasValue(1);
        assertThat(await(other.receive(Duration.ZERO))).as("the finished job was acknowledged").isEmpty();
    }

    @Test
    void closingAWorkerGivesBackJobsThatDoNotFinish() {
        ReliableQueue queue = cache.reliableQueue("jobs");
        AtomicInteger started = new AtomicInteger();
        QueueWorker worker = queue.consume(d -> {
            started.incrementAndGet();
            Thread.sleep(Long.MAX_VALUE);
        }, WorkerOptions.defaults().withConcurrency(1).withShutdownTimeout(Duration.ZERO));
        await(queue.push("stuck"));
        eventually().until(() -> started.get() == 1);
        worker.close();
        Delivery d = received(newCache().reliableQueue("jobs"), LONG_WAIT);
        assertThat(d.item()).isEqualTo("stuck");
        assertThat(d.attempt()).as("the given-back delivery is not counted").isEqualTo(1);
    }

    /** The backend-independent check that a cache bound to a closed runtime refuses queue calls. */
    @Test
    void aClosedCacheRefusesQueueCalls() {
        BrickworksCache other = newCache();
        ReliableQueue queue = other.reliableQueue("jobs");
        other.close();
        assertThatThrownBy(() -> queue.receive(Duration.ZERO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> other.popFromQueue("q", Duration.ofMillis(5))).isInstanceOf(IllegalStateException.class);
    }
}
