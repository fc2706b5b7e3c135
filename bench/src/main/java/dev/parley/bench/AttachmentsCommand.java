package dev.parley.bench;

import dev.parley.client.attachments.BlobHttp;
import dev.parley.client.attachments.Transfer;
import dev.parley.protocol.attachments.AttachmentDecryptor;
import dev.parley.protocol.attachments.AttachmentEncryptor;
import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.wire.WireFrame;
import dev.parley.wire.frames.BlobFrames;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * One attachment through a real server (docs/BENCHMARKS.md, "Attachments"): a file of
 * {@code --size-mib} is encrypted on the client as it is read (AES-256-GCM chunks, the digest)
 * and uploaded in parts of 8 MiB with the SDK's blob client ({@link BlobHttp}), then downloaded,
 * decrypted and verified into a file; and separately the same number of blob bytes uploaded and
 * downloaded raw (a file of random bytes, no client crypto), so that the cost of the crypto reads
 * off the difference. Each is timed from the first PUT (the {@code blob_upload} before it is not
 * timed) to the last answer, and from the GET to the last byte written. Throughput is MiB of
 * plaintext (encrypted) or of blob (raw) per second of wall time; the server's used heap is
 * sampled every {@code --sample-ms} during each transfer ({@link HeapSampler}). A smaller round
 * trip each way goes first, unmeasured. One run per invocation, against a fresh server.
 */
@Command(name = "attachments", mixinStandardHelpOptions = true,
        description = "Uploads and downloads one attachment (encrypted on the client, and raw) through a fresh server;"
                + " reports MiB/s and the server's peak heap.")
final class AttachmentsCommand implements Callable<Integer> {

    private static final double MIB = 1024.0 * 1024.0;

    @Option(names = "--size-mib", defaultValue = "100", description = "Plaintext size in MiB (default ${DEFAULT-VALUE}; at most 100).")
    int sizeMib;

    @Option(names = "--warmup-mib", defaultValue = "48",
            description = "An unmeasured round trip of this size each way first (default ${DEFAULT-VALUE}).")
    int warmupMib;

    @Option(names = "--sample-ms", defaultValue = "100", description = "Heap sampling interval (default ${DEFAULT-VALUE} ms).")
    int sampleMs;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        return scenario.runOnParley((target, executor) -> {
            long size = Math.min((long) sizeMib << 20, AttachmentFormat.MAX_SIZE);
            Path work = Files.createTempDirectory("parley-bench-attachments");
            try {
                HttpClient http = BlobHttp.newHttpClient();
                List<Accounts.Device> devices = Accounts.register(List.of(http), target, List.of(Accounts.runPrefix() + "_files")).all();
                BenchClient client = devices.getFirst().client();
                var transfers = new Transfers(new BlobHttp(http, target.origin()), client, work);
                var result = new Result("attachments", target.kind());
                result.extra.put("size_mib", size / MIB);
                result.extra.put("blob_mib", AttachmentFormat.blobLength(size) / MIB);
                result.extra.put("server_jvm_args", scenario.server.serverUrl == null ? scenario.server.serverJvmArgs : "unknown");
                // unmeasured: both paths once, so that neither the client's nor the server's JIT warm-up lands in a figure
                long warm = Math.min(size, (long) warmupMib << 20);
                transfers.encrypted(warm, null, null, null);
                transfers.raw(warm, null, null, null);
                long pid = target.stats() == null ? -1 : target.stats().pid();
                try (HeapSampler heap = pid > 0 ? new HeapSampler(pid, sampleMs) : null) {
                    transfers.encrypted(size, result, heap, target);
                    transfers.raw(size, result, heap, target);
                    if (heap != null) {
                        result.extra.put("heap_samples", heap.samples());
                    }
                }
                result.serverRss(target.rssBytes());
                result.connections = 1;
                client.close();
                return result;
            } finally {
                ChildProcess.deleteTree(work);
            }
        });
    }

    /** The transfers of one run, each recorded in {@code result} unless it is null (warm-up). */
    private final class Transfers {
        private final BlobHttp blobs;
        private final BenchClient client;
        private final Path work;

        Transfers(BlobHttp blobs, BenchClient client, Path work) {
            this.blobs = blobs;
            this.client = client;
            this.work = work;
        }

        /** A file of {@code size} encrypted as it is read and uploaded, then downloaded, decrypted, verified and compared. */
        void encrypted(long size, Result result, HeapSampler heap, Target target) throws Exception {
            long blobLength = AttachmentFormat.blobLength(size);
            Path plain = randomFile(work.resolve("plain"), size);
            Path received = work.resolve("received");
            byte[] key = AttachmentEncryptor.newKey(new SecureRandom());
            var last = new AttachmentEncryptor[1];
            String[] slot = reserve(client, blobLength);
            phase(result, "encrypted_upload", size, heap, target, () -> blobs.upload(slot[0], slot[1], blobLength, () -> {
                last[0] = AttachmentEncryptor.encrypting(Files.newInputStream(plain), key, size);
                return last[0];
            }, Transfer.quiet()));
            byte[] digest = last[0].digest();
            phase(result, "encrypted_download", size, heap, target, () -> {
                try (InputStream in = AttachmentDecryptor.decrypting(blobs.download(slot[0], blobLength, Transfer.quiet()),
                        key, size, digest); OutputStream out = Files.newOutputStream(received)) {
                    in.transferTo(out); // the decryptor refuses anything but the exact blob (length, tags, digest)
                }
            });
            if (Files.mismatch(plain, received) != -1) {
                throw new IllegalStateException("the downloaded file differs from the one sent");
            }
            Files.delete(plain);
            Files.delete(received);
        }

        /** As many blob bytes as {@code size} gives, from a file of random bytes, uploaded and downloaded without client crypto. */
        void raw(long size, Result result, HeapSampler heap, Target target) throws Exception {
            long blobLength = AttachmentFormat.blobLength(size);
            Path raw = randomFile(work.resolve("raw"), blobLength);
            Path received = work.resolve("received");
            String[] slot = reserve(client, blobLength);
            phase(result, "raw_upload", blobLength, heap, target,
                    () -> blobs.upload(slot[0], slot[1], blobLength, () -> Files.newInputStream(raw), Transfer.quiet()));
            phase(result, "raw_download", blobLength, heap, target, () -> {
                try (InputStream in = blobs.download(slot[0], blobLength, Transfer.quiet());
                     OutputStream out = Files.newOutputStream(received)) {
                    in.transferTo(out);
                }
            });
            if (Files.mismatch(raw, received) != -1) {
                throw new IllegalStateException("the downloaded blob differs from the one sent");
            }
            Files.delete(raw);
            Files.delete(received);
        }
    }

    /** Room for a blob of {@code blobLength}: its id and upload token. */
    private static String[] reserve(BenchClient client, long blobLength) throws Exception {
        WireFrame answer = client.request(new BlobFrames.BlobUpload("u" + System.nanoTime(), blobLength)).get(10, TimeUnit.SECONDS);
        if (!(answer instanceof BlobFrames.BlobUploadReady ready)) {
            throw new IllegalStateException("blob_upload refused: " + answer);
        }
        return new String[] {ready.blob(), ready.token()};
    }

    private interface Step {
        void run() throws Exception;
    }

    /**
     * Runs one transfer and records its MiB/s ({@code bytes} over wall time), server CPU seconds
     * and peak heap; a warm-up ({@code result} null) only runs it.
     */
    private void phase(Result result, String name, long bytes, HeapSampler heap, Target target, Step step) throws Exception {
        if (result == null) {
            step.run();
            return;
        }
        if (heap != null) {
            heap.mark();
        }
        long cpu = target.cpuMicros();
        long start = System.nanoTime();
        step.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        result.extra.put(name + "_mib_per_s", bytes / MIB / seconds);
        result.extra.put(name + "_s", seconds);
        if (cpu >= 0) {
            result.extra.put(name + "_server_cpu_s", (target.cpuMicros() - cpu) / 1e6);
        }
        if (heap != null) {
            Thread.sleep(2L * sampleMs); // the samples of the transfer's last moments
            result.extra.put(name + "_peak_heap_mib", heap.peakSinceMark());
        }
    }

    private static Path randomFile(Path file, long size) throws IOException {
        var random = new SplittableRandom(size);
        byte[] buffer = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
        return file;
    }

}
