package io.brickworks.cache.function.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.function.ResultType;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The codec alone; tampering with stored entries end to end is in FunctionCacheContract. */
class ResultCodecTest {

    record User(String name, int age) implements Serializable {
    }

    record UserV2(String name, int age, String email) {
    }

    private static <R> ResultCodec<R> json(ResultType<R> type) {
        return new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER, type, null, Integer.MAX_VALUE);
    }

    @Test
    void genericResultsRoundTripWithTheirTypes() throws Exception {
        ResultCodec<List<User>> codec = json(new ResultType<List<User>>() { });
        byte[] bytes = codec.encode("f", List.of(new User("ann", 3)), 12);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("{\"ms\":12,\"v\":[{\"age\":3,\"name\":\"ann\"}]}");
        ResultCodec.Decoded<List<User>> decoded = codec.decode(bytes);
        assertThat(decoded.value()).containsExactly(new User("ann", 3));
        assertThat(decoded.value().get(0)).isInstanceOf(User.class);
        assertThat(decoded.computeMillis()).isEqualTo(12);

        ResultCodec<Map<String, List<Integer>>> maps = json(new ResultType<Map<String, List<Integer>>>() { });
        assertThat(maps.decode(maps.encode("f", Map.of("a", List.of(1, 2)), 0)).value())
                .isEqualTo(Map.of("a", List.of(1, 2)));
    }

    @Test
    void nullIsAValue() throws Exception {
        ResultCodec<String> codec = json(ResultType.of(String.class));
        assertThat(codec.decode(codec.encode("f", null, 1)).value()).isNull();
    }

    @Test
    void changedTypesAndForeignBytesDoNotDecode() throws Exception {
        ResultCodec<UserV2> v2 = json(ResultType.of(UserV2.class));
        byte[] v1 = json(ResultType.of(User.class)).encode("f", new User("ann", 3), 1);
        assertThatThrownBy(() -> v2.decode(v1)).isInstanceOf(ResultCodec.DecodeException.class);

        ResultCodec<User> codec = json(ResultType.of(User.class));
        for (String garbage : List.of("", "garbage", "{}", "{\"v\":1}", "{\"ms\":1,\"v\":{\"name\":\"a\",\"age\":1}} x",
                "{\"ms\":1,\"v\":{\"name\":\"a\",\"age\":1},\"extra\":1}", "[1]", "{\"ms\":\"1\",\"v\":null}")) {
            assertThatThrownBy(() -> codec.decode(garbage.getBytes(StandardCharsets.UTF_8)))
                    .as(garbage).isInstanceOf(ResultCodec.DecodeException.class);
        }
    }

    @Test
    void javaSerializationOnlyForAllowedClasses() throws Exception {
        ResultCodec<User> codec = new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER,
                ResultType.of(User.class), Set.of(User.class), Integer.MAX_VALUE);
        assertThat(codec.decode(codec.encode("f", new User("bo", 4), 2)).value()).isEqualTo(new User("bo", 4));

        ResultCodec<ArrayList<Integer>> lists = new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER,
                new ResultType<ArrayList<Integer>>() { }, Set.of(ArrayList.class, Integer.class), Integer.MAX_VALUE);
        assertThat(lists.decode(lists.encode("f", new ArrayList<>(List.of(1, 2)), 0)).value()).containsExactly(1, 2);

        // A graph with a class outside the allowlist is refused when stored, not only when read.
        ResultCodec<ArrayList<User>> strict = new ResultCodec<>(DefaultCachedFunctionBuilder.DEFAULT_MAPPER,
                new ResultType<ArrayList<User>>() { }, Set.of(ArrayList.class), Integer.MAX_VALUE);
        assertThatThrownBy(() -> strict.encode("f", new ArrayList<>(List.of(new User("a", 1))), 0))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("'f'");
    }
}
