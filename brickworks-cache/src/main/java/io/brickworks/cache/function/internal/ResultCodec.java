package io.brickworks.cache.function.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.brickworks.cache.function.ResultType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Set;

/**
 * Encodes results for the store and decodes them strictly. The stored form is one JSON object:
 * {@code {"ms":<how long the computation took>,"v":<the result as JSON>}}, or with Java
 * serialization enabled {@code {"ms":...,"ser":"<base64 of the serialized graph>"}}. Anything
 * else (garbage, a raw Java serialization stream, a field of the other form, trailing bytes) is a
 * {@link DecodeException}; a Java stream is only read when enabled, through an allowlist filter.
 */
final class ResultCodec<R> {

    /** A decoded entry. */
    record Decoded<R>(R value, long computeMillis) {
    }

    /** The stored bytes are not a value of this function. */
    static final class DecodeException extends Exception {
        DecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final long MAX_STREAM_BYTES = 64L * 1024 * 1024;

    private final ObjectMapper mapper;
    private final ObjectReader reader;
    private final ObjectWriter writer;
    private final Class<?> rawClass;
    private final ResultType<R> type;
    /** Non-null when results are stored with Java serialization. */
    private final ObjectInputFilter javaFilter;
    /** The largest stored value decoded ({@code CacheSettings.functionCacheMaxValueBytes}). */
    private final int maxValueBytes;

    ResultCodec(ObjectMapper mapper, ResultType<R> type, Set<Class<?>> javaAllowed, int maxValueBytes) {
        this.mapper = mapper;
        this.maxValueBytes = maxValueBytes;
        this.type = type;
        JavaType javaType = mapper.getTypeFactory().constructType(type.type());
        // Trailing content is checked on the whole envelope, not on the embedded value.
        this.reader = mapper.readerFor(javaType).without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.writer = mapper.writerFor(javaType);
        this.rawClass = box(type.rawClass());
        this.javaFilter = javaAllowed == null ? null : allowlist(javaAllowed);
    }

    private static Class<?> box(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        return java.lang.invoke.MethodType.methodType(c).wrap().returnType();
    }

    private static ObjectInputFilter allowlist(Set<Class<?>> allowed) {
        return info -> {
            if (info.depth() > 100 || info.references() > 1_000_000 || info.streamBytes() > MAX_STREAM_BYTES
                    || info.arrayLength() > 10_000_000) {
                return ObjectInputFilter.Status.REJECTED;
            }
            Class<?> c = info.serialClass();
            if (c == null) {
                return ObjectInputFilter.Status.UNDECIDED;
            }
            boolean array = c.isArray();
            while (c.isArray()) {
                c = c.getComponentType();
            }
            // Number and Enum are the abstract serializable superclasses of boxed numbers and enums;
            // collections read their elements into Object[] (each element is checked on its own).
            return c.isPrimitive() || allowed.contains(c) || c == Number.class || c == Enum.class
                    || (array && c == Object.class)
                    ? ObjectInputFilter.Status.ALLOWED : ObjectInputFilter.Status.REJECTED;
        };
    }

    ResultType<R> type() {
        return type;
    }

    /** Result types whose instances nobody can modify, so that one decoded instance may be handed to every caller. */
    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Boolean.class, Character.class, Byte.class,
            Short.class, Integer.class, Long.class, Float.class, Double.class, java.math.BigInteger.class,
            java.math.BigDecimal.class, java.util.UUID.class, java.time.Instant.class, java.time.LocalDate.class,
            java.time.LocalDateTime.class, java.time.LocalTime.class, java.time.OffsetDateTime.class,
            java.time.ZonedDateTime.class, java.time.Duration.class, java.time.Period.class);

    /**
     * Whether decoded results can be shared between callers: the declared type is one whose instances
     * cannot be modified (strings, boxed primitives, big numbers, UUIDs, java.time values, enums).
     * Collections, arrays, records and beans are not shared: each caller decodes its own.
     */
    boolean sharesResults() {
        return IMMUTABLE.contains(rawClass) || rawClass.isEnum();
    }

    /**
     * The stored form of {@code value}.
     *
     * @throws IllegalStateException when the value cannot be encoded (or, with Java serialization,
     *     its graph has a class outside the allowlist, so it could never be decoded)
     */
    byte[] encode(String function, R value, long computeMillis) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("ms", computeMillis);
            if (javaFilter == null) {
                g.writeFieldName("v");
                writer.writeValue(g, value);
            } else {
                byte[] serialized = serialize(value);
                readJava(serialized);
                g.writeBinaryField("ser", serialized);
            }
            g.writeEndObject();
        } catch (IOException | RuntimeException | DecodeException e) {
            throw new IllegalStateException("the result of function '" + function + "' (a "
                    + (value == null ? "null" : value.getClass().getName()) + ", declared " + type
                    + ") cannot be stored: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static byte[] serialize(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (ObjectOutputStream o = new ObjectOutputStream(out)) {
            o.writeObject(value);
        }
        return out.toByteArray();
    }

    /** Decodes stored bytes; bytes longer than the maximum value size are never read. */
    Decoded<R> decode(byte[] bytes) throws DecodeException {
        if (bytes.length > maxValueBytes) {
            throw new DecodeException(bytes.length + " bytes, more than the maximum of " + maxValueBytes
                    + " (FUNCTION_CACHE_MAX_VALUE_BYTES)", null);
        }
        try (JsonParser p = mapper.getFactory().createParser(bytes)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new DecodeException("not a JSON object", null);
            }
            long ms = -1;
            boolean hasValue = false;
            R value = null;
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken valueToken = p.nextToken();
                switch (field) {
                    case "ms" -> {
                        if (valueToken != JsonToken.VALUE_NUMBER_INT) {
                            throw new DecodeException("field ms is not an integer", null);
                        }
                        ms = p.getLongValue();
                    }
                    case "v" -> {
                        if (javaFilter != null || hasValue) {
                            throw new DecodeException("unexpected field v", null);
                        }
                        value = reader.readValue(p);
                        hasValue = true;
                    }
                    case "ser" -> {
                        if (javaFilter == null || hasValue || valueToken != JsonToken.VALUE_STRING) {
                            throw new DecodeException("unexpected field ser (Java serialization is not enabled "
                                    + "for this function)", null);
                        }
                        value = cast(readJava(p.getBinaryValue()));
                        hasValue = true;
                    }
                    default -> throw new DecodeException("unexpected field " + field, null);
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new DecodeException("trailing content", null);
            }
            if (!hasValue || ms < 0) {
                throw new DecodeException("missing field " + (hasValue ? "ms" : "v"), null);
            }
            return new Decoded<>(value, ms);
        } catch (IOException | RuntimeException e) {
            throw new DecodeException(e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private R cast(Object o) throws DecodeException {
        if (o != null && !rawClass.isInstance(o)) {
            throw new DecodeException("deserialized a " + o.getClass().getName() + ", not a " + type, null);
        }
        return (R) o;
    }

    private Object readJava(byte[] serialized) throws DecodeException {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
            in.setObjectInputFilter(javaFilter);
            Object o = in.readObject();
            if (in.read() != -1) {
                throw new DecodeException("trailing bytes after the serialized object", null);
            }
            return o;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw new DecodeException("Java deserialization refused: " + e, e);
        }
    }
}
