package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.PushOptions;
import io.brickworks.cache.queue.Pushed;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueStatus;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The job features of acknowledged queues (issue 24): the concurrency and rate limits across
 * replicas, pause and resume, heartbeats with progress, the negative acknowledgement that
 * dead-letters at once, the queue's status, and the back-off's jitter. The limits are checked by
 * receivers of two independent instances (two replicas) racing for the same queue; each limit has a
 * negative control in this class showing that the same harness counts more deliveries without it.
 */
public abstract class QueueJobsContract extends CacheContract {

    private static Optional<Delivery> tryReceive(ReliableQueue queue) {
        return await(queue.receive(Duration.ZERO));
    }

    /**
     * Pushes {@code items} items, then lets receivers of two instances, alternating, take what they
     * can without acknowledging anything; returns how many deliveries they got in all.
     */
    private int deliveriesWithoutAcks(QueueOptions options, int items, List<Delivery> taken) {
        BrickworksCache replica = newCache();
        ReliableQueue mine = cache.reliableQueue("limited", options);
        ReliableQueue theirs = replica.reliableQueue("limited", options.withConsumerName("replica-2"));
        for (int i = 0; i < items; i++) {
            await(mine.push("job-" + i));
        }
        for (int round = 0; round < items; round++) {
            tryReceive(round % 2 == 0 ? mine : theirs).ifPresent(taken::add);
        }
        return taken.size();
    }

    @Test
    void theConcurrencyLimitHoldsOverAllReplicas() {
        QueueOptions limited = QueueOptions.defaults().withConcurrencyLimit(3);
        List<Delivery> taken = new ArrayList<>();
        assertThat(deliveriesWithoutAcks(limited, 10, taken)).isEqualTo(3);
        ReliableQueue queue = cache.reliableQueue("limited", limited);
        assertThat(tryReceive(queue)).as("at the limit").isEmpty();
        assertThat(await(taken.get(0).ack())).isTrue();
        assertThat(tryReceive(queue)).as("a slot was freed").isPresent();
        assertThat(tryReceive(queue)).as("at the limit again").isEmpty();
    }

    @Test
    void negativeControlWithoutTheConcurrencyLimitTheHarnessCountsMore() {
        assertThat(deliveriesWithoutAcks(QueueOptions.defaults(), 10, new ArrayList<>())).isEqualTo(10);
    }

    @Test
    void aDeadConsumerKeepsItsSlotUntilItsVisibilityTimeoutThenItsJobIsDeliveredAgain() {
        QueueOptions limited = QueueOptions.defaults().withConcurrencyLimit(1)
                .withVisibilityTimeout(Duration.ofMillis(200));
        List<Delivery> taken = new ArrayList<>();
        // whoever received it never acknowledges (a consumer that died holding it)
        assertThat(deliveriesWithoutAcks(limited, 2, taken)).isEqualTo(1);
        ReliableQueue queue = cache.reliableQueue("limited", limited);
        Delivery again = await(queue.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(again.id()).as("the dead consumer's job, not a new one").isEqualTo(taken.get(0).id());
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(tryReceive(queue)).as("still one in flight").isEmpty();
        assertThat(await(again.ack())).isTrue();
        assertThat(await(queue.receive(Duration.ofSeconds(5)))).isPresent();
    }

    @Test
    void theRateLimitHoldsOverAllReplicas() {
        List<Delivery> taken = new ArrayList<>();
        int got = deliveriesWithoutAcks(QueueOptions.defaults().withRateLimit(4), 10, taken);
        // a window may have ended during the rounds, letting through one more window's worth
        assertThat(got).isBetween(4, 8);
        ReliableQueue queue = cache.reliableQueue("limited", QueueOptions.defaults().withRateLimit(4));
        assertThat(await(queue.receive(Duration.ofSeconds(5)))).as("the next window").isPresent();
    }

    @Test
    void negativeControlWithoutTheRateLimitTheHarnessCountsMore() {
        assertThat(deliveriesWithoutAcks(QueueOptions.defaults(), 10, new ArrayList<>())).isGreaterThan(8);
    }

    @Test
    void aPausedQueueDeliversNothingToAnyReplicaUntilResumed() {
        ReliableQueue queue = cache.reliableQueue("pausable");
        ReliableQueue replica = newCache().reliableQueue("pausable");
        await(queue.push("held before"));
        Delivery inFlight = tryReceive(queue).orElseThrow();
        await(queue.push("waiting"));
        assertThat(await(replica.pause())).isTrue();
        assertThat(await(queue.pause())).as("already paused").isFalse();
        assertThat(tryReceive(queue)).isEmpty();
        assertThat(await(replica.receive(Duration.ofMillis(300)))).isEmpty();
        assertThat(await(queue.status(10)).paused()).isTrue();
        assertThat(await(inFlight.ack())).as("deliveries in flight are unaffected").isTrue();
        var waiting = queue.receive(Duration.ofSeconds(10));
        assertThat(await(replica.resume())).isTrue();
        assertThat(await(waiting)).map(Delivery::item).contains("waiting");
        assertThat(await(queue.resume())).as("already running").isFalse();
    }

    @Test
    void aHeartbeatReportsProgressAndKeepsTheDeliveryItsConsumers() {
        ReliableQueue queue = cache.reliableQueue("long", QueueOptions.defaults().withConsumerName("worker-7"));
        await(queue.push("report"));
        Delivery d = tryReceive(queue).orElseThrow();
        assertThat(await(d.heartbeat("40%\nhalf"))).isTrue();
        QueueStatus status = await(queue.status(10));
        assertThat(status.inFlightCount()).isEqualTo(1);
        QueueStatus.InFlightJob job = status.inFlight().get(0);
        assertThat(job.id()).isEqualTo(d.id());
        assertThat(job.consumer()).isEqualTo("worker-7");
        assertThat(job.attempt()).isEqualTo(1);
        assertThat(job.progress()).isEqualTo("40% half");
        assertThat(job.age().isNegative()).isFalse();
        assertThat(job.visibleIn()).isPositive();
        assertThat(await(d.ack())).isTrue();
        assertThat(await(d.heartbeat("late"))).as("after the ack").isFalse();
        assertThat(await(queue.status(10)).inFlight()).isEmpty();
        assertThatThrownBy(() -> d.heartbeat("x".repeat(201))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("progress");
    }

    @Test
    void aNegativeAcknowledgementDeadLettersAtOnceWithItsReason() {
        ReliableQueue queue = cache.reliableQueue("nack", QueueOptions.defaults().withMaxAttempts(5));
        await(queue.push("poison"));
        Delivery d = tryReceive(queue).orElseThrow();
        assertThat(await(d.deadLetter("bad input: no such user"))).isTrue();
        assertThat(await(d.ack())).isFalse();
        List<DeadLetter> dead = await(queue.deadLetters(10));
        assertThat(dead).hasSize(1);
        assertThat(dead.get(0).item()).isEqualTo("poison");
        assertThat(dead.get(0).history()).containsExactly("attempt 1: bad input: no such user");
        QueueStatus status = await(queue.status(10));
        assertThat(status.deadLetterCount()).isEqualTo(1);
        assertThat(status.deadLetters().get(0).history()).containsExactly("attempt 1: bad input: no such user");
    }

    @Test
    void theStatusCountsWaitingDelayedInFlightAndDeadItems() {
        ReliableQueue queue = cache.reliableQueue("counted", QueueOptions.defaults().withMaxAttempts(1));
        for (int i = 0; i < 4; i++) {
            await(queue.push("job-" + i));
        }
        await(queue.push("latest", Duration.ofHours(2)));
        String later = await(queue.push("later", Duration.ofHours(1)));
        Delivery a = tryReceive(queue).orElseThrow();
        Delivery b = tryReceive(queue).orElseThrow();
        assertThat(await(b.retry(Duration.ZERO, "fails"))).isTrue();
        QueueStatus status = await(queue.status(1));
        assertThat(status.waiting()).isEqualTo(2);
        assertThat(status.delayed()).isEqualTo(2);
        assertThat(status.delayedJobs()).as("the first due first, at most the limit")
                .extracting(QueueStatus.DelayedJob::id).containsExactly(later);
        assertThat(status.delayedJobs().get(0).dueIn()).isPositive().isLessThanOrEqualTo(Duration.ofHours(1));
        assertThat(await(queue.status(10)).delayedJobs()).hasSize(2);
        assertThat(status.inFlightCount()).isEqualTo(1);
        assertThat(status.inFlight()).extracting(QueueStatus.InFlightJob::id).containsExactly(a.id());
        assertThat(status.deadLetterCount()).isEqualTo(1);
        assertThat(status.paused()).isFalse();
        assertThatThrownBy(() -> queue.status(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    // ------------------------------------------------------------------ deduplication

    /** Twenty pushes of one job from two replicas at once; returns how many were added. */
    private long concurrentPushesAdded(PushOptions options) {
        ReliableQueue mine = cache.reliableQueue("dedup");
        ReliableQueue theirs = newCache().reliableQueue("dedup");
        List<CompletableFuture<Pushed>> pushes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ReliableQueue replica = i % 2 == 0 ? mine : theirs;
            pushes.add(CompletableFuture.supplyAsync(() -> replica.push("invoice 17", options)).thenCompose(f -> f));
        }
        long added = pushes.stream().map(CacheContract::await).filter(p -> !p.duplicate()).count();
        assertThat(await(mine.status(100)).waiting()).isEqualTo(added);
        return added;
    }

    @Test
    void concurrentPushesOfOneJobFromTwoReplicasAddItOnce() {
        assertThat(concurrentPushesAdded(PushOptions.defaults().withJobId("invoice-17"))).isEqualTo(1);
    }

    @Test
    void negativeControlWithoutAJobIdTheHarnessCountsEveryPush() {
        assertThat(concurrentPushesAdded(PushOptions.defaults())).isEqualTo(20);
    }

    @Test
    void aJobIdIsHeldWhileItsJobIsWaitingDelayedInFlightOrDeadThenReleased() {
        ReliableQueue queue = cache.reliableQueue("dedup", QueueOptions.defaults().withMaxAttempts(1));
        PushOptions job = PushOptions.defaults().withJobId("report:2026-12");
        Pushed first = await(queue.push("report", job));
        assertThat(first.duplicate()).isFalse();
        assertThat(await(queue.push("report again", job))).as("waiting").isEqualTo(new Pushed(first.id(), true));
        Delivery d = tryReceive(queue).orElseThrow();
        assertThat(d.item()).isEqualTo("report");
        assertThat(await(queue.push("report again", job)).duplicate()).as("in flight").isTrue();
        assertThat(await(d.retry(Duration.ZERO, "fails"))).isTrue();
        assertThat(await(queue.push("report again", job)).duplicate()).as("a dead letter").isTrue();
        assertThat(await(queue.purgeDeadLetters())).isEqualTo(1);
        Pushed second = await(queue.push("report, second run", job.withDelay(Duration.ofMillis(1))));
        assertThat(second.duplicate()).as("purged: released").isFalse();
        Delivery again = await(queue.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(again.item()).isEqualTo("report, second run");
        assertThat(await(again.ack())).isTrue();
        assertThat(await(queue.push("report, third run", job)).duplicate()).as("acknowledged: released").isFalse();
    }

    @Test
    void aDeduplicationWindowHoldsTheJobIdAfterItsAck() {
        ReliableQueue queue = cache.reliableQueue("window", QueueOptions.defaults()
                .withDeduplicationWindow(Duration.ofHours(1)));
        PushOptions job = PushOptions.defaults().withJobId("mail:welcome:ada");
        await(queue.push("welcome ada", job));
        assertThat(await(tryReceive(queue).orElseThrow().ack())).isTrue();
        assertThat(await(queue.push("welcome ada", job))).isEqualTo(new Pushed("", true));
        assertThat(await(queue.push("welcome bob", PushOptions.defaults().withJobId("mail:welcome:bob")))
                .duplicate()).isFalse();
    }

    // ------------------------------------------------------------------ priorities

    private List<String> receivedOrder(ReliableQueue queue, int n) {
        List<String> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Delivery d = tryReceive(queue).orElseThrow();
            order.add(d.item());
            await(d.ack());
        }
        return order;
    }

    @Test
    void higherPrioritiesAreReceivedFirstFifoWithinALevelPlainPushesLast() {
        ReliableQueue queue = cache.reliableQueue("prio");
        await(cache.pushToQueue("prio", "plain-1"));
        await(queue.push("low-1", PushOptions.defaults().withPriority(1)));
        await(queue.push("high-1", PushOptions.defaults().withPriority(3)));
        await(queue.push("low-2", PushOptions.defaults().withPriority(1)));
        await(queue.push("mid-1", PushOptions.defaults().withPriority(2)));
        await(queue.push("high-2", PushOptions.defaults().withPriority(3)));
        await(queue.push("plain-2"));
        assertThat(await(cache.popFromQueue("prio"))).as("the original's list keeps plain items only")
                .isEqualTo("plain-1");
        await(cache.pushToQueue("prio", "plain-1"));
        assertThat(await(queue.status(10)).waiting()).isEqualTo(7);
        assertThat(receivedOrder(queue, 7))
                .containsExactly("high-1", "high-2", "mid-1", "low-1", "low-2", "plain-2", "plain-1");
    }

    @Test
    void badPushOptionsAreRejectedBeforeAnythingIsWritten() {
        ReliableQueue queue = cache.reliableQueue("prio");
        assertThatThrownBy(() -> PushOptions.defaults().withPriority(4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("priority").hasMessageContaining("4");
        assertThatThrownBy(() -> PushOptions.defaults().withPriority(2).withDelay(Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exclude");
        assertThatThrownBy(() -> PushOptions.defaults().withJobId("")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobId");
        assertNothingWritten(() -> queue.push("x", (PushOptions) null));
        assertNothingWritten(() -> queue.push(null, PushOptions.defaults()));
    }

    @Test
    void badLimitsAndNamesAreRejected() {
        assertThatThrownBy(() -> QueueOptions.defaults().withConcurrencyLimit(-1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("concurrencyLimit")
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> QueueOptions.defaults().withRateLimit(-2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rateLimit").hasMessageContaining("-2");
        assertThatThrownBy(() -> QueueOptions.defaults().withConsumerName(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consumerName");
        assertThatThrownBy(() -> WorkerOptions.defaults().withRetryJitter(1.5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retryJitter")
                .hasMessageContaining("1.5");
    }

    @Test
    void theBackoffIsCappedAndJitteredWithinItsShare() {
        WorkerOptions options = WorkerOptions.defaults().withRetryBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
                .withRetryJitter(0.5);
        for (int i = 0; i < 100; i++) {
            assertThat(options.backoffAfter(1)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(options.backoffAfter(3)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(options.backoffAfter(30)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
        WorkerOptions fixed = WorkerOptions.defaults().withRetryBackoff(Duration.ofMillis(70), Duration.ofMillis(70));
        assertThat(fixed.backoffAfter(1)).isEqualTo(fixed.backoffAfter(9)).isEqualTo(Duration.ofMillis(70));
    }
}
