package io.brickworks.cache.tck;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sets: add returns the new count, remove, members, membership, and expiry raised but never lowered. */
public abstract class SetContract extends CacheContract {

    private static final Duration SHORT = Duration.ofMillis(300);

    @Test
    void addReturnsHowManyMembersWereNew() {
        assertThat(await(cache.addToSet("s", List.of("a", "b")))).isEqualTo(2L);
        assertThat(await(cache.addToSet("s", List.of("b", "c")))).isEqualTo(1L);
        assertThat(await(cache.addToSet("s", List.of("a", "b", "c")))).isZero();
        assertThat(await(cache.addToSet("s", List.of("d", "d")))).isEqualTo(1L);
        assertThat(await(cache.getSetMembers("s"))).containsExactlyInAnyOrder("a", "b", "c", "d");
    }

    @Test
    void removeReturnsHowManyWereRemoved() {
        await(cache.addToSet("s", List.of("a", "b", "c")));
        assertThat(await(cache.removeFromSet("s", List.of("a", "x")))).isEqualTo(1L);
        assertThat(await(cache.removeFromSet("s", List.of("a")))).isZero();
        assertThat(await(cache.getSetMembers("s"))).containsExactlyInAnyOrder("b", "c");
        assertThat(await(cache.removeFromSet("missing", List.of("a")))).isZero();
    }

    @Test
    void removingTheLastMemberRemovesTheSet() {
        await(cache.addToSet("s", List.of("a")));
        assertThat(await(cache.removeFromSet("s", List.of("a")))).isEqualTo(1L);
        assertThat(await(cache.getSetMembers("s"))).isEmpty();
        assertThat(stored(fullKey(MASTER, "default", "s"))).isFalse();
    }

    @Test
    void membership() {
        await(cache.addToSet("s", List.of("a", "grüße 世界")));
        assertThat(await(cache.isSetMember("s", "a"))).isTrue();
        assertThat(await(cache.isSetMember("s", "grüße 世界"))).isTrue();
        assertThat(await(cache.isSetMember("s", "b"))).isFalse();
        assertThat(await(cache.isSetMember("missing", "a"))).isFalse();
    }

    @Test
    void missingSetHasNoMembers() {
        assertThat(await(cache.getSetMembers("missing"))).isEmpty();
    }

    @Test
    void namespacesKeepSetsApart() {
        await(cache.addToSet("s", List.of("in-default")));
        await(cache.addToSet("s", List.of("in-tags"), "tags", Duration.ofHours(1)));
        assertThat(await(cache.getSetMembers("s"))).containsExactly("in-default");
        assertThat(await(cache.getSetMembers("s", "tags"))).containsExactly("in-tags");
        assertThat(await(cache.isSetMember("s", "in-default", "tags"))).isFalse();
        assertThat(await(cache.removeFromSet("s", List.of("in-tags"), "tags"))).isEqualTo(1L);
        assertThat(await(cache.getSetMembers("s"))).containsExactly("in-default");
    }

    @Test
    void defaultSetExpiryIsSevenDays() {
        await(cache.addToSet("s", List.of("a")));
        assertThat(ttlMillis(fullKey(MASTER, "default", "s")))
                .isBetween(Duration.ofDays(7).minusMinutes(1).toMillis(), Duration.ofDays(7).toMillis());
    }

    @Test
    void setExpires() {
        await(cache.addToSet("s", List.of("a", "b"), "default", SHORT));
        assertThat(ttlMillis(fullKey(MASTER, "default", "s"))).isLessThanOrEqualTo(SHORT.toMillis()).isNotEqualTo(-1L);
        eventually().until(() -> await(cache.getSetMembers("s")).isEmpty());
        assertThat(await(cache.isSetMember("s", "a"))).isFalse();
    }

    @Test
    void addRaisesTheExpiry() {
        await(cache.addToSet("s", List.of("a"), "default", SHORT));
        await(cache.addToSet("s", List.of("b"), "default", Duration.ofHours(1)));
        assertThat(ttlMillis(fullKey(MASTER, "default", "s"))).isGreaterThan(Duration.ofMinutes(59).toMillis());

        await(cache.addToSet("marker", List.of("m"), "default", SHORT));
        eventually().until(() -> await(cache.getSetMembers("marker")).isEmpty());
        assertThat(await(cache.getSetMembers("s"))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void addNeverLowersTheExpiry() {
        await(cache.addToSet("s", List.of("a"), "default", Duration.ofHours(1)));
        await(cache.addToSet("s", List.of("b"), "default", SHORT));
        assertThat(ttlMillis(fullKey(MASTER, "default", "s"))).isGreaterThan(Duration.ofMinutes(59).toMillis());

        await(cache.addToSet("marker", List.of("m"), "default", SHORT));
        eventually().until(() -> await(cache.getSetMembers("marker")).isEmpty());
        assertThat(await(cache.getSetMembers("s"))).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void addOfOnlyExistingMembersStillRaisesTheExpiry() {
        await(cache.addToSet("s", List.of("a"), "default", Duration.ofMinutes(1)));
        assertThat(await(cache.addToSet("s", List.of("a"), "default", Duration.ofHours(1)))).isZero();
        assertThat(ttlMillis(fullKey(MASTER, "default", "s"))).isGreaterThan(Duration.ofMinutes(59).toMillis());
    }

    @Test
    void largeSetRoundTrips() {
        List<String> many = java.util.stream.IntStream.range(0, 2000).mapToObj(i -> "m" + i).toList();
        assertThat(await(cache.addToSet("big", many))).isEqualTo(2000L);
        assertThat(await(cache.getSetMembers("big"))).hasSize(2000).containsAll(many);
    }
}
