package io.brickworks.bench;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.lock.LockHandle;
import io.brickworks.cache.lock.LockOptions;
import io.brickworks.cache.tck.RedisServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.redis.spring.RedisLockProvider;
import org.redisson.api.RFencedLock;
import org.redisson.api.RLock;
import org.redisson.api.RedissonClient;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The adapter of the lock case: one try to take a free lock with a 10-second lease, then its release,
 * waiting for each. This library takes part twice: with the original's attemptDistributedLock and
 * releaseDistributedLock, and with its lock handles (which also draw a fencing token). A lock that cannot be taken fails the benchmark: every lock is free here.
 */
public interface LockClient extends AutoCloseable {

    /** The lease of every lock: this library's default lock TTL. */
    Duration LEASE = BrickworksCache.DEFAULT_LOCK_TTL;

    /** Takes and releases the lock {@code name}. */
    void acquireAndRelease(String name);

    @Override
    void close();

    /** The adapter for {@code name}, connected to the server on {@code port}. */
    static LockClient create(String name, int port) {
        switch (name) {
            case "brickworks":
                return new BrickworksLock(Clients.brickworksRedis(port));
            case "brickworks-handle":
                return new BrickworksHandleLock(Clients.brickworksRedis(port));
            case "brickworks-handle-unfloored":
                return new BrickworksHandleLock(Clients.brickworksRedisWithoutTokenFloor(port));
            case "brickworks-withlock":
                return new BrickworksWithLock(Clients.brickworksRedis(port), LockOptions.of(LEASE), null);
            case "brickworks-synced": {
                RedisServer replica = Clients.replicaOf(port);
                return new BrickworksWithLock(Clients.brickworksRedis(port),
                        LockOptions.of(LEASE).withSyncedReplicas(1, Duration.ofSeconds(1)), replica);
            }
            case "redisson":
                return new RedissonLock(Clients.redisson(port), false);
            case "redisson-fenced":
                return new RedissonLock(Clients.redisson(port), true);
            case "shedlock":
                return new ShedLock(Clients.springFactory(port), false);
            case "shedlock-safe":
                return new ShedLock(Clients.springFactory(port), true);
            default:
                throw new IllegalArgumentException("unknown client: " + name);
        }
    }

    private static IllegalStateException busy(String name) {
        return new IllegalStateException("lock " + name + " was not free");
    }

    /** This library's attemptDistributedLock and releaseDistributedLock. */
    final class BrickworksLock implements LockClient {
        private final BrickworksCache cache;

        BrickworksLock(BrickworksCache cache) {
            this.cache = cache;
        }

        @Override
        public void acquireAndRelease(String name) {
            if (!cache.attemptDistributedLock(name, LEASE).join()) {
                throw busy(name);
            }
            if (!cache.releaseDistributedLock(name).join()) {
                throw new IllegalStateException("lock " + name + " was not released");
            }
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** This library's lock handles: {@code tryLock} (with a fencing token), then {@code release()}. */
    final class BrickworksHandleLock implements LockClient {
        private final BrickworksCache cache;

        BrickworksHandleLock(BrickworksCache cache) {
            this.cache = cache;
        }

        @Override
        public void acquireAndRelease(String name) {
            LockHandle handle = cache.tryLock(name, LEASE).join().orElseThrow(() -> busy(name));
            if (!handle.release().join()) {
                throw new IllegalStateException("lock " + name + " was not released");
            }
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /**
     * This library's {@code withLock} with an empty work, with the given options (a synced-replica
     * lock waits for the one replica started for it, which {@link #close()} stops).
     */
    final class BrickworksWithLock implements LockClient {
        private final BrickworksCache cache;
        private final LockOptions options;
        private final RedisServer replica;

        BrickworksWithLock(BrickworksCache cache, LockOptions options, RedisServer replica) {
            this.cache = cache;
            this.options = options;
            this.replica = replica;
        }

        @Override
        public void acquireAndRelease(String name) {
            if (!cache.withLock(name, options, () -> { }).join().acquired()) {
                throw busy(name);
            }
        }

        @Override
        public void close() {
            cache.close();
            if (replica != null) {
                replica.close();
            }
        }
    }

    /**
     * Redisson's {@code RLock}: tryLock without waiting, with a lease, then unlock; or, fenced, its
     * {@code RFencedLock}: tryLockAndGetToken the same way.
     */
    final class RedissonLock implements LockClient {
        private final RedissonClient redisson;
        private final boolean fenced;

        RedissonLock(RedissonClient redisson, boolean fenced) {
            this.redisson = redisson;
            this.fenced = fenced;
        }

        @Override
        public void acquireAndRelease(String name) {
            RLock lock;
            boolean taken;
            if (fenced) {
                RFencedLock fencedLock = redisson.getFencedLock(name);
                lock = fencedLock;
                taken = fencedLock.tryLockAndGetToken(0, LEASE.toMillis(), TimeUnit.MILLISECONDS) != null;
            } else {
                lock = redisson.getLock(name);
                try {
                    taken = lock.tryLock(0, LEASE.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            if (!taken) {
                throw busy(name);
            }
            lock.unlock();
        }

        @Override
        public void close() {
            redisson.shutdown();
        }
    }

    /**
     * ShedLock's Redis provider (Spring Data Redis over Lettuce), lockAtLeastFor zero: by default its
     * release is an unconditional {@code DEL}; with {@code safeUpdate} it is an owner-checked script,
     * like this library's.
     */
    final class ShedLock implements LockClient {
        private final LettuceConnectionFactory factory;
        private final RedisLockProvider provider;

        ShedLock(LettuceConnectionFactory factory, boolean safeUpdate) {
            this.factory = factory;
            this.provider = new RedisLockProvider.Builder(factory).environment("bench").safeUpdate(safeUpdate).build();
        }

        @Override
        public void acquireAndRelease(String name) {
            Optional<SimpleLock> lock = provider.lock(new LockConfiguration(Instant.now(), name, LEASE, Duration.ZERO));
            lock.orElseThrow(() -> busy(name)).unlock();
        }

        @Override
        public void close() {
            factory.destroy();
        }
    }
}
