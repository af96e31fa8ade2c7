package jp.kairan.protocol.api;

/**
 * A colleague as every member of the organization may see them (to start a talk or invite).
 *
 * @param id             user id
 * @param displayName    display name
 * @param departmentId   department, or null
 * @param departmentName its name, or null
 */
public record DirectoryEntry(String id, String displayName, String departmentId, String departmentName) {
}
