package io.brickworks.cache.tck;

import static io.brickworks.cache.SetOptions.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.admin.CacheAdmin;
import io.brickworks.cache.admin.FunctionInfo;
import io.brickworks.cache.admin.IndexInfo;
import io.brickworks.cache.admin.LockInfo;
import io.brickworks.cache.admin.PurgeReport;
import io.brickworks.cache.admin.QueueInfo;
import io.brickworks.cache.admin.TenantUsage;
import io.brickworks.cache.admin.internal.DefaultCacheAdmin;
import io.brickworks.cache.queue.Delivery;
import io.brickworks.cache.queue.QueueOptions;
import io.brickworks.cache.queue.ReliableQueue;
import io.brickworks.cache.function.CachedFunction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin API: data written by several tenants through the cache and, for tenant {@code py}, by a
 * plain client the way the Python original writes it; tenant {@code ops} has an acknowledged queue
 * with an item in every state (waiting, delayed, in flight, dead). Listings must match what was
 * written, and a purge must delete exactly one tenant's keys, leaving no key with the tenant's head
 * in any form ({@code <prefix>:<tenant>:}, <code>&#123;&lt;prefix&gt;:&lt;tenant&gt;:</code>), names that are not valid
 * UTF-8 included.
 */
public abstract class AdminContract extends CacheContract {

    /** The key segment of a function entry the original wrote: {@code <name>-<sha256 hex>}. */
    protected static final String PY_FUNCTION_ENTRY = "app.reports.total-" + "ab".repeat(32);

    /**
     * Runs one command of a plain client (not the library under test) against the store: only
     * {@code SET key value EX seconds [NX]}, {@code RPUSH key item...} and {@code SADD key member...}
     * are used.
     */
    protected abstract void plain(String... command);

    /** How many keys start with {@code prefix}, counted without the admin API. */
    protected abstract long plainCount(String prefix);

    /**
     * Writes a plain value under the key named by the bytes {@code key} (which need not be valid
     * UTF-8), with a plain client: {@code SET key v EX 600}.
     */
    protected abstract void plainBytes(byte[] key);

    private CachedFunction.Async1<String, String> quote;

    @BeforeEach
    void writeTenants() {
        BrickworksCache acme = cache.forTenant("acme");
        await(acme.setKey("a", "1"));
        await(acme.setKey("b", "2"));
        await(acme.setKey("c", "3", options().namespace("users").indices("all")));
        await(acme.pushToQueue("jobs", "j1"));
        await(acme.pushToQueue("jobs", "j2"));
        quote = acme.functions().function("prices.quote", String.class)
                .async(symbol -> CompletableFuture.completedFuture("q-" + symbol));
        await(quote.apply("EUR"));
        await(quote.apply("USD"));
        assertThat(await(acme.tryLock("nightly", Duration.ofMinutes(5)))).isPresent();

        BrickworksCache globex = cache.forTenant("globex");
        await(globex.setKey("a", "1"));
        await(globex.pushToQueue("mail", "m1"));
        assertThat(await(globex.attemptDistributedLock("sync", Duration.ofMinutes(5)))).isTrue();

        // the Python original's way, by a plain client: another process, lock value "1"
        plain("SET", "brickworks:py:default:k1", "v", "EX", "600");
        plain("RPUSH", "brickworks:py:default:thumbs", "a.png", "b.png", "c.png");
        plain("SADD", "brickworks:py:default:__index__.grp", "brickworks:py:default:k1");
        plain("SET", "brickworks:py:__locks__:report", "1", "EX", "60", "NX");
        plain("SET", "brickworks:py:FUNC_CACHE:" + PY_FUNCTION_ENTRY, "pickle", "EX", "600");
        plain("SADD", "brickworks:py:FUNC_CACHE:__index__.app.reports.total", "brickworks:py:FUNC_CACHE:" + PY_FUNCTION_ENTRY);

        // an acknowledged queue with one item in each state: the list and nine records (sequence, items,
        // attempts, history, in flight, delayed, dead, and the in-flight delivery's receipt and owner)
        ReliableQueue work = cache.forTenant("ops").reliableQueue("work", QueueOptions.defaults().withMaxAttempts(1));
        await(work.push("w1"));
        await(work.push("w2"));
        await(work.push("w3"));
        await(work.push("later", Duration.ofHours(1)));
        assertThat(await(work.receive(Duration.ofSeconds(5)))).isPresent();
        Delivery failed = await(work.receive(Duration.ofSeconds(5))).orElseThrow();
        assertThat(await(failed.retry(Duration.ZERO, "boom"))).isTrue();
    }

    private ReliableQueue opsWork() {
        return cache.forTenant("ops").reliableQueue("work", QueueOptions.defaults().withMaxAttempts(1));
    }

    /** How many keys have the tenant's head in either form (entries, and acknowledged queues' records). */
    private long headCount(String tenant) {
        return plainCount("brickworks:" + tenant + ":") + plainCount("{brickworks:" + tenant + ":");
    }

    @Test
    void tenantsAreListedWithTheirKeysPerNamespace() {
        List<TenantUsage> tenants = await(cache.admin().tenants());

        assertThat(tenants).containsExactly(
                new TenantUsage("acme", Map.of("FUNC_CACHE", 3L, "__locks__", 2L, "default", 3L, "users", 2L)),
                new TenantUsage("globex", Map.of("__locks__", 1L, "default", 2L)),
                new TenantUsage("ops", Map.of("default", 10L)),
                new TenantUsage("py", Map.of("FUNC_CACHE", 2L, "__locks__", 1L, "default", 3L)));
        assertThat(tenants.get(0).keys()).isEqualTo(10);
        assertThat(await(cache.admin().tenant("globex").tenants()))
                .containsExactly(new TenantUsage("globex", Map.of("__locks__", 1L, "default", 2L)));
    }

    @Test
    void locksShowTheirOwnerTimeLeftAndFencingToken() {
        List<LockInfo> locks = await(cache.admin().locks());

        assertThat(locks).extracting(LockInfo::tenant, LockInfo::name)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("acme", "nightly"),
                        org.assertj.core.groups.Tuple.tuple("globex", "sync"),
                        org.assertj.core.groups.Tuple.tuple("py", "report"));
        LockInfo nightly = locks.get(0);
        assertThat(nightly.ownedHere()).isTrue();
        assertThat(nightly.lastFencingToken()).isPositive();
        assertThat(nightly.timeLeft()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(5));
        LockInfo sync = locks.get(1);
        assertThat(sync.ownedHere()).isTrue();
        assertThat(sync.lastFencingToken()).isNull();
        LockInfo report = locks.get(2);
        assertThat(report.owner()).isEqualTo("1");
        assertThat(report.ownedHere()).isFalse();
        assertThat(report.timeLeft()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(60));
        assertThat(report.lastFencingToken()).isNull();
    }

    @Test
    void aLockOfAnotherCacheInstanceIsNotOwnedHere() {
        BrickworksCache other = newCache();
        assertThat(await(other.forTenant("acme").attemptDistributedLock("other", Duration.ofMinutes(1)))).isTrue();

        LockInfo seen = await(cache.admin().tenant("acme").locks()).stream()
                .filter(l -> l.name().equals("other")).findFirst().orElseThrow();
        LockInfo seenByOwner = await(other.admin().tenant("acme").locks()).stream()
                .filter(l -> l.name().equals("other")).findFirst().orElseThrow();

        assertThat(seen.ownedHere()).isFalse();
        assertThat(seenByOwner.ownedHere()).isTrue();
        assertThat(seen.owner()).isEqualTo(seenByOwner.owner());
    }

    /** A stuck lock is released only while the owner seen is still the owner: one taken again meanwhile stays. */
    @Test
    void aStuckLockIsReleasedOnlyFromTheOwnerSeen() {
        LockInfo report = await(cache.admin().tenant("py").locks()).get(0);
        assertThat(await(cache.admin().releaseLock("py", "report", "someone-else"))).isFalse();
        assertThat(await(cache.admin().tenant("py").locks())).hasSize(1);

        assertThat(await(cache.admin().releaseLock("py", "report", report.owner()))).isTrue();

        assertThat(await(cache.admin().tenant("py").locks())).isEmpty();
        assertThatThrownBy(() -> cache.admin().releaseLock("py", "a:b", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:b");
    }

    @Test
    void queuesIndicesAndFunctionsAreListed() {
        CacheAdmin admin = cache.admin();

        assertThat(await(admin.queues())).containsExactly(
                QueueInfo.plain("acme", "default", "jobs", 2),
                QueueInfo.plain("globex", "default", "mail", 1),
                new QueueInfo("ops", "default", "work", 1, 1, 1, 1),
                QueueInfo.plain("py", "default", "thumbs", 3));
        assertThat(await(admin.indices())).containsExactly(
                new IndexInfo("acme", "FUNC_CACHE", "prices.quote", 2),
                new IndexInfo("acme", "users", "all", 1),
                new IndexInfo("py", "FUNC_CACHE", "app.reports.total", 1),
                new IndexInfo("py", "default", "grp", 1));
        assertThat(await(admin.functions())).containsExactly(
                new FunctionInfo("acme", "prices.quote", 2),
                new FunctionInfo("py", "app.reports.total", 1));
        assertThat(await(admin.tenant("py").queues())).containsExactly(QueueInfo.plain("py", "default", "thumbs", 3));
    }

    @Test
    void aDryRunCountsAndDeletesNothing() {
        long before = plainCount("brickworks:");

        PurgeReport report = await(cache.admin().purgeTenant("acme", false, true));

        assertThat(report).isEqualTo(new PurgeReport("acme", true, false,
                Map.of("FUNC_CACHE", 3L, "default", 3L, "users", 2L), 0, 0));
        assertThat(plainCount("brickworks:")).isEqualTo(before);
    }

    @Test
    void aPurgeDeletesExactlyThatTenantsKeysAndKeepsItsLocksUnlessAsked() {
        long globex = plainCount("brickworks:globex:");
        long py = plainCount("brickworks:py:");
        List<Long> progress = new CopyOnWriteArrayList<>();

        PurgeReport report = await(cache.admin().onProgress(progress::add).purgeTenant("acme", false, false));

        assertThat(report.keys()).isEqualTo(8);
        assertThat(report.deleted()).isEqualTo(8);
        assertThat(report.remaining()).isZero();
        assertThat(plainCount("brickworks:acme:")).isEqualTo(2);
        assertThat(await(cache.admin().tenant("acme").locks())).extracting(LockInfo::name).containsExactly("nightly");
        assertThat(plainCount("brickworks:globex:")).isEqualTo(globex);
        assertThat(plainCount("brickworks:py:")).isEqualTo(py);
        assertThat(progress).isNotEmpty().isSorted();
        assertThat(progress.get(progress.size() - 1)).isGreaterThanOrEqualTo(10);

        PurgeReport withLocks = await(cache.admin().purgeTenant("acme", true, false));

        assertThat(withLocks.keysByNamespace()).isEqualTo(Map.of("__locks__", 2L));
        assertThat(plainCount("brickworks:acme:")).isZero();
        assertThat(plainCount("brickworks:globex:")).isEqualTo(globex);
        assertThat(plainCount("brickworks:py:")).isEqualTo(py);
    }

    @Test
    void aPurgeOfTheOriginalsTenantDeletesItsKeys() {
        long acme = plainCount("brickworks:acme:");

        PurgeReport report = await(cache.admin().purgeTenant("py", true, false));

        assertThat(report.deleted()).isEqualTo(6);
        assertThat(plainCount("brickworks:py:")).isZero();
        assertThat(plainCount("brickworks:acme:")).isEqualTo(acme);
    }

    @Test
    void aPurgeLeavesNoKeyWithTheTenantsHeadInAnyForm() {
        long acme = headCount("acme");
        assertThat(plainCount("{brickworks:ops:")).isPositive();
        assertThat(await(opsWork().deadLetters(10))).hasSize(1);

        PurgeReport report = await(cache.admin().purgeTenant("ops", false, false));

        assertThat(report.keysByNamespace()).isEqualTo(Map.of("default", 10L));
        assertThat(report.deleted()).isEqualTo(10);
        assertThat(report.remaining()).isZero();
        assertThat(headCount("ops")).isZero();
        assertThat(await(opsWork().deadLetters(10))).isEmpty();
        assertThat(await(opsWork().receive(Duration.ofMillis(50)))).isEmpty();
        assertThat(await(cache.admin().tenant("ops").queues())).isEmpty();
        assertThat(headCount("acme")).isEqualTo(acme);
    }

    /** Negative control: a purge that walks only the entries' head leaves the queue's records, and the check sees them. */
    @Test
    void withoutTheRecordHeadThePurgeLeavesTheQueueRecords() {
        PurgeReport report = await(DefaultCacheAdmin.withoutRecordHead(cache.admin()).purgeTenant("ops", false, false));

        assertThat(report.deleted()).isEqualTo(1);
        assertThat(headCount("ops")).isEqualTo(9);
        assertThat(await(opsWork().deadLetters(10))).hasSize(1);
    }

    /**
     * A key written by another writer during the purge, after the walk passed its place: the second
     * walk counts it, so the purge is not reported complete.
     */
    @Test
    void aKeyWrittenDuringThePurgeIsCountedAsLeft() {
        AtomicBoolean written = new AtomicBoolean();
        CacheAdmin admin = cache.admin().onProgress(n -> {
            // 8 keys are walked once the records' head is reached, after the entries' head is done
            if (n >= 8 && written.compareAndSet(false, true)) {
                plain("SET", "brickworks:ops:late:x", "v", "EX", "600");
            }
        });

        PurgeReport report = await(admin.purgeTenant("ops", false, false));

        assertThat(written).isTrue();
        assertThat(report.remaining()).isEqualTo(1);
        assertThat(report.complete()).isFalse();
        assertThat(headCount("ops")).isEqualTo(1);
    }

    @Test
    void namesThatAreNotUtf8AreListedAndPurgedAsTheyAreStored() {
        byte[] head = "brickworks:ops:raw:".getBytes(StandardCharsets.US_ASCII);
        byte[] name = java.util.Arrays.copyOf(head, head.length + 3);
        name[head.length] = (byte) 0xff;
        name[head.length + 1] = (byte) 0xc3;
        name[head.length + 2] = 'x';
        plainBytes(name);
        plainBytes("brickworks:ops:raw:ok".getBytes(StandardCharsets.US_ASCII));

        assertThat(await(cache.admin().tenant("ops").tenants()).get(0).keysByNamespace()).containsEntry("raw", 2L);
        PurgeReport report = await(cache.admin().purgeTenant("ops", true, false));

        assertThat(report.keys()).isEqualTo(12);
        assertThat(report.deleted()).isEqualTo(12);
        assertThat(report.remaining()).isZero();
        assertThat(headCount("ops")).isZero();
    }

    @Test
    void aBadTenantIsRejectedBeforeAnythingIsDeleted() {
        long before = plainCount("brickworks:");

        assertThatThrownBy(() -> cache.admin().purgeTenant("a:b", true, false))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant").hasMessageContaining("a:b");
        assertThatThrownBy(() -> cache.admin().tenant(""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tenant");
        assertThat(plainCount("brickworks:")).isEqualTo(before);
    }

    @Test
    void pingIsARoundTrip() {
        assertThat(await(cache.ping())).isPositive();
    }
}
