package dev.pyjama.internal.abi;

import static dev.pyjama.internal.abi.CApi.checkNew;


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
            case ADD -> Symbol.PyNumber_Add.call(a, b);
            case SUBTRACT -> Symbol.PyNumber_Subtract.call(a, b);
            case MULTIPLY -> Symbol.PyNumber_Multiply.call(a, b);
            case MATRIX_MULTIPLY -> Symbol.PyNumber_MatrixMultiply.call(a, b);
            case TRUE_DIVIDE -> Symbol.PyNumber_TrueDivide.call(a, b);
            case FLOOR_DIVIDE -> Symbol.PyNumber_FloorDivide.call(a, b);
            case REMAINDER -> Symbol.PyNumber_Remainder.call(a, b);
            case POWER -> Symbol.PyNumber_Power.call(a, b, Abi.none());
            case LSHIFT -> Symbol.PyNumber_Lshift.call(a, b);
            case RSHIFT -> Symbol.PyNumber_Rshift.call(a, b);
            case AND -> Symbol.PyNumber_And.call(a, b);
            case OR -> Symbol.PyNumber_Or.call(a, b);
            case XOR -> Symbol.PyNumber_Xor.call(a, b);
            default -> throw new IllegalArgumentException("binary operator " + op);
        });
    }

    /** {@code <op> a}: a new reference. */
    public static long newUnary(int op, long a) {
        return checkNew(switch (op) {
            case NEGATIVE -> Symbol.PyNumber_Negative.call(a);
            case POSITIVE -> Symbol.PyNumber_Positive.call(a);
            case ABSOLUTE -> Symbol.PyNumber_Absolute.call(a);
            case INVERT -> Symbol.PyNumber_Invert.call(a);
            default -> throw new IllegalArgumentException("unary operator " + op);
        });
    }
}
