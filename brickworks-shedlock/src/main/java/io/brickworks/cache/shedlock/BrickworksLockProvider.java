package io.brickworks.cache.shedlock;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import net.javacrumbs.shedlock.core.AbstractSimpleLock;
import net.javacrumbs.shedlock.core.ClockProvider;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.support.LockException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A ShedLock {@link net.javacrumbs.shedlock.core.LockProvider} on this library's locks. A team that uses
 * {@code @SchedulerLock} switches by replacing its {@code LockProvider} bean:
 *
 * <pre>{@code
 * @Bean
 * LockProvider lockProvider(BrickworksCache cache) {
 *     return new BrickworksLockProvider(cache.masterTenant());
 * }
 * }</pre>
 *
 * <ul>
 * <li><b>The original's lock key.</b> {@link #lock} is {@link BrickworksCache#tryLock(String, Duration)} with
 *     ShedLock's {@code lockAtMostFor} as the TTL: the lock lives at key {@code name} in namespace
 *     {@code __locks__} of the cache's tenant, so a Python brickworks service (its
 *     {@code attempt_distributed_lock(name)}) and {@link BrickworksCache#attemptDistributedLock} see the
 *     same lock and exclude each other with it.</li>
 * <li><b>Owner-checked unlock.</b> Each lock has its own owner token; {@link SimpleLock#unlock()} deletes
 *     the key only while it still holds that token (compare-and-delete), so a replica whose
 *     {@code lockAtMostFor} ran out never deletes the lock another replica took after it (ShedLock's
 *     Redis provider deletes it unconditionally unless {@code safeUpdate} is set).</li>
 * <li><b>{@code lockAtLeastFor}.</b> An unlock before {@link LockConfiguration#getLockAtLeastUntil()} (by
 *     {@link ClockProvider#now()}, as ShedLock measures it) leaves the lock to expire then instead of
 *     deleting it (owner-checked compare-and-expire).</li>
 * <li><b>Extend.</b> {@link SimpleLock#extend(Duration, Duration)} sets the remaining time to the new
 *     {@code lockAtMostFor} only while this lock still holds the key; it returns the new lock, or empty
 *     when the lock had expired or been taken by another owner. The old lock is invalid afterwards
 *     (ShedLock's rule).</li>
 * </ul>
 *
 * <p><b>Tenant.</b> The lock is in the tenant of the cache given to the constructor: give a
 * {@link BrickworksCache#masterTenant()} view for locks shared by all tenants (the usual case for a
 * scheduled job), or {@link BrickworksCache#forTenant(String)}; the root cache resolves the tenant at each
 * call. <b>Names</b> follow the cache's rules (no colon, not empty): {@link #lock} throws
 * {@link IllegalArgumentException} for a name the cache rejects.
 *
 * <p><b>Threads.</b> ShedLock's API is blocking: {@link #lock}, {@code unlock} and {@code extend} wait for
 * the store's answer on the calling thread. A store that cannot be reached makes {@link #lock} and
 * {@code extend} throw {@link LockException}; an unlock that cannot reach the store is logged at WARN and
 * the lock then expires by its {@code lockAtMostFor}. ShedLock's {@link SimpleLock} has no fencing token;
 * use the {@code brickworks-spring-scheduling} annotation for jobs that need one.
 */
public final class BrickworksLockProvider implements ExtensibleLockProvider {

    private static final Logger LOG = LoggerFactory.getLogger(BrickworksLockProvider.class);
    private static final Duration MILLI = Duration.ofMillis(1);

    private final BrickworksCache cache;

    /**
     * @param cache the cache (or tenant view) whose locks ShedLock uses
     * @throws IllegalArgumentException if {@code cache} is null
     */
    public BrickworksLockProvider(BrickworksCache cache) {
        if (cache == null) {
            throw new IllegalArgumentException("cache must not be null");
        }
        this.cache = cache;
    }

    /**
     * Tries once to take the lock {@code configuration.getName()} for {@code lockAtMostFor}.
     *
     * @return the held lock, or empty if another owner holds it
     * @throws IllegalArgumentException if the name is not a valid lock name or {@code lockAtMostFor} is
     *     shorter than 1 ms
     * @throws LockException if the store cannot be reached
     */
    @Override
    public Optional<SimpleLock> lock(LockConfiguration configuration) {
        Objects.requireNonNull(configuration, "configuration");
        Optional<LockHandle> handle = await(cache.tryLock(configuration.getName(), configuration.getLockAtMostFor()),
                "lock", configuration.getName());
        return handle.map(h -> new BrickworksSimpleLock(configuration, h));
    }

    private static <T> T await(CompletableFuture<T> future, String what, String name) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw new LockException("could not " + what + " '" + name + "': " + e.getCause(), e.getCause());
        }
    }

    /** One holding of a lock; its handle carries the owner token. */
    private static final class BrickworksSimpleLock extends AbstractSimpleLock {

        private final LockHandle handle;

        BrickworksSimpleLock(LockConfiguration configuration, LockHandle handle) {
            super(configuration);
            this.handle = handle;
        }

        @Override
        protected void doUnlock() {
            Duration keep = Duration.between(ClockProvider.now(), lockConfiguration.getLockAtLeastUntil());
            CompletableFuture<Boolean> step = keep.compareTo(MILLI) >= 0 ? handle.extend(keep) : handle.release();
            try {
                step.join();
            } catch (CompletionException e) {
                LOG.warn("could not unlock '{}'; it expires by its lockAtMostFor", handle.name(), e.getCause());
            }
        }

        @Override
        protected Optional<SimpleLock> doExtend(LockConfiguration configuration) {
            boolean held = await(handle.extend(configuration.getLockAtMostFor()), "extend", handle.name());
            return held ? Optional.of(new BrickworksSimpleLock(configuration, handle)) : Optional.empty();
        }
    }
}
