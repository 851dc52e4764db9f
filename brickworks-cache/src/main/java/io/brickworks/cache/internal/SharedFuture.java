package io.brickworks.cache.internal;

import java.util.concurrent.CompletableFuture;

/**
 * A future completed at creation that many callers may be handed, as Caffeine's {@code AsyncCache}
 * hands out the future it stores: nothing a caller does can change its outcome. {@code complete},
 * {@code completeExceptionally} and {@code cancel} already leave a completed future as it is; the two
 * methods that would overwrite it throw. Dependent stages are ordinary futures.
 *
 * @param <T> the value
 */
public class SharedFuture<T> extends CompletableFuture<T> {

    private static final SharedFuture<Object> NULL = new SharedFuture<>(null);

    /** A future completed with {@code value}; subclasses add what they carry beside it. */
    protected SharedFuture(T value) {
        super.complete(value);
    }

    /** A shared future of {@code value}. */
    public static <T> SharedFuture<T> of(T value) {
        return new SharedFuture<>(value);
    }

    /** The shared future of {@code null}. */
    @SuppressWarnings("unchecked")
    public static <T> SharedFuture<T> ofNull() {
        return (SharedFuture<T>) NULL;
    }

    /** @throws UnsupportedOperationException always: this future is shared */
    @Override
    public final void obtrudeValue(T value) {
        throw new UnsupportedOperationException("this future is shared by every reader of the entry and cannot be changed");
    }

    /** @throws UnsupportedOperationException always: this future is shared */
    @Override
    public final void obtrudeException(Throwable ex) {
        throw new UnsupportedOperationException("this future is shared by every reader of the entry and cannot be changed");
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
