package dev.parley.client.cli;

import dev.parley.client.ClientException;
import dev.parley.client.ClientException.Reason;
import dev.parley.client.ParleyClient;
import java.time.Duration;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "timer", description = "Set the conversation's disappearing-messages timer for everyone in it: off, 5m, 1h,"
        + " 1d, 1w or N seconds (Ns, at most 4 weeks). New messages then disappear that long after they are sent.")
final class TimerCommand extends ConversationCommand {

    @Parameters(index = "1", paramLabel = "TIMER", description = "off, 5m, 1h, 1d, 1w or <N>s.")
    String timer;

    @Override
    int run(ParleyClient client) throws Exception {
        String sent = client.conversations().setTimer(conversation(), parse(timer));
        awaitStored(client);
        out().println(sent);
        return 0;
    }

    /** off → 0; 5m, 1h, 1d, 1w; {@code <N>s}. */
    static Duration parse(String text) throws ClientException {
        String value = text.toLowerCase(Locale.ROOT);
        switch (value) {
            case "off" -> {
                return Duration.ZERO;
            }
            case "5m" -> {
                return Duration.ofMinutes(5);
            }
            case "1h" -> {
                return Duration.ofHours(1);
            }
            case "1d" -> {
                return Duration.ofDays(1);
            }
            case "1w" -> {
                return Duration.ofDays(7);
            }
            default -> {
                if (value.matches("[0-9]{1,7}s")) {
                    return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
                }
                throw new ClientException(Reason.REFUSED, "a timer is off, 5m, 1h, 1d, 1w or <N>s, not '" + Terminal.safe(text)
                        + "'");
            }
        }
    }
}
