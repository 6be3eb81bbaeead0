package io.spoepolicy.policy;

import java.util.Map;

/**
 * Implemented by a policy that can summarise its configuration for operators: the Actuator
 * {@code spoe} endpoint shows the summary and derives the configuration version from it.
 *
 * <p>The summary is public: it must hold no secrets (no keys, tokens, passwords, credentials in
 * URLs) and no per-request data. Values should be JSON-friendly: strings, numbers, booleans, and
 * lists or maps of those. Keep it small: counts rather than full rule sets.
 */
public interface DescribedPolicy {

    /** The configuration summary, e.g. {@code {"rulesLoaded": 612, "skipped": [...]}}. */
    Map<String, Object> describe();
}
