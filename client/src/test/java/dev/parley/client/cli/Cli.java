package dev.parley.client.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code parley} CLI in-process against one server and captures its output. */
public final class Cli {

    public record Result(int code, String out, String err) {
        public List<String> lines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final String server;

    public Cli(String server) {
        this.server = server;
    }

    public Result run(Path home, String... args) {
        List<String> all = new ArrayList<>(List.of("--server", server, "--home", home.toString()));
        all.addAll(List.of(args));
        var out = new StringWriter();
        var err = new StringWriter();
        int code = ParleyCli.run(new PrintWriter(out), new PrintWriter(err), all.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }

    /** The recovery code printed by register / reset. */
    public static String recoveryCode(Result result) {
        return result.lines().stream().filter(l -> l.startsWith("recovery code: ")).findFirst()
                .map(l -> l.substring("recovery code: ".length())).orElseThrow(() -> new AssertionError("no recovery code in " + result));
    }
}
