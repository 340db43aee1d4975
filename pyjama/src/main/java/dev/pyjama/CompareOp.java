package dev.pyjama;

/** Python's rich comparison operators, in CPython's order ({@code Py_LT} = 0 ... {@code Py_GE} = 5). */
public enum CompareOp {
    /** {@code <} */
    LT,
    /** {@code <=} */
    LE,
    /** {@code ==} */
    EQ,
    /** {@code !=} */
    NE,
    /** {@code >} */
    GT,
    /** {@code >=} */
    GE
}
