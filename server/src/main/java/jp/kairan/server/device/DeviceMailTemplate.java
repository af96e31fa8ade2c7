package jp.kairan.server.device;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import jp.kairan.protocol.api.Device;

/**
 * The mail telling a user that a device was registered in their name, in Japanese with English below, so that
 * a registration they did not make is noticed and reported at once. Stateless.
 */
final class DeviceMailTemplate {
    static final String SUBJECT = "Kairan 新しい端末が登録されました / New device registered";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final ZoneId JAPAN = ZoneId.of("Asia/Tokyo");

    private DeviceMailTemplate() {
    }

    static String body(Device device) {
        String when = TIME.format(device.createdAt().atZone(JAPAN));
        String status = "approved".equals(device.status()) ? "承認済み / approved" : "承認待ち / waiting for approval";
        String ip = device.firstIp() == null ? "-" : device.firstIp();
        return "あなたのアカウントに新しい端末が登録されました。\n"
                + "\n"
                + "    端末名: " + device.name() + "\n"
                + "    日時: " + when + " (日本時間)\n"
                + "    接続元: " + ip + "\n"
                + "    状態: " + status + "\n"
                + "\n"
                + "心当たりがない場合は、すぐに所属長またはシステム管理者に連絡してください。\n"
                + "\n"
                + "----\n"
                + "\n"
                + "A new device was registered to your Kairan account: \"" + device.name() + "\" at " + when
                + " (Japan time) from " + ip + ".\n"
                + "If this was not you, tell your department head or administrator at once.\n";
    }
}
