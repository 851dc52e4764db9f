package io.brickworks.cache.metrics;

import io.brickworks.cache.function.FunctionCacheStats;
import java.util.function.Supplier;

/**
 * The metrics hook of a cache: the cache tells it what happened, a binder (such as the
 * {@code brickworks-micrometer} module) turns the events into meters. Bind one with
 * {@link io.brickworks.cache.BrickworksCache#bindMetrics(CacheMetrics)}; until then the cache uses
 * {@link #NONE}, whose methods do nothing, and a read pays one field read and one empty call, no
 * allocation.
 *
 * <p><b>Threading.</b> Methods are called on the thread that completes the operation (a caller's
 * thread, a backend I/O thread or the cache's scheduler), concurrently. They must be fast, must not
 * block and must not throw; an exception they throw propagates into the cache operation.
 *
 * <p><b>Cardinality.</b> Names passed here are namespaces, queue names, lock names and function
 * names, never keys. Lock and queue names may be dynamic; a binder must bound how many distinct
 * names it turns into meters.
 */
public interface CacheMetrics {

    /** Does nothing; the default of every cache. */
    CacheMetrics NONE = new CacheMetrics() {
    };

    /** A key-value read ({@code getKey}, {@code getKeyBytes}) completed: a hit or a miss. */
    default void keyRead(String tenant, String namespace, boolean hit) {
    }

    /** A key-value write ({@code setKey}) was sent; counted when it is issued, whatever its outcome. */
    default void keyWritten(String tenant, String namespace) {
    }

    /** A key-value delete ({@code deleteKey}) was sent; counted when it is issued, whatever its outcome. */
    default void keyDeleted(String tenant, String namespace) {
    }

    /** A queue operation completed. */
    default void queue(String tenant, String queue, QueueEvent event) {
    }

    /** A lock event of this instance (see {@link LockEvent} for which calls report which events). */
    default void lock(String tenant, String name, LockEvent event) {
    }

    /**
     * A lock handle of this instance took its lock (reported with its {@link LockEvent#ACQUIRED});
     * every handle later reports {@link #lockHandleEnded} once, so the handles open now are the
     * opened minus the ended ones.
     */
    default void lockHandleOpened(String tenant, String name) {
    }

    /**
     * A lock handle of this instance ended (released, or found lost) after holding its lock for
     * {@code heldNanos}; reported with its {@link LockEvent#RELEASED} or {@link LockEvent#LOST}.
     */
    default void lockHandleEnded(String tenant, String name, long heldNanos) {
    }

    /**
     * A cached function was built in this cache; {@code stats} reads its counters at any time. When
     * a binder is bound later, the cache reports every function built before, so none is missed.
     * The same name can be reported more than once (one function wrapped twice): the counters add up.
     */
    default void functionCreated(String name, Supplier<FunctionCacheStats> stats) {
    }

    /**
     * The server answered a backend command (with a result or an error) {@code nanos} after the call
     * was made. {@code kind} is the command's name as Lettuce spells it ({@code GET}, {@code SET},
     * {@code RPUSH}, ...), or {@code COMPOUND} for a script run by its SHA (with its fallback) and for
     * a command a cluster splits over nodes. Only backends that talk to a server report.
     */
    default void command(String kind, long nanos) {
    }

    /** A backend call failed, for {@code cause}; reported once per failed call. */
    default void backendFailure(BackendFailure cause) {
    }

    /** The backend's connection dropped and was opened again. */
    default void reconnected() {
    }

    /**
     * The backend keeps a near cache; {@code stats} reads its counters at any time (see
     * {@link NearCacheStats}). Reported when a hook is bound, once per binding.
     */
    default void nearCacheCreated(Supplier<NearCacheStats> stats) {
    }
}
