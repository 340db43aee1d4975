package dev.pyjama.internal.convert;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.pyjama.exceptions.PyOverflowError;
import dev.pyjama.internal.PythonErrors;
import dev.pyjama.internal.abi.Abi;
import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.abi.Containers;
import dev.pyjama.internal.abi.Names;
import dev.pyjama.internal.abi.Scalars;
import dev.pyjama.internal.abi.Strings;
import java.lang.foreign.Arena;
import java.math.BigInteger;

/** Python ints, floats, bools, strs and bytes as Java scalars, strict about kinds and exact about values. The caller holds the GIL. */
final class ScalarValues {

    private ScalarValues() {}

    // --- scalars ---

    static String toJavaString(long o) {
        if (!CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected str, got " + ConversionErrors.typeName(o));
        }
        return Strings.toJava(o);
    }

    static boolean fitsLong(long o) {
        try (Arena arena = Arena.ofConfined()) {
            return Scalars.fitsLong(o, arena.allocate(JAVA_INT));
        }
    }

    /** An int, or any object with {@code __index__} (numpy integers), as a long; OverflowError when it does not fit. */
    static long toLong(long o) {
        long type = CApi.borrowedType(o);
        // An exact int is told by its type's address; only other types need their flags read.
        if (type != Abi.longType() && (CApi.typeFlags(type) & Abi.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (!Scalars.isIndex(o)) {
                throw PythonErrors.newTypeError("expected int, got " + ConversionErrors.typeName(o));
            }
            long index = Scalars.newIndex(o);
            try {
                return toLong(index);
            } finally {
                CApi.decRef(index);
            }
        }
        return Scalars.exactIntValue(o);
    }

    static long narrow(long o, long min, long max, String javaType) {
        long v = toLong(o);
        if (v < min || v > max) {
            throw new PyOverflowError("Python int " + v + " does not fit in a Java " + javaType);
        }
        return v;
    }

    /** A float, or anything with {@code __float__} or {@code __index__} (int), as a double; str is refused. */
    static double toDouble(long o) {
        if (CApi.borrowedType(o) == Abi.floatType()) {
            // An exact float: no __float__ runs, and it cannot fail.
            return Scalars.exactFloatValue(o);
        }
        if (CApi.isStr(o)) {
            throw PythonErrors.newTypeError("expected float, got " + ConversionErrors.typeName(o));
        }
        return Scalars.doubleValue(o);
    }

    static boolean toBoolean(long o) {
        if (o == Abi.trueObj()) {
            return true;
        }
        if (o == Abi.falseObj()) {
            return false;
        }
        throw PythonErrors.newTypeError("expected bool, got " + ConversionErrors.typeName(o)
                + " (use isTruthy() for Python's truth value of any object)");
    }

    static BigInteger toBigInteger(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Abi.TPFLAGS_LONG_SUBCLASS) == 0) {
            if (!Scalars.isIndex(o)) {
                throw PythonErrors.newTypeError("expected int, got " + ConversionErrors.typeName(o));
            }
            long index = Scalars.newIndex(o);
            try {
                return toBigInteger(index);
            } finally {
                CApi.decRef(index);
            }
        }
        if (fitsLong(o)) {
            return BigInteger.valueOf(toLong(o));
        }
        // format(o, 'x') is not subject to the int/str digit limit of Python 3.11+.
        long spec = Names.get("x");
        long text = CApi.newFormat(o, spec);
        try {
            return new BigInteger(Strings.toJava(text), 16);
        } finally {
            CApi.decRef(text);
        }
    }

    static byte[] toBytes(long o) {
        long flags = CApi.typeFlags(CApi.borrowedType(o));
        if ((flags & Abi.TPFLAGS_BYTES_SUBCLASS) != 0) {
            return Containers.bytesContent(o);
        }
        if (CApi.isSubtype(CApi.borrowedType(o), Abi.byteArrayType())) {
            return Containers.byteArrayContent(o);
        }
        throw PythonErrors.newTypeError("expected bytes or bytearray, got " + ConversionErrors.typeName(o));
    }
}
