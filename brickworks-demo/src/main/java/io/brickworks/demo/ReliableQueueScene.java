package io.brickworks.demo;

import io.brickworks.cache.queue.DeadLetter;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.PushOptions;
import io.brickworks.cache.queue.Pushed;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.QueueWorker;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.queue.WorkerOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The acknowledged queue scene: a replica receives a job and dies before acknowledging it; the job
 * is delivered again to another replica's worker, with the same identity; a job that fails once is
 * retried with back-off and succeeds; a job pushed twice with one job id (by two replicas) is
 * queued once; a job that always fails ends in the dead letters with its history.
 */
final class ReliableQueueScene {

    static final String QUEUE = "emails";
    private static final QueueOptions OPTIONS = QueueOptions.defaults().withNamespace("demo")
            .withVisibilityTimeout(Duration.ofSeconds(1)).withMaxAttempts(3);

    private ReliableQueueScene() {
    }

    /** Removes what an earlier run left in a shared Redis. */
    static void clean(Demo.Replica replica) {
        ReliableQueue queue = replica.cache().reliableQueue(QUEUE, OPTIONS);
        Out.join(queue.purgeDeadLetters());
        for (var d = Out.join(queue.receive(Duration.ZERO)); d.isPresent(); d = Out.join(queue.receive(Duration.ZERO))) {
            Out.join(d.get().ack());
        }
    }

    /**
     * @param closeCrashed whether the crashed replica's cache is closed (its connection gone, as with
     *     SIGKILL); not when the replicas share one in-process cache
     */
    static void run(List<Demo.Replica> replicas, boolean closeCrashed) throws Exception {
        Out.scene("8. A replica dies in the middle of a job; the queue delivers the job to another replica");
        Demo.Replica producer = replicas.get(0);
        Demo.Replica heir = replicas.get(1);
        Demo.Replica doomed = replicas.get(2);
        Out.join(producer.cache().pushToQueue(QUEUE, "welcome-email:ada", "demo"));
        Out.line("  [" + producer.name() + "] pushed welcome-email:ada to queue 'emails' (a plain RPUSH, as the Python original does)");

        Delivery taken = Out.join(doomed.cache().reliableQueue(QUEUE, OPTIONS).receive(Duration.ZERO)).orElseThrow();
        Out.line(String.format("  [%s] received %s (id %s, attempt %d) ... and is killed before acknowledging it",
                doomed.name(), taken.item(), taken.id(), taken.attempt()));
        if (closeCrashed) {
            doomed.cache().close();
        }

        CompletableFuture<Delivery> redelivered = new CompletableFuture<>();
        ReliableQueue queue = heir.cache().reliableQueue(QUEUE, OPTIONS);
        long t0 = System.nanoTime();
        WorkerOptions workerOptions = WorkerOptions.defaults().withConcurrency(2)
                .withRetryBackoff(Duration.ofMillis(50), Duration.ofMillis(200));
        CompletableFuture<Delivery> retried = new CompletableFuture<>();
        CompletableFuture<Delivery> receipt = new CompletableFuture<>();
        try (QueueWorker worker = queue.consume(d -> {
            if (d.item().startsWith("bounce")) {
                throw new IllegalStateException("mailbox " + d.item().substring("bounce:".length()) + " does not exist");
            }
            if (d.item().startsWith("flaky") && d.attempt() == 1) {
                throw new IllegalStateException("smtp 451: try again later");
            }
            (d.item().startsWith("flaky") ? retried : d.item().startsWith("receipt") ? receipt : redelivered).complete(d);
        }, workerOptions)) {
            Delivery again = redelivered.get(10, TimeUnit.SECONDS);
            Out.line(String.format("  [%s] worker sent %s after %.0f ms (id %s, attempt %d): delivered again to %s, same id",
                    heir.name(), again.item(), (System.nanoTime() - t0) / 1e6, again.id(), again.attempt(), heir.name()));

            Out.join(producer.cache().pushToQueue(QUEUE, "flaky:grace", "demo"));
            Delivery second = retried.get(10, TimeUnit.SECONDS);
            Out.line(String.format("  [%s] flaky:grace failed once (smtp 451), was retried after its back-off and sent on attempt %d",
                    heir.name(), second.attempt()));

            // paused, so that both pushes come while the job is waiting (an ack would release its job id)
            Out.join(queue.pause());
            PushOptions job = PushOptions.defaults().withJobId("receipt:order-42");
            Pushed first = Out.join(producer.cache().reliableQueue(QUEUE, OPTIONS).push("receipt:order-42", job));
            Pushed twice = Out.join(heir.cache().reliableQueue(QUEUE, OPTIONS).push("receipt:order-42", job));
            Out.join(queue.resume());
            Out.line(String.format("  [%s] pushed receipt:order-42 with job id receipt:order-42 (id %s); [%s] pushed it again: "
                    + "duplicate=%s, same id %s", producer.name(), first.id(), heir.name(), twice.duplicate(), twice.id()));
            Out.line(String.format("  [%s] worker sent %s once (id %s)", heir.name(),
                    receipt.get(10, TimeUnit.SECONDS).item(), first.id()));

            Out.join(producer.cache().pushToQueue(QUEUE, "bounce:nobody@example.com", "demo"));
            Out.line("  [" + producer.name() + "] pushed bounce:nobody@example.com (its handler always fails)");
            List<DeadLetter> dead = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (dead.isEmpty() && System.nanoTime() < deadline) {
                Demo.sleepQuietly(20);
                dead = Out.join(queue.deadLetters(10));
            }
            for (DeadLetter letter : dead) {
                Out.line(String.format("  dead letter %s after %d attempts:", letter.item(), letter.attempts()));
                letter.history().forEach(line -> Out.line("    " + line));
            }
            Out.join(queue.purgeDeadLetters());
        }
    }
}
