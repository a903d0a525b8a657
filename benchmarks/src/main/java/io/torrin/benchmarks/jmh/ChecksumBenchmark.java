package io.torrin.benchmarks.jmh;

import io.torrin.benchmarks.jmh.ChunkWriteBenchmark.ResettableStream;
import io.torrin.server.internal.ChunkBody;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Checksums while streaming: reading a 1 MiB chunk through {@link ChunkBody} (the view storage drivers read) into a
 * 64 KiB buffer, as the local driver does, with SHA-256 off and on; next to the same reads straight from the source
 * stream (the baseline for "off") and {@link MessageDigest#update(byte[])} over the whole array at once (the
 * baseline for "on": the cost of SHA-256 itself). Every variant creates what it needs per chunk, as a request does:
 * the {@link ChunkBody} and, when hashing, one SHA-256 digest.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
public class ChecksumBenchmark {

    /** The chunk size. */
    public static final int CHUNK_BYTES = 1024 * 1024;

    private static final int BUFFER_BYTES = 64 * 1024;

    private byte[] chunk;
    private byte[] buffer;
    private ResettableStream source;

    /** Creates the benchmark state; JMH calls the setup. */
    public ChecksumBenchmark() {}

    /** Fills the chunk with random bytes. */
    @Setup(Level.Trial)
    public void setUp() {
        chunk = new byte[CHUNK_BYTES];
        new SplittableRandom(11).nextBytes(chunk);
        buffer = new byte[BUFFER_BYTES];
        source = new ResettableStream(chunk);
    }

    /**
     * Baseline: reads the chunk straight from its stream into the 64 KiB buffer.
     *
     * @return the bytes read
     */
    @Benchmark
    public long baselinePlainRead() {
        source.rewind();
        long count = 0;
        int n;
        while ((n = source.read(buffer, 0, buffer.length)) >= 0) {
            count += n;
        }
        return count;
    }

    /**
     * Reads the chunk through a {@link ChunkBody} without hashing.
     *
     * @return the bytes the body counted
     * @throws IOException never (the source is in memory)
     */
    @Benchmark
    public long chunkBodyNoHash() throws IOException {
        source.rewind();
        ChunkBody body = new ChunkBody(source, CHUNK_BYTES, false);
        while (body.read(buffer, 0, buffer.length) >= 0) {
            // the driver would write the buffer here
        }
        return body.count();
    }

    /**
     * Reads the chunk through a {@link ChunkBody} computing SHA-256 while streaming.
     *
     * @return the hex digest
     * @throws IOException never (the source is in memory)
     */
    @Benchmark
    public String chunkBodySha256() throws IOException {
        source.rewind();
        ChunkBody body = new ChunkBody(source, CHUNK_BYTES, true);
        while (body.read(buffer, 0, buffer.length) >= 0) {
            // the driver would write the buffer here
        }
        return body.sha256Hex();
    }

    /**
     * Baseline: SHA-256 of the whole array in one {@link MessageDigest#update(byte[])}.
     *
     * @return the digest
     */
    @Benchmark
    public byte[] baselineDigestArray() {
        MessageDigest digest = ChunkBody.sha256();
        digest.update(chunk);
        return digest.digest();
    }
}
