package io.spoepolicy.protocol;

import java.net.InetAddress;
import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TypedValueRoundTripTest {

    @Test
    void everyTypeRoundTrips() throws Exception {
        List<TypedValue> values = List.of(
                TypedValue.NULL,
                TypedValue.of(true),
                TypedValue.of(false),
                new TypedValue.IntValue(DataType.INT32, -5),
                new TypedValue.IntValue(DataType.UINT32, 4294967295L),
                TypedValue.of(-1L),
                TypedValue.of(Long.MAX_VALUE),
                new TypedValue.IntValue(DataType.UINT64, -1L),
                TypedValue.of(InetAddress.getByName("192.0.2.1")),
                TypedValue.of(InetAddress.getByName("2001:db8::1")),
                TypedValue.of(""),
                TypedValue.of("héllo wörld"),
                TypedValue.binary(new byte[] {0, 1, 2, (byte) 0xff}),
                TypedValue.binary(new byte[5000]));
        for (TypedValue value : values) {
            ByteBuf buffer = Unpooled.buffer();
            SpopFrameEncoder.writeValue(buffer, value);
            assertThat(buffer.readableBytes()).isEqualTo(SpopFrameEncoder.valueSize(value));
            byte[] bytes = new byte[buffer.readableBytes()];
            buffer.readBytes(bytes);
            buffer.release();
            PayloadReader reader = new PayloadReader(bytes, 0, bytes.length, new PayloadReader.NameCache());
            assertThat(reader.typedValue()).as("round trip of %s", value).isEqualTo(value);
            assertThat(reader.hasRemaining()).isFalse();
        }
    }

    @Test
    void boolCarriesItsValueInTheFlagNibble() {
        assertThat(read("11")).isEqualTo(TypedValue.of(true));
        assertThat(read("01")).isEqualTo(TypedValue.of(false));
    }

    @Test
    void emptyStringAndUnnamedArgumentsDecode() {
        byte[] payload = Hex.bytes("03 \"msg\" 02 00 08 00 00 04 2a");
        List<SpopMessage> messages = Payloads.messages(payload, 0, payload.length, 8);
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).arguments()).containsExactly(
                new SpopArgument("", TypedValue.of("")),
                new SpopArgument("", TypedValue.of(42)));
    }

    @Test
    void integerKindsAreAllAcceptedWhereAnIntegerIsExpected() {
        for (String encoded : new String[] {"02 f0 00", "03 f0 00", "04 f0 00", "05 f0 00"}) {
            assertThat(((TypedValue.IntValue) read(encoded)).value()).isEqualTo(240);
        }
    }

    @Test
    void rejectsReservedTypesAndOverrunningLengths() {
        assertThatThrownBy(() -> read("0a")).isInstanceOf(SpopProtocolException.class).hasMessageContaining("data type");
        assertThatThrownBy(() -> read("08 05 \"abc\"")).isInstanceOf(SpopProtocolException.class)
                .hasMessageContaining("exceeds the frame");
        assertThatThrownBy(() -> read("06 7f 00")).isInstanceOf(SpopProtocolException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read("03 ff f0 fe fe fe 0e")).isInstanceOf(SpopProtocolException.class)
                .hasMessageContaining("UINT32");
    }

    private static TypedValue read(String hex) {
        byte[] bytes = Hex.bytes(hex);
        return new PayloadReader(bytes, 0, bytes.length, new PayloadReader.NameCache()).typedValue();
    }
}
