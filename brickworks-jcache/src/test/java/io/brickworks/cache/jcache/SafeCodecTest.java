package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Store-by-value is safe against stored bytes written by someone else: a value whose stream names a
 * class outside the allowlist is refused <em>before the class is loaded</em> (a recording class loader
 * sees no request for it), and a value that could not be read back is refused when it is put, naming
 * the argument, with nothing written. The negative control allows the class and shows that the same
 * bytes then do reach the class loader, so the recording would have seen a load.
 */
class SafeCodecTest {

    /** A serializable class that is not on the allowlist. */
    static final class Canary implements Serializable {
        private static final long serialVersionUID = 1L;
        final String note;

        Canary(String note) {
            this.note = note;
        }
    }

    /** A class loader that records every class name asked of it. */
    static final class RecordingLoader extends ClassLoader {
        final List<String> asked = Collections.synchronizedList(new ArrayList<>());

        RecordingLoader() {
            super(SafeCodecTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            asked.add(name);
            return super.loadClass(name, resolve);
        }
    }

    private BrickworksCache library;
    private final RecordingLoader loader = new RecordingLoader();
    private CacheManager manager;

    @BeforeEach
    void open() {
        library = BrickworksCache.builder().settings(CacheSettings.builder().build()).build();
    }

    @AfterEach
    void close() {
        if (manager != null) {
            manager.close();
        }
        library.close();
    }

    private Cache<String, Object> cache(String allowed) {
        Properties p = new Properties();
        p.put(JCacheSettings.CACHE_INSTANCE, library);
        if (allowed != null) {
            p.setProperty(JCacheSettings.ALLOWED_TYPES, allowed);
        }
        manager = new BrickworksCachingProvider().getCacheManager(URI.create("urn:test:codec"), loader, p);
        return manager.createCache("values", new MutableConfiguration<String, Object>());
    }

    /** The bytes of an entry holding {@code value} serialized by plain Java serialization, as another writer would store them. */
    private static byte[] foreignEntry(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write('J');
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        byte[] v = bytes.toByteArray();
        return ByteBuffer.allocate(9 + v.length).put((byte) 1).putLong(Long.MAX_VALUE).put(v).array();
    }

    /** Writes an entry for key {@code "k"} of cache {@code values} directly through the library (not through JCache). */
    private void writeBehind(byte[] entry) {
        String key = new EntryStore(library, "jcache", "values", JCacheSettings.resolve(URI.create("urn:x"),
                loader, new Properties()), System::currentTimeMillis)
                .key("k", new ValueCodec(TypeAllowlist.parse("t", null), loader));
        library.blocking().setKey(key, entry, io.brickworks.cache.SetOptions.options().namespace("jcache")
                .indices("values"));
    }

    @Test
    void aClassOutsideTheAllowlistIsRefusedBeforeItIsLoaded() throws Exception {
        Cache<String, Object> cache = cache(null);
        writeBehind(foreignEntry(new Canary("from elsewhere")));
        assertThatThrownBy(() -> cache.get("k")).isInstanceOf(CacheException.class)
                .hasMessageContaining(Canary.class.getName()).hasMessageContaining("allowlist");
        assertThat(loader.asked).doesNotContain(Canary.class.getName());
    }

    @Test
    void negativeControlAnAllowedClassIsLoadedThroughTheRecordedLoader() throws Exception {
        Cache<String, Object> cache = cache(Canary.class.getName());
        writeBehind(foreignEntry(new Canary("from elsewhere")));
        assertThat(((Canary) cache.get("k")).note).isEqualTo("from elsewhere");
        assertThat(loader.asked).contains(Canary.class.getName());
    }

    @Test
    void aValueThatCouldNotBeReadBackIsRefusedWhenPutAndNothingIsWritten() {
        Cache<String, Object> cache = cache(null);
        assertThatThrownBy(() -> cache.put("k", new Canary("x"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value").hasMessageContaining(Canary.class.getName())
                .hasMessageContaining(JCacheSettings.ALLOWED_TYPES);
        assertThat(cache.containsKey("k")).isFalse();
        assertThat(cache.iterator().hasNext()).isFalse();
    }

    @Test
    void storeByValueHandsOutCopies() {
        Cache<String, Object> cache = cache(null);
        ArrayList<String> list = new ArrayList<>(List.of("a"));
        cache.put("k", list);
        list.add("b");
        @SuppressWarnings("unchecked")
        List<String> read = (List<String>) cache.get("k");
        assertThat(read).containsExactly("a");
    }

    @Test
    void badAllowlistEntryIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> TypeAllowlist.parse(JCacheSettings.ALLOWED_TYPES, "com.acme.*, not a name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(JCacheSettings.ALLOWED_TYPES).hasMessageContaining("not a name");
    }
}
