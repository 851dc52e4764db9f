package io.brickworks.spring.boot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.brickworks.cache.function.Arguments;
import java.lang.reflect.Field;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * The canonical form of a Spring cache key, hashed by the function cache into the entry's key. Each
 * key becomes a JSON tree that names its class beside its JSON value ({@code {"t":"java.lang.Long",
 * "v":7}}), so keys that Spring tells apart stay apart: {@code 7} and {@code 7L}, the string
 * {@code "a:b"} and a record with the same JSON, a {@link SimpleKey} and a list. A {@link SimpleKey}
 * becomes the list of its parameters' canonical forms. Keys are never written into the Redis key as
 * text, so colons and any other characters are harmless.
 */
final class SpringKeys {

    private static final Field SIMPLE_KEY_PARAMS = simpleKeyParams();

    private final ObjectMapper mapper;

    SpringKeys(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * The function cache arguments for {@code key}.
     *
     * @throws IllegalArgumentException naming the key's class when Jackson cannot write it as JSON
     */
    Arguments arguments(Object key) {
        return Arguments.of(canonical(key));
    }

    private JsonNode canonical(Object key) {
        ObjectNode node = mapper.createObjectNode();
        if (key == null) {
            return node.putNull("t");
        }
        if (key instanceof SimpleKey simple) {
            ArrayNode params = node.put("t", "SimpleKey").putArray("v");
            for (Object p : params(simple)) {
                params.add(canonical(p));
            }
            return node;
        }
        if (key instanceof Object[] array) {
            ArrayNode items = node.put("t", "Object[]").putArray("v");
            for (Object p : array) {
                items.add(canonical(p));
            }
            return node;
        }
        try {
            node.put("t", key.getClass().getName()).set("v", mapper.valueToTree(key));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("a cache key of type " + key.getClass().getName()
                    + " cannot be written as JSON, which the cache needs to make its key: " + e.getMessage(), e);
        }
        return node;
    }

    private static Object[] params(SimpleKey key) {
        try {
            return (Object[]) SIMPLE_KEY_PARAMS.get(key);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot read the parameters of a SimpleKey", e);
        }
    }

    private static Field simpleKeyParams() {
        try {
            Field f = SimpleKey.class.getDeclaredField("params");
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("this Spring version's SimpleKey has no 'params' field", e);
        }
    }
}
