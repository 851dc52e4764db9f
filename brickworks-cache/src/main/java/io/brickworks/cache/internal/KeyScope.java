package io.brickworks.cache.internal;

import io.brickworks.cache.BrickworksCache;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one place that builds keys: {@code <prefix>:<tenant>:<namespace>:<key>}. Segments must
 * already be checked with {@link Names#check}.
 */
public final class KeyScope {

    /** The namespace of locks, as in the original. */
    public static final String LOCK_NAMESPACE = "__locks__";

    /** The namespace of the function cache's results, as in the original. */
    public static final String FUNCTION_NAMESPACE = "FUNC_CACHE";

    /** The prefix of an index's key segment: {@code __index__.<name>}, as in the original. */
    public static final String INDEX_PREFIX = "__index__.";

    /** How many namespace heads a scope keeps; beyond that, heads are built per call. */
    private static final int MAX_HEADS = 256;

    private final String tenant;
    /** {@code <prefix>:<tenant>:}, built once per scope. */
    private final String head;
    /** {@code <prefix>:<tenant>:default:}. */
    private final String defaultHead;
    /** {@code <prefix>:<tenant>:<namespace>:} by namespace, for the namespaces in use. */
    private final ConcurrentHashMap<String, String> heads = new ConcurrentHashMap<>();

    public KeyScope(String prefix, String tenant) {
        this.tenant = tenant;
        this.head = prefix + ':' + tenant + ':';
        this.defaultHead = head + BrickworksCache.DEFAULT_NAMESPACE + ':';
    }

    /**
     * {@code <prefix>:<tenant>:<namespace>:}, the part of a full key before the key segment; the same
     * instance for the same namespace while few namespaces are in use, so that a lookup needs no new
     * string.
     */
    public String head(String namespace) {
        if (namespace == BrickworksCache.DEFAULT_NAMESPACE) {
            return defaultHead;
        }
        String h = heads.get(namespace);
        if (h == null) {
            h = head + namespace + ':';
            if (heads.size() < MAX_HEADS) {
                String raced = heads.putIfAbsent(namespace, h);
                h = raced != null ? raced : h;
            }
        }
        return h;
    }

    public String tenant() {
        return tenant;
    }

    /** The full key of {@code key} in {@code namespace}. */
    public String key(String namespace, String key) {
        // One allocation: the compiler's string concatenation sizes the result exactly.
        return head(namespace) + key;
    }

    /** The full key of the index set {@code index} in {@code namespace}. */
    public String indexKey(String namespace, String index) {
        return key(namespace, INDEX_PREFIX + index);
    }

    /**
     * The full key of the fencing counter of lock {@code name}: the lock's key plus a fifth segment,
     * {@code <prefix>:<tenant>:__locks__:<name>:fence}, which no lock or entry key can equal (names
     * have no colon).
     */
    public String lockFenceKey(String name) {
        return key(LOCK_NAMESPACE, name) + ":fence";
    }

    /** The plain key (last segment) of a full key. */
    public static String plainKey(String fullKey) {
        return fullKey.substring(fullKey.lastIndexOf(':') + 1);
    }
}
