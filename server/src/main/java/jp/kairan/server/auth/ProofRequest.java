package jp.kairan.server.auth;

/**
 * What a request offers as proof of its device: the DPoP proof and what it must name.
 *
 * @param proof  the {@code DPoP} header (HTTP) or the {@code proof} field (gateway); null when absent
 * @param method the request method the proof must name ({@code GET} for the gateway)
 * @param url    the URL the client addressed, as the client saw it
 * @param nonce  the nonce the proof must carry (gateway), or null
 * @param ip     the client's address, for the device's last-seen record
 */
public record ProofRequest(String proof, String method, String url, String nonce, String ip) {
    @Override
    public String toString() {
        return "ProofRequest[" + method + " " + url + ", proof=" + (proof == null ? "none" : "<masked>") + "]";
    }
}
