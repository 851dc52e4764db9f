package io.brickworks.cache.function.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.function.Arguments;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Keys must equal the original's: the expected JSON and hashes below were produced by Python's
 * {@code json.dumps({"args": args, "kwargs": kwargs}, sort_keys=True)} and {@code hashlib.sha256}.
 */
class CanonicalJsonTest {

    private static String json(Arguments args) {
        return CanonicalJson.json(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, "f", args, List.of());
    }

    private static String hash(Arguments args) {
        return CanonicalJson.hash(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, "f", args, List.of());
    }

    @Test
    void positionalArgumentsAsPython() {
        assertThat(json(Arguments.of(1, 2))).isEqualTo("{\"args\": [1, 2], \"kwargs\": {}}");
        assertThat(hash(Arguments.of(1, 2)))
                .isEqualTo("06a9772a8215289fdc4ff84d46b1ce1f48b364a05bd9b18f1596351c63b3f5ac");
        assertThat(hash(Arguments.none()))
                .isEqualTo("ddcb0ace97c5704824a4e6a1624cbedfd89afd84f67ef88f47fdf2f4c816bfed");
    }

    @Test
    void namedArgumentsAsPythonKwargs() {
        assertThat(json(Arguments.of(1).with("b", 2))).isEqualTo("{\"args\": [1], \"kwargs\": {\"b\": 2}}");
        assertThat(hash(Arguments.of(1).with("b", 2)))
                .isEqualTo("3fb6c3403cfcc1406b56aa5fd2754d90e6e55ac737638dffd1cb92c8e44d3bda");
    }

    @Test
    void stringsEscapedAsPythonEnsureAscii() {
        Arguments args = Arguments.of("héllo \"q\" \n\t\uD83D\uDE00", null, true, false);
        assertThat(json(args)).isEqualTo(
                "{\"args\": [\"h\\u00e9llo \\\"q\\\" \\n\\t\\ud83d\\ude00\", null, true, false], \"kwargs\": {}}");
        assertThat(hash(args)).isEqualTo("1f58ed0f8b84d035d646717fdf6534d1c1e6b9c77037de1c6849e06c64d107c3");
    }

    @Test
    void mapsSortedAndFloatsAsPythonRepr() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("b", 1);
        map.put("a", List.of(1.5, 1e16, 1.5e-7, 0.1, 100.0, -2.5));
        Arguments args = Arguments.of(map).with("z", 0).with("a", "x");
        assertThat(json(args)).isEqualTo("{\"args\": [{\"a\": [1.5, 1e+16, 1.5e-07, 0.1, 100.0, -2.5], \"b\": 1}], "
                + "\"kwargs\": {\"a\": \"x\", \"z\": 0}}");
        assertThat(hash(args)).isEqualTo("f9943e27261b1d2522668a3dc0ee1282117edd4d1283aab76e2512b8fb4998b1");
    }

    record Point(int y, int x) {
    }

    enum Color { RED }

    @Test
    void recordsBecomeSortedObjectsAndEnumsTheirNames() {
        assertThat(json(Arguments.of(new Point(2, 1), Color.RED)))
                .isEqualTo("{\"args\": [{\"x\": 1, \"y\": 2}, \"RED\"], \"kwargs\": {}}");
    }

    @Test
    void pythonFloatRepr() {
        assertThat(CanonicalJson.pythonFloat(Double.toString(1e15), 1e15)).isEqualTo("1000000000000000.0");
        assertThat(CanonicalJson.pythonFloat(Double.toString(0.0001), 0.0001)).isEqualTo("0.0001");
        assertThat(CanonicalJson.pythonFloat(Double.toString(1e-5), 1e-5)).isEqualTo("1e-05");
        assertThat(CanonicalJson.pythonFloat(Double.toString(1e22), 1e22)).isEqualTo("1e+22");
        assertThat(CanonicalJson.pythonFloat(Double.toString(123.456), 123.456)).isEqualTo("123.456");
        assertThat(CanonicalJson.pythonFloat(Double.toString(-0.0), -0.0)).isEqualTo("-0.0");
        assertThat(CanonicalJson.pythonFloat("NaN", Double.NaN)).isEqualTo("NaN");
    }

    static final class Empty {
    }

    @Test
    void unserializableArgumentsNameTheFunctionAndTheArgument() {
        assertThatThrownBy(() -> hash(Arguments.of(1, new Empty())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'f'").hasMessageContaining("argument 2");
        assertThatThrownBy(() -> hash(Arguments.of(1).with("future", new CompletableFuture<>())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("named argument 'future'");
        Runnable lambda = () -> { };
        assertThatThrownBy(() -> hash(Arguments.of(lambda)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 1");
        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        assertThatThrownBy(() -> CanonicalJson.hash(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, "f",
                Arguments.of(cycle), List.of("items")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("argument 1 (items)");
    }

    @Test
    void codePointOrderAsPython() {
        // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 unit.
        assertThat(CanonicalJson.compareCodePoints("\uFF5E", "\uD83D\uDE00")).isNegative();
        assertThat("\uFF5E".compareTo("\uD83D\uDE00")).isPositive();
    }
}
