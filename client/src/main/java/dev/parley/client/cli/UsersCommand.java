package dev.parley.client.cli;

import dev.parley.client.DirectoryEntry;
import dev.parley.client.ParleyClient;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "users",
        description = {"List users: name, presence, your trust in their identity, \"blocked\" for those you"
                + " blocked, and \"looks like NAME,...\" when the name resembles other users' names.",
                "On a server with an open directory: every account. With a private directory: the accounts this"
                        + " client knows (contacts, people found before); give NAME to look up that exact username."})
final class UsersCommand extends ConnectedCommand {

    @Parameters(index = "0..*", arity = "0..*", paramLabel = "NAME",
            description = "Exact usernames to look up (either directory mode); exit code 4 if one does not exist.")
    List<String> names = List.of();

    @Override
    int run(ParleyClient client) throws Exception {
        if (names.isEmpty()) {
            client.users().forEach(entry -> print(client, entry));
            return 0;
        }
        int exit = 0;
        for (String name : names) {
            var found = client.findUser(name);
            if (found.isPresent()) {
                print(client, found.get());
            } else {
                err().println("no user " + name + " on this server");
                exit = 4;
            }
        }
        return exit;
    }

    private void print(ParleyClient client, DirectoryEntry entry) {
        String trust = entry.isSelf() ? "you" : entry.trust().name().toLowerCase(Locale.ROOT);
        String blocked = !entry.isSelf() && client.blocking().isBlocked(entry.username()) ? "\tblocked" : "";
        String alike = entry.looksLike().isEmpty() ? "" : "\tlooks like " + String.join(",", entry.looksLike());
        out().println(entry.username() + "\t" + (entry.online() ? "online" : "offline") + "\t" + trust + blocked + alike);
    }
}
