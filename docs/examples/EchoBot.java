package dev.parley.client.examples;

import dev.parley.client.ClientException;
import dev.parley.client.IncomingMessage;
import dev.parley.client.ParleyClient;
import dev.parley.client.ParleyListener;
import dev.parley.client.net.ServerAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/** Answers every text with "echo: TEXT". Usage: EchoBot HOME [SERVER], HOME registered with 'parley register'. */
public final class EchoBot {
    public static void main(String[] args) throws Exception {
        AtomicReference<ParleyClient> bot = new AtomicReference<>();
        Set<String> answered = java.util.concurrent.ConcurrentHashMap.newKeySet(); // unread() and live delivery overlap
        ParleyListener echo = new ParleyListener() {
            @Override
            public void onMessage(IncomingMessage message) {
                if (!answered.add(message.from() + "/" + message.id())) return; // answered already
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
            client.connect(args.length > 1 ? ServerAddress.parse(args[1]) : null);
            client.unread().forEach(echo::onMessage); // stored while the bot was not running
            System.out.println(client.username().orElseThrow() + " is echoing; Ctrl-C to stop");
            Thread.currentThread().join(); // messages arrive on the client's receive thread
        }
    }
}
