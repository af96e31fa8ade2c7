/**
 * Request and response bodies of the HTTP API v1 ({@code openapi.yaml} beside these classes' resources).
 * Plain records: validation happens in the server, which answers {@code invalid_field} naming the field.
 * Absent optional fields are {@code null}.
 */
package jp.kairan.protocol.api;
