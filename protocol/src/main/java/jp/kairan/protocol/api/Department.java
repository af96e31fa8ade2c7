package jp.kairan.protocol.api;

/** A department (所属); {@code parentId} null for a top-level one. */
public record Department(String id, String name, String parentId) {
}
