package jp.kairan.protocol.api;

/**
 * Creates or changes a department. On PATCH, null fields are left as they are; to move a department to the
 * top level, send {@code "parentId": ""}.
 */
public record DepartmentRequest(String name, String parentId) {
}
