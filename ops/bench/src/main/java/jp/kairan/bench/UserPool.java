package jp.kairan.bench;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;

/**
 * Hands out bench users in least-recently-used order, never one that is mid-login or that already
 * used the current TOTP step (the server would rightly reject the replayed step). When no user is
 * free, {@link #take} returns {@code null} and the bench counts a {@code no_free_user} error: the
 * fix is more users, never a reused code.
 */
final class UserPool {
    private final Deque<Account> queue;

    UserPool(Collection<Account> users) {
        this.queue = new ArrayDeque<>(users);
    }

    synchronized void addAll(Collection<Account> more) {
        queue.addAll(more);
    }

    /** A free user, marked in flight; {@code null} if none can sign in during {@code currentStep}. */
    synchronized Account take(long currentStep) {
        for (int i = 0, n = queue.size(); i < n; i++) {
            Account a = queue.pollFirst();
            queue.addLast(a);
            if (!a.inFlight && a.lastStep < currentStep) {
                a.inFlight = true;
                return a;
            }
        }
        return null;
    }

    /** Users that could sign in during {@code currentStep} (not in flight, step not used yet). */
    synchronized int usable(long currentStep) {
        int n = 0;
        for (Account a : queue) {
            if (!a.inFlight && a.lastStep < currentStep) {
                n++;
            }
        }
        return n;
    }

    /** Marks a user free again after its login finished, successfully or not. */
    void release(Account a) {
        a.inFlight = false;
    }

    synchronized int size() {
        return queue.size();
    }
}
