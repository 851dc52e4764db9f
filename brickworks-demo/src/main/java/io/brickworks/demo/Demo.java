package io.brickworks.demo;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.db.Db;
import io.brickworks.db.DbSettings;
import io.brickworks.tx.TransactionalCache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The main job: a small service running as three replicas (threads here) that uses every feature of
 * the cache, printed as readable lines with measured times. Runs on the embedded memory backend by
 * default, on Redis with {@code USE_REDIS=1} (and {@code REDIS_HOST}, {@code REDIS_PORT}, ...).
 *
 * <p>On Redis every replica has its own cache instance (its own connection), as separate processes
 * would. On the memory backend the replicas share one instance, because a memory cache is not shared
 * between instances: that is exactly why production uses Redis.
 */
public final class Demo {

    private final CacheSettings settings;
    private final List<Replica> replicas = new ArrayList<>();
    private final BrickworksCache shared;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    });

    Demo(CacheSettings settings) {
        this.settings = settings;
        this.shared = settings.useRedis() ? null : BrickworksCache.builder().settings(settings).build();
        for (int i = 1; i <= 3; i++) {
            BrickworksCache cache = shared != null ? shared : BrickworksCache.builder().settings(settings).build();
            replicas.add(new Replica("replica-" + i, cache));
        }
    }

    public static void main(String[] args) throws Exception {
        CacheSettings settings = CacheSettings.fromEnvironment();
        Out.title("Brickworks Cache for Java: demo");
        Out.line("backend: " + (settings.useRedis() ? "Redis at " + settings.redisAddress() : "embedded memory (this process only)"));
        Out.line("replicas: replica-1, replica-2, replica-3 (threads; each would be a pod behind a load balancer)");
        long start = System.nanoTime();
        Demo demo = new Demo(settings);
        try {
            demo.run();
        } finally {
            demo.close();
        }
        Out.title(String.format("done in %.0f ms", (System.nanoTime() - start) / 1e6));
    }

    void run() throws Exception {
        Replica r1 = replicas.get(0);
        clean(r1.cache());
        entriesAndExpiry();
        queueHandOff();
        lockSendsOnce();
        indexInvalidation();
        tenantIsolation();
        FunctionCacheScene.run(replicas, pool);
        postCommit();
        ReliableQueueScene.run(replicas, shared == null);
        lockTakeover();
    }

    /** Removes what an earlier run left in a shared Redis (demo keys live in demo namespaces only). */
    private void clean(BrickworksCache cache) {
        for (String tenant : List.of("acme", "globex")) {
            Out.join(cache.forTenant(tenant).deleteKey("greeting", "demo"));
        }
        Out.join(cache.deleteKeysByIndex("catalog", "demo"));
        while (Out.join(cache.popFromQueue("thumbnails", "demo")) != null) {
            // drain
        }
        Out.join(cache.releaseDistributedLock("notify-order-42"));
        Out.join(cache.functions().cacheClear(FunctionCacheScene.NAME));
        Out.join(cache.deleteKey("user-7", "demo"));
        ReliableQueueScene.clean(replicas.get(0));
    }

    private void entriesAndExpiry() throws InterruptedException {
        Out.scene("1. Entries are cached, shared between replicas, and expire");
        Replica writer = replicas.get(0);
        Replica reader = replicas.get(1);
        Out.timed(writer, "setKey session-7 (expires in 400 ms)",
                () -> writer.cache().setKey("session-7", "{\"user\":\"ada\"}",
                        SetOptions.options().namespace("demo").expire(Duration.ofMillis(400))));
        Out.timed(reader, "getKey session-7", () -> reader.cache().getKey("session-7", "demo"));
        Out.timed(reader, "setKey session-7 ifAbsent (someone else was first)",
                () -> reader.cache().setKey("session-7", "other", SetOptions.options().namespace("demo").ifAbsent()));
        Thread.sleep(500);
        Out.timed(reader, "getKey session-7 after 500 ms", () -> reader.cache().getKey("session-7", "demo"));
    }

    private void queueHandOff() throws Exception {
        Out.scene("2. A queue hands work from one replica to the others (FIFO, each job once)");
        Replica producer = replicas.get(0);
        for (int i = 1; i <= 6; i++) {
            Out.join(producer.cache().pushToQueue("thumbnails", "image-" + i + ".png", "demo"));
        }
        Out.line(producer.name() + " pushed image-1.png .. image-6.png to queue 'thumbnails'");
        Map<String, String> handledBy = new ConcurrentHashMap<>();
        List<Future<?>> workers = new ArrayList<>();
        for (Replica worker : replicas.subList(1, 3)) {
            workers.add(pool.submit(() -> {
                while (true) {
                    long t0 = System.nanoTime();
                    String job = Out.join(worker.cache().popFromQueue("thumbnails", "demo"));
                    if (job == null) {
                        break;
                    }
                    handledBy.put(job, worker.name());
                    Out.line(String.format("  [%s] popped %s (%.2f ms)", worker.name(), job, (System.nanoTime() - t0) / 1e6));
                    sleepQuietly(20);
                }
                return null;
            }));
        }
        for (Future<?> f : workers) {
            f.get();
        }
        Out.line("6 jobs pushed, " + handledBy.size() + " handled, none twice; queue now empty: "
                + (Out.join(producer.cache().popFromQueue("thumbnails", "demo")) == null));
    }

    private void lockSendsOnce() throws Exception {
        Out.scene("3. A distributed lock lets exactly one replica send the notification");
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(replicas.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> tries = new ArrayList<>();
        for (Replica replica : replicas) {
            tries.add(pool.submit(() -> {
                ready.countDown();
                go.await();
                long t0 = System.nanoTime();
                boolean acquired = Out.join(replica.cache().attemptDistributedLock("notify-order-42", Duration.ofSeconds(10)));
                double ms = (System.nanoTime() - t0) / 1e6;
                if (acquired) {
                    sent.incrementAndGet();
                    Out.line(String.format("  [%s] acquired lock notify-order-42 in %.2f ms: sending the email for order 42", replica.name(), ms));
                    sleepQuietly(150); // sending takes a while; the others try meanwhile
                    Out.join(replica.cache().releaseDistributedLock("notify-order-42"));
                } else {
                    Out.line(String.format("  [%s] lock held elsewhere (%.2f ms): skipping", replica.name(), ms));
                }
                return null;
            }));
        }
        ready.await();
        go.countDown();
        for (Future<?> f : tries) {
            f.get();
        }
        Out.line("emails sent for order 42: " + sent.get());
    }

    private void indexInvalidation() {
        Out.scene("4. An index groups keys so they can be listed and invalidated together");
        Replica r = replicas.get(0);
        for (String sku : List.of("sku-1", "sku-2", "sku-3")) {
            Out.join(r.cache().setKey(sku, "price of " + sku, SetOptions.options().namespace("demo").indices("catalog")));
        }
        Out.timed(r, "listKeysByIndex catalog", () -> r.cache().listKeysByIndex("catalog", "demo"));
        Out.timed(replicas.get(1), "deleteKeysByIndex catalog (prices changed)",
                () -> replicas.get(1).cache().deleteKeysByIndex("catalog", "demo"));
        Out.timed(r, "getKey sku-1", () -> r.cache().getKey("sku-1", "demo"));
        Out.timed(r, "listKeysByIndex catalog", () -> r.cache().listKeysByIndex("catalog", "demo"));
    }

    private void tenantIsolation() {
        Out.scene("5. Two tenants never see each other's data");
        Replica r = replicas.get(0);
        BrickworksCache acme = r.cache().forTenant("acme");
        Out.timed(r, "acme:   setKey greeting", () -> acme.setKey("greeting", "hello from Acme", SetOptions.options().namespace("demo")));
        BrickworksCache globex = replicas.get(1).cache().forTenant("globex");
        Out.timed(replicas.get(1), "globex: setKey greeting", () -> globex.setKey("greeting", "hello from Globex", SetOptions.options().namespace("demo")));
        Out.timed(r, "acme:   getKey greeting", () -> r.cache().forTenant("acme").getKey("greeting", "demo"));
        Out.timed(r, "globex: getKey greeting", () -> globex.getKey("greeting", "demo"));
        Out.timed(r, "master: getKey greeting", () -> r.cache().masterTenant().getKey("greeting", "demo"));
    }

    private void postCommit() {
        Out.scene("7. Cache changes that wait for the database commit (H2, post-commit callbacks)");
        Replica r = replicas.get(0);
        Replica reader = replicas.get(1);
        DbSettings dbSettings = DbSettings.builder().jdbcUrl("jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1").user("sa").build();
        try (Db db = Db.builder().settings(dbSettings).build()) {
            TransactionalCache txCache = TransactionalCache.of(r.cache());
            db.useSession(s -> {
                s.update("CREATE TABLE IF NOT EXISTS users (id INT PRIMARY KEY, name VARCHAR(100))");
                s.update("MERGE INTO users KEY (id) VALUES (7, 'Ada')");
            });
            Out.join(r.cache().setKey("user-7", "Ada", SetOptions.options().namespace("demo")));
            Out.line("  users(7) = Ada in H2 and in the cache");

            long t0 = System.nanoTime();
            db.useSession(s -> {
                s.update("UPDATE users SET name = ? WHERE id = ?", "Grace", 7);
                txCache.setKey("user-7", "Grace", SetOptions.options().namespace("demo"));
                Out.line("  [" + r.name() + "] in transaction: UPDATE name = Grace; cache still says "
                        + Out.join(reader.cache().getKey("user-7", "demo")) + " (the change waits for the commit)");
            });
            Out.line(String.format("  [%s] committed (%.2f ms); cache now says %s", r.name(), (System.nanoTime() - t0) / 1e6,
                    Out.join(reader.cache().getKey("user-7", "demo"))));

            try {
                db.useSession(s -> {
                    s.update("UPDATE users SET name = ? WHERE id = ?", "Mallory", 7);
                    txCache.setKey("user-7", "Mallory", SetOptions.options().namespace("demo"));
                    throw new IllegalStateException("validation failed");
                });
            } catch (IllegalStateException e) {
                Out.line("  [" + r.name() + "] second update threw (" + e.getMessage() + ") and rolled back");
            }
            String inDb = db.inSession(s -> s.queryFirst("SELECT name FROM users WHERE id = ?", row -> row.getString(1), 7)
                    .orElse(null));
            Out.line("  database says " + inDb + ", cache says " + Out.join(reader.cache().getKey("user-7", "demo"))
                    + ": the rolled-back change never reached the cache");
        }
    }

    private void lockTakeover() throws Exception {
        Out.scene("9. A replica dies holding a lock; another takes over when its TTL runs out");
        Replica doomed = replicas.get(0);
        Replica heir = replicas.get(1);
        Duration ttl = Duration.ofMillis(1500);
        // waits out a lock left by an earlier run (the lock namespace is reached only through the lock API)
        LockHandle first = Out.join(doomed.cache().lock("nightly-report", ttl, Duration.ofSeconds(5))).orElseThrow();
        Out.line(String.format("  [%s] took lock nightly-report (TTL %d ms, fencing token %d) ... and is killed (no release)",
                doomed.name(), ttl.toMillis(), first.fencingToken()));
        if (shared == null) {
            doomed.cache().close(); // its connection is gone, as with SIGKILL
        }
        long t0 = System.nanoTime();
        Optional<LockHandle> second = Out.join(heir.cache().lock("nightly-report", ttl, Duration.ofSeconds(5)));
        double waited = (System.nanoTime() - t0) / 1e6;
        if (second.isPresent()) {
            try (LockHandle lock = second.get()) {
                Out.line(String.format("  [%s] waited %.0f ms, took the lock with fencing token %d (> %d): running the report",
                        heir.name(), waited, lock.fencingToken(), first.fencingToken()));
            }
        } else {
            Out.line(String.format("  [%s] did not get the lock within %.0f ms", heir.name(), waited));
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void close() {
        pool.shutdownNow();
        if (shared != null) {
            shared.close();
        } else {
            replicas.forEach(r -> r.cache().close()); // closing twice is a no-op
        }
    }

    /** One replica of the service: a name and its cache. */
    record Replica(String name, BrickworksCache cache) {
    }
}
