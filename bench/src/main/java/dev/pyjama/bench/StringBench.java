package dev.pyjama.bench;

import dev.pyjama.PyStr;
import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A 1,000-char String to a Python str and back (benchmark 5).
 *
 * <p>{@code kind=ascii}: 1,000 ASCII letters. {@code kind=nonlatin1}: 1,000 chars mixing ASCII,
 * Greek, Cyrillic and CJK (all in the BMP, so 1,000 code points; CPython stores it as a 2-byte
 * kind, UTF-8 is 1 to 3 bytes per char).
 *
 * <p>pyjama: {@code py.str(s).value()}, the handle closed in the method. Floor (naive, as the
 * issue defines it): {@code getBytes(UTF_8)}, copy into a reused native buffer,
 * {@code PyUnicode_FromStringAndSize}, {@code PyUnicode_AsUTF8AndSize}, copy out,
 * {@code new String(bytes, UTF_8)}, {@code Py_DecRef}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StringBench {

    static String make(String kind) {
        String alphabet = switch (kind) {
            case "ascii" -> "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 ";
            case "nonlatin1" -> "abc αβγδεζηθ абвгдежз 漢字仮名交じり文 xyz ";
            default -> throw new IllegalArgumentException(kind);
        };
        StringBuilder sb = new StringBuilder(1000);
        for (int i = 0; i < 1000; i++) {
            sb.append(alphabet.charAt((i * 7) % alphabet.length()));
        }
        return sb.toString();
    }

    @State(Scope.Thread)
    public static class Pyjama {
        @Param({"ascii", "nonlatin1"})
        String kind;
        String s;
        Python py;

        @Setup(Level.Trial)
        public void setup() {
            s = make(kind);
            Fixture.start();
            py = Python.attach();
            try (PyStr p = py.str(s)) {
                if (!p.value().equals(s)) {
                    throw new AssertionError("round trip changed the string");
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            py.close();
        }
    }

    @State(Scope.Thread)
    public static class Raw {
        @Param({"ascii", "nonlatin1"})
        String kind;
        String s;
        int gil;
        MemorySegment buf;
        MemorySegment size;

        @Setup(Level.Trial)
        public void setup() {
            s = make(kind);
            Fixture.start();
            gil = LibPython.PyGILState_Ensure();
            buf = Arena.global().allocate(4 * 1000 + 1);
            size = Arena.global().allocate(ValueLayout.JAVA_LONG);
            if (!roundTrip(this).equals(s)) {
                throw new AssertionError("round trip changed the string");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            LibPython.PyGILState_Release(gil);
        }
    }

    @Benchmark
    public String roundTrip_pyjama(Pyjama st) {
        try (PyStr p = st.py.str(st.s)) {
            return p.value();
        }
    }

    @Benchmark
    public String roundTrip_raw(Raw st) {
        return roundTrip(st);
    }

    static String roundTrip(Raw st) {
        byte[] utf8 = st.s.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(utf8, 0, st.buf, ValueLayout.JAVA_BYTE, 0, utf8.length);
        MemorySegment u = LibPython.PyUnicode_FromStringAndSize(st.buf, utf8.length);
        if (u.address() == 0) {
            throw Fixture.fail();
        }
        MemorySegment p = LibPython.PyUnicode_AsUTF8AndSize(u, st.size);
        if (p.address() == 0) {
            LibPython.Py_DecRef(u);
            throw Fixture.fail();
        }
        int n = (int) st.size.get(ValueLayout.JAVA_LONG, 0);
        byte[] out = new byte[n];
        MemorySegment.copy(p.reinterpret(n), ValueLayout.JAVA_BYTE, 0, out, 0, n);
        LibPython.Py_DecRef(u);
        return new String(out, StandardCharsets.UTF_8);
    }
}
