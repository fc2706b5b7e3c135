package dev.parley.server.config;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The command-line options of {@link DirectorySettings}, mixed into {@link ServerCommand}. */
final class DirectoryOptions {

    @Option(names = "--directory", defaultValue = "open",
            description = "open: every logged-in user can list all accounts; private: accounts are found only by "
                    + "exact username (find_users) and the list of accounts is never sent.")
    String directory;

    @Option(names = "--lookups-per-minute", defaultValue = "" + DirectorySettings.DEFAULT_LOOKUPS_PER_MINUTE,
            description = "Usernames one account may look up per minute (find_users), in both directory modes.")
    int lookupsPerMinute;

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    /** The settings, or a usage error (not a stack trace) when the options do not make them. */
    DirectorySettings toSettings() {
        DirectorySettings.Mode mode = switch (directory == null ? "" : directory.strip()) {
            case "open" -> DirectorySettings.Mode.OPEN;
            case "private" -> DirectorySettings.Mode.PRIVATE;
            default -> throw new ParameterException(spec.commandLine(),
                    "--directory must be open or private, not '" + directory + "'");
        };
        try {
            return new DirectorySettings(mode, lookupsPerMinute);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
