package jp.kairan.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import jp.kairan.server.store.Tx;
import jp.kairan.server.store.UtcTimes;

/**
 * The audit log as a hash chain per organization (DESIGN.md "Audit"). Every event carries its place in its chain
 * ({@code chain_key} = the org id, 0 for server-wide events; {@code chain_seq} from 1) and the hash of the event
 * before it; its own hash covers all its fields and that link. Appending locks the chain's head row until the
 * caller's transaction commits, so a chain never forks. Removing an event leaves a gap, altering one breaks its
 * hash, and rewriting the tail is caught by the signed checkpoints of the head.
 */
public final class AuditChain {
    /** The {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditChain() {
    }

    /** One event's hashed fields, as stored. */
    public record Row(long id, long chainKey, long chainSeq, Instant occurredAt, Long orgId, Long actorId, String actorLogin,
                      String action, String targetType, String targetId, String ip, String requestId, String detail,
                      String prevHash) {
    }

    /** The place of the next event in a chain. */
    record Link(long chainSeq, String prevHash) {
    }

    /** The chain key of an organization's events; 0 for server-wide events. */
    public static long chainKey(Long orgId) {
        return orgId == null ? 0 : orgId;
    }

    /** Locks the chain's head in {@code tx} and returns where the next event goes; a new org's head is created. */
    static Link next(Tx tx, long chainKey, Instant now) {
        return tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT chain_seq, hash FROM audit_chain_heads WHERE chain_key = ? FOR UPDATE")) {
                ps.setLong(1, chainKey);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return new Link(rs.getLong(1) + 1, rs.getString(2));
                    }
                }
            }
            // Only the transaction that creates an organization writes its first event, so nobody races this.
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO audit_chain_heads (chain_key, chain_seq, hash, updated_at) VALUES (?, 0, ?, ?)")) {
                ps.setLong(1, chainKey);
                ps.setString(2, GENESIS);
                ps.setObject(3, UtcTimes.toColumn(now));
                ps.executeUpdate();
            }
            return new Link(1, GENESIS);
        });
    }

    /** Moves the head to the event just appended. */
    static void advance(Tx tx, long chainKey, long chainSeq, String hash, Instant now) {
        tx.jdbc(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE audit_chain_heads SET chain_seq = ?, hash = ?, updated_at = ? WHERE chain_key = ?")) {
                ps.setLong(1, chainSeq);
                ps.setString(2, hash);
                ps.setObject(3, UtcTimes.toColumn(now));
                ps.setLong(4, chainKey);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /**
     * The hash of an event: SHA-256, in lower-case hex, of the JSON array of its fields in a fixed order (times as
     * epoch microseconds, the precision the database keeps), ending with the previous event's hash.
     */
    public static String hash(Row r) {
        Instant t = r.occurredAt();
        long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
        Object[] fields = {r.id(), r.chainKey(), r.chainSeq(), micros, r.orgId(), r.actorId(), r.actorLogin(), r.action(),
            r.targetType(), r.targetId(), r.ip(), r.requestId(), r.detail(), r.prevHash()};
        try {
            byte[] canonical = JSON.writeValueAsBytes(Arrays.asList(fields));
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash an audit event", e);
        }
    }

    /** The text a checkpoint signs: the chain, its head and when. */
    public static String checkpointPayload(long chainKey, long chainSeq, String hash, Instant signedAt) {
        return "{\"chain\":" + chainKey + ",\"seq\":" + chainSeq + ",\"hash\":\"" + hash + "\",\"signedAt\":\"" + signedAt
                + "\"}";
    }

}
