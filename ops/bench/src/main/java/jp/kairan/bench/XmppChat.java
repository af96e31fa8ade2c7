package jp.kairan.bench;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.substring;
import static io.gatling.javaapi.http.HttpDsl.ws;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;

/**
 * XMPP over WebSocket (RFC 7395) with multi-user chat (XEP-0045), as ejabberd speaks it, for the peer bench:
 *
 * <ol>
 *   <li>{@code <open/>}, SASL SCRAM-SHA-1 (the server's signature is checked), {@code <open/>} again, resource
 *       binding;</li>
 *   <li>joining the seat's room with directed presence (no history), until the room's self-presence (status 110);
 *       no initial presence, roster or other extras;</li>
 *   <li>each message is a {@code groupchat} {@code <message/>} to the room. ejabberd archives it (mod_mam, SQL)
 *       before the room broadcasts it, so the reflection to its sender is the "stored" answer, as
 *       {@code message.ack} is for Kairan; every occupant, the sender included, receives it with the
 *       archive's {@code <stanza-id/>}, the room's order key.</li>
 * </ol>
 *
 * <p>Frames are read by looking for the few elements and attributes the bench needs in ejabberd's serialization
 * (one stanza per WebSocket frame, RFC 7395 section 3.3.3); message texts are plain (no markup to unescape).
 */
final class XmppChat implements ChatTarget {
    private static final String FRAMING = "urn:ietf:params:xml:ns:xmpp-framing";
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final StepLedger ledger;
    private final String domain;

    /** An XMPP account and its nickname in its room. */
    record Login(String user, String password, String nick) {
    }

    XmppChat(StepLedger ledger, String domain) {
        this.ledger = ledger;
        this.domain = domain;
    }

    @Override
    public String name() {
        return "ejabberd";
    }

    @Override
    public String subprotocol() {
        return "xmpp";
    }

    private String open() {
        return "<open xmlns='" + FRAMING + "' to='" + domain + "' version='1.0'/>";
    }

    @Override
    public ChainBuilder enter(PeerRun run, String path) {
        return exec(ws("connect").connect(path).subprotocol(subprotocol()))
                .exitHereIfFailed()
                .exec(ws("open").sendText(open()).await(WAIT).on(ws.checkTextMessage("features")
                        .matching(substring("<stream:features")).check(substring("SCRAM-SHA-1"))))
                .exitHereIfFailed()
                .exec(session -> session.set("scramFirst", Scram.clientFirstBare(login(run, session).user(),
                        Scram.nonce())))
                .exec(ws("auth")
                        .sendText(session -> "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>"
                                + Scram.clientFirst(session.getString("scramFirst")) + "</auth>")
                        .await(WAIT).on(ws.checkTextMessage("challenge")
                                .matching(regex("<(challenge|failure)"))
                                .check(regex("<challenge[^>]*>([^<]+)</challenge>").saveAs("challenge"))))
                .exitHereIfFailed()
                .exec(session -> {
                    Scram.Final answer = Scram.answer(login(run, session).password(), session.getString("scramFirst"),
                            session.getString("challenge"));
                    return session.set("scramFinal", answer.clientFinal()).set("serverSignature", answer);
                })
                .exec(ws("response")
                        .sendText("<response xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>#{scramFinal}</response>")
                        .await(WAIT).on(ws.checkTextMessage("success")
                                .matching(regex("<(success|failure)"))
                                .check(regex("<success[^>]*>([^<]*)</success>").saveAs("success"))))
                .exitHereIfFailed()
                .exec(session -> Scram.verified((Scram.Final) session.get("serverSignature"), session.getString("success"))
                        ? session : session.markAsFailed())
                .exitHereIfFailed()
                .exec(ws("open again").sendText(open()).await(WAIT).on(ws.checkTextMessage("features again")
                        .matching(substring("<stream:features")).check(substring("xmpp-bind"))))
                .exitHereIfFailed()
                .exec(ws("bind")
                        .sendText("<iq xmlns='jabber:client' type='set' id='bind'>"
                                + "<bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>bench</resource></bind></iq>")
                        .await(WAIT).on(ws.checkTextMessage("bound").matching(substring("id='bind'"))
                                .check(substring("type='result'"))))
                .exitHereIfFailed()
                .exec(ws("join")
                        .sendText(session -> {
                            PeerRun.Seat seat = PeerSimulation.seat(run, session);
                            return "<presence xmlns='jabber:client' to='" + seat.roomId() + "/"
                                    + ((Login) seat.login()).nick() + "'><x xmlns='http://jabber.org/protocol/muc'>"
                                    + "<history maxstanzas='0'/></x></presence>";
                        })
                        .await(WAIT).on(ws.checkTextMessage("joined")
                                .matching(regex("code='110'|type='error'"))
                                .check(substring("code='110'"))))
                .exitHereIfFailed();
    }

    private static Login login(PeerRun run, Session session) {
        return (Login) PeerSimulation.seat(run, session).login();
    }

    @Override
    public String send(PeerRun run, PeerRun.Seat seat, long counter, String text) {
        return "<message xmlns='jabber:client' to='" + seat.roomId() + "' type='groupchat' id='c" + counter
                + "'><body>" + escape(text) + "</body></message>";
    }

    @Override
    public void read(PeerRun.Seat seat, String frame, long arrivalMicros) {
        if (!frame.startsWith("<message")) {
            int end = 1;
            while (end < frame.length() && " />".indexOf(frame.charAt(end)) < 0) {
                end++;
            }
            ledger.other(frame.isEmpty() ? "empty" : "xmpp " + frame.substring(1, end));
            return;
        }
        int tagEnd = frame.indexOf('>');
        String type = attribute(frame, 0, tagEnd, "type");
        if ("error".equals(type)) {
            String id = attribute(frame, 0, tagEnd, "id");
            long counter = id != null && id.startsWith("c") ? parseLong(id.substring(1)) : 0;
            seat.member().error(counter, "xmpp-" + errorCondition(frame));
            return;
        }
        int bodyStart = frame.indexOf("<body>");
        if (!"groupchat".equals(type) || bodyStart < 0) {
            ledger.other(frame.contains("<subject") ? "xmpp muc subject" : "xmpp message " + type);
            return;
        }
        String from = attribute(frame, 0, tagEnd, "from");
        String room = from == null ? "" : from.substring(0, from.indexOf('/') < 0 ? from.length() : from.indexOf('/'));
        int bodyEnd = frame.indexOf("</body>", bodyStart);
        String text = bodyEnd < 0 ? null : frame.substring(bodyStart + 6, bodyEnd);
        int sid = frame.indexOf("<stanza-id");
        long orderKey = sid < 0 ? Long.MIN_VALUE : parseLong(attribute(frame, sid, frame.indexOf('>', sid), "id"));
        if (sid < 0) {
            ledger.other("xmpp groupchat without stanza-id (not archived)");
        }
        seat.member().delivered(room, orderKey, text, arrivalMicros);
        long[] f = StepLedger.parse(text);
        if (f != null && f[0] == seat.indexInRoom() && room.equals(seat.roomId())) {
            seat.member().ack(f[1], arrivalMicros); // the room's reflection: archived, then broadcast
        }
    }

    /** The value of {@code name} in the tag spanning {@code [from, to)}, either quote; null if absent. */
    static String attribute(String frame, int from, int to, String name) {
        if (to < 0) {
            to = frame.length();
        }
        int i = from;
        while (true) {
            i = frame.indexOf(name + "=", i);
            if (i < 0 || i >= to) {
                return null;
            }
            char before = frame.charAt(i - 1);
            int q = i + name.length() + 1;
            if ((before == ' ' || before == '\n' || before == '\t') && q < to) {
                char quote = frame.charAt(q);
                int end = frame.indexOf(quote, q + 1);
                return end < 0 ? null : frame.substring(q + 1, end);
            }
            i = q;
        }
    }

    private static String errorCondition(String frame) {
        int e = frame.indexOf("<error");
        if (e < 0) {
            return "unknown";
        }
        int c = frame.indexOf('<', frame.indexOf('>', e) + 1);
        if (c < 0 || frame.startsWith("</", c)) {
            return "unknown";
        }
        int end = c + 1;
        while (end < frame.length() && (Character.isLetter(frame.charAt(end)) || frame.charAt(end) == '-')) {
            end++;
        }
        return frame.substring(c + 1, end);
    }

    private static long parseLong(String s) {
        if (s == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
