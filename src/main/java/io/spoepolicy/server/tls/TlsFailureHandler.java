package io.spoepolicy.server.tls;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.spoepolicy.server.LogThrottle;

/**
 * Sits right after the {@code SslHandler}: a failed handshake (no or untrusted client certificate,
 * plain text on the TLS port, a protocol mismatch) is counted, logged at most once per interval,
 * and the connection closed, without the SPOP session seeing the TLS exception as an internal
 * failure.
 */
@ChannelHandler.Sharable
final class TlsFailureHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(TlsFailureHandler.class);

    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong handshakes = new AtomicLong();
    private final LogThrottle throttle = new LogThrottle(Duration.ofSeconds(10));

    long failures() {
        return failures.get();
    }

    long handshakes() {
        return handshakes.get();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof SslHandshakeCompletionEvent completion) {
            if (completion.isSuccess()) {
                handshakes.incrementAndGet();
            }
            else {
                failed(ctx, completion.cause());
            }
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (isTls(cause)) {
            // The handshake event reports it (once); later TLS errors on a dead connection add nothing.
            ctx.close();
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    private void failed(ChannelHandlerContext ctx, Throwable cause) {
        failures.incrementAndGet();
        long suppressed = throttle.tryAcquire();
        if (suppressed >= 0) {
            log.warn("TLS handshake with {} failed: {}{}", ctx.channel().remoteAddress(), reason(cause),
                    suppressed > 0 ? " (" + suppressed + " more failed handshake(s) not logged)" : "");
        }
        else if (log.isDebugEnabled()) {
            log.debug("TLS handshake with {} failed: {}", ctx.channel().remoteAddress(), reason(cause));
        }
        ctx.close();
    }

    private static boolean isTls(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        return root instanceof SSLException || root instanceof NotSslRecordException;
    }

    /** One line, no stack trace: the message names the TLS problem, the peer is already known. */
    private static String reason(Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof NotSslRecordException) {
            return "not a TLS record (plain-text client on the TLS port?)";
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + truncate(message));
    }

    private static String truncate(String message) {
        // NotSslRecordException-like messages can carry a hex dump of what the peer sent.
        return message.length() > 200 ? message.substring(0, 200) + "..." : message;
    }
}
