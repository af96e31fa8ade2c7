package jp.kairan.server.device;

/**
 * What every request checks about its device, cached per node.
 *
 * @param id     device id
 * @param orgId  the user's organization, null for the operator
 * @param userId whose device
 * @param jkt    the key's RFC 7638 thumbprint
 * @param status where it stands
 */
public record DeviceState(long id, Long orgId, long userId, String jkt, DeviceStatus status) {
}
