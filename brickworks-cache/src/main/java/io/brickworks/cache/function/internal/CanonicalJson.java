package io.brickworks.cache.function.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import io.brickworks.cache.function.Arguments;
import io.brickworks.cache.internal.Names;
import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * The cache key of a call, as the original makes it: the SHA-256 (lower-case hex) of
 * {@code json.dumps({"args": [...], "kwargs": {...}}, sort_keys=True)}. Arguments are turned into
 * JSON trees by Jackson, then written exactly as Python's {@code json.dumps} writes them: object
 * keys sorted by code point, {@code ", "} and {@code ": "} as separators, non-ASCII characters as
 * lower-case {@code \}{@code uXXXX} escapes, floats in Python's {@code repr} form.
 */
final class CanonicalJson {

    private static final List<Class<?>> NOT_DATA = List.of(CompletionStage.class, Future.class, Thread.class,
            InputStream.class, OutputStream.class, Reader.class, Writer.class, Closeable.class, ClassLoader.class);

    private CanonicalJson() {
    }

    /**
     * The key hash of {@code args}.
     *
     * @param parameterNames names of the positional parameters for messages, or an empty list
     * @throws IllegalArgumentException naming the function and the argument when an argument
     *     cannot be serialized
     */
    static String hash(ObjectMapper mapper, String function, Arguments args, List<String> parameterNames) {
        return sha256(json(mapper, function, args, parameterNames));
    }

    static String json(ObjectMapper mapper, String function, Arguments args, List<String> parameterNames) {
        StringBuilder out = new StringBuilder(64);
        out.append("{\"args\": [");
        List<Object> positional = args.positional();
        for (int i = 0; i < positional.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            int index = i;
            writeArgument(out, mapper, function, () -> index < parameterNames.size()
                    ? "argument " + (index + 1) + " (" + parameterNames.get(index) + ")" : "argument " + (index + 1),
                    positional.get(i));
        }
        out.append("], \"kwargs\": {");
        boolean first = true;
        Map<String, Object> named = args.named();
        for (Map.Entry<String, Object> e : named.isEmpty() ? List.<Map.Entry<String, Object>>of() : sortedByCodePoint(named)) {
            if (!first) {
                out.append(", ");
            }
            first = false;
            writeString(out, e.getKey());
            out.append(": ");
            writeArgument(out, mapper, function, () -> "named argument " + Names.show(e.getKey()), e.getValue());
        }
        return out.append("}}").toString();
    }

    /** Writes one argument; plain scalars directly (the hit path's common case), others through Jackson. */
    private static void writeArgument(StringBuilder out, ObjectMapper mapper, String function,
                                      Supplier<String> label, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            writeString(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short
                || value instanceof Byte) {
            out.append(value);
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else {
            write(out, tree(mapper, function, label, value));
        }
    }

    private static JsonNode tree(ObjectMapper mapper, String function, Supplier<String> lazyLabel, Object value) {
        if (value != null) {
            for (Class<?> notData : NOT_DATA) {
                if (notData.isInstance(value)) {
                    throw new IllegalArgumentException("the arguments of function '" + function
                            + "' must be serializable to JSON, but " + lazyLabel.get() + " is a " + value.getClass().getName()
                            + " (" + notData.getSimpleName() + "), which is not data");
                }
            }
            if (value.getClass().isSynthetic()) {
                throw new IllegalArgumentException("the arguments of function '" + function
                        + "' must be serializable to JSON, but " + lazyLabel.get() + " is a lambda or synthetic class "
                        + value.getClass().getName());
            }
        }
        try {
            return mapper.valueToTree(value);
        } catch (IllegalArgumentException | StackOverflowError e) {
            throw new IllegalArgumentException("the arguments of function '" + function
                    + "' must be serializable to JSON, but " + lazyLabel.get() + " (a "
                    + value.getClass().getName() + ") is not: " + e.getMessage(), e);
        }
    }

    private static <V> List<Map.Entry<String, V>> sortedByCodePoint(Map<String, V> map) {
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
        entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        return entries;
    }

    private static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode node) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.size());
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            entries.add(it.next());
        }
        entries.sort((a, b) -> compareCodePoints(a.getKey(), b.getKey()));
        return entries;
    }

    /** Python compares strings by code point; Java's compareTo by UTF-16 unit. */
    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static void write(StringBuilder out, JsonNode node) {
        JsonNodeType type = node.getNodeType();
        switch (type) {
            case NULL, MISSING -> out.append("null");
            case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
            case STRING -> writeString(out, node.textValue());
            case BINARY -> writeString(out, node.asText());
            case NUMBER -> writeNumber(out, node);
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(", ");
                    }
                    write(out, node.get(i));
                }
                out.append(']');
            }
            case OBJECT -> {
                out.append('{');
                boolean first = true;
                for (Map.Entry<String, JsonNode> e : sortedFields(node)) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    writeString(out, e.getKey());
                    out.append(": ");
                    write(out, e.getValue());
                }
                out.append('}');
            }
            default -> writeString(out, node.asText());
        }
    }

    private static void writeNumber(StringBuilder out, JsonNode node) {
        if (node.isIntegralNumber()) {
            out.append(node.bigIntegerValue());
        } else if (node.isBigDecimal()) {
            out.append(node.decimalValue().toString());
        } else if (node.isFloat()) {
            out.append(pythonFloat(Float.toString(node.floatValue()), node.floatValue()));
        } else {
            double d = node.doubleValue();
            out.append(pythonFloat(Double.toString(d), d));
        }
    }

    /** A float as Python's {@code repr} writes it: shortest digits, exponent below 1e-4 and from 1e16. */
    static String pythonFloat(String javaText, double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal bd = new BigDecimal(javaText).stripTrailingZeros();
        String sign = bd.signum() < 0 ? "-" : "";
        String digits = bd.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - bd.scale();
        StringBuilder s = new StringBuilder(sign);
        if (exponent < -4 || exponent >= 16) {
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            s.append('e').append(exponent < 0 ? '-' : '+');
            int abs = Math.abs(exponent);
            if (abs < 10) {
                s.append('0');
            }
            s.append(abs);
        } else if (exponent < 0) {
            s.append("0.");
            s.append("0".repeat(-exponent - 1)).append(digits);
        } else if (digits.length() <= exponent + 1) {
            s.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            s.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return s.toString();
    }

    /** A string as Python's json.dumps with ensure_ascii writes it. */
    static void writeString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        out.append("\\u");
                        String hex = Integer.toHexString(c);
                        out.append("0".repeat(4 - hex.length())).append(hex);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** One digest per thread: {@code MessageDigest.getInstance} looks up providers on every call. */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    });

    static String sha256(String text) {
        MessageDigest digest = SHA_256.get();
        digest.reset();
        return HEX.formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static final HexFormat HEX = HexFormat.of();
}
