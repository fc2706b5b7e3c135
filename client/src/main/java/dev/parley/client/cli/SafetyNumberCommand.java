package dev.parley.client.cli;

import dev.parley.client.Contact;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.protocol.safety.SafetyNumber;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "safety-number", mixinStandardHelpOptions = true, versionProvider = ParleyCli.Version.class,
        description = "Print the 60-digit safety number of you and NAME, and its trust state."
        + " Compare it with NAME over another channel, then run 'parley verify NAME NUMBER'.")
final class SafetyNumberCommand implements Callable<Integer> {

    @ParentCommand
    ParleyCli cli;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        try (ParleyClient client = cli.connected(new ParleyListener() { })) {
            SafetyNumber number = client.safetyNumber(name);
            out.println(String.join(" ", number.groups()));
            Contact.Trust trust = client.contact(name).map(Contact::trust).orElse(Contact.Trust.UNVERIFIED);
            out.println("status: " + trust.name().toLowerCase(Locale.ROOT));
        }
        return 0;
    }
}
