package io.spoepolicy.policy.waf.request;

/** One named value of a request collection (an argument, a header, a cookie...). */
public record Entry(String key, String value) {}
