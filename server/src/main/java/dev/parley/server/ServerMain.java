package dev.parley.server;

import dev.parley.server.config.ServerCommand;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;

/** {@code java -jar parley-server.jar [options]}; {@code --help} lists the options. */
public final class ServerMain {

    private ServerMain() {
    }

    public static void main(String[] args) {
        var command = new ServerCommand(config -> {
            ParleyServer server = ParleyServer.start(config);
            var stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                stopped.countDown();
            }, "parley-shutdown"));
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        int exit = new CommandLine(command).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
