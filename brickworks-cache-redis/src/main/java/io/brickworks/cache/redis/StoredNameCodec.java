package io.brickworks.cache.redis;

import io.brickworks.cache.spi.StoredNames;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import java.nio.ByteBuffer;

/**
 * The codec of every connection: keys are names as {@link StoredNames} reads and writes them (UTF-8,
 * and a byte that is not valid UTF-8 as one unpaired surrogate, both ways), values are bytes. So a
 * key that a walk ({@code SCAN}) hands over names the stored key exactly, also when another client
 * wrote a name that is not valid UTF-8; a plain UTF-8 codec would read such a byte as
 * {@code U+FFFD} and a later {@code DEL} would miss the key.
 */
final class StoredNameCodec implements RedisCodec<String, byte[]> {

    static final StoredNameCodec INSTANCE = new StoredNameCodec();

    /** Whether keys are read without loss; false only in a negative control (a plain UTF-8 codec). */
    private final boolean lossless;

    private StoredNameCodec() {
        this(true);
    }

    StoredNameCodec(boolean lossless) {
        this.lossless = lossless;
    }

    @Override
    public String decodeKey(ByteBuffer bytes) {
        return lossless ? StoredNames.decode(bytes) : StringCodec.UTF8.decodeKey(bytes);
    }

    @Override
    public byte[] decodeValue(ByteBuffer bytes) {
        return ByteArrayCodec.INSTANCE.decodeValue(bytes);
    }

    @Override
    public ByteBuffer encodeKey(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (StoredNames.isEscapedByte(key.charAt(i))) {
                return ByteBuffer.wrap(StoredNames.encode(key));
            }
        }
        return StringCodec.UTF8.encodeKey(key);
    }

    @Override
    public ByteBuffer encodeValue(byte[] value) {
        return ByteArrayCodec.INSTANCE.encodeValue(value);
    }
}
