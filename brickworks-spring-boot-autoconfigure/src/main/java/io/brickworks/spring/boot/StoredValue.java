package io.brickworks.spring.boot;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.cache.support.NullValue;

/**
 * A Spring cache value as the function cache stores it: {@code {"t":"<type>","v":<the value as JSON>}},
 * or {@code {"t":null}} for a cached null ({@link NullValue}). Decoding names the type before any
 * class is loaded: a type outside the {@link TypeAllowlist} fails the decode, so the function cache
 * deletes the entry, logs it once and computes the value again; the class is never loaded, let alone
 * instantiated. Lists, sets and maps are stored as {@code java.util.List}, {@code Set}, {@code Map}
 * and come back as {@code ArrayList}, {@code LinkedHashSet}, {@code LinkedHashMap} whose elements are
 * plain JSON values (strings, numbers, maps): to cache a collection of your own types, return a
 * record or class that holds it.
 */
final class StoredValue {

    /** The value Spring stores: the application's object or {@link NullValue#INSTANCE}. */
    final Object value;

    StoredValue(Object value) {
        this.value = value;
    }

    /** The Jackson module that writes and reads stored values, checking types against {@code allowlist}. */
    static SimpleModule module(TypeAllowlist allowlist) {
        SimpleModule module = new SimpleModule("brickworks-spring-cache");
        module.addSerializer(StoredValue.class, new Writer());
        module.addDeserializer(StoredValue.class, new Reader(allowlist));
        return module;
    }

    /** The stored type name of a value. */
    static String typeName(Object value) {
        if (value instanceof List<?>) {
            return "java.util.List";
        }
        if (value instanceof Set<?>) {
            return "java.util.Set";
        }
        if (value instanceof Map<?, ?>) {
            return "java.util.Map";
        }
        return value.getClass().getName();
    }

    private static final class Writer extends JsonSerializer<StoredValue> {
        @Override
        public void serialize(StoredValue stored, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            if (stored.value == null || stored.value instanceof NullValue) {
                g.writeNullField("t");
            } else {
                g.writeStringField("t", typeName(stored.value));
                g.writeFieldName("v");
                provider.defaultSerializeValue(stored.value, g);
            }
            g.writeEndObject();
        }
    }

    private static final class Reader extends JsonDeserializer<StoredValue> {
        private final TypeAllowlist allowlist;

        Reader(TypeAllowlist allowlist) {
            this.allowlist = allowlist;
        }

        /** Streams {@code {"t":...,"v":...}} in that order (as written), so numbers keep their precision. */
        @Override
        public StoredValue deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"t".equals(p.currentName())) {
                return ctxt.reportInputMismatch(StoredValue.class, "not a stored Spring cache value");
            }
            JsonToken type = p.nextToken();
            if (type == JsonToken.VALUE_NULL) {
                return end(p, ctxt, new StoredValue(NullValue.INSTANCE));
            }
            if (type != JsonToken.VALUE_STRING) {
                return ctxt.reportInputMismatch(StoredValue.class, "the stored type is not a string");
            }
            String name = p.getText();
            Class<?> c = allowlist.resolve(name);
            if (c == null) {
                return ctxt.reportInputMismatch(StoredValue.class,
                        "the stored type '%s' is not in the allowlist of the Spring cache", name);
            }
            if (p.nextToken() != JsonToken.FIELD_NAME || !"v".equals(p.currentName())) {
                return ctxt.reportInputMismatch(StoredValue.class, "no value");
            }
            p.nextToken();
            return end(p, ctxt, new StoredValue(ctxt.readValue(p, c)));
        }

        private static StoredValue end(JsonParser p, DeserializationContext ctxt, StoredValue value) throws IOException {
            if (p.nextToken() != JsonToken.END_OBJECT) {
                return ctxt.reportInputMismatch(StoredValue.class, "unexpected content after the value");
            }
            return value;
        }
    }
}
