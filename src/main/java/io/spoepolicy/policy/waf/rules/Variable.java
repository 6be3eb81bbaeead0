package io.spoepolicy.policy.waf.rules;

import java.util.Locale;

/**
 * The SecLang variables the engine can produce for a request. Collections hold many named values
 * and accept {@code VAR:key} and {@code VAR:/regex/} selectors; scalars hold one value.
 */
public enum Variable {
    ARGS(true),
    ARGS_NAMES(true),
    ARGS_GET(true),
    ARGS_GET_NAMES(true),
    ARGS_POST(true),
    ARGS_POST_NAMES(true),
    ARGS_COMBINED_SIZE(false),
    REQUEST_HEADERS(true),
    REQUEST_HEADERS_NAMES(true),
    REQUEST_COOKIES(true),
    REQUEST_COOKIES_NAMES(true),
    FILES(true),
    FILES_NAMES(true),
    FILES_COMBINED_SIZE(false),
    MULTIPART_PART_HEADERS(true),
    XML(true),
    TX(true),
    MATCHED_VAR(false),
    MATCHED_VAR_NAME(false),
    MATCHED_VARS(true),
    MATCHED_VARS_NAMES(true),
    REQUEST_LINE(false),
    REQUEST_METHOD(false),
    REQUEST_PROTOCOL(false),
    REQUEST_URI(false),
    REQUEST_URI_RAW(false),
    REQUEST_FILENAME(false),
    REQUEST_BASENAME(false),
    QUERY_STRING(false),
    REQUEST_BODY(false),
    REQUEST_BODY_LENGTH(false),
    REQBODY_PROCESSOR(false),
    REMOTE_ADDR(false),
    UNIQUE_ID(false);

    private final boolean collection;

    Variable(boolean collection) {
        this.collection = collection;
    }

    public boolean isCollection() {
        return collection;
    }

    /** Looks a SecLang variable name up, case-insensitively; {@code null} when unsupported. */
    public static Variable byName(String name) {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
