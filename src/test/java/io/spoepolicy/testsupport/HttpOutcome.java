package io.spoepolicy.testsupport;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one HTTP request produced: the status (or -1 with {@code error} when no response arrived)
 * and the captured response headers, names lower-cased.
 */
public record HttpOutcome(int status, Map<String, String> headers, String error) {

    public static HttpOutcome failed(String error) {
        return new HttpOutcome(-1, Map.of(), error);
    }

    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean hasHeader(String name) {
        return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public boolean failed() {
        return status < 0;
    }
}
