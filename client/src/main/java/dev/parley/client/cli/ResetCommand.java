package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.RecoveryCode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Option;

@Command(name = "reset",
        description = "Move an account to a new identity in this home with its recovery code;"
        + " prints the new recovery code once. Contacts will see an identity change.")
final class ResetCommand extends ClientCommand {

    @Parameters(paramLabel = "NAME", description = "The user's account name.")
    String name;


    @Option(names = "--recovery-code", required = true, paramLabel = "CODE", description = "The account's recovery code.")
    String recoveryCode;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = out();
        try (ParleyClient client = ParleyClient.open(cli.homeFor(name))) {
            var server = cli.server != null ? cli.serverOrDefault()
                    : dev.parley.client.net.ServerAddress.parse(client.registeredServer().orElse(dev.parley.client.net.ServerAddress.DEFAULT));
            RecoveryCode code = client.reset(server, name, recoveryCode);
            out.println("Reset " + name + " to a new identity on " + server + " (home " + client.home() + ").");
            out.println("The old recovery code no longer works. New recovery code, shown only this once:");
            out.println("recovery code: " + code.display());
        }
        return 0;
    }
}
