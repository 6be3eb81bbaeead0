package io.spoepolicy.testkit;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.spoepolicy.policy.CheckRequest;
import io.spoepolicy.protocol.SpopArgument;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.TypedValue;

/**
 * Builds SPOE messages the way HAProxy encodes them, including {@code req.hdrs_bin} headers.
 *
 * <pre>
 * SpopMessage message = MessageBuilder.checkRequest()
 *         .ip("203.0.113.7").method("GET").path("/admin").header("host", "example.com").build();
 * </pre>
 */
public final class MessageBuilder {

    private final String name;
    private final Map<String, TypedValue> arguments = new LinkedHashMap<>();
    private final List<String[]> headers = new ArrayList<>();
    private boolean headersSet;

    private MessageBuilder(String name) {
        this.name = name;
    }

    public static MessageBuilder message(String name) {
        return new MessageBuilder(name);
    }

    /** The default {@code check-request} message with method GET and path {@code /}. */
    public static MessageBuilder checkRequest() {
        return new MessageBuilder(CheckRequest.MESSAGE).method("GET").path("/");
    }

    public MessageBuilder ip(String address) {
        try {
            return argument(CheckRequest.IP, TypedValue.of(InetAddress.getByName(address)));
        }
        catch (UnknownHostException ex) {
            throw new IllegalArgumentException("not an IP literal: " + address, ex);
        }
    }

    public MessageBuilder method(String method) {
        return argument(CheckRequest.METHOD, TypedValue.of(method));
    }

    public MessageBuilder path(String path) {
        return argument(CheckRequest.PATH, TypedValue.of(path));
    }

    public MessageBuilder query(String query) {
        return argument(CheckRequest.QUERY, TypedValue.of(query));
    }

    public MessageBuilder header(String headerName, String value) {
        headers.add(new String[] {headerName.toLowerCase(java.util.Locale.ROOT), value});
        headersSet = true;
        return this;
    }

    public MessageBuilder body(String body) {
        return body(body.getBytes(StandardCharsets.UTF_8));
    }

    public MessageBuilder body(byte[] body) {
        return argument(CheckRequest.BODY, TypedValue.binary(body));
    }

    public MessageBuilder argument(String argumentName, TypedValue value) {
        arguments.put(argumentName, value);
        return this;
    }

    public SpopMessage build() {
        Map<String, TypedValue> all = new LinkedHashMap<>(arguments);
        if (headersSet) {
            all.put(CheckRequest.HEADERS, TypedValue.binary(headersBinary(headers)));
        }
        List<SpopArgument> list = new ArrayList<>();
        all.forEach((argumentName, value) -> list.add(new SpopArgument(argumentName, value)));
        return new SpopMessage(name, list);
    }

    /** Encodes headers in the {@code req.hdrs_bin} layout, ended by two zero lengths. */
    public static byte[] headersBinary(List<String[]> headers) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String[] header : headers) {
            byte[] headerName = header[0].getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = header[1].getBytes(StandardCharsets.ISO_8859_1);
            HaproxyFrames.writeVarint(out, headerName.length);
            out.writeBytes(headerName);
            HaproxyFrames.writeVarint(out, value.length);
            out.writeBytes(value);
        }
        out.write(0);
        out.write(0);
        return out.toByteArray();
    }
}
