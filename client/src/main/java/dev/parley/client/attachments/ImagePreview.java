package dev.parley.client.attachments;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * An image's size in pixels and the sender's JPEG thumbnail of it (longest side at most
 * {@link #LONGEST_SIDE} px, at most {@link #MAX_THUMBNAIL_BYTES}), made with javax.imageio.
 * The image is decoded subsampled, so a large picture never sits whole in memory; an image the
 * JDK cannot read (WebP) or one that is larger than {@link #MAX_PIXELS} gets its size if
 * known and no thumbnail. Not an image: {@link #NONE} (0 x 0, no thumbnail).
 */
public record ImagePreview(int width, int height, byte[] thumbnail) {

    public static final int LONGEST_SIDE = 320;
    public static final int MAX_THUMBNAIL_BYTES = dev.parley.protocol.Limits.MAX_THUMBNAIL_BYTES;
    /** Images larger than this (pixels) get no thumbnail: decoding them is a decompression bomb's goal. */
    static final long MAX_PIXELS = 100_000_000L;
    /** Width and height travel as u16. */
    private static final int MAX_SIDE = 65_535;
    public static final ImagePreview NONE = new ImagePreview(0, 0, new byte[0]);
    private static final float[] QUALITIES = {0.8f, 0.65f, 0.5f, 0.35f, 0.2f};

    public ImagePreview {
        thumbnail = thumbnail.clone();
    }

    @Override
    public byte[] thumbnail() {
        return thumbnail.clone();
    }

    /** The preview of {@code file} of {@code contentType}: {@link #NONE} unless it is an image. */
    public static ImagePreview of(Path file, String contentType) throws IOException {
        if (!ContentTypes.isImage(contentType)) {
            return NONE;
        }
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                return NONE; // a type the JDK cannot decode: no size, no thumbnail
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE) {
                    return NONE;
                }
                if ((long) width * height > MAX_PIXELS) {
                    return new ImagePreview(width, height, new byte[0]);
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (2 * LONGEST_SIDE));
                param.setSourceSubsampling(step, step, 0, 0);
                BufferedImage decoded = reader.read(0, param);
                return new ImagePreview(width, height, thumbnail(decoded));
            } catch (IOException | RuntimeException unreadable) {
                return NONE; // a damaged image is still sent, as a file without a preview
            } finally {
                reader.dispose();
            }
        }
    }

    /** A JPEG of {@code image} scaled to fit {@link #LONGEST_SIDE}, smaller until it fits {@link #MAX_THUMBNAIL_BYTES}. */
    static byte[] thumbnail(BufferedImage image) throws IOException {
        for (int side = LONGEST_SIDE; side >= 40; side = side * 3 / 4) {
            BufferedImage scaled = scaled(image, side);
            for (float quality : QUALITIES) {
                byte[] jpeg = jpeg(scaled, quality);
                if (jpeg.length <= MAX_THUMBNAIL_BYTES) {
                    return jpeg;
                }
            }
        }
        return new byte[0];
    }

    private static BufferedImage scaled(BufferedImage image, int longest) {
        double factor = Math.min(1.0, (double) longest / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE); // transparent parts on white: JPEG has no alpha
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        var bytes = new ByteArrayOutputStream();
        try (var output = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(output);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    @Override
    public String toString() {
        return "ImagePreview[" + width + "x" + height + ", thumbnail " + thumbnail.length + " bytes]";
    }
}
