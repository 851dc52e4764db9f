package io.brickworks.demo;

import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

/** Printing for the demo: scenes, lines, and calls timed from call to result. */
final class Out {

    private Out() {
    }

    static synchronized void title(String text) {
        System.out.println();
        System.out.println("=== " + text + " ===");
    }

    static synchronized void scene(String text) {
        System.out.println();
        System.out.println("--- " + text);
    }

    static synchronized void line(String text) {
        System.out.println(text);
    }

    /** Waits (bounded) for a result, unwrapping the async wrapper. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new CompletionException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("the cache did not answer within 30 s", e);
        }
    }

    /** Prints what a replica did, the result, and the time from the call to the result. */
    static <T> T timed(Demo.Replica replica, String what, java.util.function.Supplier<CompletableFuture<T>> call) {
        long t0 = System.nanoTime();
        T result = join(call.get());
        double ms = (System.nanoTime() - t0) / 1e6;
        line(String.format("  [%s] %-52s -> %-28s (%.2f ms)", replica.name(), what, show(result), ms));
        return result;
    }

    static String show(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof byte[] b) {
            return Arrays.toString(b);
        }
        return o.toString();
    }
}
