package jp.kairan.server.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import jp.kairan.server.store.UtcTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps and checks the audit chains: links events written before the chain existed (once, at start-up), signs the
 * heads of the chains that moved (checkpoints), and verifies every chain from its first event to its head — the
 * {@code verify-audit} command. Verification streams the events, so a chain of any length takes flat memory.
 */
public final class AuditIntegrity {
    private static final Logger log = LoggerFactory.getLogger(AuditIntegrity.class);
    /** The {@code typ} of a signed checkpoint. */
    public static final String CHECKPOINT_TYPE = "kairan-audit-head+jws";

    private AuditIntegrity() {
    }

    /** Chains the events written before schema v5, oldest first; returns how many. Call before serving. */
    public static int backfill(Database db) {
        List<Long> ids = db.call(tx -> tx.jdbc(c -> {
            List<Long> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id FROM audit_events WHERE hash IS NULL ORDER BY id")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(rs.getLong(1));
                    }
                }
            }
            return out;
        }));
        for (long id : ids) {
            db.call(tx -> tx.jdbc(c -> {
                AuditChain.Row r = row(c, id);
                long chainKey = AuditChain.chainKey(r.orgId());
                AuditChain.Link link = AuditChain.next(tx, chainKey, r.occurredAt());
                AuditChain.Row linked = new AuditChain.Row(r.id(), chainKey, link.chainSeq(), r.occurredAt(), r.orgId(),
                        r.actorId(), r.actorLogin(), r.action(), r.targetType(), r.targetId(), r.ip(), r.requestId(), r.detail(),
                        link.prevHash());
                String hash = AuditChain.hash(linked);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE audit_events SET chain_key = ?, chain_seq = ?, prev_hash = ?, hash = ? WHERE id = ?")) {
                    ps.setLong(1, chainKey);
                    ps.setLong(2, link.chainSeq());
                    ps.setString(3, link.prevHash());
                    ps.setString(4, hash);
                    ps.setLong(5, id);
                    ps.executeUpdate();
                }
                AuditChain.advance(tx, chainKey, link.chainSeq(), hash, r.occurredAt());
                return null;
            }));
        }
        if (!ids.isEmpty()) {
            log.info("linked {} earlier audit events into their chains", ids.size());
        }
        return ids.size();
    }

    /**
     * Signs the head of every chain that moved since its last checkpoint, with {@code signer} (the server's token
     * key, so the JWKS verifies it); returns how many were signed.
     */
    public static int checkpoint(Database db, Clock clock, UnaryOperator<String> signer) {
        record Head(long chainKey, long chainSeq, String hash) {
        }
        List<Head> moved = db.call(tx -> tx.jdbc(c -> {
            List<Head> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT h.chain_key, h.chain_seq, h.hash FROM audit_chain_heads h "
                    + "WHERE h.chain_seq > COALESCE((SELECT MAX(k.chain_seq) FROM audit_checkpoints k WHERE k.chain_key = h.chain_key), 0)")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Head(rs.getLong(1), rs.getLong(2), rs.getString(3)));
                    }
                }
            }
            return out;
        }));
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        for (Head h : moved) {
            String jws = signer.apply(AuditChain.checkpointPayload(h.chainKey(), h.chainSeq(), h.hash(), now));
            db.call(tx -> tx.jdbc(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO audit_checkpoints (id, chain_key, chain_seq, hash, jws, "
                        + "signed_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    ps.setLong(1, Ids.next());
                    ps.setLong(2, h.chainKey());
                    ps.setLong(3, h.chainSeq());
                    ps.setString(4, h.hash());
                    ps.setString(5, jws);
                    ps.setObject(6, UtcTimes.toColumn(now));
                    ps.executeUpdate();
                }
                return null;
            }));
        }
        return moved.size();
    }

    /**
     * The outcome for one chain.
     *
     * @param chainKey    org id, or 0 for server-wide events
     * @param events      events read
     * @param checkpoints signed checkpoints checked
     * @param problem     the first broken link, or null when the chain is intact
     */
    public record ChainReport(long chainKey, long events, int checkpoints, String problem) {
        public boolean intact() {
            return problem == null;
        }
    }

    /** Verifies every chain (or only {@code onlyChain}); each report names the first broken link, if any. */
    public static List<ChainReport> verify(Database db, Long onlyChain) {
        return db.call(tx -> tx.jdbc(c -> {
            Map<Long, long[]> heads = new LinkedHashMap<>();
            Map<Long, String> headHashes = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT chain_key, chain_seq, hash FROM audit_chain_heads ORDER BY chain_key")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        heads.put(rs.getLong(1), new long[] {rs.getLong(2)});
                        headHashes.put(rs.getLong(1), rs.getString(3));
                    }
                }
            }
            Map<String, ECDSAVerifier> keys = publicKeys(c);
            List<ChainReport> reports = new ArrayList<>();
            for (Map.Entry<Long, long[]> head : heads.entrySet()) {
                long key = head.getKey();
                if (onlyChain == null || onlyChain == key) {
                    reports.add(verifyChain(c, key, head.getValue()[0], headHashes.get(key), keys));
                }
            }
            if (onlyChain != null && reports.isEmpty()) {
                reports.add(new ChainReport(onlyChain, 0, 0, "no audit chain for " + onlyChain));
            }
            return reports;
        }));
    }

    private static ChainReport verifyChain(Connection c, long chainKey, long headSeq, String headHash,
                                           Map<String, ECDSAVerifier> keys) throws SQLException {
        Map<Long, String> hashesAtCheckpoints = new HashMap<>();
        List<String[]> checkpoints = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT chain_seq, hash, jws FROM audit_checkpoints WHERE chain_key = ? ORDER BY chain_seq")) {
            ps.setLong(1, chainKey);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    checkpoints.add(new String[] {Long.toString(rs.getLong(1)), rs.getString(2), rs.getString(3)});
                }
            }
        }
        for (String[] cp : checkpoints) {
            String problem = checkCheckpoint(chainKey, Long.parseLong(cp[0]), cp[1], cp[2], keys);
            if (problem != null) {
                return new ChainReport(chainKey, 0, checkpoints.size(), problem);
            }
            hashesAtCheckpoints.put(Long.parseLong(cp[0]), cp[1]);
        }
        long expectedSeq = 1;
        String prev = AuditChain.GENESIS;
        long read = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT id, chain_key, chain_seq, occurred_at, org_id, actor_id, actor_login, "
                + "action, target_type, target_id, ip, request_id, detail, prev_hash, hash FROM audit_events WHERE chain_key = ? "
                + "ORDER BY chain_seq", ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
            ps.setLong(1, chainKey);
            ps.setFetchSize(1000);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AuditChain.Row r = row(rs);
                    long id = r.id();
                    String stored = rs.getString(15);
                    read++;
                    if (r.chainSeq() != expectedSeq) {
                        return new ChainReport(chainKey, read, checkpoints.size(), r.chainSeq() > expectedSeq
                                ? "events " + expectedSeq + (r.chainSeq() - 1 > expectedSeq ? ".." + (r.chainSeq() - 1) : "")
                                + " are missing (deleted) before event " + r.chainSeq() + " (id " + id + ")"
                                : "event " + r.chainSeq() + " (id " + id + ") appears twice");
                    }
                    if (!prev.equals(r.prevHash())) {
                        return new ChainReport(chainKey, read, checkpoints.size(), "event " + r.chainSeq() + " (id " + id
                                + ") does not link to event " + (r.chainSeq() - 1) + ": the chain was rewritten or an event replaced");
                    }
                    String computed = AuditChain.hash(r);
                    if (!computed.equals(stored)) {
                        return new ChainReport(chainKey, read, checkpoints.size(), "event " + r.chainSeq() + " (id " + id
                                + ", " + r.action() + ") was altered: its content does not match its hash");
                    }
                    String signed = hashesAtCheckpoints.get(r.chainSeq());
                    if (signed != null && !signed.equals(computed)) {
                        return new ChainReport(chainKey, read, checkpoints.size(), "event " + r.chainSeq() + " (id " + id
                                + ") differs from the signed checkpoint at that place: the chain was rewritten");
                    }
                    prev = computed;
                    expectedSeq++;
                }
            }
        }
        long last = expectedSeq - 1;
        long lastSigned = checkpoints.isEmpty() ? 0 : Long.parseLong(checkpoints.get(checkpoints.size() - 1)[0]);
        if (last < lastSigned) {
            return new ChainReport(chainKey, read, checkpoints.size(), "events " + (last + 1) + ".." + lastSigned
                    + " are missing (deleted) at the end: a signed checkpoint covers event " + lastSigned);
        }
        if (last != headSeq || (last > 0 && !prev.equals(headHash))) {
            return new ChainReport(chainKey, read, checkpoints.size(), "the chain ends at event " + last
                    + " but its head says " + headSeq + ": events at the end were removed or the head was changed");
        }
        return new ChainReport(chainKey, read, checkpoints.size(), null);
    }

    private static String checkCheckpoint(long chainKey, long seq, String hash, String jws, Map<String, ECDSAVerifier> keys) {
        try {
            JWSObject o = JWSObject.parse(jws);
            ECDSAVerifier v = keys.get(o.getHeader().getKeyID());
            if (v == null || !CHECKPOINT_TYPE.equals(String.valueOf(o.getHeader().getType())) || !o.verify(v)) {
                return "the checkpoint at event " + seq + " has no valid signature";
            }
            Map<String, Object> claims = o.getPayload().toJSONObject();
            if (claims == null || !Long.valueOf(chainKey).equals(number(claims.get("chain")))
                    || !Long.valueOf(seq).equals(number(claims.get("seq"))) || !hash.equals(claims.get("hash"))) {
                return "the checkpoint at event " + seq + " does not say what its row says";
            }
            return null;
        } catch (ParseException | JOSEException e) {
            return "the checkpoint at event " + seq + " cannot be read";
        }
    }

    private static Long number(Object o) {
        return o instanceof Number n ? n.longValue() : null;
    }

    private static Map<String, ECDSAVerifier> publicKeys(Connection c) throws SQLException {
        Map<String, ECDSAVerifier> keys = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kid, public_jwk FROM signing_keys")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        keys.put(rs.getString(1), new ECDSAVerifier(ECKey.parse(rs.getString(2))));
                    } catch (ParseException | JOSEException e) {
                        log.warn("signing key {} is unreadable", rs.getString(1));
                    }
                }
            }
        }
        return keys;
    }

    private static AuditChain.Row row(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, chain_key, chain_seq, occurred_at, org_id, actor_id, actor_login, "
                + "action, target_type, target_id, ip, request_id, detail, prev_hash FROM audit_events WHERE id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return row(rs);
            }
        }
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
