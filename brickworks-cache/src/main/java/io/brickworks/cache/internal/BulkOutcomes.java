package io.brickworks.cache.internal;

import io.brickworks.cache.BulkResult;
import io.brickworks.cache.spi.CacheBackendException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Gathers the per-key futures of a bulk call into one {@link BulkResult}: the one place where a bulk
 * call's outcomes are collected, so that a failure of some keys never fails the call as a whole.
 * The result completes when every key's future has completed (each within about the command
 * timeout), and never exceptionally.
 */
final class BulkOutcomes {

    private BulkOutcomes() {
    }

    /**
     * @param keys the plain keys of the call, in its order
     * @param outcomes one future per key, in the same order
     * @param keepNull whether a {@code null} outcome is kept in the values (a read leaves out the keys
     *     it found missing, which answer {@code null})
     */
    static <V> CompletableFuture<BulkResult<V>> collect(List<String> keys, List<CompletableFuture<V>> outcomes,
                                                        boolean keepNull) {
        CompletableFuture<BulkResult<V>> result = new CompletableFuture<>();
        if (keys.isEmpty()) {
            result.complete(new BulkResult<>(new LinkedHashMap<>(), new LinkedHashMap<>()));
            return result;
        }
        AtomicInteger pending = new AtomicInteger(keys.size());
        for (CompletableFuture<V> outcome : outcomes) {
            outcome.whenComplete((value, error) -> {
                if (pending.decrementAndGet() == 0) {
                    result.complete(gather(keys, outcomes, keepNull));
                }
            });
        }
        return result;
    }

    /** Every future of {@code outcomes} is done. */
    private static <V> BulkResult<V> gather(List<String> keys, List<CompletableFuture<V>> outcomes, boolean keepNull) {
        Map<String, V> values = new LinkedHashMap<>();
        Map<String, CacheBackendException> failures = new LinkedHashMap<>();
        for (int i = 0; i < keys.size(); i++) {
            CompletableFuture<V> outcome = outcomes.get(i);
            if (outcome.isCompletedExceptionally()) {
                failures.put(keys.get(i), failure(outcome));
            } else {
                V value = outcome.join();
                if (value != null || keepNull) {
                    values.put(keys.get(i), value);
                }
            }
        }
        return new BulkResult<>(values, failures);
    }

    private static CacheBackendException failure(CompletableFuture<?> failed) {
        Throwable cause;
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            cause = e;
        }
        while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof CacheBackendException backend ? backend
                : new CacheBackendException(String.valueOf(cause.getMessage()), cause);
    }
}
