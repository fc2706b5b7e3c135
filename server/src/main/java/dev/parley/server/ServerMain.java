package dev.parley.server;

import dev.parley.server.config.ServerCommand;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * {@code java -jar parley-server.jar [options]}; {@code --help} lists the options. A stop
 * signal drains the node ({@link ParleyServer#drainAndClose}) and exits with status 0.
 */
public final class ServerMain {

    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    public static void main(String[] args) {
        String carriers = CarrierThreads.configure(); // before the first virtual thread
        var command = new ServerCommand(config -> {
            log.info("virtual threads run on {} carrier thread(s) (-D{})", carriers, CarrierThreads.PROPERTY);
            ParleyServer server;
            try {
                server = ParleyServer.start(config);
            } catch (RuntimeException | Error e) {
                // What did start (the HTTP server, the writer) must not keep a half-started node alive.
                log.error("Parley did not start", e);
                System.exit(1);
                return;
            }
            var stopped = new CountDownLatch(1);
            // SIGTERM (a rolling restart, docker stop, systemctl stop) or Ctrl-C: drain, then exit 0
            // once everything acknowledged is on disk (halt: the status of a signalled JVM would be 143).
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                int status = 0;
                try {
                    server.drainAndClose();
                } catch (RuntimeException e) {
                    log.error("stopping failed", e);
                    status = 1;
                }
                stopped.countDown();
                Runtime.getRuntime().halt(status);
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
