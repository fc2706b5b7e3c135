package dev.parley.client.cli;

import dev.parley.client.DirectoryEntry;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "users", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "List the server's users: name, presence, your trust in their identity, and"
                + " \"looks like NAME,...\" when the name resembles other users' names.")
final class UsersCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ParleyClient client = cli.connected(new ParleyListener() { })) {
            for (DirectoryEntry entry : client.users()) {
                String trust = entry.isSelf() ? "you" : entry.trust().name().toLowerCase(Locale.ROOT);
                String alike = entry.looksLike().isEmpty() ? "" : "\tlooks like " + String.join(",", entry.looksLike());
                out.println(entry.username() + "\t" + (entry.online() ? "online" : "offline") + "\t" + trust + alike);
            }
        }
        return 0;
    }
}
