package dev.parley.bench;

import dev.parley.wire.FrameCatalogue;
import dev.parley.wire.WireFrame;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A frame encoded once by {@link FrameCatalogue} with placeholder values, kept as the text
 * around them, so that the load generator's hot paths (one frame per message) cost a string
 * concatenation and still take every frame type and field name from the catalogue: the text
 * before the first value, between the two (null when there is one) and after the last.
 *
 * <p>Invariant: the values filled in need no JSON escaping. The bench fills in only message
 * ids, usernames and base64url, whose alphabets ({@code [A-Za-z0-9_-]}) JSON writes as is.
 */
record FrameTemplate(String before, String between, String after) {

    /** Valid as an id and a username, so that the catalogue's records accept them; never in real values. */
    private static final String FIRST = "zzbenchholeonezz";
    private static final String SECOND = "zzbenchholetwozz";

    /** A frame with one value left open: {@code build} receives the placeholder. */
    static FrameTemplate of(Function<String, WireFrame> build) {
        String text = FrameCatalogue.encode(build.apply(FIRST));
        int at = onlyPlace(text, FIRST);
        return new FrameTemplate(text.substring(0, at), null, text.substring(at + FIRST.length()));
    }

    /** A frame with two values left open, the first written before the second. */
    static FrameTemplate of(BiFunction<String, String, WireFrame> build) {
        String text = FrameCatalogue.encode(build.apply(FIRST, SECOND));
        int first = onlyPlace(text, FIRST);
        int second = onlyPlace(text, SECOND);
        if (second < first) {
            throw new IllegalStateException("the catalogue writes the values in another order: " + text);
        }
        return new FrameTemplate(text.substring(0, first), text.substring(first + FIRST.length(), second),
                text.substring(second + SECOND.length()));
    }

    String with(String value) {
        return before + value + after;
    }

    String with(String first, String second) {
        return before + first + between + second + after;
    }

    private static int onlyPlace(String text, String placeholder) {
        int at = text.indexOf(placeholder);
        if (at < 0 || text.indexOf(placeholder, at + 1) >= 0) {
            throw new IllegalStateException("placeholder not written exactly once: " + text);
        }
        return at;
    }
}
