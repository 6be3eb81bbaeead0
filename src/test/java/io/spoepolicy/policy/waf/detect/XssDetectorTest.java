package io.spoepolicy.policy.waf.detect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class XssDetectorTest {

    private final XssDetector detector = new XssDetector();

    @ParameterizedTest
    @ValueSource(strings = {
        "<script>alert(1)</script>",
        "<ScRiPt src=//evil.example/x.js>",
        "<img src=x onerror=alert(1)>",
        "<svg/onload=alert(1)>",
        "\"><iframe src=javascript:alert(1)>",
        "\" onmouseover=\"alert(1)",
        "' autofocus onfocus='alert(1)",
        "<a href=\"javascript:alert(1)\">x</a>",
        "<a href=\"java\tscript:alert(1)\">x</a>",
        "javascript:alert(document.cookie)",
        "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script>",
        "<div style=\"width: expression(alert(1))\">",
        "<body onload=alert(1)>",
        "<object data=\"data:text/html;base64,PHNjcmlwdD4=\">",
    })
    void detectsScriptInjection(String payload) {
        assertThat(detector.detect(payload)).as(payload).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello world",
        "1 < 2 and 3 > 2",
        "<b>bold</b> and <i>italic</i>",
        "<a href=\"https://example.org/\">link</a>",
        "use the onion router",
        "online shopping",
        "I <3 you",
        "x=1&y=2",
        "",
    })
    void ignoresHarmlessText(String text) {
        assertThat(detector.detect(text)).as(text).isNull();
    }
}
