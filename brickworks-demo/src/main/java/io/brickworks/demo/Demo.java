package io.brickworks.demo;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.SetOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
                String job;
                while ((job = Out.join(worker.cache().popFromQueue("thumbnails", "demo"))) != null) {
                    long t0 = System.nanoTime();
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
            replicas.forEach(r -> r.cache().close());
        }
    }

    /** One replica of the service: a name and its cache. */
    record Replica(String name, BrickworksCache cache) {
    }
}
