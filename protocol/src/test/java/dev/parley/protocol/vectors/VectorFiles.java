package dev.parley.protocol.vectors;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.protocol.ProtocolException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The shared vector files (test-vectors/README.md), their generators and verifiers. */
final class VectorFiles {

    @FunctionalInterface
    interface Generator {
        JsonNode generate() throws ProtocolException;
    }

    @FunctionalInterface
    interface Verifier {
        /** @return the number of checks made; must be positive */
        int verify(JsonNode file) throws ProtocolException;
    }

    record Kind(Generator generator, Verifier verifier) {}

    /** File name -> generator and verifier, in README order. */
    static final Map<String, Kind> FILES = new LinkedHashMap<>();

    static {
        FILES.put("kdf.json", new Kind(KdfVectors::generate, KdfVectors::verify));
        FILES.put("signatures.json", new Kind(SignatureVectors::generate, SignatureVectors::verify));
        FILES.put("pqxdh.json", new Kind(PqxdhVectors::generate, PqxdhVectors::verify));
        FILES.put("conversation.json", new Kind(ConversationVectors::generate, ConversationVectors::verify));
        FILES.put("padding.json", new Kind(PaddingVectors::generate, PaddingVectors::verify));
        FILES.put("fanout.json", new Kind(FanOutVectors::generate, FanOutVectors::verify));
        FILES.put("safety.json", new Kind(SafetyVectors::generate, SafetyVectors::verify));
        FILES.put("link.json", new Kind(LinkVectors::generate, LinkVectors::verify));
        FILES.put("devices.json", new Kind(DeviceListVectors::generate, DeviceListVectors::verify));
        FILES.put("groups.json", new Kind(GroupVectors::generate, GroupVectors::verify));
        FILES.put("content.json", new Kind(ContentVectors::generate, ContentVectors::verify));
        FILES.put("attachments.json", new Kind(AttachmentVectors::generate, AttachmentVectors::verify));
    }

    private VectorFiles() {}

    /** {@code test-vectors/} of this repository (surefire's {@code parley.repo.root}, else the parent of the working directory). */
    static Path directory() {
        String root = System.getProperty("parley.repo.root");
        Path repoRoot = root != null && !root.isBlank() ? Path.of(root) : Path.of("").toAbsolutePath().getParent();
        return repoRoot.resolve("test-vectors");
    }
}
