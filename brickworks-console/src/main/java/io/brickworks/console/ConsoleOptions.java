package io.brickworks.console;

import java.time.Duration;

/**
 * What the console may do and show. Immutable; {@link #defaults()} is read-only: no actions, no
 * values, charts of the last 10 minutes sampled every 5 seconds.
 *
 * @param actionsEnabled whether actions (requeue or purge dead letters, release a stuck lock, purge a
 *     tenant) may run at all; each one also needs a request that {@linkplain ConsoleRequest#mayAct may act}
 * @param valuesShown whether dead letters' payloads are shown (they may be personal data); names always are
 * @param sampleEvery how often the charts sample the meters
 * @param window how far back the charts reach
 */
public record ConsoleOptions(boolean actionsEnabled, boolean valuesShown, Duration sampleEvery, Duration window) {

    /**
     * @throws IllegalArgumentException if {@code sampleEvery} is not at least 1 s, or {@code window}
     *     is not longer than {@code sampleEvery} or holds more than 10,000 samples
     */
    public ConsoleOptions {
        if (sampleEvery == null || sampleEvery.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("sampleEvery must be at least 1 s but was " + sampleEvery);
        }
        if (window == null || window.compareTo(sampleEvery) <= 0 || window.dividedBy(sampleEvery) > 10_000) {
            throw new IllegalArgumentException("window must be longer than sampleEvery (" + sampleEvery
                    + ") and at most 10000 samples but was " + window);
        }
    }

    /** Read-only, values hidden, 10 minutes sampled every 5 seconds. */
    public static ConsoleOptions defaults() {
        return new ConsoleOptions(false, false, Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    /** These options with actions enabled or not. */
    public ConsoleOptions withActionsEnabled(boolean enabled) {
        return new ConsoleOptions(enabled, valuesShown, sampleEvery, window);
    }

    /** These options with values shown or not. */
    public ConsoleOptions withValuesShown(boolean shown) {
        return new ConsoleOptions(actionsEnabled, shown, sampleEvery, window);
    }

    /** These options with another sampling. */
    public ConsoleOptions withSampling(Duration every, Duration overWindow) {
        return new ConsoleOptions(actionsEnabled, valuesShown, every, overWindow);
    }
}
