/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.server.file;

import static org.assertj.core.api.Assertions.assertThat;

import io.torrin.core.ChunkSet;
import io.torrin.server.spi.UploadRecord;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} in the middle of group commits: a child process ({@link GroupCommitCrashChild}) has 8 threads
 * marking chunks of one upload; once its log appends carry several marks each, it is killed with {@code SIGKILL} at
 * a random moment, and the store, opened again, must hold every chunk the child acknowledged (a mark that returned)
 * and nothing it never marked.
 */
class GroupCommitCrashTest {

    private static final Pattern ACK = Pattern.compile("ACK (\\d+) \\.");
    private static final Pattern STATS = Pattern.compile("STATS (\\d+) (\\d+)");

    @TempDir
    Path directory;

    @Test
    void everyAcknowledgedMarkSurvivesAKillDuringGroupCommits() throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(GroupCommitCrashChild.class.getName());
        command.add(directory.resolve("store").toString());
        Process child = new ProcessBuilder(command)
                .redirectError(directory.resolve("child.err").toFile())
                .start();
        BitSet acknowledged = new BitSet();
        String uploadId = null;
        long appends = 0;
        long marks = 0;
        // kill after a random number of acknowledgements, once batches carry more than one mark on average
        int killAfter = 3000 + ThreadLocalRandom.current().nextInt(5000);
        boolean killed = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                Matcher ack = ACK.matcher(line);
                Matcher stats = STATS.matcher(line);
                if (line.startsWith("READY ")) {
                    uploadId = line.substring("READY ".length());
                } else if (ack.matches()) {
                    acknowledged.set(Integer.parseInt(ack.group(1)));
                } else if (stats.matches()) {
                    appends = Long.parseLong(stats.group(1));
                    marks = Long.parseLong(stats.group(2));
                }
                boolean grouped = acknowledged.cardinality() >= killAfter && marks > appends * 3 / 2;
                // never wait forever: the writers run out of chunks, or batching never shows (asserted below)
                boolean late = System.nanoTime() > deadline
                        || acknowledged.cardinality() >= GroupCommitCrashChild.CHUNKS - 4096;
                if (!killed && (grouped || late)) {
                    // SIGKILL through the process handle: Process.destroyForcibly would also close the pipe
                    // before the acknowledgements already in it are read
                    child.toHandle().destroyForcibly();
                    killed = true;
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(killed)
                .as("the child was killed during its marks (log appends %d, marks %d)", appends, marks)
                .isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        assertThat(uploadId).isNotNull();
        // batches of more than one mark: the group commit was at work when the child died
        assertThat(marks).isGreaterThan(appends * 3 / 2);

        try (FileUploadStore store = FileUploadStore.create(directory.resolve("store"))) {
            UploadRecord record = store.find(uploadId).orElseThrow();
            ChunkSet received = record.receivedChunks();
            for (int index = acknowledged.nextSetBit(0); index >= 0; index = acknowledged.nextSetBit(index + 1)) {
                assertThat(received.contains(index))
                        .as("acknowledged chunk %d", index)
                        .isTrue();
            }
            // nothing beyond what the writers could have reached: writer w marks w, w + 8, w + 16, … in order
            int[] highest = new int[GroupCommitCrashChild.WRITERS];
            Arrays.fill(highest, -1);
            for (int index = acknowledged.nextSetBit(0); index >= 0; index = acknowledged.nextSetBit(index + 1)) {
                highest[index % GroupCommitCrashChild.WRITERS] = index;
            }
            for (int index = 0; index < GroupCommitCrashChild.CHUNKS; index++) {
                if (received.contains(index)) {
                    // at most one unacknowledged mark per writer (the one in flight when the child died)
                    assertThat(index)
                            .isLessThanOrEqualTo(
                                    highest[index % GroupCommitCrashChild.WRITERS] + GroupCommitCrashChild.WRITERS);
                }
            }
            assertThat(received.count()).isGreaterThanOrEqualTo(acknowledged.cardinality());
        }
    }
}
