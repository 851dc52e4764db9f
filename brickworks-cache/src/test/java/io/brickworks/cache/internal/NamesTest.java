package io.brickworks.cache.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The name rules, the safe display of rejected values, and the index-member rule. */
class NamesTest {

    @Test
    void showEscapesControlAndFormatCharactersAndDoublesBackslashes() {
        assertThat(Names.show("a\r\nb\u001b\u2028\u200e\\u0041")).isEqualTo("'a\\u000d\\u000ab\\u001b\\u2028\\u200e\\\\u0041'");
        assertThat(Names.show("t\uD800")).isEqualTo("'t\\ud800'");
        assertThat(Names.show(null)).isEqualTo("null");
        assertThat(Names.show("\u00e9")).isEqualTo("'\u00e9'");
    }

    @Test
    void showCutsLongValuesAndGivesTheirLength() {
        String shown = Names.show("y".repeat(1_000_000));
        assertThat(shown).startsWith("'" + "y".repeat(Names.SHOWN_CHARS) + "'").endsWith("... (1000000 chars)");
        assertThat(shown.length()).isLessThan(Names.SHOWN_CHARS + 40);
    }

    @Test
    void wellFormedPairsPassAndLoneSurrogatesFail() {
        assertThat(Names.check("key", "a\uD83D\uDE00b")).isEqualTo("a\uD83D\uDE00b");
        for (String bad : new String[] {"\uD800", "a\uDC00", "\uDE00\uD83D", "\uD83D\uD83D\uDE00x\uDBFF"}) {
            assertThatThrownBy(() -> Names.check("key", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("key must be well-formed Unicode");
        }
    }

    @Test
    void reservedNamesAreRejectedOnlyWhereTheyAreReserved() {
        assertThatThrownBy(() -> Names.checkKey("key", "__index__.a")).hasMessageContaining("reserved __index__.");
        assertThat(Names.checkKey("key", "_index__.a")).isEqualTo("_index__.a");
        assertThatThrownBy(() -> Names.checkNamespace("namespace", "__locks__")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Names.checkNamespace("namespace", "FUNC_CACHE")).hasMessageContaining("reserved");
        assertThatThrownBy(() -> Names.checkReadableNamespace("namespace", "__locks__"))
                .hasMessageContaining("reserved");
        assertThat(Names.checkReadableNamespace("namespace", "FUNC_CACHE")).isEqualTo("FUNC_CACHE");
        assertThat(Names.check("tenant", "__locks__")).isEqualTo("__locks__");
    }

    @Test
    void anIndexFollowsOnlyItsOwnMembers() {
        String index = "bw:acme:default:__index__.users";
        assertThat(KeyScope.isOwnMember(index, "bw:acme:default:u1")).isTrue();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:default:x__index__.y")).isTrue();
        assertThat(KeyScope.isOwnMember(index, "bw:evil:default:u1")).as("another tenant").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:other:u1")).as("another namespace").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:__locks__:job")).as("a lock").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:default:__index__.other")).as("an index").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:default:a:fence")).as("a deeper key").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:default:")).as("the head alone").isFalse();
        assertThat(KeyScope.isOwnMember(index, "other:acme:default:u1")).as("another prefix").isFalse();
        assertThat(KeyScope.isOwnMember(index, "bw:acme:defaultX:u1")).isFalse();
    }
}
