package dev.parley.client.attachments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** File names made safe, saving without overwriting, content types and image previews. */
class AttachmentFilesTest {

    @TempDir
    Path dir;

    @Test
    void namesAreNeverPathsNorHiddenNorControlled() {
        assertEquals("passwd", SafeFileNames.safe("../../etc/passwd"));
        assertEquals("evil.exe", SafeFileNames.safe("C:\\Users\\x\\evil.exe"));
        assertEquals("file", SafeFileNames.safe(".."));
        assertEquals("file", SafeFileNames.safe(""));
        assertEquals("file", SafeFileNames.safe(null));
        assertEquals("bashrc", SafeFileNames.safe(".bashrc"));
        assertEquals("a_b_c.txt", SafeFileNames.safe("a\u0000b\u202ec.txt"));
        assertEquals("what_.txt", SafeFileNames.safe("what?.txt"));
        assertEquals("résumé 😀.pdf", SafeFileNames.safe("résumé 😀.pdf"));
        String longName = "é".repeat(300) + ".tar";
        String safe = SafeFileNames.safe(longName);
        assertTrue(safe.getBytes(StandardCharsets.UTF_8).length <= 255, safe);
        assertTrue(safe.endsWith("é.tar"), safe);
        String numbered = SafeFileNames.numbered(safe, 12);
        assertTrue(numbered.getBytes(StandardCharsets.UTF_8).length <= 255);
        assertTrue(numbered.endsWith(" (12).tar"), numbered);
    }

    @Test
    void savingNeverOverwritesAndLeavesNoTemporaryFile() throws Exception {
        Files.writeString(dir.resolve("report.pdf"), "mine");
        Path first = SavedFiles.temporary(dir);
        Files.writeString(first, "theirs");
        Path saved = SavedFiles.publish(first, "../report.pdf");
        assertEquals(dir.resolve("report (1).pdf"), saved);
        assertEquals("mine", Files.readString(dir.resolve("report.pdf")));
        assertEquals("theirs", Files.readString(saved));
        Path second = SavedFiles.temporary(dir);
        assertEquals(dir.resolve("report (2).pdf"), SavedFiles.publish(second, "report.pdf"));
        try (var files = Files.list(dir)) {
            assertEquals(3, files.count(), "no temporary file left");
        }
    }

    @Test
    void imagesAreKnownByTheirBytesNotTheirNames() throws Exception {
        Path png = dir.resolve("picture.txt");
        ImageIO.write(new BufferedImage(10, 5, BufferedImage.TYPE_INT_RGB), "png", png.toFile());
        assertEquals("image/png", ContentTypes.of(png));
        Path svg = dir.resolve("drawing.svg");
        Files.writeString(svg, "<svg xmlns='http://www.w3.org/2000/svg'/>");
        assertEquals(ContentTypes.OCTET_STREAM, ContentTypes.of(svg));
        Path text = dir.resolve("notes.TXT");
        Files.writeString(text, "hello");
        assertEquals("text/plain", ContentTypes.of(text));
        assertTrue(ContentTypes.isValid("application/vnd.oasis.opendocument.text"));
        assertFalse(ContentTypes.isValid("Text/Plain"));
    }

    @Test
    void aLargeNoisyImageGetsItsSizeAndASmallJpegThumbnail() throws Exception {
        BufferedImage image = new BufferedImage(3000, 2000, BufferedImage.TYPE_INT_RGB);
        Random noise = new Random(7);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, noise.nextInt()); // noise compresses worst: the size loop has to work
            }
        }
        Path file = dir.resolve("noise.png");
        ImageIO.write(image, "png", file.toFile());
        ImagePreview preview = ImagePreview.of(file, ContentTypes.of(file));
        assertEquals(3000, preview.width());
        assertEquals(2000, preview.height());
        byte[] thumbnail = preview.thumbnail();
        assertTrue(thumbnail.length > 0 && thumbnail.length <= ImagePreview.MAX_THUMBNAIL_BYTES, "thumbnail " + thumbnail.length);
        assertArrayEquals(new byte[] {(byte) 0xff, (byte) 0xd8}, java.util.Arrays.copyOf(thumbnail, 2), "a JPEG");
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(thumbnail));
        assertTrue(Math.max(decoded.getWidth(), decoded.getHeight()) <= ImagePreview.LONGEST_SIDE);
        assertEquals(3.0 / 2, (double) decoded.getWidth() / decoded.getHeight(), 0.05);
    }

    @Test
    void aTransparentSmallImageKeepsItsSizeAndNonImagesHaveNone() throws Exception {
        BufferedImage image = new BufferedImage(64, 200, BufferedImage.TYPE_INT_ARGB);
        var g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(255, 0, 0, 0), 64, 200, Color.BLUE));
        g.fillRect(0, 0, 64, 200);
        g.dispose();
        Path file = dir.resolve("tall.png");
        ImageIO.write(image, "png", file.toFile());
        ImagePreview preview = ImagePreview.of(file, "image/png");
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(preview.thumbnail()));
        assertEquals(64, preview.width());
        assertEquals(200, preview.height());
        assertEquals(64, thumbnail.getWidth(), "never enlarged");
        Path text = dir.resolve("a.txt");
        Files.writeString(text, "not an image");
        assertEquals(ImagePreview.NONE, ImagePreview.of(text, ContentTypes.of(text)));
        Path broken = dir.resolve("broken.png");
        Files.write(broken, java.util.Arrays.copyOf(Files.readAllBytes(file), 40));
        ImagePreview none = ImagePreview.of(broken, "image/png");
        assertEquals(0, none.thumbnail().length, "a damaged image goes as a file without a preview");
    }
}
