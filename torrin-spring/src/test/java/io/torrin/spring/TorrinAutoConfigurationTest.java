/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.torrin.core.ChunkRequest;
import io.torrin.core.ErrorCode;
import io.torrin.core.InitUploadRequest;
import io.torrin.core.StorageLocation;
import io.torrin.core.TorrinException;
import io.torrin.core.UploadSession;
import io.torrin.server.RequestContext;
import io.torrin.server.UploadEvent;
import io.torrin.server.UploadHooks;
import io.torrin.server.UploadListener;
import io.torrin.server.UploadService;
import io.torrin.server.file.FileUploadStore;
import io.torrin.server.http.ResumableProtocolHandler;
import io.torrin.server.http.TorrinProtocolHandler;
import io.torrin.server.http.TusProtocolHandler;
import io.torrin.server.memory.InMemoryStorageDriver;
import io.torrin.server.memory.InMemoryUploadStore;
import io.torrin.server.spi.StorageDriver;
import io.torrin.server.spi.UploadStore;
import io.torrin.servlet.TorrinFilter;
import io.torrin.storage.local.LocalStorageDriver;
import io.torrin.storage.s3.S3StorageDriver;
import io.torrin.store.jdbc.JdbcUploadStore;
import io.torrin.store.redis.RedisUploadStore;
import io.torrin.testkit.TestDrivers;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.servlet.WebMvcAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.filter.FormContentFilter;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

class TorrinAutoConfigurationTest {

    @TempDir
    Path directory;

    private ApplicationContextRunner runner() {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class))
                .withPropertyValues("torrin.storage.local.directory=" + directory, "torrin.sweep-interval=0");
    }

    @Test
    void contextWhenNothingConfiguredThenLocalStorageFileStoreServiceAndHandler() {
        runner().run(context -> {
            assertThat(context).hasSingleBean(UploadService.class).hasSingleBean(TorrinProtocolHandler.class);
            assertThat(context.getBean(StorageDriver.class)).isInstanceOf(LocalStorageDriver.class);
            assertThat(((LocalStorageDriver) context.getBean(StorageDriver.class)).baseDirectory())
                    .isEqualTo(directory.toAbsolutePath().normalize());
            assertThat(context.getBean(UploadStore.class)).isInstanceOf(FileUploadStore.class);
            assertThat(((FileUploadStore) context.getBean(UploadStore.class)).directory())
                    .isEqualTo(directory.resolve(".torrin").toAbsolutePath().normalize());
            assertThat(context).doesNotHaveBean(FilterRegistrationBean.class);
        });
    }

    @Test
    void contextWhenDisabledThenNoTorrinBeans() {
        runner().withPropertyValues("torrin.enabled=false")
                .run(context -> assertThat(context)
                        .doesNotHaveBean(UploadService.class)
                        .doesNotHaveBean(StorageDriver.class)
                        .doesNotHaveBean(UploadStore.class));
    }

    @Test
    void contextWhenMemoryStoreChosenThenInMemoryStore() {
        runner().withPropertyValues("torrin.store.type=memory")
                .run(context -> assertThat(context.getBean(UploadStore.class)).isInstanceOf(InMemoryUploadStore.class));
    }

    @Test
    void contextWhenApplicationDefinesStorageAndStoreThenTheyAreUsed() {
        runner().withUserConfiguration(OwnBackends.class).run(context -> {
            assertThat(context.getBean(StorageDriver.class)).isSameAs(context.getBean("myStorage"));
            assertThat(context.getBean(UploadStore.class)).isSameAs(context.getBean("myStore"));
            UploadService service = context.getBean(UploadService.class);
            UploadSession session =
                    service.initUpload(InitUploadRequest.builder().fileSize(3).build());
            assertThat(((UploadStore) context.getBean("myStore")).find(session.uploadId()))
                    .isPresent();
        });
    }

    @Test
    void contextWhenApplicationDefinesTheServiceThenHandlerUsesIt() {
        runner().withUserConfiguration(OwnBackends.class, OwnService.class).run(context -> {
            assertThat(context).hasSingleBean(UploadService.class);
            assertThat(context.getBean(UploadService.class)).isSameAs(context.getBean("myService"));
            assertThat(context).hasSingleBean(TorrinProtocolHandler.class);
        });
    }

    @Test
    void contextWhenPropertiesSetThenTheyReachTheEngine() {
        runner().withPropertyValues(
                        "torrin.chunk.default-size=4MB",
                        "torrin.chunk.min-size=1MB",
                        "torrin.chunk.max-size=8MB",
                        "torrin.max-file-size=1GB",
                        "torrin.upload-ttl=2h")
                .run(context -> {
                    UploadService service = context.getBean(UploadService.class);
                    UploadSession session = service.initUpload(
                            InitUploadRequest.builder().fileSize(100_000_000).build());
                    assertThat(session.chunkSize()).isEqualTo(4L * 1024 * 1024);
                    assertThat(service.initUpload(InitUploadRequest.builder()
                                            .fileSize(100_000_000)
                                            .desiredChunkSize(1)
                                            .build())
                                    .chunkSize())
                            .isEqualTo(1024 * 1024);
                    assertThat(session.expiresAt())
                            .isEqualTo(session.createdAt().plusSeconds(7200));
                    assertThatThrownBy(() -> service.initUpload(InitUploadRequest.builder()
                                    .fileSize(1024L * 1024 * 1024 + 1)
                                    .build()))
                            .isInstanceOfSatisfying(
                                    TorrinException.class,
                                    e -> assertThat(e.code()).isEqualTo(ErrorCode.FILE_TOO_LARGE));
                });
    }

    @Test
    void contextWhenPropertiesContradictThenStartupFailsWithTheReason() {
        runner().withPropertyValues("torrin.chunk.min-size=10MB", "torrin.chunk.max-size=1MB")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasRootCauseMessage("invalid chunk size range [10485760, 1048576]"));
    }

    @Test
    void contextWhenHookAndListenerBeansExistThenTheServiceUsesThemInOrder() {
        runner().withUserConfiguration(HooksAndListeners.class).run(context -> {
            UploadService service = context.getBean(UploadService.class);
            List<String> log = context.getBean("log", List.class);
            UploadSession session =
                    service.initUpload(InitUploadRequest.builder().fileSize(3).build());
            assertThatThrownBy(() -> service.handleChunk(
                            ChunkRequest.of(session.uploadId(), 0, 3, new ByteArrayInputStream(new byte[3]))))
                    .isInstanceOfSatisfying(
                            TorrinException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
            assertThat(log).containsSubsequence("first", "second").doesNotHaveDuplicates();
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("event CREATED"));
        });
    }

    @Test
    void webContextWhenServletApplicationThenFilterMountedUnderBasePath() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class))
                .withPropertyValues(
                        "torrin.storage.local.directory=" + directory,
                        "torrin.base-path=/api/files/",
                        "torrin.sweep-interval=0")
                .run(context -> {
                    FilterRegistrationBean<?> registration =
                            context.getBean("torrinFilterRegistration", FilterRegistrationBean.class);
                    assertThat(registration.getFilter()).isInstanceOf(TorrinFilter.class);
                    assertThat(((TorrinFilter) registration.getFilter()).mountPath())
                            .isEqualTo("/api/files");
                    assertThat(registration.getUrlPatterns()).containsExactly("/api/files", "/api/files/*");
                    assertThat(registration.getOrder()).isEqualTo(0);
                });
    }

    @Test
    void webContextWhenTusIsOnByDefaultThenItsFilterServesTorrinTusPathAndCanBeMovedOrTurnedOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class))
                .withPropertyValues("torrin.storage.local.directory=" + directory, "torrin.sweep-interval=0");
        web.run(context -> {
            assertThat(context).hasSingleBean(TusProtocolHandler.class);
            FilterRegistrationBean<?> tus =
                    context.getBean("torrinTusFilterRegistration", FilterRegistrationBean.class);
            assertThat(((TorrinFilter) tus.getFilter()).mountPath()).isEqualTo("/torrin/tus");
            assertThat(tus.getUrlPatterns()).containsExactly("/torrin/tus", "/torrin/tus/*");
            assertThat(tus.isAsyncSupported()).isTrue();
        });
        web.withPropertyValues("torrin.tus.path=/uploads/tus/")
                .run(context -> assertThat(((TorrinFilter)
                                        context.getBean("torrinTusFilterRegistration", FilterRegistrationBean.class)
                                                .getFilter())
                                .mountPath())
                        .isEqualTo("/uploads/tus"));
        web.withPropertyValues("torrin.tus.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TusProtocolHandler.class);
            assertThat(context).doesNotHaveBean("torrinTusFilterRegistration");
            assertThat(context).hasBean("torrinFilterRegistration");
        });
        web.withPropertyValues("torrin.tus.path=/")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void webContextWhenTheResumableDraftIsOnByDefaultThenItsFilterServesItsPathAndCanBeMovedOrTurnedOff() {
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class))
                .withPropertyValues("torrin.storage.local.directory=" + directory, "torrin.sweep-interval=0");
        web.run(context -> {
            assertThat(context).hasSingleBean(ResumableProtocolHandler.class);
            FilterRegistrationBean<?> resumable =
                    context.getBean("torrinResumableFilterRegistration", FilterRegistrationBean.class);
            assertThat(((TorrinFilter) resumable.getFilter()).mountPath()).isEqualTo("/torrin/resumable");
            assertThat(resumable.getUrlPatterns()).containsExactly("/torrin/resumable", "/torrin/resumable/*");
        });
        web.withPropertyValues("torrin.resumable.path=/drafts/uploads/")
                .run(context -> assertThat(((TorrinFilter) context.getBean(
                                                "torrinResumableFilterRegistration", FilterRegistrationBean.class)
                                        .getFilter())
                                .mountPath())
                        .isEqualTo("/drafts/uploads"));
        web.withPropertyValues("torrin.resumable.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(ResumableProtocolHandler.class);
            assertThat(context).doesNotHaveBean("torrinResumableFilterRegistration");
            assertThat(context).hasBean("torrinTusFilterRegistration");
        });
        web.withPropertyValues("torrin.resumable.path=/")
                .run(context -> assertThat(context).hasFailed());
    }

    @Test
    void contextWhenS3StorageChosenThenS3DriverOnAClientBuiltFromProperties() {
        runner().withPropertyValues(
                        "torrin.storage.type=s3",
                        "torrin.storage.s3.bucket=uploads-bucket",
                        "torrin.storage.s3.prefix=incoming",
                        "torrin.storage.s3.region=eu-central-1",
                        "torrin.storage.s3.endpoint=http://127.0.0.1:9",
                        "torrin.storage.s3.path-style=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(S3Client.class);
                    S3StorageDriver driver = (S3StorageDriver) context.getBean(StorageDriver.class);
                    assertThat(driver.bucket()).isEqualTo("uploads-bucket");
                    assertThat(driver.keyPrefix()).isEqualTo("incoming/");
                    assertThat(context.getBean(S3Client.class)
                                    .serviceClientConfiguration()
                                    .region())
                            .isEqualTo(Region.EU_CENTRAL_1);
                    assertThat(context.getBean(S3Client.class)
                                    .serviceClientConfiguration()
                                    .endpointOverride())
                            .contains(URI.create("http://127.0.0.1:9"));
                    assertThat(context).doesNotHaveBean(LocalStorageDriver.class);
                });
    }

    @Test
    void contextWhenDirectDownloadUrlsAskedForWithS3ThenAPresignerSignsThemAndOnlyThen() {
        String[] s3 = {
            "torrin.storage.type=s3",
            "torrin.storage.s3.bucket=b",
            "torrin.storage.s3.region=eu-central-1",
            "torrin.storage.s3.endpoint=http://127.0.0.1:9",
            "torrin.storage.s3.path-style=true"
        };
        runner().withPropertyValues(s3)
                .withPropertyValues("torrin.downloads.enabled=true", "torrin.downloads.direct-url-validity=5m")
                .withSystemProperties("aws.accessKeyId=test", "aws.secretAccessKey=test")
                .run(context -> {
                    assertThat(context).hasSingleBean(S3Presigner.class);
                    S3StorageDriver driver = (S3StorageDriver) context.getBean(StorageDriver.class);
                    URI url = driver.downloadUrl(
                                    new StorageLocation("s3", Map.of("bucket", "b", "key", "k/f.bin")),
                                    Duration.ofMinutes(5),
                                    "application/pdf",
                                    "attachment")
                            .orElseThrow();
                    assertThat(url.toString())
                            .startsWith("http://127.0.0.1:9/b/k/f.bin?")
                            .contains("response-content-type=application%2Fpdf")
                            .contains("X-Amz-Expires=300");
                });
        runner().withPropertyValues(s3)
                .withPropertyValues("torrin.downloads.enabled=true")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(S3Presigner.class);
                    S3StorageDriver driver = (S3StorageDriver) context.getBean(StorageDriver.class);
                    assertThat(driver.downloadUrl(
                                    new StorageLocation("s3", Map.of("bucket", "b", "key", "k")),
                                    Duration.ofMinutes(5),
                                    "application/pdf",
                                    "attachment"))
                            .isEmpty();
                });
    }

    @Test
    void contextWhenS3StorageChosenAndTheApplicationHasAnS3ClientThenThatClientIsUsed() {
        runner().withPropertyValues("torrin.storage.type=s3", "torrin.storage.s3.bucket=b")
                .withBean(
                        "applicationS3Client",
                        S3Client.class,
                        () -> S3Client.builder()
                                .region(Region.US_WEST_2)
                                .endpointOverride(URI.create("http://127.0.0.1:9"))
                                .build())
                .run(context -> {
                    assertThat(context).hasSingleBean(S3Client.class);
                    assertThat(context.getBean(S3Client.class)).isSameAs(context.getBean("applicationS3Client"));
                    assertThat(context.getBean(StorageDriver.class)).isInstanceOf(S3StorageDriver.class);
                });
    }

    @Test
    void webContextWhenTheStorageCannotAppendAndTusIsOnThenStartupFailsNamingTheCapability() {
        StorageDriver chunksOnly = TestDrivers.chunksOnly(InMemoryStorageDriver.create());
        WebApplicationContextRunner web = new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class))
                .withBean(StorageDriver.class, () -> chunksOnly)
                .withPropertyValues("torrin.store.type=memory", "torrin.sweep-interval=0");
        web.run(context -> assertThat(context)
                .hasFailed()
                .getFailure()
                .rootCause()
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("AppendableStorage"));
        web.withPropertyValues("torrin.tus.enabled=false")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .rootCause()
                        .hasMessageContaining("AppendableStorage"));
        web.withPropertyValues("torrin.tus.enabled=false", "torrin.resumable.enabled=false")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).hasSingleBean(TorrinProtocolHandler.class);
                    assertThat(context).doesNotHaveBean(TusProtocolHandler.class);
                    assertThat(context).doesNotHaveBean(ResumableProtocolHandler.class);
                });
    }

    @Test
    void webContextWhenSpringMvcIsPresentThenItsFormFilterLeavesTorrinBodiesAloneAndParsesTheRest() throws Exception {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class, WebMvcAutoConfiguration.class))
                .withPropertyValues("torrin.storage.local.directory=" + directory, "torrin.sweep-interval=0")
                .run(context -> {
                    FormContentFilter filter = context.getBean(FormContentFilter.class);
                    assertThat(filter).isInstanceOf(TorrinFormContentFilter.class);
                    for (String path : List.of("/torrin/uploads/abc/chunks/0", "/torrin/tus/abc", "/app/data")) {
                        MockHttpServletRequest request = new MockHttpServletRequest("PUT", path);
                        request.setContentType("application/x-www-form-urlencoded");
                        request.setContent("a=b&c=d".getBytes(StandardCharsets.UTF_8));
                        MockFilterChain chain = new MockFilterChain();
                        filter.doFilter(request, new MockHttpServletResponse(), chain);
                        if (path.startsWith("/torrin/")) {
                            assertThat(chain.getRequest().getInputStream().readAllBytes())
                                    .as(path)
                                    .isEqualTo("a=b&c=d".getBytes(StandardCharsets.UTF_8));
                        } else {
                            assertThat(chain.getRequest().getParameter("a"))
                                    .as(path)
                                    .isEqualTo("b");
                        }
                    }
                });
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(TorrinAutoConfiguration.class, WebMvcAutoConfiguration.class))
                .withPropertyValues(
                        "torrin.storage.local.directory=" + directory,
                        "torrin.sweep-interval=0",
                        "spring.mvc.formcontent.filter.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(FormContentFilter.class));
    }

    @Test
    void contextWhenS3StorageChosenWithoutBucketThenStartupFailsSayingSo() {
        runner().withPropertyValues("torrin.storage.type=s3", "torrin.storage.s3.region=us-east-1")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasRootCauseMessage("torrin.storage.s3.bucket is required when torrin.storage.type=s3"));
    }

    @Test
    void contextWhenJdbcStoreChosenThenJdbcStoreOnTheApplicationsDataSourceWithItsSchema() {
        runner().withPropertyValues("torrin.store.type=jdbc", "torrin.store.jdbc.table-prefix=app_torrin_")
                .withBean(DataSource.class, () -> {
                    JdbcDataSource h2 = new JdbcDataSource();
                    h2.setURL("jdbc:h2:mem:starter;DB_CLOSE_DELAY=-1");
                    return h2;
                })
                .run(context -> {
                    assertThat(context.getBean(UploadStore.class)).isInstanceOf(JdbcUploadStore.class);
                    UploadService service = context.getBean(UploadService.class);
                    UploadSession session = service.initUpload(
                            InitUploadRequest.builder().fileSize(3).build());
                    assertThat(service.getStatus(session.uploadId()).missingChunks())
                            .containsExactly(0);
                });
    }

    @Test
    void contextWhenJdbcStoreChosenWithoutDataSourceThenStartupFailsSayingSo() {
        runner().withPropertyValues("torrin.store.type=jdbc")
                .run(context -> assertThat(context)
                        .hasFailed()
                        .getFailure()
                        .hasRootCauseMessage("torrin.store.type=jdbc needs a DataSource bean (spring.datasource.*)"));
    }

    @Test
    void contextWhenRedisStoreChosenThenRedisStoreOnTheApplicationsClientOrOneFromTheUrl() {
        runner().withPropertyValues("torrin.store.type=redis", "torrin.store.redis.url=redis://127.0.0.1:6390")
                .run(context -> {
                    assertThat(context.getBean(UploadStore.class)).isInstanceOf(RedisUploadStore.class);
                    assertThat(context).hasSingleBean(UnifiedJedis.class);
                });
        runner().withPropertyValues("torrin.store.type=redis")
                .withBean("appRedis", UnifiedJedis.class, () -> new JedisPooled("127.0.0.1", 6390))
                .run(context -> assertThat(context.getBean(UnifiedJedis.class)).isSameAs(context.getBean("appRedis")));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBackends {
        @Bean
        StorageDriver myStorage() {
            return InMemoryStorageDriver.create();
        }

        @Bean
        UploadStore myStore() {
            return InMemoryUploadStore.create();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnService {
        @Bean
        UploadService myService(StorageDriver storage, UploadStore store) {
            return UploadService.builder().storage(storage).store(store).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HooksAndListeners {
        @Bean
        List<String> log() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        @Order(2)
        UploadHooks second(List<String> log) {
            return new UploadHooks() {
                @Override
                public void beforeChunk(UploadSession session, int index, RequestContext context) {
                    log.add("second");
                    throw new TorrinException(ErrorCode.FORBIDDEN, "no chunks today");
                }
            };
        }

        @Bean
        @Order(1)
        UploadHooks first(List<String> log) {
            return new UploadHooks() {
                @Override
                public void beforeChunk(UploadSession session, int index, RequestContext context) {
                    log.add("first");
                }
            };
        }

        @Bean
        UploadListener listener(List<String> log) {
            return (UploadEvent event) -> log.add("event " + event.type());
        }
    }
}
