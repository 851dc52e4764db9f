package io.brickworks.cache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.brickworks.cache.BrickworksCache;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the provider's settings come from (a properties file named by the manager's URI, the given
 * properties, the environment's names), that bad settings are refused naming the setting and the
 * value, that the ServiceLoader finds the provider, and that a tenant-bound manager sees only its
 * tenant's entries.
 */
class ProviderSettingsTest {

    @TempDir
    Path dir;

    @Test
    void theServiceLoaderFindsTheProvider() {
        assertThat(Caching.getCachingProvider()).isInstanceOf(BrickworksCachingProvider.class);
    }

    @Test
    void aFileUriNamesAPropertiesFileAndGivenPropertiesWin() throws Exception {
        Path file = dir.resolve("jcache.properties");
        Files.writeString(file, "JCACHE_NAMESPACE=fromfile\nJCACHE_LOCK_TTL_MILLIS=1234\n");
        Properties given = new Properties();
        given.setProperty("JCACHE_LOCK_TTL_MILLIS", "4321");
        JCacheSettings s = JCacheSettings.resolve(file.toUri(), getClass().getClassLoader(), given);
        assertThat(s.namespace).isEqualTo("fromfile");
        assertThat(s.lockTtl.toMillis()).isEqualTo(4321);
    }

    @Test
    void aClasspathUriThatNamesNothingIsRefused() {
        assertThatThrownBy(() -> JCacheSettings.resolve(URI.create("classpath:no-such.properties"),
                getClass().getClassLoader(), new Properties()))
                .isInstanceOf(CacheException.class).hasMessageContaining("classpath:no-such.properties");
    }

    @Test
    void badSettingsAreRefusedNamingTheSettingAndTheValue() {
        Properties p = new Properties();
        p.setProperty("JCACHE_LOCK_WAIT_MILLIS", "soon");
        assertThatThrownBy(() -> JCacheSettings.resolve(URI.create("urn:x"), getClass().getClassLoader(), p))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JCACHE_LOCK_WAIT_MILLIS").hasMessageContaining("soon");
        Properties q = new Properties();
        q.setProperty("JCACHE_NAMESPACE", "a:b");
        assertThatThrownBy(() -> JCacheSettings.resolve(URI.create("urn:x"), getClass().getClassLoader(), q))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("a:b");
    }

    @Test
    void aTenantBoundManagerSeesOnlyItsTenantsEntries() {
        CachingProvider provider = new BrickworksCachingProvider();
        Properties common = new Properties();
        common.setProperty("MULTI_TENANCY_ENABLED", "1");
        try (BrickworksCache library = BrickworksCache.builder().settings(io.brickworks.cache.CacheSettings
                .builder().multiTenancyEnabled(true).build()).build()) {
            Properties acme = new Properties();
            acme.put(JCacheSettings.CACHE_INSTANCE, library);
            acme.setProperty("JCACHE_TENANT", "acme");
            Properties globex = new Properties();
            globex.put(JCacheSettings.CACHE_INSTANCE, library);
            globex.setProperty("JCACHE_TENANT", "globex");
            CacheManager a = provider.getCacheManager(URI.create("urn:acme"), getClass().getClassLoader(), acme);
            CacheManager g = provider.getCacheManager(URI.create("urn:globex"), getClass().getClassLoader(), globex);
            MutableConfiguration<String, String> config = new MutableConfiguration<String, String>()
                    .setTypes(String.class, String.class);
            Cache<String, String> ca = a.createCache("t", config);
            Cache<String, String> cg = g.createCache("t", config);
            ca.put("k", "acme's");
            assertThat(cg.get("k")).isNull();
            assertThat(cg.iterator().hasNext()).isFalse();
            cg.put("k", "globex's");
            assertThat(ca.get("k")).isEqualTo("acme's");
            assertThat(a.unwrap(BrickworksCache.class).boundTenant()).contains("acme");
            a.close();
            g.close();
        }
    }
}
