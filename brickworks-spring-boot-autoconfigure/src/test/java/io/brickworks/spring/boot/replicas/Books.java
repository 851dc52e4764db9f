package io.brickworks.spring.boot.replicas;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.cache.annotation.CacheEvict;
import org.springframework.cache.annotation.Cacheable;

/** A service with cached methods; counts its computations. */
public class Books {

    private final AtomicInteger computations = new AtomicInteger();

    /** How many times a cached method ran here (a method: the bean is a proxy). */
    public int computations() {
        return computations.get();
    }

    /** Slow enough that concurrent callers overlap (the assertion is on the count, not on time). */
    @Cacheable(cacheNames = "books", sync = true)
    public Book slow(String id) {
        computations.incrementAndGet();
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Book(id, "title-" + id);
    }

    @CacheEvict(cacheNames = "books")
    public void evict(String id) {
    }

    /** Evicts before the method runs: Spring calls {@code evictIfPresent}, immediate even in a transaction. */
    @CacheEvict(cacheNames = "books", beforeInvocation = true)
    public void evictFirst(String id) {
    }

    @CacheEvict(cacheNames = "books", allEntries = true)
    public void evictAll() {
    }

    /** One argument of any type: the key is the argument itself. */
    @Cacheable(cacheNames = "keys")
    public String echo(Object key) {
        return key + "#" + computations.incrementAndGet();
    }

    /** Two arguments: the key is a SimpleKey. */
    @Cacheable(cacheNames = "keys")
    public String two(String a, int b) {
        return a + "/" + b + "#" + computations.incrementAndGet();
    }

    /** A CompletableFuture method: Spring caches it through the cache's async retrieve methods. */
    @Cacheable(cacheNames = "async")
    public CompletableFuture<Book> async(String id) {
        computations.incrementAndGet();
        return CompletableFuture.supplyAsync(() -> new Book(id, "async-" + id));
    }

    /** Returns null, counting the call. */
    @Cacheable(cacheNames = "nulls")
    public String nothing(String key) {
        computations.incrementAndGet();
        return null;
    }

    /** Writes the entry of {@code id} in the cache "books", as a put would. */
    @org.springframework.cache.annotation.CachePut(cacheNames = "books", key = "#id")
    public Book put(String id, String title) {
        return new Book(id, title);
    }
}
