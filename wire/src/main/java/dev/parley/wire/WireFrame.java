package dev.parley.wire;

/**
 * One frame of the catalogue (docs/PROTOCOL.md §2). Every implementation is a record nested in
 * its family's class under {@code dev.parley.wire.frames}, with a {@code TYPE} constant that
 * {@link FrameCatalogue} maps to and from the frame's {@code type}.
 */
public interface WireFrame {

    /** A client frame that asks for an answer: {@code id} comes back as the answer's {@code re}. */
    interface Request extends WireFrame {
        String id();
    }

    /** A server frame answering a {@link Request}; {@code re} is null in an unprompted frame of the same type. */
    interface Answer extends WireFrame {
        String re();
    }
}
