package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import picocli.CommandLine.Command;

@Command(name = "sign-out",
        description = "Sign this device out of the account: it leaves the account's device list and this home forgets the"
        + " account's keys (the message history stays).")
final class DevicesSignOutCommand extends DevicesSubcommand {

    @Override
    public Integer call() throws Exception {
        try (ParleyClient client = connected(new ParleyListener() { })) {
            String user = client.username().orElseThrow();
            client.signOut();
            out().println("signed out of " + user);
        }
        return 0;
    }
}
