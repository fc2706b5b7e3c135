package dev.parley.protocol.payload;

import dev.parley.protocol.codec.ByteWriter;
import dev.parley.protocol.codec.Utf8;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits history into {@link Payload.HistoryChunk}s that each fit the largest padded payload
 * ({@link Padding#MAX_PAYLOAD}), in order, filling each chunk greedily. An entry too large for a
 * chunk of its own (a text close to the largest message) cannot be sent as history: it is
 * returned in {@link Packed#tooLarge} for the caller to report, never silently cut.
 */
public final class HistoryChunks {

    /** {@code u16 index || u16 total || u16 count}. */
    private static final int CHUNK_HEADER = 6;

    private HistoryChunks() {}

    /** The entries of each chunk, in order, and the entries that fit no chunk. */
    public record Packed(List<List<HistoryEntry>> chunks, List<HistoryEntry> tooLarge) {
        public Packed {
            chunks = chunks.stream().map(List::copyOf).toList();
            tooLarge = List.copyOf(tooLarge);
        }
    }

    /** Packs {@code entries} for chunk payloads whose message ids are {@code chunkIdBytes} UTF-8 bytes long. */
    public static Packed pack(List<HistoryEntry> entries, int chunkIdBytes) {
        if (chunkIdBytes < 1 || chunkIdBytes > PayloadCodec.MAX_ID_BYTES) {
            throw new IllegalArgumentException("chunk id must be 1..64 bytes");
        }
        int budget = Padding.MAX_PAYLOAD - (1 + 1 + 8 + 1 + chunkIdBytes) - CHUNK_HEADER;
        List<List<HistoryEntry>> chunks = new ArrayList<>();
        List<HistoryEntry> tooLarge = new ArrayList<>();
        List<HistoryEntry> chunk = new ArrayList<>();
        int used = 0;
        for (HistoryEntry entry : entries) {
            int size = encodedSize(entry);
            if (size > budget) {
                tooLarge.add(entry);
                continue;
            }
            if (used + size > budget || chunk.size() == 0xFFFF) {
                chunks.add(chunk);
                chunk = new ArrayList<>();
                used = 0;
            }
            chunk.add(entry);
            used += size;
        }
        if (!chunk.isEmpty()) {
            chunks.add(chunk);
        }
        return new Packed(chunks, tooLarge);
    }

    /** Bytes of one entry in a chunk. */
    public static int encodedSize(HistoryEntry entry) {
        ByteWriter out = new ByteWriter(32 + Utf8.encode(entry.text()).length);
        SyncBodies.writeEntry(out, entry);
        return out.size();
    }
}
