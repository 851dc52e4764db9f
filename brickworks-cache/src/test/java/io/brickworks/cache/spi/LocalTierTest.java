package io.brickworks.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.Ticker;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class LocalTierTest {

    private final AtomicLong time = new AtomicLong(1_000);
    private final Ticker ticker = time::get;

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private void advance(Duration d) {
        time.addAndGet(d.toNanos());
    }

    @Test
    void aValueIsReadAsSharedTextAsACopyOfItsBytesAndDecoded() {
        LocalTier tier = LocalTier.inFront(100, ticker);
        tier.put("p:t:n:k", new LocalTier.Value(utf8("h\u00e9llo"), LocalTier.NO_DEADLINE));

        assertThat(tier.getText("p:t:n:", "k").join()).isEqualTo("h\u00e9llo");
        assertThat(tier.getText("p:t:n:", "k")).as("one future for every reader of the value").isSameAs(tier.getText("p:t:n:", "k"));
        byte[] copy = tier.getBytes("p:t:n:", "k");
        copy[0] = 'X';
        assertThat(tier.getBytes("p:t:n:", "k")).as("a reader's array is its own").isEqualTo(utf8("h\u00e9llo"));
        assertThat(tier.<String>getDecoded("p:t:n:", "k", String::new, false)).isEqualTo("h\u00e9llo");
        assertThat(tier.getText("p:t:n:", "other")).isNull();
        assertThat(tier.getBytes("p:t:n:", "other")).isNull();
        assertThat(tier.<String>getDecoded("p:t:n:", "other", String::new, false)).isNull();
    }

    @Test
    void aMemoizedDecodingIsMadeOncePerValueAndDecoder() {
        LocalTier tier = LocalTier.inFront(100, ticker);
        tier.put("k", new LocalTier.Value(utf8("1"), LocalTier.NO_DEADLINE));
        AtomicInteger decodings = new AtomicInteger();
        Function<byte[], Integer> decoder = b -> {
            decodings.incrementAndGet();
            return Integer.valueOf(new String(b, StandardCharsets.UTF_8));
        };
        Function<byte[], Integer> other = b -> {
            decodings.incrementAndGet();
            return -1;
        };

        assertThat(tier.getDecoded("", "k", decoder, true)).isEqualTo(1);
        assertThat(tier.getDecoded("", "k", decoder, true)).isEqualTo(1);
        assertThat(decodings).hasValue(1);
        assertThat(tier.getDecoded("", "k", other, true)).as("another decoder decodes for itself").isEqualTo(-1);
        assertThat(tier.getDecoded("", "k", decoder, false)).isEqualTo(1);
        assertThat(decodings).hasValue(3);
        // a new value of the key is decoded anew
        tier.put("k", new LocalTier.Value(utf8("2"), LocalTier.NO_DEADLINE));
        assertThat(tier.getDecoded("", "k", decoder, true)).isEqualTo(2);
        // a decoder that cannot decode answers null, which is not kept
        assertThat(tier.<String>getDecoded("", "k", b -> null, true)).isNull();
    }

    @Test
    void anEntryIsNeverReturnedAtOrAfterItsDeadline() {
        LocalTier tier = LocalTier.wholeStore(100, ticker);
        tier.put("k", new LocalTier.Value(utf8("v"), tier.deadlineAfter(1_000)));
        assertThat(tier.remainingMillis(tier.get("k"))).isEqualTo(1_000);
        advance(Duration.ofMillis(999));
        assertThat(tier.getText("", "k").join()).isEqualTo("v");
        advance(Duration.ofMillis(1));
        assertThat(tier.getText("", "k")).isNull();
        assertThat(tier.get("k")).isNull();
        assertThat(tier.getBytes("", "k")).isNull();
        tier.cleanUp();
        assertThat(tier.size()).as("an expired entry is reclaimed").isZero();
    }

    @Test
    void computeSeesAnExpiredEntryAsAbsentAndAMovedDeadlineCounts() {
        LocalTier tier = LocalTier.wholeStore(100, ticker);
        tier.put("k", new LocalTier.Value(utf8("old"), tier.deadlineAfter(10)));
        advance(Duration.ofMillis(10));
        Map<String, LocalTier.Entry> seen = new HashMap<>();
        tier.compute("k", old -> {
            seen.put("k", old);
            return new LocalTier.Value(utf8("new"), tier.deadlineAfter(100));
        });
        assertThat(seen.get("k")).isNull();
        tier.compute("k", old -> {
            old.deadline(tier.deadlineAfter(10_000));
            return old;
        });
        advance(Duration.ofMillis(5_000));
        assertThat(tier.getText("", "k").join()).as("the longer deadline set inside compute holds").isEqualTo("new");
        tier.compute("k", old -> null);
        assertThat(tier.get("k")).isNull();
    }

    @Test
    void theBoundEvictsTheLeastRecentlyUsed() {
        LocalTier tier = LocalTier.inFront(50, ticker);
        for (int i = 0; i < 1_000; i++) {
            tier.put("k" + i, new LocalTier.Value(utf8("v"), LocalTier.NO_DEADLINE));
        }
        tier.cleanUp();
        assertThat(tier.size()).isLessThanOrEqualTo(50);
    }

    @Test
    void invalidationForgetsOneOrAll() {
        LocalTier tier = LocalTier.inFront(100, ticker);
        tier.put("a", new LocalTier.Value(utf8("1"), LocalTier.NO_DEADLINE));
        tier.put("b", new LocalTier.Value(utf8("2"), LocalTier.NO_DEADLINE));
        tier.invalidate("a");
        assertThat(tier.getText("", "a")).isNull();
        assertThat(tier.getText("", "b").join()).isEqualTo("2");
        tier.invalidateAll();
        assertThat(tier.getText("", "b")).isNull();
        Map<String, LocalTier.Entry> left = new HashMap<>();
        tier.forEach(left::put);
        assertThat(left).isEmpty();
    }

    @Test
    void theKindsOfTier() {
        assertThat(LocalTier.wholeStore(1, ticker).isWholeStore()).isTrue();
        assertThat(LocalTier.inFront(1, ticker).isWholeStore()).isFalse();
        LocalTier none = LocalTier.none();
        assertThat(none.isWholeStore()).isFalse();
        assertThat(none.getText("", "k")).isNull();
        assertThat(none.getBytes("", "k")).isNull();
        assertThatThrownBy(() -> LocalTier.inFront(0, ticker))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximumEntries").hasMessageContaining("0");
    }

    @Test
    void deadlinesAreCappedAndNeverMeanNoDeadline() {
        LocalTier tier = LocalTier.inFront(1, ticker);
        assertThat(tier.deadlineAfter(Long.MAX_VALUE)).isNotEqualTo(LocalTier.NO_DEADLINE).isPositive();
        assertThat(LocalTier.deadlineAfter(Long.MAX_VALUE >> 1, Long.MAX_VALUE)).isNotEqualTo(LocalTier.NO_DEADLINE);
    }
}
