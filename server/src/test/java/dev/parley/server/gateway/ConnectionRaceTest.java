package dev.parley.server.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.parley.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** 200 simultaneous upgrades from one address: exactly the limit (64) are accepted. */
class ConnectionRaceTest {

    @Test
    void simultaneousUpgradesFromOneAddressNeverPassTheLimit() throws Exception {
        try (var server = TestServer.start(TestServer.testLimits().withConnectionsPerIp(64))) {
            var http = HttpClient.newHttpClient();
            var start = new CountDownLatch(1);
            List<CompletableFuture<WebSocket>> upgrades = new ArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                var upgrade = new CompletableFuture<WebSocket>();
                upgrades.add(upgrade);
                threads.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30))
                                .buildAsync(URI.create(server.wsUrl()), new WebSocket.Listener() { })
                                .whenComplete((socket, failure) -> {
                                    if (failure != null) {
                                        upgrade.completeExceptionally(failure);
                                    } else {
                                        upgrade.complete(socket);
                                    }
                                });
                    } catch (InterruptedException e) {
                        upgrade.completeExceptionally(e);
                    }
                }));
            }
            start.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
            List<WebSocket> accepted = new ArrayList<>();
            for (var upgrade : upgrades) {
                try {
                    accepted.add(upgrade.join());
                } catch (RuntimeException refused) {
                    // HTTP 429
                }
            }
            accepted.forEach(WebSocket::abort);
            assertEquals(64, accepted.size(), "upgrades accepted from one address");
        }
    }
}
