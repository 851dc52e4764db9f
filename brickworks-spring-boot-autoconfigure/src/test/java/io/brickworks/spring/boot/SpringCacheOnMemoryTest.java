package io.brickworks.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.Tenants;
import io.brickworks.spring.boot.replicas.Book;
import io.brickworks.spring.boot.replicas.Books;
import io.brickworks.spring.boot.replicas.ReplicaApplication;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The Spring cache on the memory backend in a real context through Spring's cache interceptor:
 * per-cache expiry, tenant scope and null caching from properties, CompletableFuture methods through
 * the async retrieve methods, and transaction-aware puts and evictions in a Spring transaction (H2).
 */
class SpringCacheOnMemoryTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ReplicaApplication.class, Transactions.class);

    @Test
    void perCacheExpiryFromProperties() {
        runner.withPropertyValues("brickworks.cache.spring.caches.keys.expire=300ms").run(context -> {
            Books books = context.getBean(Books.class);
            String first = books.echo("k");
            assertThat(books.echo("k")).isEqualTo(first);
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !books.echo("k").equals(first));
        });
    }

    @Test
    void entriesArePerTenantByDefaultAndSharedWithMasterTenant() {
        runner.withPropertyValues("brickworks.cache.multi-tenancy-enabled=true").run(context -> {
            Books books = context.getBean(Books.class);
            String acme = Tenants.call("acme", () -> books.echo("k"));
            assertThat(Tenants.call("acme", () -> books.echo("k"))).isEqualTo(acme);
            assertThat(Tenants.call("globex", () -> books.echo("k"))).as("another tenant, another entry")
                    .isNotEqualTo(acme);
        });
        runner.withPropertyValues("brickworks.cache.multi-tenancy-enabled=true",
                "brickworks.cache.spring.caches.keys.master-tenant=true").run(context -> {
            Books books = context.getBean(Books.class);
            String acme = Tenants.call("acme", () -> books.echo("k"));
            assertThat(Tenants.call("globex", () -> books.echo("k"))).as("one entry for all tenants").isEqualTo(acme);
        });
    }

    @Test
    void nullsAreCachedUnlessTurnedOffForTheCache() {
        runner.run(context -> {
            Books books = context.getBean(Books.class);
            assertThat(books.nothing("k")).isNull();
            assertThat(books.nothing("k")).isNull();
            assertThat(books.computations()).as("a cached null").isEqualTo(1);
        });
        runner.withPropertyValues("brickworks.cache.spring.caches.nulls.cache-nulls=false").run(context -> {
            Books books = context.getBean(Books.class);
            assertThatThrownBy(() -> books.nothing("k")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
        });
    }

    @Test
    void completableFutureMethodsAreCachedThroughRetrieve() {
        runner.run(context -> {
            Books books = context.getBean(Books.class);
            assertThat(books.async("a").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("a", "async-a"));
            assertThat(books.async("a").get(10, TimeUnit.SECONDS)).isEqualTo(new Book("a", "async-a"));
            assertThat(books.computations()).isEqualTo(1);
            Cache cache = context.getBean(CacheManager.class).getCache("async");
            assertThat(cache.retrieve("a").get(10, TimeUnit.SECONDS)).isInstanceOf(Cache.ValueWrapper.class);
            assertThat(cache.retrieve("missing").get(10, TimeUnit.SECONDS)).isNull();
        });
    }

    @Test
    void transactionAwarePutsAndEvictionsWaitForTheCommit() {
        runner.withPropertyValues("brickworks.cache.spring.transaction-aware=true").run(context -> {
            Books books = context.getBean(Books.class);
            TransactionTemplate tx = context.getBean(TransactionTemplate.class);
            Cache cache = context.getBean(CacheManager.class).getCache("books");

            tx.executeWithoutResult(status -> {
                books.put("b1", "in-tx");
                assertThat(cache.get("b1")).as("not before the commit").isNull();
            });
            assertThat(cache.get("b1", Book.class)).as("after the commit").isEqualTo(new Book("b1", "in-tx"));

            tx.executeWithoutResult(status -> {
                books.evict("b1");
                assertThat(cache.get("b1")).as("the eviction waits for the commit").isNotNull();
                status.setRollbackOnly();
            });
            assertThat(cache.get("b1")).as("rolled back: the eviction never ran").isNotNull();

            tx.executeWithoutResult(status -> books.evict("b1"));
            assertThat(cache.get("b1")).as("committed: evicted").isNull();
        });
    }

    @Test
    void transactionAwareImmediateOperationsActInsideTheTransaction() {
        runner.withPropertyValues("brickworks.cache.spring.transaction-aware=true").run(context -> {
            Books books = context.getBean(Books.class);
            TransactionTemplate tx = context.getBean(TransactionTemplate.class);
            Cache cache = context.getBean(CacheManager.class).getCache("books");
            books.put("b1", "before");
            books.put("b2", "before");

            tx.executeWithoutResult(status -> {
                assertThat(evictedBeforeTheMethodRuns(books, cache, "b1"))
                        .as("@CacheEvict(beforeInvocation = true): evicted at once").isTrue();
                assertThat(cache.evictIfPresent("b2")).as("evictIfPresent: at once, and it says so").isTrue();
                assertThat(cache.get("b2")).isNull();
                assertThat(cache.putIfAbsent("b3", new Book("b3", "in-tx"))).as("putIfAbsent: stored at once").isNull();
                assertThat(cache.get("b3", Book.class)).isEqualTo(new Book("b3", "in-tx"));
                status.setRollbackOnly();
            });
            assertThat(cache.get("b1")).as("a rollback does not undo an immediate eviction").isNull();
            assertThat(cache.get("b3", Book.class)).as("nor an immediate putIfAbsent").isEqualTo(new Book("b3", "in-tx"));

            tx.executeWithoutResult(status -> {
                assertThat(cache.invalidate()).as("invalidate: at once, and it says so").isTrue();
                assertThat(cache.get("b3")).isNull();
                status.setRollbackOnly();
            });
            assertThat(cache.get("b3")).isNull();
        });
    }

    /** Whether {@code @CacheEvict(beforeInvocation = true)} has evicted {@code id} when it returns. */
    private static boolean evictedBeforeTheMethodRuns(Books books, Cache cache, String id) {
        books.evictFirst(id);
        return cache.get(id) == null;
    }

    @Test
    void negativeControlAnEvictIfPresentThatWaitsForTheCommitIsCaught() {
        BrickworksSpringCache.plantedDeferredEvictIfPresent = true;
        try {
            runner.withPropertyValues("brickworks.cache.spring.transaction-aware=true").run(context -> {
                Books books = context.getBean(Books.class);
                Cache cache = context.getBean(CacheManager.class).getCache("books");
                books.put("b1", "before");
                context.getBean(TransactionTemplate.class).executeWithoutResult(status ->
                        assertThat(evictedBeforeTheMethodRuns(books, cache, "b1")).as("the planted bug is seen").isFalse());
            });
        } finally {
            BrickworksSpringCache.plantedDeferredEvictIfPresent = false;
        }
    }

    @Test
    void withoutTransactionAwarenessChangesHappenAtOnce() {
        runner.run(context -> {
            Books books = context.getBean(Books.class);
            Cache cache = context.getBean(CacheManager.class).getCache("books");
            context.getBean(TransactionTemplate.class).executeWithoutResult(status -> {
                books.put("b1", "now");
                assertThat(cache.get("b1", Book.class)).isEqualTo(new Book("b1", "now"));
            });
        });
    }

    @Test
    void cachesAreMadeOnFirstUseAndBadNamesAreRejected() {
        runner.run(context -> {
            CacheManager manager = context.getBean(CacheManager.class);
            assertThat(manager.getCache("made-now")).isNotNull();
            assertThat(manager.getCacheNames()).contains("made-now");
            assertThatThrownBy(() -> manager.getCache("a:b")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("a:b");
        });
    }

    @Test
    void theApplicationsJacksonMapperWritesTheValues() {
        runner.withUserConfiguration(UpperCamelCaseMapper.class).run(context -> {
            context.getBean(Books.class).put("b1", "title");
            BrickworksCache cache = context.getBean(BrickworksCache.class);
            String key = cache.listKeysByIndex("books", "FUNC_CACHE").get(10, TimeUnit.SECONDS).get(0);
            assertThat(cache.getKey(key, "FUNC_CACHE").get(10, TimeUnit.SECONDS)).contains("\"Id\":\"b1\"");
            assertThat(context.getBean(CacheManager.class).getCache("books").get("b1", Book.class))
                    .as("read back with the same mapper").isEqualTo(new Book("b1", "title"));
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class UpperCamelCaseMapper {
        @Bean
        ObjectMapper objectMapper() {
            return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.UPPER_CAMEL_CASE);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Transactions {
        @Bean
        DataSource dataSource() {
            return new DriverManagerDataSource("jdbc:h2:mem:spring-cache;DB_CLOSE_DELAY=-1");
        }

        @Bean
        TransactionTemplate transactionTemplate(DataSource dataSource) {
            return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        }
    }

}
