package jp.kairan.bench;

import io.gatling.javaapi.core.ChainBuilder;

/**
 * A chat server's protocol as the peer bench speaks it: how a connection signs in and enters its room, what a
 * message looks like, and what the frames it receives mean for the {@link StepLedger}. The scenario around these
 * (arrival, pacing, steps, reading) is the same for every target ({@link PeerSimulation}).
 */
interface ChatTarget {

    /** Short name for reports: {@code kairan}, {@code ejabberd}. */
    String name();

    /** The WebSocket subprotocol. */
    String subprotocol();

    /**
     * Opens the WebSocket ({@code ws("connect").connect(path)}, with {@link #subprotocol}) and goes on to a
     * connection that receives its room's messages; fails the virtual user when it cannot. The seat is found with
     * {@link PeerSimulation#seat}.
     */
    ChainBuilder enter(PeerRun run, String path);

    /** The frame that sends {@code text} to the seat's room as message number {@code counter} of its sender. */
    String send(PeerRun run, PeerRun.Seat seat, long counter, String text);

    /** Reads one received text frame into the ledger. */
    void read(PeerRun.Seat seat, String frame, long arrivalMicros);
}
