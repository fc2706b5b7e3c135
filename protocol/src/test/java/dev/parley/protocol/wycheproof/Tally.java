package dev.parley.protocol.wycheproof;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the {@code acceptable} policy of CRYPTO.md §9 and counts outcomes, so a run that
 * silently skipped everything cannot pass.
 *
 * <ul>
 *   <li>{@code valid}: must succeed with the expected output;
 *   <li>{@code invalid}: must be rejected;
 *   <li>{@code acceptable}: rejected, or exactly the expected output (callers pass
 *       {@code mustReject} for the X25519 all-zero exception).
 * </ul>
 */
final class Tally {

    private final String file;
    private final List<String> failures = new ArrayList<>();
    private int run;
    private int notExpressible;

    Tally(String file) {
        this.file = file;
    }

    /** @param output the wrapper's result, or {@code null} if it rejected the input */
    void check(JsonNode test, byte[] output, byte[] expected, boolean mustReject) {
        run++;
        String result = test.path("result").asText();
        boolean rejected = output == null;
        boolean matches = !rejected && java.util.Arrays.equals(output, expected);
        boolean ok = switch (result) {
            case "valid" -> matches && !mustReject;
            case "invalid" -> rejected;
            case "acceptable" -> mustReject ? rejected : (rejected || matches);
            default -> false;
        };
        if (!ok) {
            failures.add("tcId " + test.path("tcId").asInt() + " (" + result + ", " + test.path("comment").asText()
                    + "): " + (rejected ? "rejected" : matches ? "accepted" : "wrong output"));
        }
    }

    /** For verification-only primitives: {@code accepted} is the wrapper's verdict. */
    void checkVerdict(JsonNode test, boolean accepted) {
        check(test, accepted ? new byte[0] : null, new byte[0], false);
    }

    void notExpressible() {
        notExpressible++;
    }

    int run() {
        return run;
    }

    int notExpressibleCount() {
        return notExpressible;
    }

    /** Fails on any policy violation and unless at least {@code minimumRun} cases ran. */
    void assertPassed(int minimumRun) {
        System.out.printf("Wycheproof %s: %d run, %d not expressible%n", file, run, notExpressible);
        assertEquals(List.of(), failures, file + ": cases violating the CRYPTO.md §9 policy");
        assertTrue(run >= minimumRun, file + ": only " + run + " cases ran, expected at least " + minimumRun);
    }
}
