package jp.kairan.server.config;

import java.nio.file.Path;

/**
 * Full-text search of messages.
 *
 * @param enabled  whether the index is kept and the search API answers
 * @param indexDir the Lucene index directory
 */
public record SearchConfig(boolean enabled, Path indexDir) {
}
