package jp.kairan.server.search;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import jp.kairan.server.search.text.SearchAnalysis;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lucene index of messages in a directory: one document per live message, keyed by its id. Writes come from
 * one thread at a time (the indexer, or a rebuild); searches from any thread through {@link #acquire()}, which
 * sees what the last {@link #refresh()} made visible. Thread-safe as Lucene's writer and searcher manager are.
 */
final class SearchIndex implements Closeable {
    private static final Logger log = LoggerFactory.getLogger(SearchIndex.class);

    static final String ID = "id";
    static final String MESSAGE_ID = "mid";
    static final String ROOM = "room";
    static final String SENDER = "sender";
    static final String SENT_AT = "sentAt";
    static final String MENTION = "mention";
    static final String MENTION_ALL = "all";

    /** A message as indexed. */
    record Doc(long id, long roomId, long senderId, Instant sentAt, String body, List<Long> mentions, boolean mentionAll) {
    }

    private final FSDirectory dir;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private volatile boolean needsRebuild;

    private SearchIndex(FSDirectory dir, IndexWriter writer, boolean needsRebuild) throws IOException {
        this.dir = dir;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, null);
        this.needsRebuild = needsRebuild;
    }

    /**
     * Opens the index in {@code path}, creating it when missing; an unreadable index is set aside and started
     * afresh. Either way {@link #needsRebuild()} then says so.
     *
     * @throws IllegalStateException when another process (a running server) holds the index
     */
    static SearchIndex open(Path path, SearchAnalysis analysis) {
        try {
            Files.createDirectories(path);
            FSDirectory dir = FSDirectory.open(path);
            boolean exists = DirectoryReader.indexExists(dir);
            try {
                return new SearchIndex(dir, new IndexWriter(dir, config(analysis, IndexWriterConfig.OpenMode.CREATE_OR_APPEND)), !exists);
            } catch (LockObtainFailedException e) {
                dir.close();
                throw new IllegalStateException("the search index " + path + " is in use by another process", e);
            } catch (IOException | RuntimeException e) {
                log.warn("the search index in {} is unreadable ({}); starting a new one, rebuilt from the database", path, e.toString());
                return new SearchIndex(dir, new IndexWriter(dir, config(analysis, IndexWriterConfig.OpenMode.CREATE)), true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the search index in " + path, e);
        }
    }

    private static IndexWriterConfig config(SearchAnalysis analysis, IndexWriterConfig.OpenMode mode) {
        return new IndexWriterConfig(analysis.index()).setOpenMode(mode).setRAMBufferSizeMB(64);
    }

    /** Whether the index was missing or unreadable when opened (it holds nothing until rebuilt). */
    boolean needsRebuild() {
        return needsRebuild;
    }

    /** Called after a complete rebuild. */
    void rebuilt() {
        needsRebuild = false;
    }

    /** Adds or replaces the live messages and removes the gone ones; visible after {@link #commit()} and {@link #refresh()}. */
    void apply(Collection<Doc> live, Collection<Long> gone) throws IOException {
        for (Doc d : live) {
            writer.updateDocument(new Term(ID, Long.toString(d.id())), document(d));
        }
        for (long id : gone) {
            writer.deleteDocuments(new Term(ID, Long.toString(id)));
        }
    }

    /** Adds a message known not to be in the index (a rebuild after {@link #deleteAll()}). */
    void add(Doc d) throws IOException {
        writer.addDocument(document(d));
    }

    void deleteAll() throws IOException {
        writer.deleteAll();
    }

    /** Makes the changes durable. */
    void commit() throws IOException {
        writer.commit();
    }

    /** Makes the changes visible to searches. */
    void refresh() throws IOException {
        searchers.maybeRefreshBlocking();
    }

    IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** Epoch microseconds, the precision of {@code messages.sent_at}. */
    static long micros(Instant t) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, t);
    }

    private static Document document(Doc m) {
        Document d = new Document();
        d.add(new StringField(ID, Long.toString(m.id()), Field.Store.YES));
        d.add(new NumericDocValuesField(MESSAGE_ID, m.id()));
        d.add(new LongPoint(ROOM, m.roomId()));
        d.add(new NumericDocValuesField(ROOM, m.roomId()));
        d.add(new LongPoint(SENDER, m.senderId()));
        long sent = micros(m.sentAt());
        d.add(new LongPoint(SENT_AT, sent));
        d.add(new NumericDocValuesField(SENT_AT, sent));
        for (long u : m.mentions()) {
            d.add(new StringField(MENTION, Long.toString(u), Field.Store.NO));
        }
        if (m.mentionAll()) {
            d.add(new StringField(MENTION, MENTION_ALL, Field.Store.NO));
        }
        d.add(new TextField(SearchAnalysis.TEXT, m.body(), Field.Store.NO));
        d.add(new TextField(SearchAnalysis.READING, m.body(), Field.Store.NO));
        d.add(new TextField(SearchAnalysis.BIGRAM, m.body(), Field.Store.NO));
        return d;
    }

    @Override
    public void close() throws IOException {
        try {
            searchers.close();
            writer.close();
        } finally {
            dir.close();
        }
    }
}
