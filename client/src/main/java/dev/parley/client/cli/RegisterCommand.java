package dev.parley.client.cli;

import dev.parley.client.ParleyClient;
import dev.parley.client.RecoveryCode;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "register", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Create an account with a new identity; prints its recovery code once.")
final class RegisterCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "Account name: 3 to 32 of a-z, 0-9, _.")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ParleyClient client = ParleyClient.open(cli.homeFor(name))) {
            RecoveryCode code = client.register(cli.serverOrDefault(), name);
            out.println("Registered " + name + " on " + cli.serverOrDefault() + " (home " + client.home() + ").");
            out.println("Recovery code, shown only this once; keep it safe, it moves the account to a new device:");
            out.println("recovery code: " + code.display());
        }
        return 0;
    }
}
