package io.spoepolicy.observability;

import java.net.InetAddress;
import java.util.concurrent.ThreadLocalRandom;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import io.spoepolicy.policy.Decision;
import io.spoepolicy.policy.Outcome;
import io.spoepolicy.policy.PolicyListener;
import io.spoepolicy.policy.PolicyRequest;
import io.spoepolicy.protocol.TypedValue;

/**
 * One log line per message that was denied or got no decision, and a sampled fraction of the
 * allowed ones, on the logger {@value #LOGGER} (set its level to {@code off} to silence it).
 *
 * <p>The line carries the message name, final action, deciding policy, status, reason, matched
 * rule ids, latency and the request's client address, method and path. Request values are escaped
 * and cut to a maximum length in the text, and attached raw (but cut) as key-value pairs, which
 * Boot's structured JSON formats ({@code logging.structured.format.console=ecs|logstash}) write
 * as fields.
 */
public final class DecisionLog implements PolicyListener {

    public static final String LOGGER = "io.spoepolicy.decision";

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    private final double allowSampleRate;
    private final int maxValueLength;
    private final String ruleIdsVariable;

    public DecisionLog(ObservabilityProperties.DecisionLog properties, String ruleIdsVariable) {
        this.allowSampleRate = properties.allowSampleRate();
        this.maxValueLength = properties.maxValueLength();
        this.ruleIdsVariable = ruleIdsVariable;
    }

    @Override
    public void completed(PolicyRequest request, Outcome outcome, long nanos) {
        boolean always = outcome.isError() || outcome.decision().denied();
        if (!always && (allowSampleRate <= 0 || ThreadLocalRandom.current().nextDouble() >= allowSampleRate)) {
            return;
        }
        if (!log.isInfoEnabled()) {
            return;
        }
        try {
            write(request, outcome, nanos);
        }
        catch (RuntimeException ex) {
            // A log line must never turn a decision into an agent error.
            log.debug("Could not write the decision log line", ex);
        }
    }

    private void write(PolicyRequest request, Outcome outcome, long nanos) {
        Decision decision = outcome.decision();
        String action = outcome.isError() ? "error" : MeterNames.tagValue(decision.verdict());
        String reason = outcome.isError() ? outcome.error() : decision.reason();
        int status = decision != null && decision.denied() ? decision.status() : 0;
        String rules = decision != null
                && decision.variables().get(ruleIdsVariable) instanceof TypedValue.StringValue ids ? ids.asString() : null;
        long micros = nanos / 1000;
        InetAddress client = request.clientIp();
        String clientText = client == null ? null : client.getHostAddress();
        String method = request.method();
        String path = request.path();

        StringBuilder line = new StringBuilder(160);
        line.append("decision action=").append(action)
                .append(" message=").append(LogValues.token(request.messageName(), maxValueLength))
                .append(" policy=").append(LogValues.token(outcome.policy(), maxValueLength));
        if (status != 0) {
            line.append(" status=").append(status);
        }
        line.append(" reason=").append(LogValues.token(reason, maxValueLength));
        if (rules != null) {
            line.append(" rules=").append(LogValues.quoted(rules, maxValueLength));
        }
        line.append(" latency_us=").append(micros);
        if (clientText != null) {
            line.append(" client=").append(clientText);
        }
        if (method != null) {
            line.append(" method=").append(LogValues.quoted(method, maxValueLength));
        }
        if (path != null) {
            line.append(" path=").append(LogValues.quoted(path, maxValueLength));
        }

        // The same values as fields for structured formats, escaped too: a custom text layout
        // printing key-value pairs must not become a way to forge lines.
        LoggingEventBuilder event = log.atInfo()
                .addKeyValue("spoe.action", action)
                .addKeyValue("spoe.message", LogValues.escaped(request.messageName(), maxValueLength))
                .addKeyValue("spoe.latency_us", micros);
        event = optional(event, "spoe.policy", LogValues.escaped(outcome.policy(), maxValueLength));
        event = optional(event, "spoe.reason", LogValues.escaped(reason, maxValueLength));
        if (status != 0) {
            event = event.addKeyValue("spoe.status", status);
        }
        event = optional(event, "spoe.rules", LogValues.escaped(rules, maxValueLength));
        event = optional(event, "client.ip", clientText);
        event = optional(event, "http.request.method", LogValues.escaped(method, maxValueLength));
        event = optional(event, "url.path", LogValues.escaped(path, maxValueLength));
        event.log(line.toString());
    }

    private static LoggingEventBuilder optional(LoggingEventBuilder event, String key, String value) {
        return value == null || value.isEmpty() ? event : event.addKeyValue(key, value);
    }
}
