package dev.parley.client.cli;

import dev.parley.client.DirectoryEntry;
import dev.parley.client.ParleyClient;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "users",
        description = "List the server's users: name, presence, your trust in their identity, and"
                + " \"looks like NAME,...\" when the name resembles other users' names.")
final class UsersCommand extends ConnectedCommand {

    @Override
    int run(ParleyClient client) throws Exception {
        for (DirectoryEntry entry : client.users()) {
            String trust = entry.isSelf() ? "you" : entry.trust().name().toLowerCase(Locale.ROOT);
            String alike = entry.looksLike().isEmpty() ? "" : "\tlooks like " + String.join(",", entry.looksLike());
            out().println(entry.username() + "\t" + (entry.online() ? "online" : "offline") + "\t" + trust + alike);
        }
        return 0;
    }
}
