package jp.kairan.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import java.util.List;
import java.util.Map;
import jp.kairan.server.store.Database;
import jp.kairan.server.testing.TestServer;
import jp.kairan.server.testing.TestServer.SignedIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The audit log as hash chains on real MariaDB: every event is linked, the heads are signed, and an event deleted
 * or altered directly in the database is found and named by the verifier (what {@code verify-audit} prints).
 */
class AuditChainIT {
    private static TestServer server;
    private static Database db;
    private static SignedIn operator;

    @BeforeAll
    static void start() {
        server = TestServer.start();
        db = server.server().database();
        operator = server.operator();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** A new org with a few events of its own: creation, users, a room. */
    private static long busyOrg(String name, String owner) {
        TestServer.Org org = server.createOrg(operator, name, owner, name + " 所有者", "Sakura-Hana-" + owner.length() + "09");
        for (int i = 0; i < 3; i++) {
            server.createUser(org.owner(), org.id(), owner + ".u" + i, "職員 " + i, List.of(), "Ume-Haru-7" + i + "-Aoi");
        }
        return Long.parseLong(org.id());
    }

    private static AuditIntegrity.ChainReport report(long chain) {
        return AuditIntegrity.verify(db, chain).get(0);
    }

    private static int sql(String sql, Object... args) {
        return db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                return ps.executeUpdate();
            }
        }));
    }

    @Test
    void everyChainIsIntactAndItsHeadsAreSignedWithTheServersPublishedKey() throws Exception {
        long org = busyOrg("甲市", "kou.owner");
        assertThat(server.server().checkpointAudit()).isGreaterThanOrEqualTo(1);
        List<AuditIntegrity.ChainReport> all = AuditIntegrity.verify(db, null);
        assertThat(all).allSatisfy(r -> assertThat(r.problem()).as("chain " + r.chainKey()).isNull());
        AuditIntegrity.ChainReport mine = report(org);
        assertThat(mine.events()).isGreaterThanOrEqualTo(7);
        assertThat(mine.checkpoints()).isGreaterThanOrEqualTo(1);
        assertThat(jp.kairan.server.cli.VerifyAuditCommandAccess.print(all)).isZero();

        String jws = db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT jws FROM audit_checkpoints WHERE chain_key = ? ORDER BY chain_seq DESC")) {
                ps.setLong(1, org);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }));
        JWSObject o = JWSObject.parse(jws);
        JWKSet keys = JWKSet.parse(server.get("/api/v1/auth/jwks", null).raw().body());
        ECKey key = (ECKey) keys.getKeyByKeyId(o.getHeader().getKeyID());
        assertThat(o.verify(new ECDSAVerifier(key))).isTrue();
        assertThat(o.getPayload().toJSONObject()).containsEntry("chain", org).containsKey("hash");
        // A signed checkpoint is not an access token.
        assertThat(server.call("GET", "/api/v1/me", null, null, Map.of("Authorization", "DPoP " + jws)).status()).isEqualTo(401);
    }

    @Test
    void anEventAlteredInTheDatabaseIsNamed() {
        long org = busyOrg("乙町", "otsu.owner");
        assertThat(report(org).intact()).isTrue();
        String before = db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT detail FROM audit_events WHERE chain_key = ? AND chain_seq = 3")) {
                ps.setLong(1, org);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        }));
        assertThat(sql("UPDATE audit_events SET detail = ? WHERE chain_key = ? AND chain_seq = 3", "{\"roles\":[\"owner\"]}", org)).isOne();
        AuditIntegrity.ChainReport broken = report(org);
        assertThat(broken.intact()).isFalse();
        assertThat(broken.problem()).startsWith("event 3 ").contains("was altered");
        assertThat(jp.kairan.server.cli.VerifyAuditCommandAccess.print(List.of(broken))).isOne();

        sql("UPDATE audit_events SET detail = ? WHERE chain_key = ? AND chain_seq = 3", before, org);
        assertThat(report(org).intact()).isTrue();
        sql("UPDATE audit_events SET occurred_at = occurred_at WHERE chain_key = ?", org);
        sql("UPDATE audit_events SET actor_login = 'someone.else' WHERE chain_key = ? AND chain_seq = 2", org);
        assertThat(report(org).problem()).startsWith("event 2 ").contains("was altered");
    }

    @Test
    void anEventDeletedInTheMiddleOrAtTheEndIsFound() {
        long org = busyOrg("丙村", "hei.owner");
        server.server().checkpointAudit();
        long last = report(org).events();
        assertThat(sql("DELETE FROM audit_events WHERE chain_key = ? AND chain_seq = 4", org)).isOne();
        assertThat(report(org).problem()).isEqualTo("events 4 are missing (deleted) before event 5 (id "
                + idAt(org, 5) + ")");

        long org2 = busyOrg("丁村", "tei.owner");
        server.server().checkpointAudit();
        long end = report(org2).events();
        // Deleting the newest events and moving the head back is still caught by the signed checkpoint.
        sql("DELETE FROM audit_events WHERE chain_key = ? AND chain_seq >= ?", org2, end - 1);
        sql("UPDATE audit_chain_heads SET chain_seq = ?, hash = (SELECT hash FROM audit_events WHERE chain_key = ? AND chain_seq = ?) "
                + "WHERE chain_key = ?", end - 2, org2, end - 2, org2);
        assertThat(report(org2).problem()).contains("missing (deleted) at the end").contains("signed checkpoint");
        assertThat(last).isPositive();
    }

    @Test
    void eventsWrittenBeforeTheChainExistedAreLinkedAtStart() {
        long org = busyOrg("戊町", "bo.owner");
        long before = report(org).events();
        // As an event written by a server before schema v5 would look: no chain fields.
        sql("INSERT INTO audit_events (id, org_id, occurred_at, actor_id, actor_login, action, target_type, target_id, ip, "
                + "request_id, detail) VALUES (?, ?, CURRENT_TIMESTAMP(6), NULL, 'legacy', 'org.updated', 'org', ?, 'cli', NULL, NULL)",
                jp.kairan.server.store.Ids.next(), org, Long.toString(org));
        assertThat(AuditIntegrity.backfill(db)).isOne();
        AuditIntegrity.ChainReport after = report(org);
        assertThat(after.intact()).isTrue();
        assertThat(after.events()).isEqualTo(before + 1);
        assertThat(AuditIntegrity.backfill(db)).isZero();
    }

    private static long idAt(long org, long seq) {
        return db.call(tx -> tx.jdbc(c -> {
            try (var ps = c.prepareStatement("SELECT id FROM audit_events WHERE chain_key = ? AND chain_seq = ?")) {
                ps.setLong(1, org);
                ps.setLong(2, seq);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }));
    }
}
