package dev.parley.client.cli;

import dev.parley.client.Contact;
import dev.parley.client.ParleyClient;
import dev.parley.protocol.safety.SafetyNumber;
import java.util.Locale;
import picocli.CommandLine.Command;

@Command(name = "safety-number",
        description = "Print the 60-digit safety number of you and NAME, and its trust state."
        + " Compare it with NAME over another channel, then run 'parley verify NAME NUMBER'.")
final class SafetyNumberCommand extends NameCommand {

    @Override
    int run(ParleyClient client) throws Exception {
        SafetyNumber number = client.safetyNumber(name);
        out().println(String.join(" ", number.groups()));
        Contact.Trust trust = client.contact(name).map(Contact::trust).orElse(Contact.Trust.UNVERIFIED);
        out().println("status: " + trust.name().toLowerCase(Locale.ROOT));
        return 0;
    }
}
