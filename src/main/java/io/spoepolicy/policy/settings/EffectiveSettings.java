package io.spoepolicy.policy.settings;

/**
 * Whether a policy runs for one request and in which mode, after scope selection.
 *
 * @param enabled false: the policy is skipped (answers allow)
 * @param mode enforce or detect-only
 */
record EffectiveSettings(boolean enabled, PolicyMode mode) {

    static final EffectiveSettings ENFORCE = new EffectiveSettings(true, PolicyMode.ENFORCE);
}
