package jp.kairan.server.config;

/**
 * How messages are stored.
 *
 * @param writerLanes   group-commit lanes (threads, each with its own connection); rooms are spread over them
 * @param queueCapacity sends that may wait per lane before new ones fail with server_busy
 * @param maxBatch      most sends stored in one transaction
 */
public record MessagesConfig(int writerLanes, int queueCapacity, int maxBatch) {
}
