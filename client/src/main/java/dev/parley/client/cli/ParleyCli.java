package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.net.ServerAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code parley}: the command-line Parley client. Global options choose the server and the
 * client home; each subcommand opens the home (locked against other processes), does its work
 * and exits with a code from {@link Reason#exitCode()} (0 on success, 2 for usage errors).
 */
@Command(name = "parley", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "End-to-end encrypted Parley chat from the terminal.",
        subcommands = {RegisterCommand.class, UsersCommand.class, SendCommand.class, ReceiveCommand.class,
                ChatCommand.class, SafetyNumberCommand.class, VerifyCommand.class, ResetCommand.class,
                ResendCommand.class, LinkCommand.class, DevicesCommand.class, GroupCommand.class, ReplyCommand.class,
                EditCommand.class, DeleteCommand.class, ReactCommand.class, TimerCommand.class, SearchCommand.class,
                SendFileCommand.class},
        footer = {"", "Exit codes:", "  0 ok, 1 failure, 2 usage, 3 server unreachable, 4 unknown user,",
                "  5 identity of a verified contact changed (sending refused),",
                "  6 safety number mismatch, 7 home in use by another process,",
                "  8 no account in the home, 9 refused by the server,",
                "  10 no answer in time (the message stays in the outbox)."})
public final class ParleyCli {

    /** The version every command prints for {@code --version} (each command also answers {@code --help}). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"parley 0.1.0"};
        }
    }

    @Option(names = "--server", scope = CommandLine.ScopeType.INHERIT, paramLabel = "URL",
            description = "Parley server (default: the one this home registered with, else " + ServerAddress.DEFAULT + ").")
    String server;

    @Option(names = "--home", scope = CommandLine.ScopeType.INHERIT, paramLabel = "DIR", description = "Client home folder (default: ~/.parley/<user>).")
    Path home;

    @Option(names = "--user", scope = CommandLine.ScopeType.INHERIT, paramLabel = "NAME", description = "Use the home ~/.parley/NAME (when --home is not given).")
    String user;

    /** Runs the CLI and returns its exit code (for tests and {@link #main}). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine line = new CommandLine(new ParleyCli());
        // A group id is base64url and may start with '-': in group commands an argument that is no known option is an argument.
        line.getSubcommands().get("group").getSubcommands().values().forEach(command -> command
                .setPosixClusteredShortOptionsAllowed(false).setUnmatchedOptionsArePositionalParams(true));
        // Message ids are base64url too: an argument of these commands that is no known option is an argument.
        for (String name : List.of("reply", "edit", "delete", "react", "timer", "search")) {
            line.getSubcommands().get(name).setPosixClusteredShortOptionsAllowed(false).setUnmatchedOptionsArePositionalParams(true);
        }
        line.setOut(out);
        line.setErr(err);
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ClientException clientException) {
                err.println("parley: " + clientException.getMessage());
                err.flush();
                return clientException.reason().exitCode();
            }
            err.println("parley: " + e);
            err.flush();
            return Reason.FAILED.exitCode();
        });
        int code = line.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    ServerAddress serverOrNull() throws ClientException {
        return server == null ? null : ServerAddress.parse(server);
    }

    ServerAddress serverOrDefault() throws ClientException {
        return ServerAddress.parse(server == null ? ServerAddress.DEFAULT : server);
    }

    static Path parleyRoot() {
        return Path.of(System.getProperty("user.home"), ".parley");
    }

    /** The home for a command that names its account (register, reset). */
    Path homeFor(String username) {
        return home != null ? home : parleyRoot().resolve(username);
    }

    /** The home for the other commands: --home, --user, or the only account under ~/.parley. */
    Path homeForExisting() throws ClientException {
        if (home != null) {
            return home;
        }
        if (user != null) {
            return parleyRoot().resolve(user);
        }
        Path root = parleyRoot();
        List<Path> accounts;
        try (Stream<Path> dirs = Files.isDirectory(root) ? Files.list(root) : Stream.empty()) {
            accounts = dirs.filter(d -> Files.exists(d.resolve("parley.db"))).sorted().toList();
        } catch (IOException e) {
            throw new ClientException(Reason.FAILED, "cannot read " + root + ": " + e.getMessage());
        }
        if (accounts.isEmpty()) {
            throw new ClientException(Reason.NO_ACCOUNT, "no Parley account under " + root + " (run 'parley register NAME')");
        }
        if (accounts.size() > 1) {
            throw new ClientException(Reason.NO_ACCOUNT, "several accounts under " + root + " ("
                    + String.join(", ", accounts.stream().map(p -> p.getFileName().toString()).toList())
                    + "): choose one with --user NAME or --home DIR");
        }
        return accounts.getFirst();
    }

    /**
     * Warns on standard error when {@code name} looks like another user's name (a look-alike
     * may be an impersonator); the command goes on.
     */
    static void warnLookAlikes(ParleyClient client, String name, PrintWriter err) {
        List<String> alike = client.lookAlikes(name);
        if (!alike.isEmpty()) {
            err.println("parley: warning: " + name + " looks like " + String.join(", ", alike)
                    + " (another user); check that " + name + " is the person you mean");
            err.flush();
        }
    }

    /** Opens the existing home and connects. */
    ParleyClient connected(ParleyListener listener) throws ClientException {
        Path existing = homeForExisting();
        if (!Files.exists(existing.resolve("parley.db"))) {
            throw new ClientException(Reason.NO_ACCOUNT, "no Parley account in " + existing + " (run 'parley register NAME' first)");
        }
        ParleyClient client = ParleyClient.open(existing, listener);
        try {
            client.connect(serverOrNull());
            return client;
        } catch (ClientException | RuntimeException e) {
            client.close();
            throw e;
        }
    }
}
