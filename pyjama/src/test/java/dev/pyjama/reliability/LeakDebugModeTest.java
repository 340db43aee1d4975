package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Py;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.testing.ForkedJvm;
import org.junit.jupiter.api.Test;

/** -Dpyjama.debug.leaks=true reports where unclosed Py references were created (issue 7's debug mode). */
class LeakDebugModeTest {

    /** Child: leaks one Py to the garbage collector, keeps one open until exit, closes a third. */
    public static final class Main {
        public static void main(String[] args) throws Exception {
            Python.attach(py -> {
                createAndDrop(py);
                py.eval("'closed properly'").unbind().close();
                return null;
            });
            for (int i = 0; i < 50 && dev.pyjama.internal.runtime.ReleaseQueue.pendingCount() == 0; i++) {
                System.gc();
                Thread.sleep(50);
            }
            Python.attach(py -> null); // drains the queue: the collected one is reported here
            KEPT = Python.attach(py -> py.eval("'kept open'").unbind());
            System.out.println("live=" + dev.pyjama.internal.runtime.LeakTracker.live().size());
        }

        static Py<PyObject> KEPT;

        private static void createAndDrop(Python py) {
            py.eval("['dropped without close']").unbind();
        }
    }

    @Test
    void unclosedReferencesAreReportedWithTheirCreationSite() {
        String python = System.getProperty("pyjama.python", "");
        ForkedJvm.Result r = ForkedJvm.of(Main.class)
                .sysProp("pyjama.debug.leaks", "true")
                .sysProp("pyjama.python", python)
                .timeout(60)
                .run();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("live=1"), r.describe());
        String err = r.stderr();
        assertTrue(err.contains("a Py was never closed; the garbage collector released it"), r.describe());
        assertTrue(err.contains("createAndDrop"), "the report names where the Py was created: " + r.describe());
        assertTrue(err.contains("a Py is still open at JVM exit"), r.describe());
    }

    @Test
    void offByDefault() {
        ForkedJvm.Result r = ForkedJvm.of(Main.class)
                .sysProp("pyjama.python", System.getProperty("pyjama.python", ""))
                .timeout(60)
                .run();
        assertEquals(0, r.exitCode(), r.describe());
        assertTrue(r.stdout().contains("live=0"), r.describe());
        assertFalse(r.stderr().contains("never closed"), r.describe());
    }
}
