package io.brickworks.spring.scheduling;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated Spring bean method on one replica at a time: each call first takes the distributed
 * lock {@link #name()} (one attempt, no waiting) and runs the method only if it got it; a replica that
 * finds the lock held skips the call (logged at DEBUG) and returns {@code null} (an already completed
 * future for an async method). Works on {@code @Scheduled} methods and on any other method of a bean that
 * Spring proxies (calls from inside the same object bypass the proxy, as for every Spring annotation).
 *
 * <pre>{@code
 * @Scheduled(fixedRate = 60_000)
 * @OnOneReplica(name = "send-invoices", ttl = "30s", lockAtLeastFor = "50s")
 * public void sendInvoices() {
 *     ReplicaLock lock = ReplicaLock.current();
 *     for (Invoice invoice : invoices.pending()) {
 *         if (lock.isLost()) {
 *             return;                        // another replica may run now: stop early
 *         }
 *         mailer.send(invoice, lock.fencingToken());  // the mail service refuses tokens older than one it saw
 *     }
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>The lock</b> is this library's ({@code BrickworksCache.withLock}): the original's key (a Python
 *     brickworks service sees it), an owner-checked release, and a fencing token that strictly increases
 *     for each new holder. It is <b>renewed</b> to the full {@link #ttl()} every third of the TTL while the
 *     method runs, so a job longer than its TTL keeps it; a replica that dies frees it after the TTL.</li>
 * <li><b>The running method reads its lock</b> from {@link ReplicaLock#current()}: its fencing token, and
 *     {@link ReplicaLock#isLost()} (see there why a static accessor and not a parameter).</li>
 * <li><b>Loss.</b> When a renewal finds the lock gone or taken, or cannot reach the store, the lock is
 *     lost: {@link ReplicaLock#isLost()} turns {@code true} and a WARN is logged. The method's thread is
 *     <b>not interrupted</b>: it is a scheduler or caller thread in the middle of I/O that an interrupt
 *     could break (an interrupted NIO channel or JDBC connection is closed); the method decides when to
 *     stop.</li>
 * <li><b>Async methods</b> whose declared return type is {@code CompletableFuture} or
 *     {@code CompletionStage} hold the lock until their future completes; the caller gets a future that
 *     completes with the method's value after the lock was given up. Every other method holds it until it
 *     returns or throws.</li>
 * <li><b>Threads.</b> The method runs on the calling thread (the scheduler's for a {@code @Scheduled}
 *     job), which waits for the lock's acquisition before and its release after the method.</li>
 * <li><b>Errors.</b> An exception of the method is rethrown after the lock was given up. When the store
 *     cannot be reached to take the lock, the method does not run and the call throws the
 *     {@code CacheBackendException} (an async method returns a future failed with it).</li>
 * </ul>
 *
 * <p>Methods with a primitive return type other than {@code void} are rejected when the bean is created
 * (a skipped call has no value to return), as are bad attribute values, with an
 * {@link IllegalArgumentException} naming the attribute and the value. The one {@code BrickworksCache} bean
 * of the context (or the primary one) provides the locks. Enable it with {@link EnableOnOneReplica} or,
 * with Spring Boot, by the auto-configuration.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface OnOneReplica {

    /**
     * The lock's name: not empty, no colon after resolution. {@code ${...}} placeholders are resolved from
     * the environment once; {@code #{...}} parts are SpEL evaluated at each call with the method's
     * arguments ({@code #p0}, {@code #a0} or by name when compiled with {@code -parameters}), the bean
     * as {@code #root} and other beans as {@code @name}. Example:
     * {@code "report-#{#region}"}.
     */
    String name();

    /**
     * How long the lock outlives its last renewal, so how soon another replica may run the job after
     * this one died: a duration such as {@code "30s"}, {@code "500ms"}, {@code "PT1M"}, or a
     * {@code ${...}} placeholder that resolves to one. At least 1 ms; renewed every third of it.
     */
    String ttl() default "30s";

    /**
     * The minimum time the lock is kept after it was taken, even when the method ends sooner (ShedLock's
     * {@code lockAtLeastFor}): a short job started on every replica at the same tick then runs once. The
     * lock is left to expire at that time instead of being released. Same format as {@link #ttl()};
     * {@code "0s"} (the default) releases the lock as soon as the method ends.
     */
    String lockAtLeastFor() default "0s";

    /** Whose lock it is; by default the master tenant's, one lock for the whole system. */
    Tenant tenant() default Tenant.MASTER;

    /** The tenant scope of the lock. */
    enum Tenant {
        /** One lock shared by all tenants (the usual case for a scheduled job). */
        MASTER,
        /**
         * The lock of the tenant current on the calling thread when the method is called (the cache's
         * {@code currentTenant()}): the same job runs at the same time for different tenants, once per
         * tenant. Without multi-tenancy that is the master tenant; with multi-tenancy and no tenant bound,
         * the call throws the cache's {@link IllegalStateException} and the method does not run.
         */
        CURRENT
    }
}
