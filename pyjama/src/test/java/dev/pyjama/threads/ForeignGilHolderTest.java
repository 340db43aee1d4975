package dev.pyjama.threads;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.pyjama.Python;
import dev.pyjama.ffi.LibPython;
import dev.pyjama.testing.ForkedJvm;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An attach on a thread where C code further up already holds the GIL (a native library that
 * embeds the same CPython and calls back into Java, simulated here by a raw
 * {@code PyGILState_Ensure} outside any scope) must use that GIL as it is: taking it again would
 * wait for itself forever. Each kind of thread asks differently (the starting thread and a thread
 * that attached before compare their kept thread state with the current one; a thread that never
 * attached compares the current one with the state {@code PyGILState} knows for it, on 3.10 and
 * 3.11 where "current" is process-wide), so each is tried. A forked JVM, as a failure is a hang
 * that holds the GIL. (With a subinterpreter present: {@code reliability.SubinterpreterAttachTest}.)
 */
class ForeignGilHolderTest {

    @Test
    @Timeout(120)
    void attachUnderAGilHeldByCFurtherUpTheThreadNeitherWaitsNorDropsIt() {
        ForkedJvm.Result r = ForkedJvm.of(Main.class).timeout(90).withPythonUnderTest().run();
        assertEquals(0, r.exitCode(), r::describe);
        // the attach ran Python, and the GIL was still held by the "C code" afterwards
        assertEquals("42 held", r.value("starter"), r::describe);
        assertEquals("42 held", r.value("keeper"), r::describe);
        assertEquals("42 held", r.value("newcomer"), r::describe);
        // after the C code released it, another thread (and the same ones) attach as usual
        assertEquals("7", r.value("afterwards"), r::describe);
    }

    /** The child: prints {@code kind=result} per kind of thread. */
    public static final class Main {
        public static void main(String[] args) throws Throwable {
            Python.attach(py -> null); // this thread starts the interpreter and keeps its state
            System.out.println("starter=" + attachUnderForeignHolder());
            onThread("keeper", () -> {
                Python.attach(py -> null); // attached before: keeps a thread state
                return attachUnderForeignHolder();
            });
            onThread("newcomer", Main::attachUnderForeignHolder); // never attached: its state is the C code's
            onThread("afterwards", () -> Python.attach(py -> py.eval("3 + 4").toJava(long.class)).toString());
            Python.attach(py -> py.eval("None"));
            System.out.flush();
        }

        /** What a C library does around its callback into Java: PyGILState_Ensure ... Release. */
        private static String attachUnderForeignHolder() throws Throwable {
            int state = LibPython.PyGILState_Ensure();
            try {
                long v = Python.attach(py -> py.eval("6 * 7").toJava(long.class));
                return v + (gilStateCheck() == 1 ? " held" : " dropped");
            } finally {
                LibPython.PyGILState_Release(state);
            }
        }

        /** PyGILState_Check, outside the limited API and so not in the bindings. */
        private static int gilStateCheck() throws Throwable {
            MethodHandle check = Linker.nativeLinker().downcallHandle(
                    SymbolLookup.loaderLookup().find("PyGILState_Check").orElseThrow(), FunctionDescriptor.of(JAVA_INT));
            return (int) check.invokeExact();
        }

        /** A body that may throw anything, as the downcalls do. */
        private interface Body {
            String run() throws Throwable;
        }

        private static void onThread(String kind, Body body) throws Throwable {
            String[] out = new String[1];
            Throwable[] failure = new Throwable[1];
            Thread t = new Thread(() -> {
                try {
                    out[0] = body.run();
                } catch (Throwable e) {
                    failure[0] = e;
                }
            }, kind);
            t.start();
            t.join();
            if (failure[0] != null) {
                throw failure[0];
            }
            System.out.println(kind + "=" + out[0]);
        }
    }
}
