package io.spoepolicy.server.warmup;

import java.util.ArrayList;
import java.util.List;

import io.spoepolicy.protocol.FrameFlags;
import io.spoepolicy.protocol.FrameType;
import io.spoepolicy.protocol.SpopMessage;
import io.spoepolicy.testkit.HaproxyFrames;
import io.spoepolicy.testkit.MessageBuilder;

/**
 * The synthetic requests of the warm-up: the default {@code check-request} message with the
 * shapes real traffic has (bare GET, query and cookies, JSON and form bodies, a path with
 * encoding), so the decoder, the header parser, every built-in policy's branches and the encoder
 * all get compiled. Client addresses are from TEST-NET-2 and TEST-NET-3 (RFC 5737, never routed;
 * the demo configuration denies TEST-NET-1, which would stop the chain at {@code ip-access}) and
 * no request carries credentials: a JWT policy never fetches keys for them.
 */
final class WarmupTraffic {

    private final List<byte[]> payloads;

    WarmupTraffic() {
        List<SpopMessage> messages = List.of(
                MessageBuilder.checkRequest().ip("198.51.100.10").method("GET").path("/")
                        .header("host", "warmup.invalid").header("user-agent", "spoe-policy-service/warmup")
                        .header("accept", "*/*").build(),
                MessageBuilder.checkRequest().ip("203.0.113.11").method("GET").path("/search")
                        .query("q=running+shoes&page=2&sort=price%20asc")
                        .header("host", "warmup.invalid").header("accept", "text/html,application/xhtml+xml")
                        .header("accept-language", "en-US,en;q=0.9").header("cookie", "session=abc123; theme=dark")
                        .header("user-agent", "Mozilla/5.0 (X11; Linux x86_64) warmup").build(),
                MessageBuilder.checkRequest().ip("198.51.100.12").method("POST").path("/api/orders")
                        .header("host", "warmup.invalid").header("content-type", "application/json")
                        .header("content-length", "64")
                        .body("{\"item\":\"sku-1234\",\"quantity\":2,\"note\":\"leave at the door\"}").build(),
                MessageBuilder.checkRequest().ip("203.0.113.13").method("POST").path("/account/settings")
                        .header("host", "warmup.invalid").header("content-type", "application/x-www-form-urlencoded")
                        .body("name=Jane+Doe&email=jane%40example.invalid&newsletter=on").build(),
                MessageBuilder.checkRequest().ip("198.51.100.14").method("GET").path("/static/app%20v2/main.js")
                        .query("v=42").header("host", "warmup.invalid").header("accept-encoding", "gzip, br")
                        .build());
        payloads = new ArrayList<>(messages.size());
        for (SpopMessage message : messages) {
            payloads.add(HaproxyFrames.messagesPayload(List.of(message)));
        }
    }

    /** The NOTIFY frame of the {@code index}-th synthetic request. */
    byte[] notify(int index) {
        byte[] payload = payloads.get(index % payloads.size());
        return HaproxyFrames.frame(FrameType.NOTIFY.id(), FrameFlags.FIN, index + 1, 1, payload);
    }
}
