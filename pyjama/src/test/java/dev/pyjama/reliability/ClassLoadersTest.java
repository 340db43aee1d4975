package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Two copies of pyjama in one JVM, each loaded by a class loader of its own (as engines and
 * application servers load user code), share the one CPython: the first starts it, the second
 * joins it, both attach from several threads at once, a thread attached through one copy can
 * attach through the other inside that scope, the first loader can be closed (its classes'
 * files deleted) while the second goes on, and the JVM exits cleanly, with no class missing in
 * an exit hook. In a forked JVM: what is tested is the process.
 */
class ClassLoadersTest {

    @Test
    void twoClassLoadersShareOneInterpreter() {
        ForkedJvm.Result r = ForkedJvm.of(Main.class).withPythonUnderTest().timeout(120).run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("true", r.value("distinctClasses"), r.describe());
        assertEquals("0", r.value("mismatches"), r.describe());
        assertEquals("true", r.value("sameSupportModule"), r.describe());
        assertEquals("8", r.value("crossNested"), r.describe());
        assertEquals("ok", r.value("afterClose"), r.describe());
        assertEquals("2", r.value("copies"), r.describe());
        assertEquals("done", r.value("end"), r.describe());
        assertFalse(r.stderr().contains("NoClassDefFoundError") || r.stderr().contains("Exception in thread"),
                "an exit hook failed\n" + r.describe());
    }

    /**
     * One copy in a class loader that is closed (its class files deleted) before the JVM exits:
     * its exit hook flushes and finalises Python with the classes it loaded at start.
     */
    @Test
    void aClosedLoadersExitHookStillFinalises() {
        ForkedJvm.Result r = ForkedJvm.of(Main.class).withPythonUnderTest().timeout(60)
                .sysProp("pyjama.debug.exit", "true").args("alone").run();
        assertEquals(0, r.exitCode(), r.describe());
        assertEquals("done", r.value("end"), r.describe());
        assertEquals("1", r.value("copies"), r.describe());
        assertFalse(r.stderr().contains("NoClassDefFoundError") || r.stderr().contains("Exception in thread"),
                "the exit hook failed\n" + r.describe());
        // what the atexit handler printed while Python was finalised, after the loader was gone
        assertEquals("finalised", r.value("atexit"), r.describe());
    }

    /** The child: loads pyjama twice from copies of its classes, prints {@code key=value} lines. */
    public static final class Main {

        public static void main(String[] args) throws Exception {
            Path classes = Path.of(Python.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (args.length > 0 && args[0].equals("alone")) {
                alone(classes);
                return;
            }
            Path copyA = copy(classes);
            Path copyB = copy(classes);
            // The platform loader as parent: neither copy can see the application's own pyjama classes.
            URLClassLoader a = new URLClassLoader("copy-a", new URL[] {copyA.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            URLClassLoader b = new URLClassLoader("copy-b", new URL[] {copyB.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            final Copy pa = new Copy(a);
            final Copy pb = new Copy(b);
            System.out.println("distinctClasses=" + (pa.python != pb.python && pa.python != Python.class));

            // a starts Python, b joins it; a global set through one is seen through the other
            pa.run("import sys; sys.pyjama_shared = 41");
            long supportModule = pa.evalLong("id(__import__('sys').modules['pyjama'])");
            long seen = pb.evalLong("__import__('sys').pyjama_shared + 1");
            long mismatches = seen == 42 ? 0 : 1;
            // b adopted a's module pyjama (one JavaException class for both) rather than replacing it
            System.out.println("sameSupportModule=" + (pb.evalLong("id(__import__('sys').modules['pyjama'])") == supportModule));

            // several threads through each copy at once
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<Long>> results = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                Copy c = n % 2 == 0 ? pa : pb;
                results.add(pool.submit(() -> c.evalLong("sum(range(" + n + "))")));
            }
            for (int i = 0; i < 400; i++) {
                if (results.get(i).get() != (long) i * (i - 1) / 2) {
                    mismatches++;
                }
            }
            // a thread attached through a attaches through b inside that scope (b borrows the GIL)
            List<Future<Long>> nested = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                nested.add(pool.submit(() -> pa.attach(p -> pb.evalLong("7 * 6"))));
            }
            long crossNested = 0;
            for (Future<Long> f : nested) {
                if (f.get() == 42L) {
                    crossNested++;
                }
            }
            pool.shutdown();
            System.out.println("mismatches=" + mismatches);
            System.out.println("crossNested=" + crossNested);

            // the first copy's loader goes away (an application undeployed); the second goes on
            a.close();
            delete(copyA);
            String after = pb.evalLong("len(__import__('sys').modules) > 0 and 5") == 5 ? "ok" : "wrong";
            Thread t = new Thread(() -> pb.evalLong("1"));
            t.start();
            t.join();
            System.out.println("afterClose=" + after);
            System.out.println("copies=" + System.getProperty("dev.pyjama.runtime.copies"));
            System.out.println("end=done");
            System.out.flush();
            System.exit(0);
        }

        static void alone(Path classes) throws Exception {
            Path dir = copy(classes);
            URLClassLoader loader = new URLClassLoader("alone", new URL[] {dir.toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Copy c = new Copy(loader);
            c.run("import atexit, sys\ndef _bye():\n    sys.stdout.write('atexit=finalised\\n')\n    sys.stdout.flush()\n"
                    + "atexit.register(_bye)");
            System.out.println("copies=" + System.getProperty("dev.pyjama.runtime.copies"));
            loader.close();
            delete(dir);
            System.out.println("end=done");
            System.out.flush();
            System.exit(0);
        }

        /** One copy of pyjama, used by reflection: its classes are not this class's. */
        static final class Copy {
            final Class<?> python;
            final Method attach;
            final Method eval;
            final Method run;
            final Method toJava;

            Copy(ClassLoader loader) throws ReflectiveOperationException {
                python = loader.loadClass("dev.pyjama.Python");
                attach = python.getMethod("attach", Function.class);
                eval = python.getMethod("eval", String.class);
                run = python.getMethod("run", String.class);
                toJava = loader.loadClass("dev.pyjama.PyObject").getMethod("toJava", Class.class);
            }

            <T> T attach(Function<Object, T> body) {
                try {
                    @SuppressWarnings("unchecked")
                    T result = (T) attach.invoke(null, body);
                    return result;
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            }

            long evalLong(String expression) {
                return attach(p -> {
                    try {
                        return (Long) toJava.invoke(eval.invoke(p, expression), long.class);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }

            void run(String code) {
                attach(p -> {
                    try {
                        return run.invoke(p, code);
                    } catch (ReflectiveOperationException e) {
                        throw new IllegalStateException(e);
                    }
                });
            }
        }

        static Path copy(Path classes) throws IOException {
            Path to = Files.createTempDirectory("pyjama-copy");
            try (Stream<Path> all = Files.walk(classes)) {
                for (Path p : (Iterable<Path>) all::iterator) {
                    Path target = to.resolve(classes.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(p, target);
                    }
                }
            }
            return to;
        }

        static void delete(Path dir) throws IOException {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
                    Files.delete(p);
                }
            }
        }
    }
}
