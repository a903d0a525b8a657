package io.torrin.storage.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ChunkRequest;
import io.torrin.core.CompleteResult;
import io.torrin.core.UploadSession;
import io.torrin.core.UploadStatus;
import io.torrin.server.UploadService;
import io.torrin.server.store.FileUploadStore;
import io.torrin.testkit.TestFiles;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process that uploads with the file store and the local driver ({@code SIGKILL}) in the middle of the
 * upload, then resumes from {@code getStatus} in this process: every chunk acknowledged before the kill must be
 * reported as received, and the completed file must match the source's SHA-256.
 */
class CrashRecoveryTest {

    private static final int FILE_SIZE = 48 * 1024 * 1024;
    private static final long CHUNK_SIZE = 256 * 1024;
    private static final int ACKS_BEFORE_KILL = 60;

    @TempDir
    Path base;

    @Test
    void resumeWhenUploaderWasKilledMidUploadThenAcknowledgedChunksSurviveAndFileMatches() throws Exception {
        long seed = ThreadLocalRandom.current().nextLong();
        Path log = base.resolve("child.log");
        Path uploads = base.resolve("uploads");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), CrashingUploader.class.getName(),
                uploads.toString(), Long.toString(seed), Integer.toString(FILE_SIZE), Long.toString(CHUNK_SIZE))
                .redirectError(log.toFile())
                .start();
        String uploadId = null;
        Set<Integer> acknowledged = new HashSet<>();
        try {
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ignored) {
                    // the child was killed
                }
                lines.add("EOF");
            });
            reader.setDaemon(true);
            reader.start();
            while (acknowledged.size() < ACKS_BEFORE_KILL) {
                String line = lines.poll(60, TimeUnit.SECONDS);
                assertThat(line).as("child output; its log: %s", readLog(log)).isNotNull().isNotEqualTo("EOF");
                if (line.startsWith("ID ")) {
                    uploadId = line.substring(3);
                } else if (line.startsWith("ACK ")) {
                    acknowledged.add(Integer.parseInt(line.substring(4)));
                }
            }
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(uploadId).isNotNull();

        byte[] file = TestFiles.randomBytes(FILE_SIZE, seed);
        try (FileUploadStore store = FileUploadStore.create(uploads.resolve(".torrin"));
                UploadService service = UploadService.builder().storage(LocalStorageDriver.create(uploads))
                        .store(store).sweepInterval(Duration.ZERO).build()) {
            UploadStatus status = service.getStatus(uploadId);
            assertThat(status.receivedChunks()).containsAll(acknowledged);
            assertThat(status.missingChunks()).as("the upload was interrupted").isNotEmpty();
            UploadSession session = status.session();
            for (int index : status.missingChunks()) {
                byte[] chunk = TestFiles.chunk(file, session.chunkSize(), index);
                service.handleChunk(ChunkRequest.of(uploadId, index, chunk.length, new ByteArrayInputStream(chunk)));
            }
            CompleteResult result = service.completeUpload(uploadId, TestFiles.sha256(file));
            Path stored = LocalStorageDriver.create(uploads).resolve(result.location());
            assertThat(TestFiles.sha256(Files.newInputStream(stored))).isEqualTo(TestFiles.sha256(file));
        }
    }

    private static String readLog(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
