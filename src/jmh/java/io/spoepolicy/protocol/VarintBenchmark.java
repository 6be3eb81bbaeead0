package io.spoepolicy.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import io.spoepolicy.bench.JmhDefaults;

/**
 * Varint encode and decode over a mix of sizes seen on the wire: one-byte lengths and ids,
 * two- and three-byte lengths, large stream ids. Per varint.
 */
@State(Scope.Thread)
public class VarintBenchmark extends JmhDefaults {

    private static final long[] VALUES = {5, 17, 239, 240, 625, 2047, 8192, 70_000, 1L << 32, 42};

    private final byte[] encoded = new byte[VALUES.length * Varint.MAX_BYTES];
    private int encodedLength;
    private final int[] position = new int[1];
    private final byte[] scratch = new byte[VALUES.length * Varint.MAX_BYTES];
    private ByteBuf buffer;

    @Setup
    public void setUp() {
        int index = 0;
        for (long value : VALUES) {
            index = Varint.write(encoded, index, value);
        }
        encodedLength = index;
        buffer = Unpooled.directBuffer(encoded.length);
    }

    @TearDown
    public void tearDown() {
        buffer.release();
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public int encodeArray() {
        int index = 0;
        for (long value : VALUES) {
            index = Varint.write(scratch, index, value);
        }
        return index;
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public long decodeArray() {
        position[0] = 0;
        long sum = 0;
        for (int i = 0; i < VALUES.length; i++) {
            sum += Varint.read(encoded, position, encodedLength);
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public int encodeByteBuf() {
        buffer.clear();
        for (long value : VALUES) {
            Varint.write(buffer, value);
        }
        return buffer.writerIndex();
    }

    @Benchmark
    @OperationsPerInvocation(10)
    public long decodeByteBuf() {
        buffer.clear();
        buffer.writeBytes(encoded, 0, encodedLength);
        long sum = 0;
        for (int i = 0; i < VALUES.length; i++) {
            sum += Varint.read(buffer);
        }
        return sum;
    }
}
