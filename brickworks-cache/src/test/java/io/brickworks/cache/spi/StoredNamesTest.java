package io.brickworks.cache.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StoredNamesTest {

    @Test
    void everyByteArrayRoundTrips() {
        Random random = new Random(27);
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);
            assertThat(StoredNames.encode(StoredNames.decode(bytes))).isEqualTo(bytes);
        }
    }

    @Test
    void validUtf8DecodesAsUtf8AndInvalidBytesAsEscapes() {
        String valid = "brickworks:acme:default:caf\u00e9-\uD83D\uDE00";
        assertThat(StoredNames.decode(valid.getBytes(StandardCharsets.UTF_8))).isEqualTo(valid);
        assertThat(StoredNames.encode(valid)).isEqualTo(valid.getBytes(StandardCharsets.UTF_8));
        assertThat(StoredNames.decode(new byte[] {'a', (byte) 0xff, (byte) 0xc3, 'x'})).isEqualTo("a\uDCFF\uDCC3x");
        assertThat(StoredNames.encode("a\uDCFFb")).containsExactly('a', 0xff, 'b');
    }
}
