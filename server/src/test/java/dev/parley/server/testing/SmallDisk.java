package dev.parley.server.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * A small tmpfs file system for tests of a full disk (mounting needs root, as in CI). If it
 * cannot be mounted the test fails with the reason: a full-disk test must never be skipped.
 */
public final class SmallDisk implements AutoCloseable {

    private final Path mountPoint;
    private final Path filler;

    private SmallDisk(Path mountPoint) {
        this.mountPoint = mountPoint;
        this.filler = mountPoint.resolve("filler");
    }

    public static SmallDisk mount(int megabytes) {
        try {
            Path dir = Files.createTempDirectory("parley-small-disk");
            String output = run("mount", "-t", "tmpfs", "-o", "size=" + megabytes + "m", "tmpfs", dir.toString());
            if (output != null) {
                fail("cannot mount a " + megabytes + " MiB tmpfs at " + dir + " (this test needs root): " + output);
            }
            return new SmallDisk(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path path() {
        return mountPoint;
    }

    public long usable() {
        return mountPoint.toFile().getUsableSpace();
    }

    /** Writes a filler file until the file system has no room left. */
    public void fill() {
        fillUntil(0);
    }

    /** Grows the filler file until at most {@code freeBytes} are usable (or the disk is full). */
    public void fillUntil(long freeBytes) {
        ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
        try (FileChannel out = FileChannel.open(filler, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (usable() > freeBytes) {
                long room = usable() - freeBytes;
                chunk.clear().limit((int) Math.min(chunk.capacity(), Math.max(room, 4096)));
                out.write(chunk);
            }
        } catch (IOException full) {
            // No space left on device: the disk is full, as asked.
        }
    }

    public void removeFiller() {
        try {
            Files.deleteIfExists(filler);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        String output = run("umount", "-l", mountPoint.toString());
        if (output != null) {
            throw new IllegalStateException("cannot unmount " + mountPoint + ": " + output);
        }
        try {
            Files.deleteIfExists(mountPoint);
        } catch (IOException ignored) {
            // left in the temporary folder
        }
    }

    /** Runs a command; null if it succeeded, else what it printed. */
    private static String run(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out";
            }
            return process.exitValue() == 0 ? null : "exit " + process.exitValue() + ": " + output.strip();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return e.toString();
        }
    }
}
