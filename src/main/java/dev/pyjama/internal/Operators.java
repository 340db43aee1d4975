package dev.pyjama.internal;

import static dev.pyjama.internal.CApi.checkNew;
import static dev.pyjama.internal.CApi.p;

import dev.pyjama.ffi.LibPython;

/**
 * Python's operators on objects: the binary and unary number protocol (which also covers
 * sequence concatenation and repetition, set operators and {@code @}) and rich comparison.
 * Results are new references; operands are borrowed. The caller holds the GIL.
 */
public final class Operators {

    /** Binary operators, in the order of the public {@code BinaryOp} enum. */
    public static final int ADD = 0, SUBTRACT = 1, MULTIPLY = 2, MATRIX_MULTIPLY = 3, TRUE_DIVIDE = 4,
            FLOOR_DIVIDE = 5, REMAINDER = 6, POWER = 7, LSHIFT = 8, RSHIFT = 9, AND = 10, OR = 11, XOR = 12;

    /** Unary operators, in the order of the public {@code UnaryOp} enum. */
    public static final int NEGATIVE = 0, POSITIVE = 1, ABSOLUTE = 2, INVERT = 3;

    private Operators() {}

    /** {@code a <op> b}: a new reference. */
    public static long newBinary(int op, long a, long b) {
        return checkNew(switch (op) {
            case ADD -> LibPython.PyNumber_Add(p(a), p(b));
            case SUBTRACT -> LibPython.PyNumber_Subtract(p(a), p(b));
            case MULTIPLY -> LibPython.PyNumber_Multiply(p(a), p(b));
            case MATRIX_MULTIPLY -> LibPython.PyNumber_MatrixMultiply(p(a), p(b));
            case TRUE_DIVIDE -> LibPython.PyNumber_TrueDivide(p(a), p(b));
            case FLOOR_DIVIDE -> LibPython.PyNumber_FloorDivide(p(a), p(b));
            case REMAINDER -> LibPython.PyNumber_Remainder(p(a), p(b));
            case POWER -> LibPython.PyNumber_Power(p(a), p(b), p(Interpreter.none()));
            case LSHIFT -> LibPython.PyNumber_Lshift(p(a), p(b));
            case RSHIFT -> LibPython.PyNumber_Rshift(p(a), p(b));
            case AND -> LibPython.PyNumber_And(p(a), p(b));
            case OR -> LibPython.PyNumber_Or(p(a), p(b));
            case XOR -> LibPython.PyNumber_Xor(p(a), p(b));
            default -> throw new IllegalArgumentException("binary operator " + op);
        });
    }

    /** {@code <op> a}: a new reference. */
    public static long newUnary(int op, long a) {
        return checkNew(switch (op) {
            case NEGATIVE -> LibPython.PyNumber_Negative(p(a));
            case POSITIVE -> LibPython.PyNumber_Positive(p(a));
            case ABSOLUTE -> LibPython.PyNumber_Absolute(p(a));
            case INVERT -> LibPython.PyNumber_Invert(p(a));
            default -> throw new IllegalArgumentException("unary operator " + op);
        });
    }
}
