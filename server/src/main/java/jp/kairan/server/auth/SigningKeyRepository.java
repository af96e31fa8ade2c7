package jp.kairan.server.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import jp.kairan.server.store.Tx;

/** The {@code signing_keys} rows (Hibernate): the token signing keys every node shares. Stateless. */
final class SigningKeyRepository {

    /**
     * One key.
     *
     * @param privateJwk the key pair as a JWK (never leaves the server)
     * @param retiredAt  when a newer key took over signing, or null for the signing key
     */
    record SigningKey(String kid, String privateJwk, String publicJwk, Instant createdAt, Instant retiredAt) {
        @Override
        public String toString() {
            return "SigningKey[kid=" + kid + ", createdAt=" + createdAt + ", retiredAt=" + retiredAt + "]";
        }
    }

    /** The newest key not retired, if any. */
    Optional<SigningKey> newestActive(Tx tx) {
        return tx.session()
                .createSelectionQuery("from SigningKeyEntity k where k.retiredAt is null order by k.createdAt desc", SigningKeyEntity.class)
                .setMaxResults(1).uniqueResultOptional().map(SigningKeyRepository::key);
    }

    /** Keys still signing or retired after {@code cutoff}, newest first. */
    List<SigningKey> usable(Tx tx, Instant cutoff) {
        return tx.session()
                .createSelectionQuery("from SigningKeyEntity k where k.retiredAt is null or k.retiredAt > :cutoff order by k.createdAt desc",
                        SigningKeyEntity.class).setParameter("cutoff", cutoff).getResultList().stream()
                .map(SigningKeyRepository::key).toList();
    }

    /** Stores a new ES256 key. */
    void insert(Tx tx, String kid, String privateJwk, String publicJwk, Instant createdAt) {
        SigningKeyEntity e = new SigningKeyEntity();
        e.kid = kid;
        e.algorithm = "ES256";
        e.privateJwk = privateJwk;
        e.publicJwk = publicJwk;
        e.createdAt = createdAt;
        tx.session().persist(e);
    }

    void retire(Tx tx, String kid, Instant at) {
        SigningKeyEntity e = tx.session().find(SigningKeyEntity.class, kid);
        if (e != null) {
            e.retiredAt = at;
        }
    }

    private static SigningKey key(SigningKeyEntity e) {
        return new SigningKey(e.kid, e.privateJwk, e.publicJwk, e.createdAt, e.retiredAt);
    }
}
