package io.brickworks.cache;

import io.brickworks.cache.internal.Names;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Immutable options of {@link BrickworksCache#setKey(String, String, SetOptions)}: namespace,
 * expiry, indices and set-if-absent. Each method returns a new instance and checks its argument at
 * once:
 *
 * <pre>{@code
 * cache.setKey("user-1", json, SetOptions.options().namespace("users").expire(Duration.ofHours(1))
 *         .indices("active-users").ifAbsent());
 * }</pre>
 */
public final class SetOptions {

    /** Namespace {@code default}, the cache's default expiry, no indices, always write. */
    public static final SetOptions DEFAULTS = new SetOptions(BrickworksCache.DEFAULT_NAMESPACE, null, List.of(), false);

    private final String namespace;
    private final Duration expire;
    private final List<String> indices;
    private final boolean ifAbsent;

    private SetOptions(String namespace, Duration expire, List<String> indices, boolean ifAbsent) {
        this.namespace = namespace;
        this.expire = expire;
        this.indices = indices;
        this.ifAbsent = ifAbsent;
    }

    /** The defaults, to start a chain. */
    public static SetOptions options() {
        return DEFAULTS;
    }

    /** These options in {@code namespace}. */
    public SetOptions namespace(String namespace) {
        return new SetOptions(Names.checkNamespace("namespace", namespace), expire, indices, ifAbsent);
    }

    /** These options with the key expiring {@code expire} after the write (at least 1 ms). */
    public SetOptions expire(Duration expire) {
        return new SetOptions(namespace, Names.checkExpire("expire", expire), indices, ifAbsent);
    }

    /** These options with the key expiring {@code seconds} after the write, as in the original. */
    public SetOptions expireSeconds(long seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("expire must be at least 1 s but was " + seconds + " s");
        }
        return expire(Duration.ofSeconds(seconds));
    }

    /** These options with the key added to each of {@code indices} (replacing earlier indices). */
    public SetOptions indices(String... indices) {
        Names.checkNotNull("indices", indices);
        return indices(Arrays.asList(indices));
    }

    /** These options with the key added to each of {@code indices} (replacing earlier indices). */
    public SetOptions indices(List<String> indices) {
        Names.checkNotNull("indices", indices);
        for (String index : indices) {
            Names.check("index", index);
        }
        return new SetOptions(namespace, expire, List.copyOf(indices), ifAbsent);
    }

    /** These options writing only if the key does not exist yet (Redis {@code NX}). */
    public SetOptions ifAbsent() {
        return new SetOptions(namespace, expire, indices, true);
    }

    public String namespace() {
        return namespace;
    }

    /** The expiry, or {@code null} for the cache's default (7 days unless configured). */
    public Duration expire() {
        return expire;
    }

    public List<String> indices() {
        return indices;
    }

    public boolean isIfAbsent() {
        return ifAbsent;
    }

    @Override
    public String toString() {
        return "SetOptions{namespace=" + namespace + ", expire=" + expire + ", indices=" + indices
                + ", ifAbsent=" + ifAbsent + "}";
    }
}
