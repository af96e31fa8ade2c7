package jp.kairan.server.ceiling;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jp.kairan.protocol.api.PolicyTerm;
import jp.kairan.protocol.api.PolicyTerms;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.access.Principal;
import jp.kairan.server.policy.Terms;
import jp.kairan.server.policy.Topic;
import jp.kairan.server.store.Database;

/**
 * An organization's own dictionary terms, which its admins edit in the web client: read with the built-in ones,
 * replaced as a whole, audited with counts (never the words' context), and used from the org's next message.
 * Methods block; for HTTP workers. Thread-safe.
 */
public final class OrgTerms {
    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final PolicyStore store;
    private final PolicyRepository repository;

    OrgTerms(Database db, Clock clock, AuditService audit, PolicyStore store, PolicyRepository repository) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.store = store;
        this.repository = repository;
    }

    public PolicyTerms get(Principal actor, long orgId) {
        actor.requireAdminOf(orgId);
        List<PolicyTerm> own = db.call(tx -> repository.terms(tx, orgId)).stream().map(OrgTerms::wire).toList();
        return new PolicyTerms(own, categories(), builtIn());
    }

    public PolicyTerms replace(Principal actor, long orgId, List<PolicyTerm> terms, Origin origin) {
        actor.requireAdminOf(orgId);
        if (terms == null) {
            throw KairanException.invalidField("terms", "required");
        }
        if (terms.size() > Terms.MAX_ORG_TERMS) {
            throw KairanException.invalidField("terms", "at most " + Terms.MAX_ORG_TERMS);
        }
        List<Terms.Term> list = parseAll(terms);
        Map<String, Object> detail = new LinkedHashMap<>();
        Map<Topic, Integer> counts = new EnumMap<>(Topic.class);
        list.forEach(t -> counts.merge(t.topic(), 1, Integer::sum));
        counts.forEach((topic, n) -> detail.put(topic.id(), n));
        detail.put("total", list.size());
        db.call(tx -> {
            repository.replaceTerms(tx, orgId, list, actor.userId(), clock.instant());
            audit.record(tx, new AuditEvent(orgId, actor.userId(), actor.loginId(), AuditAction.POLICY_TERMS_CHANGED, "org",
                    Long.toString(orgId), detail), origin);
            return null;
        });
        store.invalidateClassifier(orgId);
        return get(actor, orgId);
    }

    /** Validates terms as an admin wrote them; duplicates are dropped. */
    public static List<Terms.Term> parseAll(List<PolicyTerm> terms) {
        Set<Terms.Term> parsed = new LinkedHashSet<>();
        for (PolicyTerm t : terms) {
            parsed.add(parse(t));
        }
        return new ArrayList<>(parsed);
    }

    private static Terms.Term parse(PolicyTerm t) {
        if (t == null) {
            throw KairanException.invalidField("terms", "an entry is null");
        }
        Topic topic = Topic.parse(t.category() == null ? "" : t.category())
                .orElseThrow(() -> KairanException.invalidField("terms", "unknown category " + t.category()));
        Terms.Kind kind = Terms.Kind.parse(t.kind() == null ? "" : t.kind())
                .orElseThrow(() -> KairanException.invalidField("terms", "kind must be cue or guard"));
        if (topic == Topic.GENERAL && kind == Terms.Kind.CUE) {
            throw KairanException.invalidField("terms", "general holds guard words only");
        }
        String term = t.term() == null ? "" : t.term().strip();
        if (term.isEmpty() || term.length() > Terms.MAX_TERM_CHARS) {
            throw KairanException.invalidField("terms", "a term has 1.." + Terms.MAX_TERM_CHARS + " characters");
        }
        if (term.codePoints().anyMatch(cp -> Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT)) {
            throw KairanException.invalidField("terms", "a term must not contain control characters");
        }
        if (Terms.folded(term).length() < 2) {
            throw KairanException.invalidField("terms", "a term needs at least two characters that count");
        }
        return new Terms.Term(topic, kind, term);
    }


    private static PolicyTerm wire(Terms.Term t) {
        return new PolicyTerm(t.topic().id(), t.kind().wireName(), t.term());
    }

    private static List<String> categories() {
        return java.util.Arrays.stream(Topic.values()).map(Topic::id).toList();
    }

    private static Map<String, Map<String, List<String>>> builtIn() {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            Map<String, List<String>> kinds = new LinkedHashMap<>();
            for (Terms.Kind k : Terms.Kind.values()) {
                kinds.put(k.wireName(), Terms.builtIn().builtInTerms().stream()
                        .filter(t -> t.topic() == topic && t.kind() == k).map(Terms.Term::term).toList());
            }
            out.put(topic.id(), kinds);
        }
        return out;
    }
}
