package io.spoepolicy.protocol;

import java.math.BigInteger;
import java.util.SplittableRandom;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VarintTest {

    /** The worked examples of spop-protocol.md §1.3; values are unsigned. */
    @ParameterizedTest
    @CsvSource({
            "0, 00",
            "239, ef",
            "240, f0 00",
            "255, ff 00",
            "256, f0 01",
            "1000, f8 2f",
            "2287, ff 7f",
            "2288, f0 80 00",
            "16380, fc f0 06",
            "65535, ff f0 1e",
            "264431, ff ff 7f",
            "264432, f0 80 80 00",
            "33818863, ff ff ff 7f",
            "33818864, f0 80 80 80 00",
            "4294967295, ff f0 fe fe 7e",
            "9223372036854775807, ff f0 fe fe fe fe fe fe fe 06",
            "18446744073709551615, ff f0 fe fe fe fe fe fe fe 0e"})
    void matchesTheReferenceEncodings(String unsigned, String hex) {
        long value = new BigInteger(unsigned).longValue();
        byte[] expected = Hex.bytes(hex);

        ByteBuf out = Unpooled.buffer();
        Varint.write(out, value);
        assertThat(Hex.hex(readAll(out))).isEqualTo(Hex.hex(expected));
        assertThat(Varint.size(value)).isEqualTo(expected.length);

        ByteBuf in = Unpooled.wrappedBuffer(expected);
        assertThat(Varint.read(in)).isEqualTo(value);
        assertThat(in.isReadable()).isFalse();
        int[] position = {0};
        assertThat(Varint.read(expected, position, expected.length)).isEqualTo(value);
        assertThat(position[0]).isEqualTo(expected.length);
        out.release();
        in.release();
    }

    @Test
    void rangeBoundariesTakeTheDocumentedSizes() {
        long[][] boundaries = {{0, 1}, {239, 1}, {240, 2}, {2287, 2}, {2288, 3}, {264431, 3}, {264432, 4},
                {33818863, 4}, {33818864, 5}, {4328786159L, 5}, {4328786160L, 6}, {554084600047L, 6},
                {554084600048L, 7}, {70922828777711L, 7}, {70922828777712L, 8}, {9078122083518703L, 8},
                {9078122083518704L, 9}, {1161999626690365679L, 9}, {1161999626690365680L, 10}, {-1L, 10}};
        for (long[] boundary : boundaries) {
            assertThat(Varint.size(boundary[0])).as("size of %s", Long.toUnsignedString(boundary[0]))
                    .isEqualTo((int) boundary[1]);
        }
    }

    @Test
    void roundTripsRandomValuesOfEveryMagnitude() {
        SplittableRandom random = new SplittableRandom(0x5eed);
        byte[] buffer = new byte[Varint.MAX_BYTES];
        for (int i = 0; i < 100_000; i++) {
            long value = random.nextLong() >>> random.nextInt(64);
            int end = Varint.write(buffer, 0, value);
            assertThat(end).isEqualTo(Varint.size(value));
            int[] position = {0};
            assertThat(Varint.read(buffer, position, end)).isEqualTo(value);
        }
    }

    @Test
    void int64MinusOneIsTheTenByteForm() {
        byte[] encoded = Hex.bytes("ff f0 fe fe fe fe fe fe fe 0e");
        int[] position = {0};
        assertThat(Varint.read(encoded, position, encoded.length)).isEqualTo(-1L);
    }

    @Test
    void rejectsTruncatedInput() {
        for (String truncated : new String[] {"", "f0", "ff f0", "ff f0 fe fe fe fe fe fe fe"}) {
            byte[] bytes = Hex.bytes(truncated);
            assertThatThrownBy(() -> Varint.read(bytes, new int[] {0}, bytes.length))
                    .isInstanceOfSatisfying(SpopProtocolException.class,
                            ex -> assertThat(ex.status()).isEqualTo(SpopStatus.INVALID_FRAME))
                    .hasMessageContaining("truncated");
            ByteBuf in = Unpooled.wrappedBuffer(bytes);
            assertThatThrownBy(() -> Varint.read(in)).isInstanceOf(SpopProtocolException.class);
            in.release();
        }
    }

    @Test
    void rejectsOverlongAndOverflowingInput() {
        // A continuation bit on the tenth byte already exceeds 64 bits, so an eleventh byte is
        // never reached: every longer input is rejected at the tenth.
        byte[] elevenBytes = Hex.bytes("ff f0 fe fe fe fe fe fe fe fe 0e");
        assertThatThrownBy(() -> Varint.read(elevenBytes, new int[] {0}, elevenBytes.length))
                .isInstanceOfSatisfying(SpopProtocolException.class,
                        ex -> assertThat(ex.status()).isEqualTo(SpopStatus.INVALID_FRAME));
        // Ten bytes whose last byte carries bits beyond 2^64.
        byte[] overflow = Hex.bytes("ff f0 fe fe fe fe fe fe fe 1f");
        assertThatThrownBy(() -> Varint.read(overflow, new int[] {0}, overflow.length))
                .isInstanceOf(SpopProtocolException.class).hasMessageContaining("overflows");
        byte[] wraps = Hex.bytes("ff ff ff ff ff ff ff ff ff 0f");
        assertThatThrownBy(() -> Varint.read(wraps, new int[] {0}, wraps.length))
                .isInstanceOf(SpopProtocolException.class).hasMessageContaining("overflows");
    }

    private static byte[] readAll(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        return bytes;
    }
}
