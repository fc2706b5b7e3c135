package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.RecoveryCode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "register",
        description = "Create an account with a new identity; prints its recovery code once.")
final class RegisterCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME", description = "Account name: 3 to 32 of a-z, 0-9, _.")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (ParleyClient client = ParleyClient.open(cli.homeFor(name))) {
            RecoveryCode code = client.register(cli.serverOrDefault(), name);
            out.println("Registered " + name + " on " + cli.serverOrDefault() + " (home " + client.home() + ").");
            out.println("Recovery code, shown only this once; keep it safe, it moves the account to a new device:");
            out.println("recovery code: " + code.display());
        }
        return 0;
    }
}
