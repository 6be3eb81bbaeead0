package io.spoepolicy.policy.waf.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlInjectionDetectorTest {

    private final SqlInjectionDetector detector = new SqlInjectionDetector();

    @ParameterizedTest
    @ValueSource(strings = {
        "1 OR 1=1",
        "1' or '1'='1",
        "x\" or \"a\"=\"a",
        "admin'--",
        "admin' #",
        "1 UNION ALL SELECT username, password FROM users",
        "-1 union/**/select 1,2,3",
        "1; DROP TABLE users",
        "1 AND sleep(5)",
        "sleep(10)",
        "'+benchmark(1000000,md5(1))+'",
        "1) or (1=1",
        "1 order by 3--",
        "x' AND extractvalue(1,concat(0x7e,version()))--",
        "'; waitfor delay '0:0:5'--",
        "1/*!50000union*/ select 1",
        "select * from users where id = 1",
    })
    void detectsInjection(String payload) {
        assertThat(detector.detect(payload)).as(payload).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello world",
        "O'Brien",
        "it's a nice day, isn't it?",
        "rock 'n' roll",
        "Tom & Jerry",
        "select a size from the menu",
        "please select your union representative",
        "1-2-3",
        "2024-01-01",
        "john.doe@example.com",
        "The quick brown fox; jumps over",
        "Q&A: drop by any time",
        "user_id=42",
        "SELECT",
        "a or b",
        "",
    })
    void ignoresOrdinaryText(String text) {
        assertThat(detector.detect(text)).as(text).isNull();
    }
}
