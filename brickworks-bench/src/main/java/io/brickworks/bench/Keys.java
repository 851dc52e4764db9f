package io.brickworks.bench;

import java.time.Duration;
import java.util.Random;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The key space every key-value case works on: {@value #COUNT} keys with 100-byte values. This
 * library is given the plain keys ({@code k00042}) and scopes them itself; the peers are given the
 * full keys it would build ({@code brickworks:public:default:k00042}), so every client sends the same
 * bytes to Redis.
 */
public final class Keys {

    /** How many keys are pre-filled. */
    public static final int COUNT = 10_000;

    /** The key prefix this library builds for the master tenant and the default namespace. */
    public static final String SCOPE = "brickworks:public:default:";

    /** The plain keys, as given to this library. */
    public static final String[] PLAIN = new String[COUNT];

    /** The full keys, as given to the peers. */
    public static final String[] FULL = new String[COUNT];

    /** A 100-byte ASCII value. */
    public static final String VALUE;

    /** The expiry every set uses: this library's default, 7 days. */
    public static final Duration TTL = Duration.ofDays(7);

    /** A fixed pseudo-random walk over the keys, as in Caffeine's GetPutBenchmark. */
    private static final int ORDER_SIZE = 1 << 14;
    private static final int ORDER_MASK = ORDER_SIZE - 1;
    private static final int[] ORDER = new int[ORDER_SIZE];

    static {
        for (int i = 0; i < COUNT; i++) {
            PLAIN[i] = String.format("k%05d", i);
            FULL[i] = SCOPE + PLAIN[i];
        }
        StringBuilder sb = new StringBuilder(100);
        for (int i = 0; i < 100; i++) {
            sb.append((char) ('a' + i % 26));
        }
        VALUE = sb.toString();
        Random random = new Random(42);
        for (int i = 0; i < ORDER_SIZE; i++) {
            ORDER[i] = random.nextInt(COUNT);
        }
    }

    private Keys() {
    }

    /** Each benchmark thread walks the key order from its own random start. */
    @State(Scope.Thread)
    public static class Cursor {
        private int position = new Random().nextInt(ORDER_SIZE);

        /** The index of the next key to use. */
        public int next() {
            position = (position + 1) & ORDER_MASK;
            return ORDER[position];
        }
    }
}
