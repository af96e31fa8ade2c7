package jp.kairan.bench;

import java.util.List;

/**
 * One stretch of load at a fixed arrival rate.
 *
 * @param name    shown in the report
 * @param kind    warm-up (not judged), ramp step, or the fixed-rate phase
 * @param rate    logins started per second, on a fixed schedule whatever the server does
 * @param seconds how long logins are started
 */
record Phase(String name, Kind kind, double rate, int seconds) {
    enum Kind { WARMUP, RAMP, FIXED }

    Phase {
        if (!(rate > 0) || seconds <= 0) {
            throw new IllegalArgumentException("A phase needs a positive rate and duration: " + rate + "/s for " + seconds + " s");
        }
    }

    long logins() {
        return Math.round(rate * seconds);
    }

    /**
     * Users needed so that no user must sign in twice within one TOTP step: 1.2 times the most
     * logins the plan starts in any 32-second window (a 30-second step plus slack for latency),
     * plus a few.
     */
    static int usersNeeded(List<Phase> plan, int pauseSeconds) {
        // logins started in each second of the run, pauses included
        double[] perSecond = new double[plan.stream().mapToInt(p -> p.seconds() + pauseSeconds).sum() + 1];
        int t = 0;
        for (Phase p : plan) {
            for (int s = 0; s < p.seconds(); s++) {
                perSecond[t++] = p.rate();
            }
            t += pauseSeconds;
        }
        int window = 32;
        double best = 0;
        double sum = 0;
        for (int i = 0; i < perSecond.length; i++) {
            sum += perSecond[i];
            if (i >= window) {
                sum -= perSecond[i - window];
            }
            best = Math.max(best, sum);
        }
        return (int) Math.ceil(best * 1.2) + 5;
    }
}
