package io.spoepolicy.observability;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.testkit.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

class DecisionLogTest {

    private final Logger logger = (Logger) LoggerFactory.getLogger(DecisionLog.LOGGER);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
    private Level previousLevel;

    @BeforeEach
    void capture() {
        previousLevel = logger.getLevel();
        logger.setLevel(Level.INFO);
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
        logger.setLevel(previousLevel);
    }

    private static DecisionLog log(double allowSampleRate) {
        return new DecisionLog(new ObservabilityProperties.DecisionLog(true, allowSampleRate, 64), "waf_rules");
    }

    @Test
    void logsOneEscapedLinePerDenyWithFields() {
        PolicyRequest request = new PolicyRequest(MessageBuilder.checkRequest().ip("127.0.0.2").method("GET")
                .path("/x\n2026-01-01T00:00:00Z INFO decision action=allow").build(), "engine");
        Decision deny = Decision.deny(403, "waf").withVariable("waf_rules", "942100 941110");

        log(0).completed(request, Outcome.decided(deny, "waf"), 1_234_000);

        assertThat(appender.list).hasSize(1);
        ILoggingEvent event = appender.list.get(0);
        assertThat(event.getFormattedMessage()).doesNotContain("\n").isEqualTo("decision action=deny "
                + "message=check-request policy=waf status=403 reason=waf rules=\"942100 941110\" latency_us=1234 "
                + "client=127.0.0.2 method=\"GET\" path=\"/x\\n2026-01-01T00:00:00Z INFO decision action=allow\"");
        List<KeyValuePair> pairs = event.getKeyValuePairs();
        assertThat(pairs).extracting(pair -> pair.key).contains("spoe.action", "spoe.policy", "spoe.status",
                "spoe.rules", "spoe.latency_us", "client.ip", "url.path");
        assertThat(pairs).filteredOn(pair -> pair.key.equals("url.path")).singleElement()
                .extracting(pair -> pair.value).isEqualTo("/x\\n2026-01-01T00:00:00Z INFO decision action=allow");
    }

    @Test
    void logsErrorsAndSamplesAllows() {
        PolicyRequest request = new PolicyRequest(MessageBuilder.checkRequest().ip("10.0.0.1").build(), "engine");
        log(0).completed(request, Outcome.decided(Decision.allow(), null), 1_000);
        log(0).completed(request, Outcome.failed("timeout", "jwt"), 1_000);
        assertThat(appender.list).singleElement().extracting(ILoggingEvent::getFormattedMessage).asString()
                .startsWith("decision action=error message=check-request policy=jwt reason=timeout");

        appender.list.clear();
        DecisionLog everything = log(1.0);
        for (int i = 0; i < 10; i++) {
            everything.completed(request, Outcome.decided(Decision.allow(), null), 1_000);
        }
        assertThat(appender.list).hasSize(10);
    }
}
