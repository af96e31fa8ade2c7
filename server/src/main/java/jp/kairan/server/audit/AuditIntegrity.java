package jp.kairan.server.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps and checks the audit chains: links events written before the chain existed (once, at start-up), signs the
 * heads of the chains that moved (checkpoints), and verifies every chain from its first event to its head — the
 * {@code verify-audit} command. Verification streams the events, so a chain of any length takes flat memory.
 * Signatures are made and checked outside transactions; each method opens the transactions it needs.
 */
public final class AuditIntegrity {
    private static final Logger log = LoggerFactory.getLogger(AuditIntegrity.class);
    /** The {@code typ} of a signed checkpoint. */
    public static final String CHECKPOINT_TYPE = "kairan-audit-head+jws";
    private static final AuditChainRepository CHAINS = new AuditChainRepository();

    private AuditIntegrity() {
    }

    /** Chains the events written before schema v5, oldest first, one transaction each; returns how many. Call before serving. */
    public static int backfill(Database db) {
        List<Long> ids = db.call(CHAINS::unchainedIds);
        for (long id : ids) {
            db.call(tx -> {
                AuditChain.Row r = CHAINS.event(tx, id);
                long chainKey = AuditChain.chainKey(r.orgId());
                AuditChain.Link link = CHAINS.lockHead(tx, chainKey, r.occurredAt());
                AuditChain.Row linked = new AuditChain.Row(r.id(), chainKey, link.chainSeq(), r.occurredAt(), r.orgId(),
                        r.actorId(), r.actorLogin(), r.action(), r.targetType(), r.targetId(), r.ip(), r.requestId(), r.detail(),
                        link.prevHash());
                String hash = AuditChain.hash(linked);
                CHAINS.link(tx, id, chainKey, link.chainSeq(), link.prevHash(), hash);
                CHAINS.advanceHead(tx, chainKey, link.chainSeq(), hash, r.occurredAt());
                return null;
            });
        }
        if (!ids.isEmpty()) {
            log.info("linked {} earlier audit events into their chains", ids.size());
        }
        return ids.size();
    }

    /**
     * Signs the head of every chain that moved since its last checkpoint, with {@code signer} (the server's token
     * key, so the JWKS verifies it); returns how many were signed. Each signature is made outside a transaction.
     */
    public static int checkpoint(Database db, Clock clock, UnaryOperator<String> signer) {
        List<AuditChainRepository.Head> moved = db.call(CHAINS::headsWithoutCheckpoint);
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        for (AuditChainRepository.Head h : moved) {
            String jws = signer.apply(AuditChain.checkpointPayload(h.chainKey(), h.chainSeq(), h.hash(), now));
            db.call(tx -> {
                CHAINS.insertCheckpoint(tx, Ids.next(), h, jws, now);
                return null;
            });
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

    /** What verification reads before it walks the events: heads, checkpoints and keys. */
    private record Signed(List<AuditChainRepository.Head> heads, Map<Long, List<AuditChainRepository.Checkpoint>> checkpoints,
                          Map<String, String> publicKeys) {
    }

    /**
     * Verifies every chain (or only {@code onlyChain}); each report names the first broken link, if any. Reads the
     * heads, checkpoints and keys in one transaction, checks the checkpoints' signatures outside it, then walks each
     * chain in a transaction of its own.
     */
    public static List<ChainReport> verify(Database db, Long onlyChain) {
        Signed signed = db.call(tx -> {
            List<AuditChainRepository.Head> heads = CHAINS.heads(tx).stream()
                    .filter(h -> onlyChain == null || onlyChain == h.chainKey()).toList();
            Map<Long, List<AuditChainRepository.Checkpoint>> checkpoints = new HashMap<>();
            for (AuditChainRepository.Head h : heads) {
                checkpoints.put(h.chainKey(), CHAINS.checkpoints(tx, h.chainKey()));
            }
            return new Signed(heads, checkpoints, CHAINS.publicKeys(tx));
        });
        Map<String, ECDSAVerifier> keys = verifiers(signed.publicKeys());
        List<ChainReport> reports = new ArrayList<>();
        for (AuditChainRepository.Head head : signed.heads()) {
            reports.add(verifyChain(db, head, signed.checkpoints().get(head.chainKey()), keys));
        }
        if (onlyChain != null && reports.isEmpty()) {
            reports.add(new ChainReport(onlyChain, 0, 0, "no audit chain for " + onlyChain));
        }
        return reports;
    }

    private static ChainReport verifyChain(Database db, AuditChainRepository.Head head,
                                           List<AuditChainRepository.Checkpoint> checkpoints, Map<String, ECDSAVerifier> keys) {
        long chainKey = head.chainKey();
        Map<Long, String> hashesAtCheckpoints = new HashMap<>();
        for (AuditChainRepository.Checkpoint cp : checkpoints) {
            String problem = checkCheckpoint(chainKey, cp.chainSeq(), cp.hash(), cp.jws(), keys);
            if (problem != null) {
                return new ChainReport(chainKey, 0, checkpoints.size(), problem);
            }
            hashesAtCheckpoints.put(cp.chainSeq(), cp.hash());
        }
        ChainWalk walk = new ChainWalk(hashesAtCheckpoints);
        db.call(tx -> {
            CHAINS.walk(tx, chainKey, walk::visit);
            return null;
        });
        if (walk.problem != null) {
            return new ChainReport(chainKey, walk.read, checkpoints.size(), walk.problem);
        }
        long last = walk.expectedSeq - 1;
        long lastSigned = checkpoints.isEmpty() ? 0 : checkpoints.get(checkpoints.size() - 1).chainSeq();
        if (last < lastSigned) {
            return new ChainReport(chainKey, walk.read, checkpoints.size(), "events " + (last + 1) + ".." + lastSigned
                    + " are missing (deleted) at the end: a signed checkpoint covers event " + lastSigned);
        }
        if (last != head.chainSeq() || (last > 0 && !walk.prev.equals(head.hash()))) {
            return new ChainReport(chainKey, walk.read, checkpoints.size(), "the chain ends at event " + last
                    + " but its head says " + head.chainSeq() + ": events at the end were removed or the head was changed");
        }
        return new ChainReport(chainKey, walk.read, checkpoints.size(), null);
    }

    /** Follows one chain event by event and stops at its first broken link. Not thread-safe; one per walk. */
    private static final class ChainWalk {
        private final Map<Long, String> hashesAtCheckpoints;
        long expectedSeq = 1;
        String prev = AuditChain.GENESIS;
        long read;
        String problem;

        ChainWalk(Map<Long, String> hashesAtCheckpoints) {
            this.hashesAtCheckpoints = hashesAtCheckpoints;
        }

        boolean visit(AuditChain.Row r, String stored) {
            long id = r.id();
            read++;
            if (r.chainSeq() != expectedSeq) {
                problem = r.chainSeq() > expectedSeq
                        ? "events " + expectedSeq + (r.chainSeq() - 1 > expectedSeq ? ".." + (r.chainSeq() - 1) : "")
                        + " are missing (deleted) before event " + r.chainSeq() + " (id " + id + ")"
                        : "event " + r.chainSeq() + " (id " + id + ") appears twice";
                return false;
            }
            if (!prev.equals(r.prevHash())) {
                problem = "event " + r.chainSeq() + " (id " + id + ") does not link to event " + (r.chainSeq() - 1)
                        + ": the chain was rewritten or an event replaced";
                return false;
            }
            String computed = AuditChain.hash(r);
            if (!computed.equals(stored)) {
                problem = "event " + r.chainSeq() + " (id " + id + ", " + r.action() + ") was altered: its content does not "
                        + "match its hash";
                return false;
            }
            String signed = hashesAtCheckpoints.get(r.chainSeq());
            if (signed != null && !signed.equals(computed)) {
                problem = "event " + r.chainSeq() + " (id " + id + ") differs from the signed checkpoint at that place: the "
                        + "chain was rewritten";
                return false;
            }
            prev = computed;
            expectedSeq++;
            return true;
        }
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

    private static Map<String, ECDSAVerifier> verifiers(Map<String, String> publicJwks) {
        Map<String, ECDSAVerifier> keys = new HashMap<>();
        publicJwks.forEach((kid, jwk) -> {
            try {
                keys.put(kid, new ECDSAVerifier(ECKey.parse(jwk)));
            } catch (ParseException | JOSEException e) {
                log.warn("signing key {} is unreadable", kid);
            }
        });
        return keys;
    }
}
