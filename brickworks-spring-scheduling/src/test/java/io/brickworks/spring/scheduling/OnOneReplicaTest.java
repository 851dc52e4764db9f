package io.brickworks.spring.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.Tenants;
import io.brickworks.cache.lock.LockHandle;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/** {@link OnOneReplica} on bean methods of one context on the memory backend. */
class OnOneReplicaTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private BrickworksCache cache;
    private AnnotationConfigApplicationContext context;
    private Jobs jobs;
    private final State state = new State();

    @BeforeEach
    void start() {
        cache = BrickworksCache.builder().settings(CacheSettings.builder().multiTenancyEnabled(true).build()).build();
        context = context(Jobs.class);
        jobs = context.getBean(Jobs.class);
    }

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        cache.close();
    }

    private AnnotationConfigApplicationContext context(Class<?> beans) {
        AnnotationConfigApplicationContext c = new AnnotationConfigApplicationContext();
        c.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test",
                Map.of("jobs.prefix", "nightly", "jobs.ttl", "20s")));
        c.registerBean(BrickworksCache.class, () -> cache);
        c.registerBean(State.class, () -> state);
        c.register(Config.class, beans);
        c.refresh();
        return c;
    }

    private boolean held(String name) {
        Optional<LockHandle> probe = cache.masterTenant().tryLock(name, LONG).join();
        probe.ifPresent(LockHandle::close);
        return probe.isEmpty();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableOnOneReplica
    static class Config {
    }

    /** What the jobs saw; a bean of its own, as the jobs' fields are not readable through their proxy. */
    static class State {
        final List<ReplicaLock> seen = new CopyOnWriteArrayList<>();
        volatile boolean heldInside;
        volatile CountDownLatch release = new CountDownLatch(0);
    }

    static class Jobs {
        private final State state;
        private final BrickworksCache cache;

        Jobs(State state, BrickworksCache cache) {
            this.state = state;
            this.cache = cache;
        }

        @OnOneReplica(name = "report", ttl = "${jobs.ttl}")
        public String report() {
            ReplicaLock lock = ReplicaLock.current();
            state.seen.add(lock);
            state.heldInside = cache.masterTenant().tryLock("report", LONG).join().isEmpty();
            return "done " + lock.fencingToken();
        }

        @OnOneReplica(name = "${jobs.prefix}-#{#region}-#{#p1}")
        public String regional(String region, int day) {
            return ReplicaLock.current().name();
        }

        @OnOneReplica(name = "slow", lockAtLeastFor = "30s")
        public void quick() {
            state.seen.add(ReplicaLock.current());
        }

        @OnOneReplica(name = "failing")
        public void failing() {
            throw new IllegalStateException("boom");
        }

        @OnOneReplica(name = "async")
        public CompletableFuture<String> async(CompletableFuture<String> work) {
            state.seen.add(ReplicaLock.current());
            return work;
        }

        @OnOneReplica(name = "tenant-job", tenant = OnOneReplica.Tenant.CURRENT)
        public String perTenant() throws InterruptedException {
            ReplicaLock lock = ReplicaLock.current();
            state.seen.add(lock);
            state.release.await(30, TimeUnit.SECONDS);
            return lock.tenant();
        }

        @OnOneReplica(name = "outer")
        public String nested(Jobs self) {
            ReplicaLock outer = ReplicaLock.current();
            self.quick();
            return outer == ReplicaLock.current() ? "restored" : "lost binding";
        }
    }

    @Test
    void theMethodRunsUnderItsLockAndReadsItsFencingToken() {
        String first = jobs.report();
        String second = jobs.report();

        assertThat(state.heldInside).as("the lock is held while the method runs").isTrue();
        assertThat(held("report")).as("released when the method returned").isFalse();
        assertThat(state.seen).hasSize(2);
        ReplicaLock lock = state.seen.get(0);
        assertThat(lock.name()).isEqualTo("report");
        assertThat(lock.tenant()).isEqualTo(cache.masterTenant().currentTenant());
        assertThat(lock.isLost()).isFalse();
        assertThat(first).isEqualTo("done " + lock.fencingToken());
        assertThat(state.seen.get(1).fencingToken()).isGreaterThan(lock.fencingToken());
        assertThat(second).isEqualTo("done " + state.seen.get(1).fencingToken());
    }

    @Test
    void aCallIsSkippedWhileAnotherOwnerHoldsTheLock() {
        try (LockHandle other = cache.masterTenant().tryLock("report", LONG).join().orElseThrow()) {
            assertThat(jobs.report()).as("a skipped call returns null").isNull();
            assertThat(state.seen).isEmpty();
        }
        assertThat(jobs.report()).startsWith("done ");
    }

    @Test
    void theAccessorOutsideAnAnnotatedMethodFails() {
        assertThatThrownBy(ReplicaLock::current).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no @OnOneReplica method");
    }

    @Test
    void theNameResolvesPlaceholdersAndSpelWithTheArguments() {
        assertThat(jobs.regional("eu", 7)).isEqualTo("nightly-eu-7");
        assertThat(jobs.regional("us", 8)).isEqualTo("nightly-us-8");
    }

    @Test
    void lockAtLeastForKeepsTheLockAfterTheMethodReturned() {
        jobs.quick();
        assertThat(held("slow")).as("kept for lockAtLeastFor").isTrue();
        jobs.quick();
        assertThat(state.seen).as("the second call was skipped").hasSize(1);
    }

    @Test
    void anExceptionOfTheMethodIsRethrownAfterTheLockWasReleased() {
        assertThatThrownBy(jobs::failing).isInstanceOf(IllegalStateException.class).hasMessage("boom");
        assertThat(held("failing")).isFalse();
        assertThatThrownBy(ReplicaLock::current).as("the binding was removed").isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anAsyncMethodHoldsTheLockUntilItsFutureCompletes() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = jobs.async(work);
        assertThat(held("async")).as("held while the future runs").isTrue();
        assertThat(jobs.async(new CompletableFuture<>()).join()).as("a second call is skipped").isNull();
        assertThat(result).isNotDone();

        work.complete("written");
        assertThat(result.join()).isEqualTo("written");
        assertThat(held("async")).as("released when the future completed").isFalse();
        assertThat(state.seen).hasSize(1);
    }

    @Test
    void aFailedFutureFailsTheCallersFutureAndReleasesTheLock() {
        CompletableFuture<String> work = new CompletableFuture<>();
        CompletableFuture<String> result = jobs.async(work);
        work.completeExceptionally(new IllegalStateException("write failed"));
        assertThatThrownBy(result::join).hasRootCauseMessage("write failed");
        assertThat(held("async")).isFalse();
    }

    @Test
    void aPerTenantLockExcludesOnlyTheSameTenant() throws Exception {
        state.release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        CompletableFuture<String> acme = CompletableFuture.supplyAsync(() -> call("acme"), callers);
        CompletableFuture<String> globex = CompletableFuture.supplyAsync(() -> call("globex"), callers);
        await().atMost(Duration.ofSeconds(20)).until(() -> state.seen.size() == 2 || acme.isDone() || globex.isDone());
        assertThat(state.seen).as("both tenants run at once").hasSize(2);
        assertThat(call("acme")).as("the same tenant is skipped").isNull();
        state.release.countDown();
        assertThat(acme.get(30, TimeUnit.SECONDS)).isEqualTo("acme");
        assertThat(globex.get(30, TimeUnit.SECONDS)).isEqualTo("globex");
        callers.shutdown();
        assertThat(cache.forTenant("acme").tryLock("tenant-job", LONG).join()).isPresent();
        assertThatThrownBy(jobs::perTenant).as("no tenant bound").isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no tenant is bound");
    }

    private String call(String tenant) {
        try {
            return Tenants.call(tenant, jobs::perTenant);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNestedCallRestoresTheOuterBinding() {
        assertThat(jobs.nested(jobs)).isEqualTo("restored");
    }

    static class BadTtl {
        @OnOneReplica(name = "bad", ttl = "soon")
        public void run() {
        }
    }

    static class PrimitiveResult {
        @OnOneReplica(name = "count")
        public int count() {
            return 1;
        }
    }

    static class ColonName {
        @OnOneReplica(name = "a:b")
        public void run() {
        }
    }

    @Test
    void badAttributesFailTheContextNamingTheAttribute() {
        assertThatThrownBy(() -> context(BadTtl.class)).isInstanceOf(BeanCreationException.class)
                .hasStackTraceContaining("@OnOneReplica ttl of").hasStackTraceContaining("was 'soon'");
        assertThatThrownBy(() -> context(PrimitiveResult.class)).isInstanceOf(BeanCreationException.class)
                .hasStackTraceContaining("count()").hasStackTraceContaining("returns int");
        assertThatThrownBy(() -> context(ColonName.class)).isInstanceOf(BeanCreationException.class)
                .hasStackTraceContaining("@OnOneReplica name of").hasStackTraceContaining("was 'a:b'");
    }
}
