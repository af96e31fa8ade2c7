package jp.kairan.server.auth;

import java.time.Duration;

/**
 * The plain-text mail that carries a sign-in code, in Japanese with English below. The code is
 * kept out of the subject, which mail servers log and lock screens show. Stateless and thread-safe.
 */
final class OtpMailTemplate {
    static final String SUBJECT = "Kairan サインイン用確認コード / Sign-in code";

    private OtpMailTemplate() {
    }

    /**
     * The body for {@code code}, valid for {@code validity}.
     *
     * @param code     the one-time code, ASCII digits only
     * @param validity a whole number of minutes, at least one
     * @throws IllegalArgumentException if {@code code} is not digits or {@code validity} is not whole minutes
     */
    static String body(String code, Duration validity) {
        if (code.isEmpty() || !code.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Sign-in code must be ASCII digits");
        }
        long minutes = validity.toMinutes();
        if (minutes < 1 || !validity.equals(Duration.ofMinutes(minutes))) {
            throw new IllegalArgumentException("Code validity must be a whole number of minutes, not " + validity);
        }
        return "Kairan へのサインイン用確認コードです。\n"
                + "\n"
                + "    " + code + "\n"
                + "\n"
                + "このコードの有効期限は " + minutes + " 分です。他の人には教えないでください。\n"
                + "サインインしようとした覚えがない場合は、システム管理者に連絡してください。\n"
                + "\n"
                + "----\n"
                + "\n"
                + "Your Kairan sign-in code is " + code + ".\n"
                + "It is valid for " + minutes + (minutes == 1 ? " minute" : " minutes") + ". Do not share it with anyone.\n"
                + "If you did not try to sign in, contact your administrator.\n";
    }
}
