package dev.parley.client.cli;

import dev.parley.client.GroupInfo;
import dev.parley.client.ParleyClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "members", description = "The members of a group as this device holds it, one per line: name<TAB>admin|member.")
final class GroupMembersCommand extends GroupSubcommand {

    @Parameters(index = "0", paramLabel = "GROUP", description = "The group's id or name.")
    String group;

    @Override
    int run(ParleyClient client) throws Exception {
        for (GroupInfo.Member member : client.group(group).members()) {
            out().println(member.username() + "\t" + (member.admin() ? "admin" : "member"));
        }
        return 0;
    }
}
