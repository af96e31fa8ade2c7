package jp.kairan.server.audit;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * The audit chains in SQL: the head of each chain ({@code audit_chain_heads}), the links of the events, the signed
 * checkpoints and the public keys that verify them. Every method joins the caller's transaction. Stateless.
 */
final class AuditChainRepository {
    private static final String CHAIN_COLUMNS = "id, chain_key, chain_seq, occurred_at, org_id, actor_id, actor_login, "
            + "action, target_type, target_id, ip, request_id, detail, prev_hash";

    /** A chain's head as stored: the last event's place and hash. */
    record Head(long chainKey, long chainSeq, String hash) {
    }

    /** A signed checkpoint as stored. */
    record Checkpoint(long chainSeq, String hash, String jws) {
    }

    /** Takes the events of a chain in order, with the hash stored for each; false stops the walk. */
    @FunctionalInterface
    interface EventVisitor {
        boolean visit(AuditChain.Row row, String storedHash);
    }

    /**
     * Locks the chain's head until {@code tx} ends and returns where the next event goes; a new org's head is
     * created at seq 0.
     */
    AuditChain.Link lockHead(Tx tx, long chainKey, Instant now) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_seq, hash FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE")) {
                ps.setLong(1, chainKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new AuditChain.Link(rs.getLong(1) + 1, rs.getString(2));
                    }
                }
            }
            // Only the transaction that creates an organization writes its first event, so nobody races this.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_chain_heads (chain_key, chain_seq, hash, updated_at) VALUES (?, 0, ?, ?)")) {
                ps.setLong(1, chainKey);
                ps.setString(2, AuditChain.GENESIS);
                ps.setObject(3, UtcTimes.toColumn(now));
                ps.executeUpdate();
            }
            return new AuditChain.Link(1, AuditChain.GENESIS);
        });
    }

    /** Moves the head to the event just appended. */
    void advanceHead(Tx tx, long chainKey, long chainSeq, String hash, Instant now) {
        tx.update("UPDATE audit_chain_heads SET chain_seq = ?, hash = ?, updated_at = ? WHERE chain_key = ?",
                chainSeq, hash, UtcTimes.toColumn(now), chainKey);
    }

    /** The ids of the events written before the chain existed (schema v5), oldest first. */
    List<Long> unchainedIds(Tx tx) {
        return tx.jdbc(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM audit_events WHERE hash IS NULL ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getLong(1));
                }
            }
            return out;
        });
    }

    /** One event's hashed fields. */
    AuditChain.Row event(Tx tx, long id) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CHAIN_COLUMNS + " FROM audit_events WHERE id = ?")) {
                ps.setLong(1, id);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return row(rs);
                }
            }
        });
    }

    /** Gives an event its place in its chain and its hash. */
    void link(Tx tx, long id, long chainKey, long chainSeq, String prevHash, String hash) {
        tx.update("UPDATE audit_events SET chain_key = ?, chain_seq = ?, prev_hash = ?, hash = ? WHERE id = ?",
                chainKey, chainSeq, prevHash, hash, id);
    }

    /** The heads that moved since their chain's last checkpoint. */
    List<Head> headsWithoutCheckpoint(Tx tx) {
        return heads(tx, "SELECT h.chain_key, h.chain_seq, h.hash FROM audit_chain_heads h WHERE h.chain_seq > "
                + "COALESCE((SELECT MAX(k.chain_seq) FROM audit_checkpoints k WHERE k.chain_key = h.chain_key), 0)");
    }

    /** Every chain's head, by chain key. */
    List<Head> heads(Tx tx) {
        return heads(tx, "SELECT chain_key, chain_seq, hash FROM audit_chain_heads ORDER BY chain_key");
    }

    void insertCheckpoint(Tx tx, long id, Head head, String jws, Instant signedAt) {
        tx.update("INSERT INTO audit_checkpoints (id, chain_key, chain_seq, hash, jws, signed_at) VALUES (?, ?, ?, ?, ?, ?)",
                id, head.chainKey(), head.chainSeq(), head.hash(), jws, UtcTimes.toColumn(signedAt));
    }

    /** A chain's checkpoints, oldest first. */
    List<Checkpoint> checkpoints(Tx tx, long chainKey) {
        return tx.jdbc(c -> {
            List<Checkpoint> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_seq, hash, jws FROM audit_checkpoints WHERE chain_key = ? ORDER BY chain_seq")) {
                ps.setLong(1, chainKey);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Checkpoint(rs.getLong(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return out;
        });
    }

    /** The server's signing keys as public JWK text, by key id. */
    Map<String, String> publicKeys(Tx tx) {
        return tx.jdbc(c -> {
            Map<String, String> keys = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kid, public_jwk FROM signing_keys");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), rs.getString(2));
                }
            }
            return keys;
        });
    }

    /**
     * Streams a chain's events in chain order to {@code visitor} until it returns false; memory stays flat
     * whatever the chain's length.
     */
    void walk(Tx tx, long chainKey, EventVisitor visitor) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + CHAIN_COLUMNS + ", hash FROM audit_events WHERE chain_key = ? "
                    + "ORDER BY chain_seq", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                ps.setLong(1, chainKey);
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!visitor.visit(row(rs), rs.getString(15))) {
                            break;
                        }
                    }
                }
            }
            return null;
        });
    }

    private static List<Head> heads(Tx tx, String sql) {
        return tx.jdbc(c -> {
            List<Head> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Head(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                }
            }
            return out;
        });
    }

    private static AuditChain.Row row(ResultSet rs) throws SQLException {
        return new AuditChain.Row(rs.getLong(1), rs.getLong(2), rs.getLong(3), UtcTimes.read(rs, 4), nullableLong(rs, 5),
                nullableLong(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11),
                rs.getString(12), rs.getString(13), rs.getString(14));
    }

    private static Long nullableLong(ResultSet rs, int column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }
}
