package jp.kairan.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UserPoolTest {

    private static List<Account> accounts(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(i -> new Account("u" + i, "pw")).toList();
    }

    @Test
    void neverHandsOutAUserTwiceInOneStep() {
        UserPool pool = new UserPool(accounts(3));
        Set<Account> seen = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Account a = pool.take(100);
            a.lastStep = 100; // what codeFor does when the login sends its code
            pool.release(a);
            assertThat(seen.add(a)).isTrue();
        }
        assertThat(pool.take(100)).isNull();
    }

    @Test
    void skipsUsersStillInFlight() {
        UserPool pool = new UserPool(accounts(2));
        Account first = pool.take(5);
        Account second = pool.take(5);
        assertThat(second).isNotSameAs(first);
        assertThat(pool.take(5)).isNull();
        pool.release(first);
        assertThat(pool.take(5)).isSameAs(first);
    }

    @Test
    void usersAreFreeAgainInTheNextStep() {
        UserPool pool = new UserPool(accounts(1));
        Account a = pool.take(7);
        a.lastStep = 7;
        pool.release(a);
        assertThat(pool.take(7)).isNull();
        assertThat(pool.take(8)).isSameAs(a);
    }
}
