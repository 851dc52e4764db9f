package io.brickworks.cache.function;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Caches the results of an interface method, applied through {@link FunctionCache#cached(Class, Object)}:
 *
 * <pre>{@code
 * interface Prices {
 *     @Cached(name = "prices.quote", expire = 60)
 *     CompletableFuture<Quote> quote(String symbol, int quantity);
 *
 *     @Cached(name = "prices.currencies", expire = 1, expireUnit = TimeUnit.HOURS, masterTenant = true)
 *     List<String> currencies();
 * }
 * Prices prices = cache.functions().cached(Prices.class, new HttpPrices(client));
 * }</pre>
 *
 * <p>A method that returns {@link java.util.concurrent.CompletableFuture} or
 * {@link java.util.concurrent.CompletionStage} is cached as an async function (its result type is
 * the future's type argument); any other non-void method as a synchronous function. The method's
 * arguments are the positional arguments of the cache key. Each attribute has the meaning of the
 * {@link CachedFunctionBuilder} option of the same name.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

    /** The stable name of the function: the key prefix and index of its entries. No colon. */
    String name();

    /** The expiry in {@link #expireUnit()}s; 0 (the default) means the cache's default expiry (7 days). */
    long expire() default 0;

    /** The unit of {@link #expire()}: seconds by default, as in the original. */
    TimeUnit expireUnit() default TimeUnit.SECONDS;

    /** Cache in the master tenant, shared by all tenants. */
    boolean masterTenant() default false;

    /** Cache null results too (by default a null result is returned but not cached). */
    boolean cacheNulls() default false;

    /** The beta of probabilistic early refresh; 0 (the default) turns it off. */
    double earlyRefresh() default 0;
}
