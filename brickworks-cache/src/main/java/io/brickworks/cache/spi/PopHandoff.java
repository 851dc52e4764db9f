package io.brickworks.cache.spi;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The handoff of a popped element, for backends implementing
 * {@link CacheBackend#popLeft(String, long, Function)}: one place that decides whether the caller
 * got the element or it goes back.
 */
public final class PopHandoff {

    private PopHandoff() {
    }

    /**
     * Completes {@code result} with {@code decode(item)}. When that fails (the caller completed the
     * future first: cancel, {@code orTimeout}, {@code completeExceptionally}; or {@code decode}
     * threw, which then fails {@code result}), a non-null {@code item} is given to {@code putBack},
     * which must return it to the head of its list: it is handed to exactly one caller or put back.
     */
    public static <T> void handOver(CompletableFuture<T> result, byte[] item, Function<byte[], T> decode,
                                    Consumer<byte[]> putBack) {
        boolean handed;
        try {
            handed = result.complete(decode.apply(item));
        } catch (RuntimeException e) {
            handed = false;
            result.completeExceptionally(e);
        }
        if (!handed && item != null) {
            putBack.accept(item);
        }
    }
}
