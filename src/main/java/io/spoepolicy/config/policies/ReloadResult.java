package io.spoepolicy.config.policies;

import java.time.Instant;

/**
 * What a reload attempt did.
 *
 * @param applied whether the new configuration is now in use
 * @param generation the generation in use after the attempt
 * @param trigger what asked for the reload ({@code actuator}, {@code file-change} …)
 * @param reason why it was rejected, starting with the property at fault; {@code null} when applied
 * @param at when the attempt finished
 */
public record ReloadResult(boolean applied, long generation, String trigger, String reason, Instant at) {
}
