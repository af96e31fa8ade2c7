package jp.kairan.bench;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the WebSocket closes the server initiated, by close code and reason (e.g. {@code 4008/slow_consumer}).
 * Gatling reports them only as debug log lines of its WebSocket state machine, so {@code logback.xml} routes those
 * two loggers here. Thread-safe.
 */
public final class CloseCounter extends AppenderBase<ILoggingEvent> {
    private static final Map<String, LongAdder> CLOSES = new ConcurrentHashMap<>();

    @Override
    protected void append(ILoggingEvent event) {
        String message = event.getMessage();
        Object[] args = event.getArgumentArray();
        if (message != null && message.startsWith("WebSocket") && message.contains("closed ({}/{})")
                && args != null && args.length >= 2) {
            CLOSES.computeIfAbsent(args[0] + "/" + args[1], k -> new LongAdder()).increment();
        }
    }

    /** Closes so far, by {@code code/reason}. */
    static Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        CLOSES.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
