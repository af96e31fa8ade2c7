package jp.kairan.protocol;

/**
 * {@code ok}: the request was carried out and has nothing else to say.
 *
 * @param re the request id
 */
public record Ok(String re) implements ServerMessage {
    public static final String TYPE = "ok";

    @Override
    public String type() {
        return TYPE;
    }
}
