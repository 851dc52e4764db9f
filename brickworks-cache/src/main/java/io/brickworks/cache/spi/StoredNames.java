package io.brickworks.cache.spi;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Key names as the store holds them (bytes) and as the SPI passes them (strings), without loss.
 * Names are UTF-8; a name written by another client need not be valid UTF-8, so each byte that is
 * not part of a valid UTF-8 sequence is read as one unpaired surrogate {@code U+DC80..U+DCFF} (the
 * byte plus {@code 0xDC00}, as Python's {@code surrogateescape}), and written back as that byte. So
 * every name a store walk hands over ({@link CacheBackend#scan}) names exactly the stored key when it
 * is passed back (to delete it): {@code encode(decode(b))} equals {@code b} for every byte array.
 * A valid UTF-8 name decodes to the same string as a plain UTF-8 decoder gives. Thread-safe.
 */
public final class StoredNames {

    private static final char FIRST_ESCAPE = '\uDC80';
    private static final char LAST_ESCAPE = '\uDCFF';

    private StoredNames() {
    }

    /** Whether {@code c} stands for one byte that is not valid UTF-8. */
    public static boolean isEscapedByte(char c) {
        return c >= FIRST_ESCAPE && c <= LAST_ESCAPE;
    }

    /** The name held as {@code bytes}: UTF-8, with each invalid byte as one unpaired surrogate. */
    public static String decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** {@link #decode(byte[])} of the remaining bytes of {@code buffer}, which is not moved. */
    public static String decode(ByteBuffer buffer) {
        ByteBuffer in = buffer.duplicate();
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return strict.decode(in).toString();
        } catch (CharacterCodingException e) {
            return decodeEscaping(buffer.duplicate(), strict);
        }
    }

    private static String decodeEscaping(ByteBuffer in, CharsetDecoder decoder) {
        decoder.reset();
        CharBuffer out = CharBuffer.allocate(in.remaining() * 2 + 1);
        while (true) {
            var result = decoder.decode(in, out, true);
            if (result.isError()) {
                for (int i = 0; i < result.length(); i++) {
                    out.put((char) (0xDC00 | (in.get() & 0xFF)));
                }
            } else if (result.isUnderflow()) {
                decoder.flush(out);
                break;
            }
        }
        out.flip();
        return out.toString();
    }

    /** The bytes of {@code name}: UTF-8, with each unpaired surrogate {@code U+DC80..U+DCFF} as its byte. */
    public static byte[] encode(String name) {
        int escape = firstEscape(name);
        if (escape < 0) {
            return name.getBytes(StandardCharsets.UTF_8);
        }
        ByteBuffer out = ByteBuffer.allocate(name.length() * 3);
        int from = 0;
        for (int i = escape; i < name.length(); i++) {
            char c = name.charAt(i);
            if (isEscapedByte(c) && !(i > 0 && Character.isHighSurrogate(name.charAt(i - 1)))) {
                out.put(name.substring(from, i).getBytes(StandardCharsets.UTF_8));
                out.put((byte) (c & 0xFF));
                from = i + 1;
            }
        }
        out.put(name.substring(from).getBytes(StandardCharsets.UTF_8));
        byte[] bytes = new byte[out.position()];
        out.flip().get(bytes);
        return bytes;
    }

    /** The index of the first char that may stand for an invalid byte, or -1. */
    private static int firstEscape(String name) {
        for (int i = 0; i < name.length(); i++) {
            if (isEscapedByte(name.charAt(i))) {
                return i;
            }
        }
        return -1;
    }
}
