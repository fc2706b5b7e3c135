package dev.parley.client.cli;

import dev.parley.client.GroupInfo;
import dev.parley.client.ParleyClient;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "list", description = "Your groups, one per line: id<TAB>name<TAB>members<TAB>active|removed|left.")
final class GroupListCommand extends GroupSubcommand {

    @Override
    int run(ParleyClient client) throws Exception {
        for (GroupInfo group : client.groups()) {
            out().println(group.id() + "\t" + Terminal.safe(group.name()) + "\t" + group.members().size() + "\t"
                    + group.status().name().toLowerCase(Locale.ROOT));
        }
        return 0;
    }
}
