package jp.kairan.server.gateway;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jp.kairan.protocol.PresenceChanged;
import jp.kairan.protocol.PresenceState;
import jp.kairan.protocol.SetPresence;
import jp.kairan.protocol.api.PresenceEntry;

/**
 * Presence on this node: a user is online when any of their connections is online, away when all are away, offline
 * with none. Changes go only to the connections that follow that user ({@code presence.subscribe}), so an
 * organization of thousands signing in does not cost thousands squared frames; users of another organization are
 * never followed and always seen offline.
 *
 * <p>Thread-safe: called from any connection's event loop. A user's status is recomputed under one lock so that two
 * connections changing at once settle on one answer; the resulting {@code presence.changed} is fanned out through
 * the {@link ConnectionRegistry} (encoded once, written on each follower's event loop).
 */
final class Presence {
    private final ConnectionRegistry registry;
    private final Map<Long, String> status = new ConcurrentHashMap<>();
    private final Map<Long, Set<Connection>> followers = new ConcurrentHashMap<>();

    Presence(ConnectionRegistry registry) {
        this.registry = registry;
    }

    /**
     * Makes {@code c} follow the presence of {@code userIds} (instead of whom it followed) and returns their
     * presence now. Users of other organizations are reported offline and never followed.
     */
    List<PresenceState.Entry> follow(Connection c, Set<Long> userIds) {
        synchronized (c) {
            for (long old : c.following()) {
                followers.computeIfPresent(old, (k, set) -> {
                    set.remove(c);
                    return set.isEmpty() ? null : set;
                });
            }
            c.following(userIds);
            for (long userId : userIds) {
                followers.computeIfAbsent(userId, k -> ConcurrentHashMap.newKeySet()).add(c);
            }
        }
        List<PresenceState.Entry> now = new ArrayList<>(userIds.size());
        for (long userId : userIds) {
            boolean sameOrg = registry.connectionsOf(userId).stream().allMatch(x -> x.orgId == c.orgId);
            now.add(new PresenceState.Entry(Long.toString(userId),
                    sameOrg ? status.getOrDefault(userId, SetPresence.OFFLINE) : SetPresence.OFFLINE));
        }
        return now;
    }

    /** The connection's client set its status ({@code presence.set}). */
    void set(Connection c, String newStatus) {
        c.presence(newStatus);
        mayHaveChanged(c.userId, c.orgId);
    }

    /** A connection of the user came or went: recomputes the user's status and tells followers if it moved. */
    void mayHaveChanged(long userId, long orgId) {
        String now;
        synchronized (status) {
            Set<Connection> mine = registry.connectionsOf(userId);
            now = mine.isEmpty() ? SetPresence.OFFLINE
                    : mine.stream().anyMatch(x -> SetPresence.ONLINE.equals(x.presence())) ? SetPresence.ONLINE : SetPresence.AWAY;
            String before = now.equals(SetPresence.OFFLINE) ? status.remove(userId) : status.put(userId, now);
            if (now.equals(before == null ? SetPresence.OFFLINE : before)) {
                return;
            }
        }
        List<Connection> told = new ArrayList<>();
        for (Connection f : followers.getOrDefault(userId, Set.of())) {
            if (f.orgId == orgId) {
                told.add(f);
            }
        }
        registry.toConnections(told, new PresenceChanged(Long.toString(userId), now));
    }

    /** Those of {@code userIds} who are online or away. */
    List<PresenceEntry> of(Collection<Long> userIds) {
        return userIds.stream()
                .map(id -> new PresenceEntry(Long.toString(id), status.getOrDefault(id, SetPresence.OFFLINE)))
                .filter(p -> !p.status().equals(SetPresence.OFFLINE)).toList();
    }
}
