package io.brickworks.cache.jcache;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.cache.CacheException;

/**
 * The stored form of keys and values (store-by-value). Strings, longs, integers and byte arrays have
 * a compact tagged form; any other {@link java.io.Serializable} value is written with Java
 * serialization and read back through {@link AllowlistInput}, which checks every class name of the
 * stream against the {@link TypeAllowlist} <em>before</em> the class is loaded, and limits depth,
 * references and size. A value whose graph holds a type outside the list is refused when it is
 * written (a trial decode), so nothing undecodable is ever stored.
 *
 * <p>Equal keys of the built-in key types (strings, numbers, {@code Date}, records of those) have
 * equal encodings; a key type whose serialized form depends on more than its equality (a hash map
 * with a different insertion history) is not a good key for any store-by-value cache.
 *
 * <p>Thread-safe.
 */
final class ValueCodec {

    private static final byte STRING = 'S';
    private static final byte LONG = 'L';
    private static final byte INTEGER = 'I';
    private static final byte BYTES = 'B';
    private static final byte JAVA = 'J';

    private static final long MAX_STREAM_BYTES = 64L * 1024 * 1024;

    private final TypeAllowlist allowlist;
    private final ClassLoader classLoader;
    private final ObjectInputFilter limits;

    ValueCodec(TypeAllowlist allowlist, ClassLoader classLoader) {
        this.allowlist = allowlist;
        this.classLoader = classLoader;
        this.limits = info -> info.depth() > 100 || info.references() > 1_000_000
                || info.streamBytes() > MAX_STREAM_BYTES || info.arrayLength() > 10_000_000
                ? ObjectInputFilter.Status.REJECTED : ObjectInputFilter.Status.UNDECIDED;
    }

    TypeAllowlist allowlist() {
        return allowlist;
    }

    /**
     * The stored form of {@code value}.
     *
     * @throws IllegalArgumentException naming {@code argument} if the value is not serializable or its graph holds
     *     a type outside the allowlist
     */
    byte[] encode(String argument, Object value) {
        if (value instanceof String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[utf8.length + 1];
            out[0] = STRING;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        if (value instanceof Long l) {
            return ByteBuffer.allocate(9).put(LONG).putLong(l).array();
        }
        if (value instanceof Integer i) {
            return ByteBuffer.allocate(5).put(INTEGER).putInt(i).array();
        }
        if (value instanceof byte[] b) {
            byte[] out = new byte[b.length + 1];
            out[0] = BYTES;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new IllegalArgumentException(argument + " must be serializable but a " + value.getClass().getName()
                    + " is not: " + e, e);
        }
        byte[] encoded = bytes.toByteArray();
        try {
            readJava(encoded, 0);
        } catch (CacheException e) {
            throw new IllegalArgumentException(argument + " is a " + value.getClass().getName()
                    + " whose stored form could not be read back (add its types to the allowlist, "
                    + JCacheSettings.ALLOWED_TYPES + "): " + e.getMessage(), e);
        }
        return encoded;
    }

    /**
     * The value of stored bytes.
     *
     * @throws CacheException if the bytes are not a stored value or hold a type outside the allowlist
     */
    Object decode(byte[] stored) {
        return decode(stored, 0);
    }

    /** The value stored in {@code stored} from {@code offset} on. */
    Object decode(byte[] stored, int offset) {
        if (stored.length <= offset) {
            throw new CacheException("empty stored value");
        }
        int n = stored.length - offset - 1;
        switch (stored[offset]) {
            case STRING:
                return new String(stored, offset + 1, n, StandardCharsets.UTF_8);
            case LONG:
                checkLength(n, 8);
                return ByteBuffer.wrap(stored, offset + 1, 8).getLong();
            case INTEGER:
                checkLength(n, 4);
                return ByteBuffer.wrap(stored, offset + 1, 4).getInt();
            case BYTES:
                return Arrays.copyOfRange(stored, offset + 1, stored.length);
            case JAVA:
                return readJava(stored, offset);
            default:
                throw new CacheException("not a stored value (unknown tag " + (stored[offset] & 0xff) + ")");
        }
    }

    private static void checkLength(int n, int expected) {
        if (n != expected) {
            throw new CacheException("not a stored value (" + n + " bytes where " + expected + " belong)");
        }
    }

    /** Reads the Java-serialized value whose tag is at {@code offset}. */
    private Object readJava(byte[] encoded, int offset) {
        try (AllowlistInput in = new AllowlistInput(new ByteArrayInputStream(encoded, offset + 1,
                encoded.length - offset - 1))) {
            Object o = in.readObject();
            if (in.read() != -1) {
                throw new CacheException("trailing bytes after the stored value");
            }
            return o;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            throw e instanceof CacheException c ? c : new CacheException("stored value refused: " + e, e);
        }
    }

    /** Java deserialization that checks each class name against the allowlist before loading the class. */
    private final class AllowlistInput extends ObjectInputStream {
        AllowlistInput(InputStream in) throws IOException {
            super(in);
            setObjectInputFilter(limits);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            if (!allowlist.allows(name)) {
                throw new InvalidClassException(name, "not in the allowlist of value types ("
                        + JCacheSettings.ALLOWED_TYPES + ")");
            }
            try {
                return Class.forName(name, false, classLoader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc);
            }
        }

        @Override
        protected Class<?> resolveProxyClass(String[] interfaces) throws InvalidClassException {
            throw new InvalidClassException("proxy classes are never decoded");
        }
    }
}
