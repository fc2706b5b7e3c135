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
 * and uploaded in parts of 8 MiB with the SDK's blob client, then downloaded, decrypted and
 * verified into a file; and separately the same number of blob bytes uploaded and downloaded
 * raw (a file of random bytes, no client crypto), so that the cost of the crypto reads off the
 * difference. Throughput is MiB of plaintext (encrypted) or of blob (raw) per second of wall
 * time; the server's used heap is sampled every {@code --sample-ms} during each transfer
 * ({@link HeapSampler}). One run per invocation, each against a fresh server.
 */
@Command(name = "attachments", mixinStandardHelpOptions = true,
        description = "Uploads and downloads one attachment (encrypted on the client, and raw) through a fresh server;"
                + " reports MiB/s and the server's peak heap.")
final class AttachmentsCommand implements Callable<Integer> {

    private static final double MIB = 1024.0 * 1024.0;

    @Option(names = "--size-mib", defaultValue = "100", description = "Plaintext size in MiB (default ${DEFAULT-VALUE}; at most 100).")
    int sizeMib;

    @Option(names = "--sample-ms", defaultValue = "100", description = "Heap sampling interval (default ${DEFAULT-VALUE} ms).")
    int sampleMs;

    @Mixin
    ScenarioOptions scenario;

    @Override
    public Integer call() throws Exception {
        return scenario.runOnParley((target, executor) -> {
            long size = Math.min((long) sizeMib << 20, AttachmentFormat.MAX_SIZE);
            long blobLength = AttachmentFormat.blobLength(size);
            Path work = Files.createTempDirectory("parley-bench-attachments");
            try {
                Path plain = randomFile(work.resolve("plain"), size);
                Path raw = randomFile(work.resolve("raw"), blobLength);
                HttpClient http = BlobHttp.newHttpClient();
                var blobs = new BlobHttp(http, target.origin());
                List<Accounts.Device> devices = Accounts.register(List.of(http), target, List.of(Accounts.runPrefix() + "_files")).all();
                BenchClient client = devices.getFirst().client();
                var result = new Result("attachments", target.kind());
                result.extra.put("size_mib", size / MIB);
                result.extra.put("blob_mib", blobLength / MIB);
                result.extra.put("server_jvm_args", scenario.server.serverUrl == null ? scenario.server.serverJvmArgs : "unknown");
                long pid = target.stats() == null ? -1 : target.stats().pid();
                try (HeapSampler heap = pid > 0 ? new HeapSampler(pid, sampleMs) : null) {
                    byte[] key = AttachmentEncryptor.newKey(new SecureRandom());
                    var last = new AttachmentEncryptor[1];
                    String encrypted = phase(result, "encrypted_upload", size, heap, target, () -> {
                        String blob = reserve(client, blobLength);
                        blobs.upload(blob, token, blobLength, () -> {
                            last[0] = AttachmentEncryptor.encrypting(Files.newInputStream(plain), key, size);
                            return last[0];
                        }, Transfer.quiet());
                        return blob;
                    });
                    byte[] digest = last[0].digest();
                    phase(result, "encrypted_download", size, heap, target, () -> {
                        try (InputStream in = AttachmentDecryptor.decrypting(blobs.download(encrypted, blobLength, Transfer.quiet()),
                                key, size, digest); OutputStream out = Files.newOutputStream(work.resolve("received"))) {
                            if (in.transferTo(out) != size) {
                                throw new IllegalStateException("downloaded plaintext has the wrong size");
                            }
                        }
                        return encrypted;
                    });
                    if (Files.mismatch(plain, work.resolve("received")) != -1) {
                        throw new IllegalStateException("the downloaded file differs from the one sent");
                    }
                    Files.delete(work.resolve("received"));
                    String rawBlob = phase(result, "raw_upload", blobLength, heap, target, () -> {
                        String blob = reserve(client, blobLength);
                        blobs.upload(blob, token, blobLength, () -> Files.newInputStream(raw), Transfer.quiet());
                        return blob;
                    });
                    phase(result, "raw_download", blobLength, heap, target, () -> {
                        try (InputStream in = blobs.download(rawBlob, blobLength, Transfer.quiet());
                             OutputStream out = Files.newOutputStream(work.resolve("received"))) {
                            if (in.transferTo(out) != blobLength) {
                                throw new IllegalStateException("downloaded blob has the wrong size");
                            }
                        }
                        return rawBlob;
                    });
                    if (heap != null) {
                        result.extra.put("heap_samples", heap.samples());
                    }
                }
                result.serverRss(target.rssBytes());
                result.connections = 1;
                client.close();
                return result;
            } finally {
                deleteTree(work);
            }
        });
    }

    /** The upload token of the last {@link #reserve}: phases run one after the other on one thread. */
    private String token;

    private String reserve(BenchClient client, long blobLength) throws Exception {
        WireFrame answer = client.request(new BlobFrames.BlobUpload("u" + System.nanoTime(), blobLength)).get(10, TimeUnit.SECONDS);
        if (!(answer instanceof BlobFrames.BlobUploadReady ready)) {
            throw new IllegalStateException("blob_upload refused: " + answer);
        }
        token = ready.token();
        return ready.blob();
    }

    private interface Step {
        String run() throws Exception;
    }

    /** Runs one transfer and records its MiB/s ({@code bytes} over wall time), server CPU seconds and peak heap. */
    private String phase(Result result, String name, long bytes, HeapSampler heap, Target target, Step step) throws Exception {
        if (heap != null) {
            heap.mark();
        }
        long cpu = target.cpuMicros();
        long start = System.nanoTime();
        String blob = step.run();
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
        return blob;
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

    private static void deleteTree(Path dir) throws IOException {
        try (var files = Files.walk(dir)) {
            for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
