package jp.kairan.server.search;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import jp.kairan.protocol.ErrorCode;
import jp.kairan.protocol.api.SearchHit;
import jp.kairan.protocol.api.SearchResults;
import jp.kairan.protocol.api.TextSpan;
import jp.kairan.server.error.KairanException;
import jp.kairan.server.audit.AuditAction;
import jp.kairan.server.audit.AuditEvent;
import jp.kairan.server.audit.AuditService;
import jp.kairan.server.audit.Origin;
import jp.kairan.server.config.SearchConfig;
import jp.kairan.server.access.Principal;
import jp.kairan.server.search.text.Highlighter;
import jp.kairan.server.search.text.QueryWords;
import jp.kairan.server.search.text.SearchAnalysis;
import jp.kairan.server.store.Database;
import jp.kairan.server.store.Tx;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldDocs;

/**
 * Full-text search of messages (issue #8): the query path over the Lucene index, and the index's life (open,
 * rebuild when missing, follow the outbox, {@link #reindex()}). Who may read what is decided from the database at
 * each search, and every hit is checked against the database, so the index may lag but never leaks.
 * {@link #search} blocks (HTTP worker threads). Thread-safe.
 */
public final class SearchService implements AutoCloseable {
    private static final Sort BY_SCORE = new Sort(SortField.FIELD_SCORE, new SortField(SearchIndex.MESSAGE_ID, SortField.Type.LONG, true));
    private static final Sort BY_NEWEST = new Sort(new SortField(SearchIndex.SENT_AT, SortField.Type.LONG, true),
            new SortField(SearchIndex.MESSAGE_ID, SortField.Type.LONG, true));

    private final Database db;
    private final Clock clock;
    private final AuditService audit;
    private final SearchConfig config;
    private final SearchOutbox outbox;
    private final MeterRegistry metrics;
    private final SearchAnalysis analysis = new SearchAnalysis();
    private final Highlighter highlighter = new Highlighter(analysis);
    private final Timer queries;
    private final SearchRepository repository = new SearchRepository();
    private volatile SearchIndex index;
    private SearchIndexer indexer;

    public SearchService(Database db, Clock clock, AuditService audit, SearchConfig config, SearchOutbox outbox,
                         MeterRegistry metrics) {
        this.db = db;
        this.clock = clock;
        this.audit = audit;
        this.config = config;
        this.outbox = outbox;
        this.metrics = metrics;
        this.queries = Timer.builder("kairan.search.query").description("Message searches").publishPercentiles(0.5, 0.99)
                .register(metrics);
    }

    /**
     * Opens the index and starts following the outbox (after a rebuild, in the background, when the index was
     * missing or unreadable). Does nothing when search is turned off.
     */
    public synchronized void start() {
        if (!config.enabled() || indexer != null) {
            return;
        }
        index = SearchIndex.open(config.indexDir(), analysis);
        indexer = new SearchIndexer(db, index, clock, metrics);
        outbox.onRecorded(indexer::wake);
        indexer.start();
    }

    /**
     * Rebuilds the index from the database, then applies the outbox; returns the messages indexed. In a running
     * server the indexer pauses meanwhile; from the command line (server stopped) it opens the index itself.
     */
    public long reindex() {
        try {
            synchronized (this) {
                if (indexer != null) {
                    long n = indexer.rebuild();
                    indexer.drain();
                    return n;
                }
            }
            try (SearchIndex fresh = SearchIndex.open(config.indexDir(), analysis)) {
                SearchIndexer once = new SearchIndexer(db, fresh, clock, metrics);
                long n = once.rebuild();
                once.drain();
                return n;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("rebuilding the search index failed", e);
        }
    }

    /** Stops following the outbox (what is not applied stays there); {@link #resumeIndexing()} catches up. For tests. */
    synchronized void pauseIndexing() {
        indexer.stop();
    }

    synchronized void resumeIndexing() {
        indexer.start();
    }

    /** One page of hits from the rooms {@code user} may read; owner reads of rooms they are not in are audited. */
    public SearchResults search(Principal user, SearchRequest req, Origin origin) {
        if (!config.enabled() || index == null) {
            throw new KairanException(ErrorCode.NOT_FOUND, "search is turned off on this server");
        }
        long started = System.nanoTime();
        try {
            return run(user, req, origin);
        } finally {
            queries.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private SearchResults run(Principal user, SearchRequest req, Origin origin) {
        ReadableRooms readable = db.call(tx -> readableRooms(tx, user));
        if (req.roomId() != null && !readable.all().contains(req.roomId())) {
            throw KairanException.forbidden("user " + user.userId() + " may not read room " + req.roomId());
        }
        Query words = req.words().toLucene(analysis);
        Set<Long> rooms = req.roomId() != null ? Set.of(req.roomId()) : readable.all();
        if (words == null || rooms.isEmpty()) {
            return new SearchResults(List.of(), null);
        }
        List<Candidate> found = candidates(query(words, rooms, req, user, readable.members()), req);
        boolean more = found.size() > req.limit();
        List<Candidate> page = more ? found.subList(0, req.limit()) : found;
        String next = more ? page.get(page.size() - 1).cursor(req.newest()).encode() : null;
        List<SearchHit> hits = db.call(tx -> hits(tx, user, page, req.words(), readable, origin));
        return new SearchResults(hits, next);
    }

    private record ReadableRooms(Set<Long> members, Set<Long> all) {
    }

    /** A hit as the index ranks it. */
    private record Candidate(long messageId, long sortValue) {
        SearchRequest.Cursor cursor(boolean newest) {
            return new SearchRequest.Cursor(newest, sortValue, messageId);
        }
    }

    private ReadableRooms readableRooms(Tx tx, Principal user) {
        if (user.orgId() == null) {
            return new ReadableRooms(Set.of(), Set.of());
        }
        Set<Long> members = repository.memberRooms(tx, user.userId(), user.orgId());
        Set<Long> all = new HashSet<>(members);
        if (user.ownerOf(user.orgId())) {
            all.addAll(repository.orgRooms(tx, user.orgId()));
        }
        return new ReadableRooms(members, all);
    }

    private static Query query(Query words, Set<Long> rooms, SearchRequest req, Principal user, Set<Long> memberRooms) {
        BooleanQuery.Builder q = new BooleanQuery.Builder()
                .add(words, BooleanClause.Occur.MUST)
                .add(LongPoint.newSetQuery(SearchIndex.ROOM, rooms), BooleanClause.Occur.FILTER);
        if (req.senderId() != null) {
            q.add(LongPoint.newExactQuery(SearchIndex.SENDER, req.senderId()), BooleanClause.Occur.FILTER);
        }
        if (req.from() != null || req.to() != null) {
            long from = req.from() == null ? Long.MIN_VALUE : SearchIndex.micros(req.from());
            long to = req.to() == null ? Long.MAX_VALUE : SearchIndex.micros(req.to()) - 1;
            q.add(LongPoint.newRangeQuery(SearchIndex.SENT_AT, from, to), BooleanClause.Occur.FILTER);
        }
        if (req.mentionsMe()) {
            // @all mentions the members of the room, not an owner reading it from outside.
            Query all = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(SearchIndex.MENTION, SearchIndex.MENTION_ALL)), BooleanClause.Occur.FILTER)
                    .add(LongPoint.newSetQuery(SearchIndex.ROOM, memberRooms), BooleanClause.Occur.FILTER).build();
            Query me = new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(SearchIndex.MENTION, Long.toString(user.userId()))), BooleanClause.Occur.SHOULD)
                    .add(all, BooleanClause.Occur.SHOULD).setMinimumNumberShouldMatch(1).build();
            q.add(me, BooleanClause.Occur.FILTER);
        }
        return q.build();
    }

    /** The top {@code limit + 1} after the cursor, in order. */
    private List<Candidate> candidates(Query query, SearchRequest req) {
        Sort sort = req.newest() ? BY_NEWEST : BY_SCORE;
        try {
            IndexSearcher searcher = index.acquire();
            try {
                int maxDoc = searcher.getIndexReader().maxDoc();
                if (maxDoc == 0) {
                    return List.of();
                }
                FieldDoc after = null;
                if (req.after() != null) {
                    Object first = req.newest() ? (Object) req.after().value() : (Object) Float.intBitsToFloat((int) req.after().value());
                    // The highest doc: with the message id as the last sort key only the cursor's own message ties,
                    // and ties at or below the cursor's doc are skipped.
                    after = new FieldDoc(maxDoc - 1, Float.NaN, new Object[] {first, req.after().messageId()});
                }
                TopFieldDocs top = searcher.searchAfter(after, query, req.limit() + 1, sort, !req.newest());
                Set<String> idField = Set.of(SearchIndex.ID);
                List<Candidate> out = new ArrayList<>(top.scoreDocs.length);
                for (ScoreDoc sd : top.scoreDocs) {
                    FieldDoc fd = (FieldDoc) sd;
                    long id = Long.parseLong(searcher.storedFields().document(fd.doc, idField).get(SearchIndex.ID));
                    long value = req.newest() ? (Long) fd.fields[0] : Float.floatToIntBits((Float) fd.fields[0]);
                    out.add(new Candidate(id, value));
                }
                return out;
            } finally {
                index.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("searching the index failed", e);
        }
    }

    /** The page's messages as they are now: deleted, purged or no longer readable ones are dropped. */
    private List<SearchHit> hits(Tx tx, Principal user, List<Candidate> page, QueryWords words, ReadableRooms readable,
                                 Origin origin) {
        if (page.isEmpty()) {
            return List.of();
        }
        Map<Long, SearchRepository.HitRow> rows = repository.liveHits(tx, page.stream().map(Candidate::messageId).toList());
        rows.values().removeIf(r -> !readable.all().contains(r.roomId()));
        Set<Long> directRooms = rows.values().stream().filter(SearchRepository.HitRow::direct).map(SearchRepository.HitRow::roomId)
                .collect(Collectors.toSet());
        Map<Long, String> directNames = directNames(tx, user.userId(), directRooms);
        List<SearchHit> hits = new ArrayList<>();
        Set<Long> ownerReads = new LinkedHashSet<>();
        for (Candidate cand : page) {
            SearchRepository.HitRow r = rows.get(cand.messageId());
            if (r == null) {
                continue;
            }
            if (!readable.members().contains(r.roomId())) {
                ownerReads.add(r.roomId());
            }
            List<TextSpan> spans = highlighter.spans(r.body(), words).stream().map(s -> new TextSpan(s.start(), s.end())).toList();
            hits.add(new SearchHit(Long.toString(r.roomId()), r.direct() ? directNames.getOrDefault(r.roomId(), "") : r.roomName(),
                    Long.toString(r.id()), r.seq(), Long.toString(r.senderId()), r.senderName() == null ? "" : r.senderName(),
                    r.sentAt(), r.editedAt(), r.body(), spans));
        }
        for (long roomId : ownerReads) {
            audit.record(tx, new AuditEvent(user.orgId(), user.userId(), user.loginId(), AuditAction.ROOM_READ_BY_OWNER, "room",
                    Long.toString(roomId), Map.of("read", "search")), origin);
        }
        return hits;
    }

    /** A direct talk is named after its other member (seen from outside, after both), as in the room list. */
    private Map<Long, String> directNames(Tx tx, long viewerId, Set<Long> roomIds) {
        if (roomIds.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> out = new HashMap<>();
        repository.otherMemberNames(tx, viewerId, roomIds).forEach((room, list) -> out.put(room, String.join(" / ", list)));
        return out;
    }

    /** Stops the indexer (what it has not applied stays in the outbox) and closes the index. */
    @Override
    public synchronized void close() {
        if (indexer != null) {
            indexer.stop();
            indexer = null;
        }
        if (index != null) {
            try {
                index.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            index = null;
        }
    }
}
