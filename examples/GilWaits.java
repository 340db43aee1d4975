import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;

/**
 * Four Java threads calling CPU-bound Python at once: with the GIL only one runs Python at a time,
 * and the others wait in their attach. Run it under the JDK Flight Recorder to see those waits
 * (README, "Observing pyjama"):
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -XX:StartFlightRecording:filename=gil.jfr \
 *      -cp pyjama/target/pyjama.jar examples/GilWaits.java
 * jfr print --events dev.pyjama.Attach gil.jfr
 * </pre>
 */
public class GilWaits {
    public static void main(String[] args) throws InterruptedException {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        Python.attach(py -> py.eval("None")); // start CPython first, so only the calls below contend
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 4; i++) {
            Thread t = new Thread(() -> {
                for (int k = 0; k < calls; k++) {
                    Python.attach(py -> py.eval("sum(i * i for i in range(1_000_000))").toJava(long.class));
                }
            }, "worker-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("4 threads x %d CPU-bound calls in %d ms%n", calls, (System.nanoTime() - start) / 1_000_000);
    }
}
