package jp.kairan.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jp.kairan.protocol.Json;
import jp.kairan.protocol.api.CreateRoomRequest;
import jp.kairan.protocol.api.RoomDetail;

/**
 * The gateway bench's users and rooms, through the HTTP API: an organization, {@code rooms × members} users who
 * each complete their first sign-in (password and TOTP: about three Argon2id hashes each, the slow part), and
 * {@code rooms} group rooms of {@code members} users each, every user in exactly one room (the room's first
 * member creates it). The result can be saved to a file and reused against the same server; access tokens that
 * would expire too soon are renewed by signing in again (one hash each).
 */
final class Provisioning {
    private static final ObjectMapper JSON = Json.mapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Api api;
    private final PrintStream log;
    private final int threads;
    /** The organization of the last {@link #create} or {@link #reuse}, for {@link #save}. */
    private String lastOrgId;
    /** The rooms of the file {@link #reuse} read, all of them. */
    private List<SavedRoom> savedRooms = List.of();

    Provisioning(Api api, PrintStream log, int threads) {
        this.api = api;
        this.log = log;
        this.threads = threads;
    }

    /** A room and its members; {@code baseSeq} is its last seq before this run. */
    record Room(String id, long baseSeq, List<Account> members) {
    }

    /** What {@code --users-file} holds. */
    record Saved(String baseUrl, String orgId, Instant savedAt, List<SavedRoom> rooms) {
    }

    record SavedRoom(String id, List<SavedUser> members) {
    }

    /** A user; {@code deviceKey} is the private JWK of its approved device (keep the file private). */
    record SavedUser(String loginId, String password, String totpSecret, String userId, String accessToken,
                     Instant accessTokenExpiresAt, long lastStep, String deviceKey) {
    }

    /** Creates the organization, users and rooms. */
    List<Room> create(Account operator, String runId, int rooms, int members) {
        Setup.Org org = new Setup(api, log, threads).prepare(operator, runId, "ゲートウェイベンチ " + runId);
        List<Account> users = org.addUsers(rooms * members);
        long t0 = System.nanoTime();
        List<Callable<Room>> creations = new ArrayList<>();
        for (int r = 0; r < rooms; r++) {
            List<Account> group = users.subList(r * members, (r + 1) * members);
            String name = String.format(Locale.ROOT, "ベンチ室 %s-%04d", runId, r + 1);
            creations.add(() -> createRoom(name, group));
        }
        List<Room> result = runAll(creations);
        log.printf(Locale.ROOT, "setup: %d rooms of %d members in %.1f s%n", rooms, members, (System.nanoTime() - t0) / 1e9);
        lastOrgId = org.id;
        return result;
    }

    private Room createRoom(String name, List<Account> group) {
        Account creator = group.get(0);
        List<String> others = group.subList(1, group.size()).stream().map(a -> a.userId).toList();
        RoomDetail room = Setup.retrying("create room " + name, () -> {
            try {
                return JSON.treeToValue(api.post("/rooms", new CreateRoomRequest(name, others), creator.accessToken,
                        creator.deviceKey),
                        RoomDetail.class);
            } catch (JsonProcessingException e) {
                throw new ApiException(201, "unexpected_response", "POST /rooms answered no RoomDetail: " + e, false);
            }
        });
        if (room.members().size() != group.size()) {
            throw new IllegalStateException("Room " + room.id() + " has " + room.members().size() + " members, not "
                    + group.size());
        }
        return new Room(room.id(), room.lastSeq(), group);
    }

    /**
     * The first {@code rooms} rooms saved in {@code file}, if they have {@code members} members each and belong to
     * this server, with every access token valid until at least {@code needUntil} (expiring ones are renewed by
     * signing in again); empty if the file is missing, too small, or for another server.
     */
    Optional<List<Room>> reuse(Path file, int rooms, int members, Instant needUntil) {
        if (!Files.isReadable(file)) {
            return Optional.empty();
        }
        Saved saved;
        try {
            saved = JSON.readValue(file.toFile(), Saved.class);
        } catch (IOException e) {
            log.println("setup: ignoring " + file + ": " + e.getMessage());
            return Optional.empty();
        }
        // The base URL may differ (a kept server on a new port): whether the users are this server's shows when
        // their tokens and rooms are used below.
        if (saved.rooms().size() < rooms || saved.rooms().stream().anyMatch(r -> r.members().size() != members)) {
            log.printf("setup: %s holds %d rooms of other sizes, not %d × %d; provisioning afresh%n", file,
                    saved.rooms().size(), rooms, members);
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        List<Callable<Room>> loads = new ArrayList<>();
        for (SavedRoom savedRoom : saved.rooms().subList(0, rooms)) {
            loads.add(() -> {
                List<Account> group = new ArrayList<>();
                for (SavedUser u : savedRoom.members()) {
                    Account a = new Account(u.loginId(), u.password());
                    a.totpSecret = Base32.decode(u.totpSecret());
                    a.userId = u.userId();
                    a.accessToken = u.accessToken();
                    a.accessTokenExpiresAt = u.accessTokenExpiresAt();
                    a.lastStep = u.lastStep();
                    if (u.deviceKey() == null) {
                        throw new IllegalStateException(file + " is from before device keys (issue #4)");
                    }
                    a.deviceKey = DeviceKey.parse(u.deviceKey());
                    if (a.accessTokenExpiresAt == null || a.accessTokenExpiresAt.isBefore(needUntil)) {
                        Setup.retrying("sign-in of " + a.loginId, () -> new SignIn(api).signIn(a, a.password));
                    }
                    group.add(a);
                }
                RoomDetail detail = JSON.treeToValue(api.get("/rooms/" + savedRoom.id(), group.get(0).accessToken,
                        group.get(0).deviceKey),
                        RoomDetail.class);
                return new Room(savedRoom.id(), detail.lastSeq(), group);
            });
        }
        try {
            List<Room> result = runAll(loads);
            lastOrgId = saved.orgId();
            log.printf(Locale.ROOT, "setup: reused %d rooms of %d members from %s (%.1f s)%n", rooms, members, file,
                    (System.nanoTime() - t0) / 1e9);
            savedRooms = saved.rooms();
            return Optional.of(result);
        } catch (RuntimeException e) {
            log.println("setup: cannot reuse " + file + " (" + e.getMessage() + "); provisioning afresh");
            return Optional.empty();
        }
    }

    /** Writes the rooms and their users (with passwords, TOTP secrets and tokens: keep under target/). */
    void save(Path file, List<Room> rooms) throws IOException {
        List<SavedRoom> out = new ArrayList<>();
        for (Room r : rooms) {
            out.add(new SavedRoom(r.id(), r.members().stream().map(a -> new SavedUser(a.loginId, a.password,
                    Base32.encode(a.totpSecret), a.userId, a.accessToken, a.accessTokenExpiresAt, a.lastStep,
                    a.deviceKey.toJson())).toList()));
        }
        // Rooms of the file this run did not use stay in it, for a larger run later.
        out.addAll(savedRooms.subList(Math.min(out.size(), savedRooms.size()), savedRooms.size()));
        Files.createDirectories(file.toAbsolutePath().getParent());
        JSON.writeValue(file.toFile(), new Saved(api.base().toString(), lastOrgId, Instant.now(), out));
    }

    private <T> List<T> runAll(List<Callable<T>> tasks) {
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-setup");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(task));
            }
            List<T> results = new ArrayList<>(tasks.size());
            for (Future<T> f : futures) {
                results.add(f.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted during setup", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
