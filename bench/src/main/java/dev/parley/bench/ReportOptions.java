package dev.parley.bench;

import picocli.CommandLine.Option;

/** How a scenario reports: human-readable by default, or one JSON line with {@code --json}. */
final class ReportOptions {

    @Option(names = "--json", description = "Print one machine-readable JSON line instead of the text report.")
    boolean json;

    /** Prints the result; the exit status is 0 if the run had no errors, 1 otherwise. */
    int report(Result result) {
        System.out.println(json ? result.toJson() : result.toText());
        System.out.flush();
        return result.errors == 0 ? 0 : 1;
    }
}
