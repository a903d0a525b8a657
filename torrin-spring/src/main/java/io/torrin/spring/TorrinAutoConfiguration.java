/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import io.torrin.server.UploadHooks;
import io.torrin.server.UploadInstrumentation;
import io.torrin.server.UploadListener;
import io.torrin.server.UploadService;
import io.torrin.server.UploadServiceBuilder;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.CorsPolicy;
import io.torrin.server.http.HttpHandler;
import io.torrin.server.http.ResumableProtocolHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import io.torrin.servlet.TorrinFilter;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.storage.local.NamingStrategy;
import io.torrin.storage.s3.S3KeyStrategy;
import io.torrin.storage.s3.S3StorageDriver;
import io.torrin.store.jdbc.JdbcUploadStore;
import io.torrin.store.redis.RedisUploadStore;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * Configures Torrin from {@code torrin.*} properties: local storage by default, S3 with
 * {@code torrin.storage.type=s3} (when {@code torrin-storage-s3} is on the classpath). Every bean backs off when the
 * application defines its own
 * ({@link StorageDriver}, {@link UploadStore}, {@link UploadService}, {@link TorrinProtocolHandler}); every
 * {@link UploadHooks} and {@link UploadListener} bean is added to the service in {@code @Order} order. In a servlet
 * web application the protocol is served by a {@link TorrinFilter} under {@code torrin.base-path}, ordered after
 * Spring Security's filter chain so that security applies to it unchanged.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration")
@ConditionalOnClass(UploadService.class)
@ConditionalOnProperty(prefix = "torrin", name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(TorrinProperties.class)
public class TorrinAutoConfiguration {

    /**
     * The storage driver: local disk under {@code torrin.storage.local.directory}.
     *
     * @param properties the properties
     * @return the driver
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "torrin.storage", name = "type", havingValue = "local", matchIfMissing = true)
    public StorageDriver torrinStorageDriver(TorrinProperties properties) {
        TorrinStorageProperties.Local local = properties.getStorage().getLocal();
        return LocalStorageDriver.builder(local.getDirectory())
                .naming(
                        local.getNaming() == TorrinStorageProperties.Naming.ORIGINAL_NAME
                                ? NamingStrategy.byOriginalName()
                                : NamingStrategy.byUploadId())
                .durability(local.getDurability())
                .minFreeSpace(properties.getHealth().getMinFreeSpace().toBytes())
                .build();
    }

    /**
     * The session store: the durable file store (the default, {@code torrin.store.type=file}). Closed with the
     * context.
     *
     * @param properties the properties
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "torrin.store", name = "type", havingValue = "file", matchIfMissing = true)
    public UploadStore torrinUploadStore(TorrinProperties properties) {
        TorrinStoreProperties store = properties.getStore();
        Path directory = store.getFile().getDirectory() != null
                ? store.getFile().getDirectory()
                : properties.getStorage().getLocal().getDirectory().resolve(".torrin");
        return FileUploadStore.builder(directory)
                .fsync(store.getFile().isFsync())
                .build();
    }

    /**
     * The in-memory store, with {@code torrin.store.type=memory}.
     *
     * @return the store
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "torrin.store", name = "type", havingValue = "memory")
    public UploadStore torrinMemoryUploadStore() {
        return InMemoryUploadStore.create();
    }

    /** The JDBC store on the application's DataSource, with {@code torrin.store.type=jdbc}. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JdbcUploadStore.class)
    @ConditionalOnProperty(prefix = "torrin.store", name = "type", havingValue = "jdbc")
    static class TorrinJdbcStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean
        UploadStore torrinJdbcUploadStore(TorrinProperties properties, ObjectProvider<DataSource> dataSource) {
            DataSource source = dataSource.getIfAvailable();
            if (source == null) {
                throw new IllegalStateException("torrin.store.type=jdbc needs a DataSource bean (spring.datasource.*)");
            }
            TorrinStoreProperties.Jdbc jdbc = properties.getStore().getJdbc();
            return JdbcUploadStore.builder(source)
                    .tablePrefix(jdbc.getTablePrefix())
                    .createSchema(jdbc.isCreateSchema())
                    .lockLease(properties.getStore().getLockLease())
                    .build();
        }
    }

    /**
     * The Redis store, with {@code torrin.store.type=redis}: on the application's {@link UnifiedJedis} bean, or on a
     * {@code JedisPooled} built from {@code torrin.store.redis.url} that the context owns and closes.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({RedisUploadStore.class, UnifiedJedis.class})
    @ConditionalOnProperty(prefix = "torrin.store", name = "type", havingValue = "redis")
    static class TorrinRedisStoreConfiguration {

        @Bean
        @ConditionalOnMissingBean
        UnifiedJedis torrinRedisClient(TorrinProperties properties) {
            return new JedisPooled(properties.getStore().getRedis().getUrl());
        }

        @Bean
        @ConditionalOnMissingBean
        UploadStore torrinRedisUploadStore(TorrinProperties properties, UnifiedJedis redis) {
            return RedisUploadStore.builder(redis)
                    .keyPrefix(properties.getStore().getRedis().getKeyPrefix())
                    .lockLease(properties.getStore().getLockLease())
                    .build();
        }
    }

    /**
     * The engine, with every hook and listener bean. Closed with the context.
     *
     * @param properties the properties
     * @param storage the storage driver
     * @param store the store
     * @param hooks the application's hooks
     * @param listeners the application's listeners
     * @param clock the application's clock, if it defines one
     * @param instrumentation the metrics of {@code torrin-micrometer} (or the application's), if any
     * @param publisher publishes each upload event as a {@link TorrinUploadEvent}
     * @return the service
     */
    @Bean
    @ConditionalOnMissingBean
    public UploadService torrinUploadService(
            TorrinProperties properties,
            StorageDriver storage,
            UploadStore store,
            ObjectProvider<UploadHooks> hooks,
            ObjectProvider<UploadListener> listeners,
            ObjectProvider<Clock> clock,
            ObjectProvider<UploadInstrumentation> instrumentation,
            ApplicationEventPublisher publisher) {
        UploadServiceBuilder builder = UploadService.builder().storage(storage).store(store);
        PropertyMapper map = PropertyMapper.get().alwaysApplyingWhenNonNull();
        TorrinProperties.Chunk chunk = properties.getChunk();
        builder.chunkSizeLimits(chunk.getMinSize().toBytes(), chunk.getMaxSize().toBytes());
        map.from(chunk.getDefaultSize()).as(s -> s.toBytes()).to(builder::defaultChunkSize);
        map.from(chunk.getMaxCount()).to(builder::maxChunks);
        map.from(properties.getMaxFileSize()).as(s -> s.toBytes()).to(builder::maxFileSize);
        map.from(properties.getMaxMetadataSize())
                .as(s -> Math.toIntExact(s.toBytes()))
                .to(builder::maxMetadataBytes);
        map.from(properties.getUploadTtl()).to(builder::uploadTtl);
        map.from(properties.getExpiryStep()).to(builder::expiryStep);
        map.from(properties.getFinishedRetention()).to(builder::finishedRetention);
        map.from(properties.getLockTimeout()).to(builder::lockTimeout);
        map.from(properties.getSweepInterval()).to(builder::sweepInterval);
        builder.minimumDataRate(properties.getMinimumDataRate().toBytes(), properties.getDataRateWindow());
        builder.maxUnfinishedUploads(properties.getMaxUnfinishedUploads());
        clock.ifAvailable(builder::clock);
        hooks.orderedStream().forEach(builder::hook);
        listeners.orderedStream().forEach(builder::listener);
        instrumentation.ifAvailable(builder::instrumentation);
        TorrinOperationsProperties.Events events = properties.getEvents();
        builder.progressInterval(events.getProgressInterval());
        AtomicReference<UploadService> built = new AtomicReference<>();
        if (events.isApplicationEvents()) {
            builder.listener(event -> publisher.publishEvent(new TorrinUploadEvent(built.get(), event)));
        }
        UploadService service = builder.build();
        built.set(service);
        return service;
    }

    /**
     * Stops the service gracefully when the application stops, before the web server's graceful shutdown.
     *
     * @param service the service
     * @param properties the properties ({@code torrin.shutdown.grace-period})
     * @return the lifecycle
     */
    @Bean
    @ConditionalOnMissingBean
    public TorrinLifecycle torrinLifecycle(UploadService service, TorrinProperties properties) {
        return new TorrinLifecycle(service, properties.getShutdown().getGracePeriod());
    }

    /**
     * The Torrin wire protocol handler.
     *
     * @param properties the properties
     * @param service the engine
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    public TorrinProtocolHandler torrinProtocolHandler(TorrinProperties properties, UploadService service) {
        TorrinProtocolHandler.Builder builder = TorrinProtocolHandler.builder(service)
                .cors(corsPolicy(properties))
                .trustForwardedHeaders(properties.isTrustForwardedHeaders())
                .maxJsonBytes(Math.toIntExact(properties.getMaxJsonSize().toBytes()));
        if (properties.getDownloads().isEnabled()) {
            builder.downloads(properties.getDownloads().toOptions());
        }
        return builder.build();
    }

    /**
     * The tus protocol handler, unless {@code torrin.tus.enabled=false}; same CORS and forwarded-header settings as
     * the Torrin protocol.
     *
     * @param properties the settings
     * @param service the engine
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "torrin.tus", name = "enabled", matchIfMissing = true)
    public TusProtocolHandler torrinTusProtocolHandler(TorrinProperties properties, UploadService service) {
        TusProtocolHandler.Builder builder = TusProtocolHandler.builder(service)
                .cors(corsPolicy(properties))
                .trustForwardedHeaders(properties.isTrustForwardedHeaders())
                .maxMetadataHeaderBytes(
                        Math.toIntExact(properties.getTus().getMaxMetadataSize().toBytes()));
        if (properties.getDownloads().isEnabled()) {
            builder.downloads(properties.getDownloads().toOptions());
        }
        return builder.build();
    }

    /**
     * The handler of the IETF resumable-upload draft, unless {@code torrin.resumable.enabled=false}; same CORS and
     * forwarded-header settings as the Torrin protocol.
     *
     * @param properties the settings
     * @param service the engine
     * @return the handler
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnProperty(prefix = "torrin.resumable", name = "enabled", matchIfMissing = true)
    public ResumableProtocolHandler torrinResumableProtocolHandler(TorrinProperties properties, UploadService service) {
        return ResumableProtocolHandler.builder(service)
                .cors(corsPolicy(properties))
                .trustForwardedHeaders(properties.isTrustForwardedHeaders())
                .build();
    }

    /** The cross-origin policy of every protocol handler, from {@code torrin.cors.*}. */
    private static CorsPolicy corsPolicy(TorrinProperties properties) {
        TorrinCorsProperties cors = properties.getCors();
        return new CorsPolicy(
                cors.getAllowedOrigins(),
                cors.getAllowedHeaders(),
                cors.getExposedHeaders(),
                cors.isAllowCredentials(),
                cors.getMaxAge());
    }

    /**
     * S3 storage, with {@code torrin.storage.type=s3}: uses the application's {@link S3Client} bean, or builds one
     * from {@code torrin.storage.s3.*} (default credentials chain) that the context owns and closes.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({S3StorageDriver.class, S3Client.class})
    @ConditionalOnProperty(prefix = "torrin.storage", name = "type", havingValue = "s3")
    static class TorrinS3Configuration {

        @Bean
        @ConditionalOnMissingBean
        S3Client torrinS3Client(TorrinProperties properties) {
            TorrinStorageProperties.S3 s3 = properties.getStorage().getS3();
            S3ClientBuilder builder = S3Client.builder().forcePathStyle(s3.isPathStyle());
            if (s3.getRegion() != null) {
                builder.region(Region.of(s3.getRegion()));
            }
            if (s3.getEndpoint() != null) {
                builder.endpointOverride(s3.getEndpoint());
            }
            return builder.build();
        }

        /**
         * A presigner for redirecting downloads to presigned GET URLs, only when
         * {@code torrin.downloads.direct-url-validity} is set; same region, endpoint and addressing as the client.
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(prefix = "torrin.downloads", name = "direct-url-validity")
        S3Presigner torrinS3Presigner(TorrinProperties properties) {
            TorrinStorageProperties.S3 s3 = properties.getStorage().getS3();
            S3Presigner.Builder builder = S3Presigner.builder()
                    .serviceConfiguration(S3Configuration.builder()
                            .pathStyleAccessEnabled(s3.isPathStyle())
                            .build());
            if (s3.getRegion() != null) {
                builder.region(Region.of(s3.getRegion()));
            }
            if (s3.getEndpoint() != null) {
                builder.endpointOverride(s3.getEndpoint());
            }
            return builder.build();
        }

        @Bean
        @ConditionalOnMissingBean
        StorageDriver torrinStorageDriver(
                TorrinProperties properties, S3Client client, ObjectProvider<S3Presigner> presigner) {
            TorrinStorageProperties.S3 s3 = properties.getStorage().getS3();
            if (s3.getBucket() == null || s3.getBucket().isBlank()) {
                throw new IllegalStateException("torrin.storage.s3.bucket is required when torrin.storage.type=s3");
            }
            S3StorageDriver.Builder driver = S3StorageDriver.builder(client, s3.getBucket())
                    .keyPrefix(s3.getPrefix())
                    .keyStrategy(
                            s3.getNaming() == TorrinStorageProperties.Naming.ORIGINAL_NAME
                                    ? S3KeyStrategy.byOriginalName()
                                    : S3KeyStrategy.byUploadId());
            presigner.ifAvailable(driver::presigner);
            return driver.build();
        }
    }

    /**
     * Lets embedded Tomcat pass the {@code Upload-Checksum} trailer through to tus (Tomcat drops trailer fields that
     * are not explicitly allowed), for the tus {@code checksum-trailer} extension, and makes it send
     * {@code 100 Continue} only when a body is read (Tomcat's default sends it before the application sees the
     * request, inviting a body that a refusal from the headers alone does not want).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({TomcatServletWebServerFactory.class, AbstractHttp11Protocol.class})
    static class TorrinTomcatConfiguration {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> torrinTomcatCustomizer(TorrinProperties properties) {
            return factory -> factory.addConnectorCustomizers(connector -> {
                if (connector.getProtocolHandler() instanceof AbstractHttp11Protocol<?> http) {
                    http.setContinueResponseTiming("onRead");
                    if (!properties.getTus().isEnabled()) {
                        return;
                    }
                    String allowed = http.getAllowedTrailerHeaders();
                    if (allowed == null || allowed.isBlank()) {
                        http.setAllowedTrailerHeaders("upload-checksum");
                    } else if (!allowed.toLowerCase(Locale.ROOT).contains("upload-checksum")) {
                        http.setAllowedTrailerHeaders(allowed + ",upload-checksum");
                    }
                }
            });
        }
    }

    /** Mounts the protocol in servlet web applications. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass({TorrinFilter.class, FilterRegistrationBean.class})
    static class TorrinWebConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "torrinFilterRegistration")
        FilterRegistrationBean<TorrinFilter> torrinFilterRegistration(
                TorrinProperties properties, TorrinProtocolHandler handler) {
            TorrinFilter filter = new TorrinFilter(handler, properties.getBasePath());
            FilterRegistrationBean<TorrinFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setName("torrinFilter");
            registration.addUrlPatterns(
                    filter.mountPath().isEmpty() ? "/*" : filter.mountPath(), filter.mountPath() + "/*");
            registration.setOrder(properties.getFilterOrder());
            return registration;
        }

        @Bean
        @ConditionalOnProperty(prefix = "torrin.tus", name = "enabled", matchIfMissing = true)
        @ConditionalOnMissingBean(name = "torrinTusFilterRegistration")
        FilterRegistrationBean<TorrinFilter> torrinTusFilterRegistration(
                TorrinProperties properties, TusProtocolHandler handler) {
            return protocolFilter(
                    properties, handler, properties.getTus().getPath(), "torrin.tus.path", "torrinTusFilter");
        }

        @Bean
        @ConditionalOnProperty(prefix = "torrin.resumable", name = "enabled", matchIfMissing = true)
        @ConditionalOnMissingBean(name = "torrinResumableFilterRegistration")
        FilterRegistrationBean<TorrinFilter> torrinResumableFilterRegistration(
                TorrinProperties properties, ResumableProtocolHandler handler) {
            return protocolFilter(
                    properties,
                    handler,
                    properties.getResumable().getPath(),
                    "torrin.resumable.path",
                    "torrinResumableFilter");
        }

        /** Mounts a protocol handler under its own path (not the root), at the order of Torrin's filters. */
        private static FilterRegistrationBean<TorrinFilter> protocolFilter(
                TorrinProperties properties, HttpHandler handler, String path, String property, String name) {
            TorrinFilter filter = new TorrinFilter(handler, path);
            if (filter.mountPath().isEmpty()) {
                throw new IllegalStateException(property + " must not be the root path");
            }
            FilterRegistrationBean<TorrinFilter> registration = new FilterRegistrationBean<>(filter);
            registration.setName(name);
            registration.addUrlPatterns(filter.mountPath(), filter.mountPath() + "/*");
            registration.setOrder(properties.getFilterOrder());
            return registration;
        }

        /**
         * Spring's form-content filter without Torrin's paths, in place of the one Spring MVC would register (which
         * would read form-typed chunk bodies into memory before Torrin's filter sees them). Backs off when the
         * application defines its own {@code FormContentFilter} or turns it off with
         * {@code spring.mvc.formcontent.filter.enabled=false}.
         */
        @Bean
        @ConditionalOnClass(name = "org.springframework.web.filter.FormContentFilter")
        @ConditionalOnMissingBean(type = "org.springframework.web.filter.FormContentFilter")
        @ConditionalOnProperty(prefix = "spring.mvc.formcontent.filter", name = "enabled", matchIfMissing = true)
        TorrinFormContentFilter torrinFormContentFilter(TorrinProperties properties) {
            List<String> paths = new ArrayList<>(List.of(TorrinFilter.normalizeMountPath(properties.getBasePath())));
            if (properties.getTus().isEnabled()) {
                paths.add(TorrinFilter.normalizeMountPath(properties.getTus().getPath()));
            }
            if (properties.getResumable().isEnabled()) {
                paths.add(TorrinFilter.normalizeMountPath(
                        properties.getResumable().getPath()));
            }
            return new TorrinFormContentFilter(paths);
        }
    }
}
