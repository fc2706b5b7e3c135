package dev.parley.client.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.parley.client.ClientException;
import dev.parley.client.ContentMessage;
import dev.parley.client.ConversationRef;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.ServerTest;
import dev.parley.protocol.attachments.AttachmentFormat;
import dev.parley.protocol.attachments.AttachmentPointer;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** Files through a real server with the SDK: 1:1 and group, byte-identical, a tampered blob refused, a cancelled upload. */
class AttachmentRoundTripTest extends ServerTest {

    /** Every content message a client receives. */
    static final class Received implements ParleyListener {
        final BlockingQueue<ContentMessage> messages = new LinkedBlockingQueue<>();

        @Override
        public void onContentMessage(ContentMessage message) {
            messages.add(message);
        }

        ContentMessage next() throws InterruptedException {
            ContentMessage message = messages.poll(30, TimeUnit.SECONDS);
            assertNotNull(message, "no message arrived");
            return message;
        }
    }

    static Path randomFile(Path file, int size, long seed) throws Exception {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }

    static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void aFileToOnePersonAndAnImageToAGroupArriveByteIdentical() throws Exception {
        var bobEvents = new Received();
        var carolEvents = new Received();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"));
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents);
                ParleyClient carol = ParleyClient.open(dir.resolve("carol"), carolEvents)) {
            alice.register(address, "at_alice");
            bob.register(address, "at_bob");
            carol.register(address, "at_carol");

            // 1:1: a file of two parts and a bit (8 MiB parts), its progress reported
            Path file = randomFile(dir.resolve("out/data set.bin"), 9 * 1024 * 1024 + 17, 1);
            List<Long> progress = new ArrayList<>();
            SentFile sent = alice.attachments().sendFile(ConversationRef.user("at_bob"), file, "the data",
                    new Transfer((done, total) -> progress.add(done)));
            assertEquals(sha256(file), sent.sha256());
            assertEquals(AttachmentFormat.blobLength(Files.size(file)), progress.getLast(), "progress ends at the blob length");

            ContentMessage received = bobEvents.next();
            assertEquals(sent.id(), received.id());
            AttachmentPointer pointer = received.attachment();
            assertEquals("data set.bin", pointer.fileName());
            assertEquals(Files.size(file), pointer.size());
            assertEquals("application/octet-stream", pointer.contentType());
            assertEquals(0, pointer.width());
            assertEquals(0, pointer.thumbnail().length);
            Path bobFiles = dir.resolve("bob-files");
            SavedAttachment saved = bob.attachments().save(received, bobFiles, Transfer.quiet());
            assertEquals(bobFiles.resolve("data set.bin"), saved.path());
            assertEquals(-1, Files.mismatch(file, saved.path()), "byte-identical");
            assertEquals(sent.sha256(), saved.sha256());
            assertEquals(sent.sha256(), sha256(saved.path()));
            Path again = bob.attachments().download(received, bobFiles);
            assertEquals(bobFiles.resolve("data set (1).bin"), again, "a second download never overwrites the first");
            try (var files = Files.list(bobFiles)) {
                assertEquals(2, files.count(), "no temporary file left behind");
            }

            // a group: one upload, every member downloads the same image; the thumbnail came inside the message
            String group = alice.createGroup("files", List.of("at_bob", "at_carol")).id();
            BufferedImage image = new BufferedImage(1200, 900, BufferedImage.TYPE_INT_RGB);
            var g = image.createGraphics();
            g.setPaint(new java.awt.GradientPaint(0, 0, java.awt.Color.ORANGE, 1200, 900, java.awt.Color.BLUE));
            g.fillRect(0, 0, 1200, 900);
            g.dispose();
            Path png = dir.resolve("out/photo.png");
            ImageIO.write(image, "png", png.toFile());
            String groupId = alice.attachments().sendFile(ConversationRef.group(group), png);
            for (var member : List.of(new Object[] {bob, bobEvents}, new Object[] {carol, carolEvents})) {
                ParleyClient client = (ParleyClient) member[0];
                ContentMessage message = ((Received) member[1]).next();
                assertEquals(groupId, message.id());
                assertEquals(dev.parley.client.ConversationRef.group(group), message.conversation());
                AttachmentPointer photo = message.attachment();
                assertEquals("image/png", photo.contentType());
                assertEquals(1200, photo.width());
                assertEquals(900, photo.height());
                BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(photo.thumbnail()));
                assertEquals(320, thumbnail.getWidth());
                assertEquals(240, thumbnail.getHeight());
                Path savedPhoto = client.attachments().download(message, dir.resolve(client.username().orElseThrow() + "-photos"));
                assertArrayEquals(Files.readAllBytes(png), Files.readAllBytes(savedPhoto));
            }
        }
    }

    @Test
    void aTamperedBlobIsRefusedAndNothingIsSaved() throws Exception {
        var bobEvents = new Received();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"));
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "tb_alice");
            bob.register(address, "tb_bob");
            Path file = randomFile(dir.resolve("out/secret.bin"), 300_000, 2);
            alice.attachments().sendFile(ConversationRef.user("tb_bob"), file);
            ContentMessage received = bobEvents.next();
            ServerFiles.flipByte(ServerFiles.blobFile(server, Files.size(file)), 200_000);
            Path target = dir.resolve("bob-files");
            var refused = assertThrows(FileTransferException.class, () -> bob.attachments().download(received, target));
            assertTrue(refused.refused(), refused.code());
            assertTrue(refused.getMessage().contains("changed on the server"), refused.getMessage());
            try (var files = Files.list(target)) {
                assertEquals(List.of(), files.toList(), "neither the file nor a temporary file");
            }
        }
    }

    @Test
    void anUploadCancelledHalfwaySendsNothingAndItsBlobCannotBeFetched() throws Exception {
        var bobEvents = new Received();
        try (ParleyClient alice = ParleyClient.open(dir.resolve("alice"));
                ParleyClient bob = ParleyClient.open(dir.resolve("bob"), bobEvents)) {
            alice.register(address, "cu_alice");
            bob.register(address, "cu_bob");
            Path file = randomFile(dir.resolve("out/big.bin"), 16 * 1024 * 1024, 3);
            Transfer[] transfer = new Transfer[1];
            transfer[0] = new Transfer((done, total) -> transfer[0].cancel()); // once the first part (half the file) is stored
            var error = assertThrows(ClientException.class, () -> alice.attachments().sendFile(ConversationRef.user("cu_bob"), file,
                    "", transfer[0]));
            assertTrue(error.getMessage().contains("cancelled"), error.getMessage());
            List<String> pending = ServerFiles.pendingBlobIds(server);
            assertEquals(1, pending.size(), "the upload was started and not completed");
            var http = new BlobHttp(BlobHttp.newHttpClient(), server.origin());
            assertEquals(404, http.status(pending.getFirst()), "an incomplete blob is never served");
            assertEquals(null, bobEvents.messages.poll(2, TimeUnit.SECONDS), "no message was sent");
        }
    }
}
