package dev.pyjama.bench;

import dev.pyjama.Python;

/**
 * JVM start to first Python result through pyjama: {@code Python.attach(py -> py.eval("1+1"))},
 * printed. The interpreter is chosen as usual ({@code -Dpyjama.python}: an executable, which pyjama
 * asks for its libpython, or a libpython file, which needs no such question).
 */
public final class StartPyjama {
    private StartPyjama() {}

    public static void main(String[] args) {
        long v = Python.attach(py -> py.eval("1+1").toJava(long.class));
        System.out.println(v);
    }
}
