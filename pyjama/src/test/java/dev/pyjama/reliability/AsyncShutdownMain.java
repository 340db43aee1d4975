package dev.pyjama.reliability;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that returns from main with asyncio tasks still pending on pyjama's loop (for
 * {@link AsyncShutdownTest}): a thousand sleeping for an hour, one awaiting a Java future that never
 * completes, and, in mode {@code stubborn}, one that swallows its cancellation and sleeps on.
 * Argument 2 is a file that Python's atexit (run by the finalisation) writes the number of tasks
 * that saw their cancellation to; a shutdown hook prints whether the Java futures were cancelled by
 * the loop's shutdown.
 */
public final class AsyncShutdownMain {

    private AsyncShutdownMain() {}

    public static void main(String[] args) {
        String mode = args[0];
        String file = args[1];
        CompletableFuture<Long> never = new CompletableFuture<>();
        List<CompletableFuture<Object>> futures = Python.attach(py -> {
            py.run(String.join("\n",
                    "import asyncio, atexit",
                    "FILE = " + py.toPython(file).repr(),
                    "cancelled = []",
                    "def report():",
                    "    with open(FILE, 'w') as f:",
                    "        f.write('%d\\n' % len(cancelled))",
                    "atexit.register(report)  # runs when Python is finalised, after the loop has closed",
                    "async def pending(i):",
                    "    try:",
                    "        await asyncio.sleep(3600)",
                    "    except asyncio.CancelledError:",
                    "        cancelled.append(i)",
                    "        raise",
                    "async def awaits_java(jf):",
                    "    return await jf",
                    "async def stubborn():",
                    "    while True:",
                    "        try:",
                    "            await asyncio.sleep(3600)",
                    "        except asyncio.CancelledError:",
                    "            pass",
                    ""));
            List<CompletableFuture<Object>> fs = new ArrayList<>();
            PyObject pending = py.eval("pending");
            for (int i = 0; i < 1000; i++) {
                fs.add(pending.call(i).toFuture(Object.class));
            }
            fs.add(py.eval("awaits_java").call(never).toFuture(Object.class));
            if (mode.equals("stubborn")) {
                fs.add(py.eval("stubborn()").toFuture(Object.class));
            }
            return fs;
        });
        // Every task has started once the loop has run one of them to its first await.
        Python.attach(py -> py.eval("asyncio.sleep(0.2)").toFuture(Object.class)).join();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // cancelled futures end allOf exceptionally; counted below
            }
            long cancelled = futures.subList(0, 1001).stream().filter(CompletableFuture::isCancelled).count();
            System.out.println("java-futures-cancelled=" + cancelled);
            System.out.println("java-side-cancelled=" + never.isCancelled());
            System.out.println("all-cancelled=" + futures.stream().allMatch(CompletableFuture::isCancelled));
        }));
        System.out.println("started=" + futures.size());
    }
}
