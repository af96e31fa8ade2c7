package jp.kairan.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Stable error codes of the HTTP API and the WebSocket protocol.
 *
 * <p>As Kafka's {@code Errors} puts it: the names can be changed, the codes cannot. A code is never
 * reused for another meaning and never removed within a protocol version. Each code carries the HTTP
 * status it is answered with, whether a client may retry the same request, and a human message in
 * Japanese and English. Messages never contain stack traces or secrets.
 */
public enum ErrorCode {
    INVALID_JSON("invalid_json", 400, false,
            "The request body is not valid JSON.",
            "リクエストの本文が正しいJSONではありません。"),
    INVALID_FIELD("invalid_field", 400, false,
            "A field is missing or invalid.",
            "項目が未入力か、正しくありません。"),
    PASSWORD_POLICY("password_policy", 400, false,
            "The new password does not meet the password policy.",
            "新しいパスワードがパスワードの条件を満たしていません。"),
    FACTOR_NOT_ALLOWED("factor_not_allowed", 400, false,
            "This second factor is not allowed in your organization.",
            "この二要素認証の方式は組織で許可されていません。"),
    INVALID_MESSAGE("invalid_message", 400, false,
            "The frame is not valid JSON or breaks a rule of the protocol.",
            "フレームが正しいJSONでないか、プロトコルの規則に反しています。"),
    UNSUPPORTED_TYPE("unsupported_type", 400, false,
            "This frame type is not supported.",
            "この種類のフレームには対応していません。"),
    INVALID_SEQ("invalid_seq", 400, false,
            "The sequence number is beyond the last message of the room.",
            "シーケンス番号がトークルームの最新メッセージを超えています。"),
    UNSUPPORTED_VERSION("unsupported_version", 400, false,
            "This protocol version is not supported. Update the app or reload the page.",
            "このプロトコルのバージョンには対応していません。アプリを更新するか、ページを再読み込みしてください。"),
    UNAUTHENTICATED("unauthenticated", 401, false,
            "Sign-in is required.",
            "サインインが必要です。"),
    TOKEN_EXPIRED("token_expired", 401, true,
            "The access token has expired.",
            "アクセストークンの有効期限が切れました。"),
    INVALID_CREDENTIALS("invalid_credentials", 401, false,
            "The login ID or password is incorrect.",
            "ログインIDまたはパスワードが正しくありません。"),
    OTP_INVALID("otp_invalid", 401, false,
            "The one-time password is incorrect, expired or already used.",
            "ワンタイムパスワードが正しくないか、期限切れか、使用済みです。"),
    LOGIN_EXPIRED("login_expired", 401, false,
            "The sign-in attempt has expired. Please start again.",
            "サインインの有効期限が切れました。最初からやり直してください。"),
    REFRESH_INVALID("refresh_invalid", 401, false,
            "The session has ended. Please sign in again.",
            "セッションが終了しました。もう一度サインインしてください。"),
    DPOP_INVALID("dpop_invalid", 401, false,
            "The proof of this device is missing or invalid. Check the device's clock and sign in again.",
            "端末の証明がないか、正しくありません。端末の時計を確認し、もう一度サインインしてください。"),
    DEVICE_REVOKED("device_revoked", 401, false,
            "This device has been revoked. Its local data is erased; register the device again.",
            "この端末は無効化されました。端末内のデータは消去されます。端末をもう一度登録してください。"),
    DEVICE_REJECTED("device_rejected", 403, false,
            "The registration of this device was rejected.",
            "この端末の登録は却下されました。"),
    FORBIDDEN("forbidden", 403, false,
            "You are not allowed to do this.",
            "この操作を行う権限がありません。"),
    ACCOUNT_DISABLED("account_disabled", 403, false,
            "This account is suspended. Contact your administrator.",
            "このアカウントは停止されています。管理者に連絡してください。"),
    ORIGIN_NOT_ALLOWED("origin_not_allowed", 403, false,
            "Connections from this site are not allowed.",
            "このサイトからの接続は許可されていません。"),
    NOT_FOUND("not_found", 404, false,
            "Not found.",
            "見つかりません。"),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, false,
            "This method is not allowed here.",
            "このメソッドは使用できません。"),
    IDEMPOTENCY_CONFLICT("idempotency_conflict", 409, false,
            "This request id was already used for a different message.",
            "このリクエストIDは別のメッセージで使用済みです。"),
    ROOM_ARCHIVED("room_archived", 409, false,
            "This room is archived and read-only.",
            "このトークルームはアーカイブされており、閲覧のみ可能です。"),
    DEVICE_LIMIT("device_limit", 409, false,
            "You have reached the number of devices your organization allows. Report an unused device lost first.",
            "組織で許可された端末数の上限に達しています。使っていない端末を先に無効化してください。"),
    DEVICE_KEY_IN_USE("device_key_in_use", 409, false,
            "This device key is registered to another user.",
            "この端末の鍵は別のユーザーに登録されています。"),
    CONFLICT("conflict", 409, false,
            "The request conflicts with the current state.",
            "現在の状態と矛盾するため実行できません。"),
    BODY_TOO_LARGE("body_too_large", 413, false,
            "The request body is too large.",
            "リクエストの本文が大きすぎます。"),
    FRAME_TOO_LARGE("frame_too_large", 413, false,
            "The frame is too large.",
            "フレームが大きすぎます。"),
    HEADERS_TOO_LARGE("headers_too_large", 431, false,
            "The request line or headers are too large.",
            "リクエストの行またはヘッダーが大きすぎます。"),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, false,
            "The request body must be application/json.",
            "リクエストの本文は application/json である必要があります。"),
    CONTENT_BLOCKED("content_blocked", 422, false,
            "This room does not accept the information detected in the message (see findings). Nothing was sent; mask or remove it.",
            "このトークルームでは送信できない情報（重要度Iなど）が含まれています。送信されていません。該当箇所を伏せるか削除してください。"),
    CONFIRMATION_REQUIRED("confirmation_required", 422, false,
            "The message may contain information this room does not accept (see findings). Confirm to send it anyway.",
            "このトークルームでは送信できない情報が含まれている可能性があります。内容を確認のうえ、送信する場合は確認してください。"),
    ACCOUNT_LOCKED("account_locked", 423, true,
            "Too many failed attempts. Try again later or ask your administrator to unlock the account.",
            "失敗が続いたためロックされています。しばらくしてから再試行するか、管理者にロック解除を依頼してください。"),
    RATE_LIMITED("rate_limited", 429, true,
            "Too many requests. Please wait a moment.",
            "リクエストが多すぎます。少し待ってから再試行してください。"),
    INTERNAL_ERROR("internal_error", 500, true,
            "An internal error occurred. Quote the request ID when reporting it.",
            "内部エラーが発生しました。問い合わせの際はリクエストIDをお伝えください。"),
    SLOW_CONSUMER("slow_consumer", 503, true,
            "The connection could not keep up with its messages and was closed. Reconnect to catch up.",
            "メッセージの受信が追いつかないため接続を閉じました。再接続すると続きを受信します。"),
    SERVER_BUSY("server_busy", 503, true,
            "The server is busy. Please retry shortly.",
            "サーバーが混み合っています。少し待ってから再試行してください。"),
    DATABASE_UNAVAILABLE("database_unavailable", 503, true,
            "The server cannot reach its database right now. Nothing was changed; please retry shortly.",
            "サーバーがデータベースに接続できません。処理は行われていません。少し待ってから再試行してください。");

    private final String code;
    private final int httpStatus;
    private final boolean retryable;
    private final String message;
    private final String messageJa;

    ErrorCode(String code, int httpStatus, boolean retryable, String message, String messageJa) {
        this.code = code;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.message = message;
        this.messageJa = messageJa;
    }

    /** The wire code, e.g. {@code invalid_credentials}. Stable forever. */
    @JsonValue
    public String code() {
        return code;
    }

    /** The HTTP status this code is answered with on the REST API. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Whether the same request may succeed if simply retried later. */
    public boolean retryable() {
        return retryable;
    }

    /** English message. */
    public String message() {
        return message;
    }

    /** Japanese message. */
    public String messageJa() {
        return messageJa;
    }

    /** Looks a code up by its wire string. */
    public static java.util.Optional<ErrorCode> fromCode(String code) {
        for (ErrorCode c : values()) {
            if (c.code.equals(code)) {
                return java.util.Optional.of(c);
            }
        }
        return java.util.Optional.empty();
    }
}
