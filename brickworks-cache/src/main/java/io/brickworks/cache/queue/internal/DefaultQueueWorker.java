package io.brickworks.cache.queue.internal;

import io.brickworks.cache.internal.Names;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueHandler;
import io.brickworks.cache.queue.QueueWorker;
import io.brickworks.cache.queue.WorkerOptions;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer loop: {@code concurrency} independent slots, each receiving one delivery, handling
 * it on the executor, settling it, and receiving again. See {@link QueueWorker} for the contract.
 */
final class DefaultQueueWorker implements QueueWorker {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultQueueWorker.class);
    private static final AtomicInteger POOLS = new AtomicInteger();

    /** How long one receive of a slot waits before it looks again (cancelled on close). */
    static final Duration RECEIVE_WAIT = Duration.ofSeconds(5);
    /** The pause of a slot after the store could not be reached. */
    static final Duration FAULT_PAUSE = Duration.ofMillis(250);

    private final DefaultReliableQueue queue;
    private final QueueHandler handler;
    private final WorkerOptions options;
    private final Executor executor;
    /** The worker's own pool, or null when the application gave an executor. */
    private final ExecutorService ownPool;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Set<CompletableFuture<Optional<Delivery>>> receiving = ConcurrentHashMap.newKeySet();
    private final Set<Job> jobs = ConcurrentHashMap.newKeySet();
    private final Object settled = new Object();

    DefaultQueueWorker(DefaultReliableQueue queue, QueueHandler handler, WorkerOptions options) {
        this.queue = queue;
        this.handler = handler;
        this.options = options;
        if (options.executor() != null) {
            this.executor = options.executor();
            this.ownPool = null;
        } else {
            String prefix = "brickworks-queue-" + queue.name() + "-" + POOLS.incrementAndGet() + "-";
            AtomicInteger threads = new AtomicInteger();
            this.ownPool = Executors.newFixedThreadPool(options.concurrency(), task -> {
                Thread t = new Thread(task, prefix + threads.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.executor = ownPool;
        }
        for (int i = 0; i < options.concurrency(); i++) {
            receiveNext();
        }
    }

    @Override
    public int inFlight() {
        return inFlight.get();
    }

    private void receiveNext() {
        if (!running.get()) {
            return;
        }
        CompletableFuture<Optional<Delivery>> next;
        try {
            next = queue.receive(RECEIVE_WAIT);
        } catch (IllegalStateException closedCache) {
            running.set(false);
            return;
        }
        receiving.add(next);
        next.whenComplete((delivery, error) -> {
            receiving.remove(next);
            if (error != null) {
                if (running.get() && !next.isCancelled()) {
                    LOG.warn("Receiving from queue {} failed; trying again in {} ms: {}", Names.show(queue.name()),
                            FAULT_PAUSE.toMillis(), error.toString());
                    pause();
                }
            } else if (delivery.isPresent()) {
                handle((DefaultDelivery) delivery.get());
            } else {
                receiveNext();
            }
        });
        if (!running.get()) {
            next.cancel(false);
        }
    }

    private void pause() {
        try {
            queue.scheduler().schedule(this::receiveNext, FAULT_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RuntimeException closed) {
            running.set(false);
        }
    }

    /** One delivery being handled. */
    private final class Job implements Runnable {
        final DefaultDelivery delivery;
        final AtomicBoolean finished = new AtomicBoolean();
        volatile ScheduledFuture<?> extension;
        volatile Future<?> task;

        Job(DefaultDelivery delivery) {
            this.delivery = delivery;
        }

        @Override
        public void run() {
            Throwable failure = null;
            try {
                handler.handle(delivery);
            } catch (Throwable t) {
                failure = t;
            }
            if (!finished.compareAndSet(false, true)) {
                return; // given back by close()
            }
            stopExtending();
            CompletableFuture<Boolean> settlement;
            try {
                if (failure == null) {
                    settlement = delivery.ack();
                } else {
                    Duration backoff = options.backoffAfter(delivery.attempt());
                    settlement = delivery.retry(backoff, failure.toString());
                }
            } catch (RuntimeException closedCache) {
                settlement = CompletableFuture.failedFuture(closedCache);
            }
            settlement.whenComplete((held, error) -> {
                if (error != null) {
                    LOG.warn("Settling {} failed (it is delivered again after its visibility timeout): {}", delivery,
                            error.toString());
                }
                done(this);
                receiveNext();
            });
        }

        void stopExtending() {
            ScheduledFuture<?> e = extension;
            if (e != null) {
                e.cancel(false);
            }
        }
    }

    private void handle(DefaultDelivery delivery) {
        Job job = new Job(delivery);
        inFlight.incrementAndGet();
        jobs.add(job);
        Duration visibility = queue.options().visibilityTimeout();
        long every = Math.max(1, visibility.toMillis() / 3);
        try {
            job.extension = queue.scheduler().scheduleAtFixedRate(() -> delivery.extend(visibility), every, every,
                    TimeUnit.MILLISECONDS);
            if (ownPool != null) {
                job.task = ownPool.submit(job);
            } else {
                executor.execute(job);
            }
        } catch (RuntimeException rejected) {
            if (job.finished.compareAndSet(false, true)) {
                job.stopExtending();
                delivery.giveBack("worker could not run the job: " + rejected).whenComplete((h, e) -> done(job));
            }
        }
    }

    private void done(Job job) {
        jobs.remove(job);
        inFlight.decrementAndGet();
        synchronized (settled) {
            settled.notifyAll();
        }
    }

    @Override
    public void close() {
        if (!running.compareAndSet(true, false)) {
            return;
        }
        for (CompletableFuture<Optional<Delivery>> r : receiving) {
            r.cancel(false);
        }
        long deadline = System.nanoTime() + options.shutdownTimeout().toNanos();
        synchronized (settled) {
            while (inFlight.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(settled, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        for (Job job : jobs) {
            if (job.finished.compareAndSet(false, true)) {
                job.stopExtending();
                Future<?> task = job.task;
                if (task != null) {
                    task.cancel(true);
                }
                try {
                    job.delivery.giveBack("worker closed before the job finished").get(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    LOG.warn("Could not give back {} on close (it is delivered again after its visibility timeout): {}",
                            job.delivery, e.toString());
                }
                done(job);
            }
        }
        if (ownPool != null) {
            ownPool.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "QueueWorker{" + queue + ", inFlight=" + inFlight.get() + "}";
    }
}
