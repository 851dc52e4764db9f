package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import io.brickworks.cache.BrickworksCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** FIFO queues: order, emptiness, namespaces, and each item handed to exactly one caller. */
public abstract class QueueContract extends CacheContract {

    @Test
    void popsInTheOrderPushed() {
        assertThat(await(cache.pushToQueue("q", "item1"))).isEqualTo(1L);
        assertThat(await(cache.pushToQueue("q", "item2"))).isEqualTo(2L);
        assertThat(await(cache.pushToQueue("q", "item3"))).isEqualTo(3L);
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("item1");
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("item2");
        assertThat(await(cache.pushToQueue("q", "item4"))).isEqualTo(2L);
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("item3");
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("item4");
    }

    @Test
    void emptyOrMissingQueueGivesNull() {
        assertThat(await(cache.popFromQueue("never-pushed"))).isNull();
        await(cache.pushToQueue("q", "only"));
        assertThat(await(cache.popFromQueue("q"))).isEqualTo("only");
        assertThat(await(cache.popFromQueue("q"))).isNull();
        assertThat(await(cache.popFromQueue("q"))).isNull();
    }

    @Test
    void drainedQueueLeavesNoKey() {
        await(cache.pushToQueue("q", "a"));
        await(cache.popFromQueue("q"));
        assertThat(stored(fullKey(MASTER, "default", "q"))).isFalse();
    }

    @Test
    void queuesDoNotExpire() {
        await(cache.pushToQueue("q", "a"));
        assertThat(ttlMillis(fullKey(MASTER, "default", "q"))).isEqualTo(-1L);
    }

    @Test
    void namespacesKeepQueuesApart() {
        await(cache.pushToQueue("q", "in-default"));
        await(cache.pushToQueue("q", "in-jobs", "jobs"));
        assertThat(await(cache.popFromQueue("q", "jobs"))).isEqualTo("in-jobs");
        assertThat(await(cache.popFromQueue("q", "jobs"))).isNull();
        assertThat(await(cache.popFromQueue("q", "default"))).isEqualTo("in-default");
    }

    @Test
    void itemsKeepTheirText() {
        List<String> items = List.of("", " ", "grüße 世界 🌍", "a:b:c", "{\"json\": [1, 2]}");
        for (String item : items) {
            await(cache.pushToQueue("q", item));
        }
        List<String> popped = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            popped.add(await(cache.popFromQueue("q")));
        }
        assertThat(popped).isEqualTo(items);
    }

    @Test
    void aQueueHandsWorkFromOneInstanceToAnother() {
        BrickworksCache producer = newCache();
        await(producer.pushToQueue("jobs", "job-1"));
        await(producer.pushToQueue("jobs", "job-2"));
        assertThat(await(cache.popFromQueue("jobs"))).isEqualTo("job-1");
        assertThat(await(cache.popFromQueue("jobs"))).isEqualTo("job-2");
        assertThat(await(producer.popFromQueue("jobs"))).isNull();
    }

    @Test
    void concurrentPopsHandEachItemToExactlyOneCaller() throws Exception {
        int items = 400;
        for (int i = 0; i < items; i++) {
            await(cache.pushToQueue("work", "item-" + i));
        }
        List<BrickworksCache> consumers = List.of(cache, newCache(), newCache(), newCache());
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Set<String> seen = ConcurrentHashMap.newKeySet();
        AtomicInteger duplicates = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                BrickworksCache consumer = consumers.get(t % consumers.size());
                results.add(pool.submit(() -> {
                    start.await();
                    int mine = 0;
                    for (String item = await(consumer.popFromQueue("work")); item != null;
                            item = await(consumer.popFromQueue("work"))) {
                        if (!seen.add(item)) {
                            duplicates.incrementAndGet();
                        }
                        mine++;
                    }
                    return mine;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> r : results) {
                total += r.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            assertThat(duplicates).hasValue(0);
            assertThat(total).isEqualTo(items);
            assertThat(seen).hasSize(items);
        } finally {
            pool.shutdownNow();
        }
        assertThat(await(cache.popFromQueue("work"))).isNull();
    }
}
