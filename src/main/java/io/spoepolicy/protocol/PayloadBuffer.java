package io.spoepolicy.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

import io.netty.util.IllegalReferenceCountException;

/**
 * The heap bytes of one received NOTIFY payload and the index of its arguments, leased from the
 * connection's {@link PayloadArena} and recycled once nothing can read them any more.
 *
 * <p>One word holds a generation and a reference count. Every view handed out (messages, STRING
 * and BINARY values) remembers the generation it was made in; recycling bumps it, so a view read
 * after its NOTIFY was finished fails with an {@link IllegalReferenceCountException} instead of
 * reading the bytes of a later NOTIFY. Copying reads check the generation before and after they
 * copy (a sequence lock), so even a read racing the recycling cannot return mixed data.
 * Releases carry the generation too: a second release of the same lease fails loudly and can
 * never free a later NOTIFY's lease.
 */
final class PayloadBuffer {

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(PayloadBuffer.class, "state", long.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    /** Generation in the high 32 bits, reference count in the low 32. */
    @SuppressWarnings("unused")
    private volatile long state;

    /** {@code null} for a buffer that is never recycled (tools and tests parsing their own bytes). */
    private final PayloadArena arena;

    byte[] data;
    /** Interned argument names and the offset of each argument's type byte, in wire order. */
    String[] names = new String[8];
    int[] valueOffsets = new int[8];
    int arguments;

    PayloadBuffer(PayloadArena arena, byte[] data) {
        this.arena = arena;
        this.data = data;
        STATE.setVolatile(this, 1L);
    }

    /** A never-recycled buffer over bytes the caller owns. */
    static PayloadBuffer unmanaged(byte[] data) {
        return new PayloadBuffer(null, data);
    }

    int generation() {
        return (int) ((long) STATE.getVolatile(this) >>> 32);
    }

    /** Called by the arena, on the event loop, when it hands this buffer out again. */
    void reuse(int capacity) {
        if (data.length < capacity) {
            data = new byte[capacity];
        }
        arguments = 0;
        long current = (long) STATE.getVolatile(this);
        STATE.setVolatile(this, current & 0xFFFF_FFFF_0000_0000L | 1L);
    }

    /** Grows the bytes while a fragmented NOTIFY is reassembled (no view exists yet). */
    void ensureCapacity(int needed, int cap) {
        if (needed > data.length) {
            data = Arrays.copyOf(data, (int) Math.min(cap, Math.max(needed, 2L * data.length)));
        }
    }

    /** Records one argument in the index. */
    void addArgument(String name, int valueOffset) {
        if (arguments == names.length) {
            names = Arrays.copyOf(names, arguments * 2);
            valueOffsets = Arrays.copyOf(valueOffsets, arguments * 2);
        }
        names[arguments] = name;
        valueOffsets[arguments] = valueOffset;
        arguments++;
    }

    /** Takes one more reference unless generation {@code generation} is already finished. */
    boolean tryRetain(int generation) {
        while (true) {
            long current = (long) STATE.getVolatile(this);
            if ((int) (current >>> 32) != generation || (int) current == 0) {
                return false;
            }
            if (STATE.compareAndSet(this, current, current + 1)) {
                return true;
            }
        }
    }

    /** Drops one reference of generation {@code generation}; the last one recycles the buffer. */
    void release(int generation) {
        while (true) {
            long current = (long) STATE.getVolatile(this);
            int refs = (int) current;
            if ((int) (current >>> 32) != generation || refs == 0) {
                throw new IllegalReferenceCountException("NOTIFY payload released twice");
            }
            long next = refs == 1 ? ((long) (generation + 1) << 32) : current - 1;
            if (STATE.compareAndSet(this, current, next)) {
                if (refs == 1 && arena != null) {
                    arena.recycle(this);
                }
                return;
            }
        }
    }

    /** Fails when generation {@code generation} was recycled. */
    void check(int generation) {
        if (generation() != generation) {
            throw released();
        }
    }

    /** {@link #check} after reads of the shared bytes: no read may move past it. */
    void validate(int generation) {
        VarHandle.loadLoadFence();
        check(generation);
    }

    static IllegalReferenceCountException released() {
        return new IllegalReferenceCountException("NOTIFY value read after its NOTIFY was finished; "
                + "a policy must copy what it keeps beyond its evaluation (asString(), bytes())");
    }
}
