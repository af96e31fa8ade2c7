package jp.kairan.server.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The audit log as a hash chain per organization (DESIGN.md "Audit"). Every event carries its place in its chain
 * ({@code chain_key} = the org id, 0 for server-wide events; {@code chain_seq} from 1) and the hash of the event
 * before it; its own hash covers all its fields and that link. Appending locks the chain's head row until the
 * caller's transaction commits ({@link AuditChainRepository#lockHead}), so a chain never forks. Removing an event
 * leaves a gap, altering one breaks its hash, and rewriting the tail is caught by the signed checkpoints of the head.
 * Pure: no database here.
 */
public final class AuditChain {
    /** The {@code prev_hash} of the first event of a chain. */
    public static final String GENESIS = "0".repeat(64);
    /**
     * The chain's canonical form: Jackson's defaults, deliberately not the application's mapper. A hash covers the
     * exact bytes this writes for an array of numbers, strings and nulls (compact, UTF-8, non-ASCII unescaped), so
     * every stored chain depends on them; a setting added to a shared mapper for the API's sake must never reach
     * it. Change nothing here: {@code AuditChainTest} pins two hashes and {@code verify-audit} would report every
     * existing event as altered. Thread-safe once built, as Jackson's mappers are.
     */
    private static final ObjectMapper CANONICAL_JSON = new ObjectMapper();

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
            byte[] canonical = CANONICAL_JSON.writeValueAsBytes(Arrays.asList(fields));
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
