package dev.parley.server.blobs;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A blob of {@link DatabaseBlobStore} read from the start, one chunk row at a time: each chunk
 * is one query on a connection borrowed for it alone (a slow download holds no connection), and
 * only the current chunk is in memory. The rows tile the blob, so the next one starts where the
 * last ended; the stream ends where no row starts (the blob's end, or its deletion meanwhile,
 * which cuts the download short).
 */
final class ChunkInput extends InputStream {

    private final DataSource dataSource;
    private final String id;
    private long nextStart;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean ended;

    ChunkInput(DataSource dataSource, String id) {
        this.dataSource = dataSource;
        this.id = id;
    }

    @Override
    public int read() throws IOException {
        return available() > 0 || fill() ? chunk[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (available() == 0 && !fill()) {
            return -1;
        }
        int n = Math.min(length, available());
        System.arraycopy(chunk, position, buffer, offset, n);
        position += n;
        return n;
    }

    @Override
    public int available() {
        return chunk.length - position;
    }

    /** Reads the next chunk row; false at the end. */
    private boolean fill() throws IOException {
        if (ended) {
            return false;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement("SELECT bytes FROM blob_parts WHERE blob_id = ? AND start = ?")) {
            query.setString(1, id);
            query.setLong(2, nextStart);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    ended = true;
                    return false;
                }
                chunk = row.getBytes(1);
            }
        } catch (SQLException e) {
            throw new IOException("reading a blob failed", e);
        }
        position = 0;
        nextStart += chunk.length;
        ended = chunk.length == 0; // never stored (the table refuses empty chunks); ends rather than loops
        return !ended;
    }
}
