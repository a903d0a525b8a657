/*
 * Copyright 2026 the Torrin authors.
 * SPDX-License-Identifier: Apache-2.0
 */
package io.torrin.cli;

import io.torrin.client.Upload;
import io.torrin.client.UploadProgress;
import io.torrin.client.UploadResult;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the user sees while files upload. On a terminal: a bar per file in flight and one for the total, redrawn
 * four times a second; elsewhere: one line per finished file.
 */
abstract class Progress implements AutoCloseable {

    static Progress create(PrintWriter out, boolean terminal, boolean silent) {
        return silent ? new Plain(null) : terminal ? new Live(out) : new Plain(out);
    }

    abstract void started(Upload upload);

    abstract void finished(Upload upload, UploadResult result, Throwable error);

    @Override
    public abstract void close();

    static String line(Upload upload, UploadResult result, Throwable error) {
        if (error != null) {
            return "failed   " + upload.file() + ": " + UploadCommand.describe(error);
        }
        return String.format(
                Locale.ROOT,
                "uploaded %s (%s)%s as %s",
                upload.file(),
                Sizes.format(result.fileSize()),
                result.resumed() ? " resumed" : "",
                result.uploadId());
    }

    /** One line per finished file (or nothing, for a JSON summary). */
    private static final class Plain extends Progress {
        private final PrintWriter out;

        Plain(PrintWriter out) {
            this.out = out;
        }

        @Override
        void started(Upload upload) {}

        @Override
        synchronized void finished(Upload upload, UploadResult result, Throwable error) {
            if (out != null) {
                out.println(line(upload, result, error));
                out.flush();
            }
        }

        @Override
        public void close() {}
    }

    /** Bars redrawn in place with ANSI cursor movements. */
    private static final class Live extends Progress {
        private static final int BAR = 30;

        private final PrintWriter out;
        private final List<Upload> active = new ArrayList<>();
        private final List<Upload> all = new ArrayList<>();
        private final Thread painter;
        private final long start = System.nanoTime();
        private int drawnLines;

        Live(PrintWriter out) {
            this.out = out;
            this.painter = new Thread(this::paintLoop, "torrin-progress");
            painter.setDaemon(true);
            painter.start();
        }

        @Override
        synchronized void started(Upload upload) {
            active.add(upload);
            all.add(upload);
        }

        @Override
        synchronized void finished(Upload upload, UploadResult result, Throwable error) {
            if (active.remove(upload)) {
                erase();
                out.println(line(upload, result, error));
                paint();
            }
        }

        @Override
        public void close() {
            painter.interrupt();
            synchronized (this) {
                erase();
                out.flush();
            }
        }

        private void paintLoop() {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    synchronized (this) {
                        erase();
                        paint();
                    }
                    Thread.sleep(250);
                }
            } catch (InterruptedException e) {
                // closed
            }
        }

        private void erase() {
            for (int i = 0; i < drawnLines; i++) {
                out.print("\u001b[1A\u001b[2K");
            }
            drawnLines = 0;
        }

        private void paint() {
            long done = 0;
            long total = 0;
            for (Upload upload : all) {
                UploadProgress progress = upload.progress();
                done += progress.bytesAcknowledged();
                total += progress.fileSize();
            }
            for (Upload upload : active) {
                UploadProgress progress = upload.progress();
                out.println(bar(
                        upload.file().getFileName().toString(),
                        progress.fraction(),
                        progress.bytesPerSecond(),
                        progress.remaining().orElse(null)));
                drawnLines++;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = seconds > 0 ? done / seconds : 0;
            Duration eta = rate > 0 ? Duration.ofMillis((long) ((total - done) / rate * 1000)) : null;
            out.println(bar("total", total == 0 ? 0 : (double) done / total, rate, eta));
            drawnLines++;
            out.flush();
        }

        private static String bar(String name, double fraction, double rate, Duration eta) {
            int filled = (int) Math.round(Math.max(0, Math.min(1, fraction)) * BAR);
            String label = name.length() > 24 ? name.substring(0, 21) + "..." : name;
            return String.format(
                    Locale.ROOT,
                    "%-24s [%s%s] %5.1f%% %10s/s ETA %s",
                    label,
                    "#".repeat(filled),
                    " ".repeat(BAR - filled),
                    fraction * 100,
                    Sizes.format(rate),
                    eta == null
                            ? "--"
                            : eta.toSeconds() / 60 + "m" + String.format(Locale.ROOT, "%02d", eta.toSeconds() % 60)
                                    + "s");
        }
    }
}
