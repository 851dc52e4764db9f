package io.brickworks.spring.boot;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.brickworks.cache.BrickworksCache;
import io.brickworks.cache.CacheSettings;
import io.brickworks.cache.TenantResolver;
import io.brickworks.cache.redis.RedisBackendBuilder;
import io.brickworks.cache.spi.CacheBackend;
import io.lettuce.core.resource.ClientResources;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cache.CacheManager;
import org.springframework.cache.interceptor.CacheAspectSupport;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Brickworks Cache: the {@link CacheSettings} (see {@link CacheSettingsResolver}
 * for where each option comes from), the {@link BrickworksCache} (closed with the context), and, when
 * the application enables caching ({@code @EnableCaching}), a {@link BrickworksCacheManager}. Every bean
 * backs off when the application defines its own; {@code brickworks.cache.enabled=false} switches all
 * of it off, {@code brickworks.cache.spring.enabled=false} only the cache manager. Runs before Boot's
 * cache auto-configuration, which then backs off too, and after Boot's Redis auto-configuration, whose
 * Lettuce {@code ClientResources} the Redis backend then uses ({@link ApplicationClientResources}).
 */
@AutoConfiguration(beforeName = {"org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
        "org.springframework.boot.autoconfigure.cache.CacheAutoConfiguration"},
        afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
                "org.springframework.boot.autoconfigure.data.redis.RedisAutoConfiguration"})
@ConditionalOnProperty(prefix = "brickworks.cache", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(BrickworksCacheProperties.class)
public class BrickworksCacheAutoConfiguration {

    /**
     * The settings from brickworks.cache.*, then the application's Redis connection-details bean (read
     * by the line-specific {@code BootRedisConnections} bean of Boot 4 or 3.5) or spring.data.redis.*,
     * then the original's variables. Logs once what a missing Boot line type leaves out ({@link BootLines}).
     */
    @Bean
    @ConditionalOnMissingBean
    public CacheSettings brickworksCacheSettings(BrickworksCacheProperties properties, Environment environment,
                                                 ListableBeanFactory beans,
                                                 ObjectProvider<BootRedisConnections> connections) {
        BootLines.reportOnce(BrickworksCacheAutoConfiguration.class.getClassLoader());
        BootRedisConnections reader = connections.getIfUnique();
        return CacheSettingsResolver.resolve(properties, environment, reader == null ? null : reader.find(beans));
    }

    /**
     * The cache. For Redis it connects now and fails the startup when Redis cannot be reached (the
     * failure names the address, never the password), unless
     * {@code brickworks.cache.redis.connect-at-startup=false}: then it connects in the background
     * ({@link ConnectingCache}). Uses the application's {@link TenantResolver} bean if it has one.
     * When the context has a Lettuce {@code ClientResources} bean, {@link ApplicationClientResources}
     * makes the cache instead.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public BrickworksCache brickworksCache(CacheSettings settings, BrickworksCacheProperties properties,
                                           ObjectProvider<TenantResolver> tenantResolver) {
        return open(settings, properties, tenantResolver, null);
    }

    /**
     * Builds the cache of both bean methods.
     *
     * @param redisBackend makes the Redis backend from the settings, or null for the one
     *     {@code USE_REDIS} chooses; used only when the settings name Redis
     */
    static BrickworksCache open(CacheSettings settings, BrickworksCacheProperties properties,
                                ObjectProvider<TenantResolver> tenantResolver,
                                Function<CacheSettings, CacheBackend> redisBackend) {
        Supplier<BrickworksCache> build = () -> {
            BrickworksCache.Builder builder = BrickworksCache.builder().settings(settings);
            TenantResolver resolver = tenantResolver.getIfUnique();
            if (resolver != null) {
                builder.tenantResolver(resolver);
            }
            if (redisBackend != null && settings.useRedis()) {
                builder.backend(redisBackend.apply(settings));
            }
            return builder.build();
        };
        return settings.useRedis() && !properties.getRedis().isConnectAtStartup()
                ? ConnectingCache.open(build, settings) : build.get();
    }

    /**
     * The cache on the application's Lettuce {@code ClientResources} bean (Boot's Redis
     * auto-configuration makes one, {@code lettuceClientResources}), so that what the application
     * attached to them (Lettuce's command latency meters, tracing) covers the cache's commands too.
     * The Redis backend never shuts them down ({@code RedisBackendBuilder#clientResources}); the
     * cache bean depends on them, so the context closes the cache first and then the resources.
     * Processed before the outer class's bean methods, so {@code brickworksCache} there backs off.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {"io.lettuce.core.resource.ClientResources",
            "io.brickworks.cache.redis.RedisBackendBuilder"})
    @ConditionalOnBean(type = "io.lettuce.core.resource.ClientResources")
    static class ApplicationClientResources {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        public BrickworksCache brickworksCache(CacheSettings settings, BrickworksCacheProperties properties,
                                               ObjectProvider<TenantResolver> tenantResolver,
                                               ClientResources clientResources) {
            return open(settings, properties, tenantResolver,
                    s -> RedisBackendBuilder.of(s).clientResources(clientResources).build());
        }
    }

    /** The Spring {@code CacheManager}, when caching is enabled and the application has none of its own. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(CacheManager.class)
    @ConditionalOnBean(CacheAspectSupport.class)
    @ConditionalOnProperty(prefix = "brickworks.cache.spring", name = "enabled", havingValue = "true",
            matchIfMissing = true)
    static class CacheManagerConfiguration {

        /**
         * Values decode only to the JDK's value types and the classes of
         * {@code brickworks.cache.spring.allowed-packages}, by default the application's packages.
         * Uses the application's Jackson 2 {@code ObjectMapper} bean for values if it has exactly one, and
         * its {@link KeyConverter} beans, in their order.
         */
        @Bean
        @ConditionalOnMissingBean(CacheManager.class)
        public BrickworksCacheManager cacheManager(BrickworksCache cache, BrickworksCacheProperties properties,
                                                   ObjectProvider<ObjectMapper> objectMapper,
                                                   ObjectProvider<KeyConverter> keyConverters, BeanFactory beanFactory) {
            BrickworksCacheProperties.Spring spring = properties.getSpring();
            List<String> packages = !spring.getAllowedPackages().isEmpty() ? spring.getAllowedPackages()
                    : AutoConfigurationPackages.has(beanFactory) ? AutoConfigurationPackages.get(beanFactory) : List.of();
            ObjectMapper mapper = objectMapper.getIfUnique(BrickworksCacheAutoConfiguration::defaultMapper);
            // the application's class loader (with DevTools, the restart loader that holds its classes)
            ClassLoader loader = beanFactory instanceof ConfigurableBeanFactory c && c.getBeanClassLoader() != null
                    ? c.getBeanClassLoader() : BrickworksCacheAutoConfiguration.class.getClassLoader();
            return BrickworksCacheManager.builder(cache).options(spring).objectMapper(mapper)
                    .allowedPackages(packages.toArray(String[]::new)).classLoader(loader)
                    .keyConverters(keyConverters.orderedStream().toList()).build();
        }
    }

    /** The mapper when the application has no Jackson 2 mapper bean: Java time and JDK 8 types. */
    static ObjectMapper defaultMapper() {
        return JsonMapper.builder().addModule(new JavaTimeModule()).addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    }
}
