package jp.kairan.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import jp.kairan.protocol.Json;

/**
 * The same users and rooms as the Kairan scenario, on ejabberd, through its own administration API
 * ({@code mod_http_api}, loopback only): {@code rooms × members} accounts ({@code register}; an account that exists
 * from an earlier run gets the new password with {@code change_password}), and {@code rooms} persistent,
 * members-only rooms with archiving ({@code create_room_with_opts}: {@code mam}, {@code persistent},
 * {@code members_only}), each user a {@code member} of exactly one ({@code set_room_affiliation}), as a Kairan room's
 * members are. ejabberd stores the passwords as SCRAM-SHA-1 keys (4,096 iterations) in MariaDB.
 */
final class XmppProvisioning {
    private static final ObjectMapper JSON = Json.mapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final URI api;
    private final String domain;
    private final String mucService;
    private final PrintStream log;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final Semaphore inFlight;

    XmppProvisioning(URI api, String domain, PrintStream log, int parallel) {
        this.api = api;
        this.domain = domain;
        this.mucService = "conference." + domain;
        this.log = log;
        this.inFlight = new Semaphore(Math.max(1, parallel));
    }

    /** A room's bare JID and its members' logins. */
    record Room(String jid, List<XmppChat.Login> members) {
    }

    List<Room> create(int rooms, int members) {
        long t0 = System.nanoTime();
        String password = HexFormat.of().formatHex(randomBytes(12));
        List<Room> result = new ArrayList<>();
        List<CompletableFuture<Void>> users = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            List<XmppChat.Login> group = new ArrayList<>();
            for (int m = 0; m < members; m++) {
                String user = String.format(Locale.ROOT, "b%04d-%02d", r + 1, m + 1);
                XmppChat.Login login = new XmppChat.Login(user, password, user);
                group.add(login);
                users.add(call("register", Map.of("user", user, "host", domain, "password", password))
                        .thenCompose(reply -> reply.statusCode() == 200 ? done()
                                : call("change_password", Map.of("user", user, "host", domain, "newpass", password))
                                        .thenAccept(again -> expectOk("change_password " + user, again))));
            }
            result.add(new Room(String.format(Locale.ROOT, "room%04d@%s", r + 1, mucService), group));
        }
        join(users);
        log.printf(Locale.ROOT, "setup: %d XMPP accounts in %.1f s%n", rooms * members, (System.nanoTime() - t0) / 1e9);

        long t1 = System.nanoTime();
        List<CompletableFuture<Void>> roomCalls = new ArrayList<>();
        for (Room room : result) {
            String name = room.jid().substring(0, room.jid().indexOf('@'));
            roomCalls.add(call("create_room_with_opts", Map.of("name", name, "service", mucService, "host", domain,
                    "options", List.of(option("persistent", "true"), option("members_only", "true"),
                            option("mam", "true"), option("public", "false"), option("allow_subscription", "false"))))
                    // An existing room (an earlier run on the same database) answers an error: its options are
                    // the same, and the affiliations below are set again either way.
                    .thenCompose(created -> {
                        List<CompletableFuture<Void>> affiliations = new ArrayList<>();
                        for (XmppChat.Login login : room.members()) {
                            affiliations.add(call("set_room_affiliation", Map.of("name", name, "service", mucService,
                                    "jid", login.user() + "@" + domain, "affiliation", "member"))
                                    .thenAccept(reply -> expectOk("set_room_affiliation " + name, reply)));
                        }
                        return CompletableFuture.allOf(affiliations.toArray(CompletableFuture[]::new));
                    }));
        }
        join(roomCalls);
        log.printf(Locale.ROOT, "setup: %d XMPP rooms of %d members in %.1f s%n", rooms, members,
                (System.nanoTime() - t1) / 1e9);
        return result;
    }

    private static Map<String, String> option(String name, String value) {
        return Map.of("name", name, "value", value);
    }

    private CompletableFuture<HttpResponse<String>> call(String command, Object body) {
        String json;
        try {
            json = JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(api.toString().replaceAll("/+$", "") + "/" + command))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        return send(request, 3);
    }

    /**
     * Sends with at most {@code attempts} tries: ejabberd's HTTP listener may close a kept-alive connection just as
     * the client reuses it (the request then gets no bytes at all); such a request is sent again.
     */
    private CompletableFuture<HttpResponse<String>> send(HttpRequest request, int attempts) {
        inFlight.acquireUninterruptibly();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((r, e) -> inFlight.release())
                .handle((r, e) -> e == null || attempts <= 1 ? CompletableFuture.completedFuture(r)
                        .thenApply(x -> {
                            if (e != null) {
                                throw new IllegalStateException(request.uri() + ": " + e.getMessage(), e);
                            }
                            return x;
                        })
                        : send(request, attempts - 1))
                .thenCompose(f -> f);
    }

    private static void expectOk(String what, HttpResponse<String> reply) {
        if (reply.statusCode() != 200) {
            throw new IllegalStateException("ejabberd API " + what + " answered " + reply.statusCode() + ": "
                    + reply.body());
        }
    }

    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }

    private static void join(List<CompletableFuture<Void>> futures) {
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("ejabberd provisioning failed: " + cause.getMessage(), cause);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
