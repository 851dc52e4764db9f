package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.SetOptions;
import io.brickworks.cache.TenantScope;
import io.brickworks.cache.Tenants;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tenancy: keys, queues, sets, indices and locks isolated per tenant, whether the tenant is bound
 * with {@link Tenants#bind}, carried by a {@link BrickworksCache#forTenant} view, or the master
 * tenant; the tenant resolved once per call; no tenant with multi-tenancy on fails and writes nothing;
 * with multi-tenancy off every call works in the master tenant.
 */
public abstract class TenancyContract extends CacheContract {

    /** A cache with multi-tenancy on, on the same store as {@link #cache}. */
    protected BrickworksCache tenanted;

    @BeforeEach
    void openTenantedCache() {
        tenanted = newCache(b -> b.multiTenancyEnabled(true));
    }

    private <T> T in(String tenant, java.util.function.Supplier<java.util.concurrent.CompletionStage<T>> call) {
        try (TenantScope ignored = Tenants.bind(tenant)) {
            return await(call.get());
        }
    }

    // ------------------------------------------------------------------ isolation with Tenants.bind

    @Test
    void keysAreIsolatedPerTenant() {
        in("acme", () -> tenanted.setKey("k", "acme-value"));
        in("globex", () -> tenanted.setKey("k", "globex-value"));
        assertThat(in("acme", () -> tenanted.getKey("k"))).isEqualTo("acme-value");
        assertThat(in("globex", () -> tenanted.getKey("k"))).isEqualTo("globex-value");
        assertThat(in("initech", () -> tenanted.getKey("k"))).isNull();
        assertThat(await(tenanted.masterTenant().getKey("k"))).isNull();

        assertThat(stored(fullKey("acme", "default", "k"))).isTrue();
        assertThat(stored(fullKey("globex", "default", "k"))).isTrue();

        assertThat(in("acme", () -> tenanted.deleteKey("k"))).isTrue();
        assertThat(in("globex", () -> tenanted.getKey("k"))).isEqualTo("globex-value");
    }

    @Test
    void queuesAreIsolatedPerTenant() {
        in("acme", () -> tenanted.pushToQueue("q", "acme-item"));
        in("globex", () -> tenanted.pushToQueue("q", "globex-item"));
        assertThat(in("acme", () -> tenanted.popFromQueue("q"))).isEqualTo("acme-item");
        assertThat(in("acme", () -> tenanted.popFromQueue("q"))).isNull();
        assertThat(in("globex", () -> tenanted.popFromQueue("q"))).isEqualTo("globex-item");
    }

    @Test
    void setsAreIsolatedPerTenant() {
        in("acme", () -> tenanted.addToSet("s", List.of("a")));
        in("globex", () -> tenanted.addToSet("s", List.of("g")));
        assertThat(in("acme", () -> tenanted.getSetMembers("s"))).containsExactly("a");
        assertThat(in("globex", () -> tenanted.isSetMember("s", "a"))).isFalse();
        assertThat(in("globex", () -> tenanted.removeFromSet("s", List.of("a")))).isZero();
        assertThat(in("acme", () -> tenanted.getSetMembers("s"))).containsExactly("a");
    }

    @Test
    void indicesAreIsolatedPerTenant() {
        in("acme", () -> tenanted.setKey("a1", "v", SetOptions.options().indices("users")));
        in("globex", () -> tenanted.setKey("g1", "v", SetOptions.options().indices("users")));
        assertThat(in("acme", () -> tenanted.listKeysByIndex("users"))).containsExactly("a1");
        assertThat(in("globex", () -> tenanted.listKeysByIndex("users"))).containsExactly("g1");
        assertThat(await(backend().setMembers(indexKey("acme", "default", "users"))))
                .containsExactly(fullKey("acme", "default", "a1"));

        assertThat(in("globex", () -> tenanted.deleteKeysByIndex("users"))).isEqualTo(1L);
        assertThat(in("acme", () -> tenanted.listKeysByIndex("users"))).containsExactly("a1");
        assertThat(in("acme", () -> tenanted.getKey("a1"))).isEqualTo("v");
    }

    @Test
    void locksArePerTenant() {
        assertThat(in("acme", () -> tenanted.attemptDistributedLock("job"))).isTrue();
        assertThat(in("globex", () -> tenanted.attemptDistributedLock("job"))).isTrue();
        assertThat(in("acme", () -> tenanted.attemptDistributedLock("job"))).isFalse();
        assertThat(stored(fullKey("acme", "__locks__", "job"))).isTrue();
    }

    @Test
    void scopesNestAndRestore() {
        try (TenantScope outer = Tenants.bind("acme")) {
            assertThat(tenanted.currentTenant()).isEqualTo("acme");
            try (TenantScope inner = Tenants.bind("globex")) {
                assertThat(inner.tenant()).isEqualTo("globex");
                assertThat(tenanted.currentTenant()).isEqualTo("globex");
                await(tenanted.setKey("k", "inner"));
            }
            assertThat(tenanted.currentTenant()).isEqualTo("acme");
            assertThat(await(tenanted.getKey("k"))).isNull();
        }
        assertThat(Tenants.current()).isEmpty();
        assertThat(in("globex", () -> tenanted.getKey("k"))).isEqualTo("inner");
    }

    @Test
    void aScopeMustBeClosedOnItsOwnThread() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try (TenantScope scope = Tenants.bind("acme")) {
            java.util.concurrent.Future<?> closing = other.submit(scope::close);
            assertThatThrownBy(closing::get).hasCauseInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("thread");
            assertThat(Tenants.current()).contains("acme");
        } finally {
            other.shutdownNow();
        }
        assertThat(Tenants.current()).isEmpty();
    }

    @Test
    void runAndCallBindForTheirLength() throws Exception {
        Tenants.run("acme", () -> await(tenanted.setKey("k", "run")));
        assertThat(Tenants.call("acme", () -> await(tenanted.getKey("k")))).isEqualTo("run");
        assertThat(Tenants.current()).isEmpty();
    }

    // ------------------------------------------------------------------ views

    @Test
    void forTenantViewsAreIsolatedWhateverIsBound() {
        BrickworksCache acme = tenanted.forTenant("acme");
        BrickworksCache globex = tenanted.forTenant("globex");
        try (TenantScope ignored = Tenants.bind("globex")) {
            await(acme.setKey("k", "acme-value"));
            assertThat(acme.currentTenant()).isEqualTo("acme");
            assertThat(acme.boundTenant()).contains("acme");
        }
        assertThat(await(globex.getKey("k"))).isNull();
        assertThat(in("acme", () -> tenanted.getKey("k"))).isEqualTo("acme-value");
        assertThat(tenanted.boundTenant()).isEmpty();
    }

    @Test
    void masterTenantViewSharesEntriesAcrossTenants() {
        in("acme", () -> tenanted.masterTenant().setKey("global", "shared"));
        assertThat(in("globex", () -> tenanted.masterTenant().getKey("global"))).isEqualTo("shared");
        assertThat(in("globex", () -> tenanted.getKey("global"))).isNull();
        assertThat(tenanted.masterTenant().boundTenant()).contains(MASTER);
        assertThat(stored(fullKey(MASTER, "default", "global"))).isTrue();
    }

    @Test
    void bindingTheMasterTenantIsTheMasterTenant() {
        in(MASTER, () -> tenanted.setKey("k", "v"));
        assertThat(await(tenanted.masterTenant().getKey("k"))).isEqualTo("v");
    }

    @Test
    void masterTenantNameIsConfigurable() {
        BrickworksCache shared = newCache(b -> b.masterTenant("shared"));
        await(shared.setKey("k", "v"));
        assertThat(shared.currentTenant()).isEqualTo("shared");
        assertThat(stored(fullKey("shared", "default", "k"))).isTrue();
        assertThat(stored(fullKey(MASTER, "default", "k"))).isFalse();
    }

    // ------------------------------------------------------------------ resolved at call time

    @Test
    void tenantIsResolvedWhenTheCallIsMade() {
        CompletableFuture<Boolean> write;
        try (TenantScope ignored = Tenants.bind("acme")) {
            write = tenanted.setKey("k", "v");
        }
        await(write);
        assertThat(stored(fullKey("acme", "default", "k"))).isTrue();
    }

    @Test
    void viewsKeepTheirTenantInContinuationsOnOtherThreads() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            BrickworksCache acme = tenanted.forTenant("acme");
            String read = await(acme.setKey("k", "v")
                    .thenComposeAsync(ok -> acme.setKey("k2", "v2"), other)
                    .thenComposeAsync(ok -> acme.getKey("k"), other));
            assertThat(read).isEqualTo("v");
            assertThat(stored(fullKey("acme", "default", "k2"))).isTrue();
            assertThat(other.submit(() -> Tenants.current()).get()).isEmpty();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aThreadWithoutATenantIsNotSilentlyTheMasterTenant() throws Exception {
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Boolean> chain;
            try (TenantScope ignored = Tenants.bind("acme")) {
                chain = tenanted.setKey("k", "v").thenComposeAsync(ok -> tenanted.setKey("k2", "v2"), other);
            }
            assertThatThrownBy(() -> await(chain)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("tenant");
            assertThat(stored(fullKey(MASTER, "default", "k2"))).isFalse();
            assertThat(stored(fullKey("acme", "default", "k"))).isTrue();
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void aCustomResolverSuppliesTheTenant() {
        AtomicReference<String> requestTenant = new AtomicReference<>("acme");
        BrickworksCache resolved = newCache(b -> b.multiTenancyEnabled(true),
                () -> Optional.ofNullable(requestTenant.get()));
        await(resolved.setKey("k", "for-acme"));
        requestTenant.set("globex");
        assertThat(await(resolved.getKey("k"))).isNull();
        assertThat(resolved.currentTenant()).isEqualTo("globex");
        requestTenant.set(null);
        assertThatThrownBy(() -> resolved.getKey("k")).isInstanceOf(IllegalStateException.class);
        assertThat(stored(fullKey("acme", "default", "k"))).isTrue();
    }

    @Test
    void aResolverGivingABadTenantIsRejected() {
        BrickworksCache resolved = newCache(b -> b.multiTenancyEnabled(true), () -> Optional.of("bad:tenant"));
        assertThatThrownBy(() -> resolved.setKey("k", "v")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tenant").hasMessageContaining("bad:tenant");
    }

    // ------------------------------------------------------------------ no tenant

    static Stream<Arguments> writes() {
        return Stream.of(
                Arguments.of("setKey", (Consumer<BrickworksCache>) c -> c.setKey("k", "v")),
                Arguments.of("setKey bytes", (Consumer<BrickworksCache>) c -> c.setKey("k", new byte[] {1})),
                Arguments.of("getKey", (Consumer<BrickworksCache>) c -> c.getKey("k")),
                Arguments.of("deleteKey", (Consumer<BrickworksCache>) c -> c.deleteKey("k")),
                Arguments.of("refreshKey", (Consumer<BrickworksCache>) c -> c.refreshKey("k")),
                Arguments.of("pushToQueue", (Consumer<BrickworksCache>) c -> c.pushToQueue("k", "v")),
                Arguments.of("popFromQueue", (Consumer<BrickworksCache>) c -> c.popFromQueue("k")),
                Arguments.of("addToSet", (Consumer<BrickworksCache>) c -> c.addToSet("k", List.of("v"))),
                Arguments.of("removeFromSet", (Consumer<BrickworksCache>) c -> c.removeFromSet("k", List.of("v"))),
                Arguments.of("getSetMembers", (Consumer<BrickworksCache>) c -> c.getSetMembers("k")),
                Arguments.of("isSetMember", (Consumer<BrickworksCache>) c -> c.isSetMember("k", "v")),
                Arguments.of("listKeysByIndex", (Consumer<BrickworksCache>) c -> c.listKeysByIndex("k")),
                Arguments.of("deleteKeysByIndex", (Consumer<BrickworksCache>) c -> c.deleteKeysByIndex("k")),
                Arguments.of("attemptDistributedLock", (Consumer<BrickworksCache>) c -> c.attemptDistributedLock("k")),
                Arguments.of("releaseDistributedLock", (Consumer<BrickworksCache>) c -> c.releaseDistributedLock("k")),
                Arguments.of("currentTenant", (Consumer<BrickworksCache>) BrickworksCache::currentTenant));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writes")
    void multiTenancyWithoutATenantFailsAndWritesNothing(String name, Consumer<BrickworksCache> call) {
        RuntimeException thrown = assertNothingWritten(() -> call.accept(tenanted),
                fullKey(MASTER, "default", "k"), fullKey(MASTER, "__locks__", "k"));
        assertThat(thrown).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("multi-tenancy").hasMessageContaining("Tenants.bind");
    }

    @Test
    void multiTenancyWithoutATenantStillAllowsTheViews() {
        await(tenanted.masterTenant().setKey("k", "master"));
        await(tenanted.forTenant("acme").setKey("k", "acme"));
        assertThat(await(tenanted.masterTenant().getKey("k"))).isEqualTo("master");
        assertThat(await(tenanted.forTenant("acme").getKey("k"))).isEqualTo("acme");
    }

    // ------------------------------------------------------------------ multi-tenancy off

    @Test
    void multiTenancyOffUsesTheMasterTenantEvenWithATenantBound() {
        assertThat(cache.settings().multiTenancyEnabled()).isFalse();
        assertThat(cache.currentTenant()).isEqualTo(MASTER);
        try (TenantScope ignored = Tenants.bind("acme")) {
            assertThat(cache.currentTenant()).isEqualTo(MASTER);
            await(cache.setKey("k", "v"));
            await(cache.pushToQueue("q", "item"));
        }
        assertThat(stored(fullKey(MASTER, "default", "k"))).isTrue();
        assertThat(stored(fullKey(MASTER, "default", "q"))).isTrue();
        assertThat(stored(fullKey("acme", "default", "k"))).isFalse();
        assertThat(await(cache.masterTenant().getKey("k"))).isEqualTo("v");
    }

    @Test
    void multiTenancyOffStillHonoursExplicitViews() {
        await(cache.forTenant("acme").setKey("k", "v", SetOptions.options().expire(Duration.ofMinutes(1))));
        assertThat(stored(fullKey("acme", "default", "k"))).isTrue();
        assertThat(await(cache.getKey("k"))).isNull();
    }
}
