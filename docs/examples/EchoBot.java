package dev.parley.client.examples;

import dev.parley.client.ClientException;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.net.ServerAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Answers every text with "echo: TEXT". Usage: EchoBot HOME [SERVER], HOME registered with 'parley register'. */
public final class EchoBot {
    public static void main(String[] args) throws Exception {
        AtomicReference<ParleyClient> bot = new AtomicReference<>();
        ParleyListener echo = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                try {
                    bot.get().markRead(message.from(), List.of(message.id()));
                    bot.get().send(message.from(), "echo: " + message.text());
                } catch (ClientException e) {
                    System.err.println("could not answer " + message.from() + ": " + e.getMessage());
                }
            }
        };
        try (ParleyClient client = ParleyClient.open(Path.of(args[0]), echo)) {
            bot.set(client);
            List<IncomingMessage> backlog = client.unread(); // stored while the bot was not running
            client.connect(args.length > 1 ? ServerAddress.parse(args[1]) : null); // live ones reach echo
            backlog.forEach(echo::onMessage);
            System.out.println(client.username().orElseThrow() + " is echoing; Ctrl-C to stop");
            Thread.currentThread().join(); // messages arrive on the client's receive thread
        }
    }
}
