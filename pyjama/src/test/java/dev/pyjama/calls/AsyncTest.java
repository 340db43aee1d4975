package dev.pyjama.calls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyTypeError;
import dev.pyjama.exceptions.PyValueError;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * asyncio both ways: Python awaitables as Java futures ({@code toFuture}), Java futures awaited
 * in Python, async generators as blocking iterators. Every wait is bounded by the futures' own
 * completion, never by a sleep; the shutdown case runs in a forked JVM (AsyncShutdownTest).
 */
class AsyncTest {

    private static final String CODE = String.join("\n",
            "import asyncio, threading",
            "async def answer(x):",
            "    await asyncio.sleep(0.001)",
            "    return x * 2",
            "async def nap(i):",
            "    await asyncio.sleep(0.01)",
            "    return i",
            "async def fails(msg):",
            "    await asyncio.sleep(0)",
            "    raise ValueError(msg)",
            "cancel_seen = threading.Event()",
            "forever_started = threading.Event()",
            "async def forever():",
            "    forever_started.set()",
            "    try:",
            "        await asyncio.sleep(3600)",
            "    except asyncio.CancelledError:",
            "        cancel_seen.set()",
            "        raise",
            "async def cancels_itself():",
            "    asyncio.current_task().cancel()",
            "    await asyncio.sleep(1)",
            "async def plus_one(jf):",
            "    return await jf + 1",
            "async def describe_failure(jf):",
            "    try:",
            "        await jf",
            "    except Exception as e:",
            "        return '%s %s %s' % (type(e).__name__, getattr(e, 'java_class', None), e)",
            "async def gives_up(jf):",
            "    try:",
            "        await asyncio.wait_for(jf, 0.01)",
            "    except asyncio.TimeoutError:",
            "        return 'timeout'",
            "async def ticker(n):",
            "    for i in range(n):",
            "        await asyncio.sleep(0)",
            "        yield i",
            "async def breaks_at(n):",
            "    for i in range(n):",
            "        yield i",
            "    raise ValueError('broken at %d' % n)",
            "async def upper(reader, writer):",
            "    line = await reader.readline()",
            "    writer.write(line.upper())",
            "    await writer.drain()",
            "    writer.close()",
            "servers = []",
            "async def serve():",
            "    server = await asyncio.start_server(upper, '127.0.0.1', 0)",
            "    servers.append(server)",
            "    return server.sockets[0].getsockname()[1]",
            "async def stop_serving():",
            "    for s in servers:",
            "        s.close()",
            "        await s.wait_closed()",
            "    return len(servers)",
            "async def outer(start_in_java):",
            "    # Python -> Java -> toFuture: the task runs on this coroutine's own loop",
            "    return await start_in_java(answer(20))",
            "");

    @BeforeAll
    static void define() {
        Python.attach(py -> {
            py.run("import sys, types\nm = types.ModuleType('asynctest')\nsys.modules['asynctest'] = m");
            py.run(CODE, py.importModule("asynctest").getAttr("__dict__"), null);
            return null;
        });
    }

    private static PyObject fn(Python py, String name) {
        return py.importModule("asynctest").getAttr(name);
    }

    private static <T> CompletableFuture<T> start(String function, Class<T> type, Object... args) {
        return Python.attach(py -> fn(py, function).call(args).toFuture(type));
    }

    @Test
    void aCoroutineBecomesAFutureOfItsConvertedResult() throws Exception {
        assertEquals(42L, start("answer", Long.class, 21).get(10, TimeUnit.SECONDS));
        assertEquals("abab", start("answer", String.class, "ab").join());
        assertEquals(List.of(1L, 1L), start("answer", List.class, List.of(1)).join());
    }

    @Test
    void tenThousandSleepingCoroutinesStartedFromJavaAndGathered() {
        int n = 10_000;
        List<CompletableFuture<Long>> futures = Python.attach(py -> {
            PyObject nap = fn(py, "nap");
            List<CompletableFuture<Long>> fs = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                fs.add(nap.call(i).toFuture(Long.class));
            }
            return fs;
        });
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        long sum = 0;
        for (CompletableFuture<Long> f : futures) {
            sum += f.join();
        }
        assertEquals((long) n * (n - 1) / 2, sum);
    }

    @Test
    void aPythonExceptionFailsTheFutureWithPyjamasClass() {
        CompletableFuture<Long> f = start("fails", Long.class, "bad input");
        CompletionException e = assertThrows(CompletionException.class, f::join);
        PyValueError v = assertInstanceOf(PyValueError.class, e.getCause());
        assertTrue(v.getMessage().contains("bad input"), v.getMessage());
        ExecutionException ee = assertThrows(ExecutionException.class, f::get);
        assertInstanceOf(PyValueError.class, ee.getCause());
    }

    @Test
    void aResultThatDoesNotConvertFailsTheFuture() {
        CompletableFuture<Long> f = start("answer", Long.class, "not a number");
        assertInstanceOf(PyTypeError.class, assertThrows(CompletionException.class, f::join).getCause());
    }

    @Test
    void somethingNotAwaitableIsRefusedAtOnce() {
        assertThrows(PyTypeError.class, () -> Python.attach(py -> py.eval("42").toFuture(Long.class)));
        Python.attach(py -> {
            PyObject coro = fn(py, "answer").call(1);
            try {
                assertThrows(IllegalArgumentException.class, () -> coro.toFuture(PyObject.class));
            } finally {
                coro.callMethod("close");
            }
            return null;
        });
    }

    @Test
    void cancellingTheJavaFutureCancelsTheTask() {
        CompletableFuture<Object> f = start("forever", Object.class);
        // Once it runs: a task cancelled before its first step never enters its body at all.
        boolean started = Python.attach(py -> fn(py, "forever_started").callMethod("wait", 10.0).isTruthy());
        assertTrue(started);
        assertFalse(f.isDone());
        assertTrue(f.cancel(true));
        assertThrows(CancellationException.class, f::join);
        boolean seen = Python.attach(py -> fn(py, "cancel_seen").callMethod("wait", 10.0).isTruthy());
        assertTrue(seen, "the task was not cancelled");
    }

    @Test
    void cancellingBeforeTheTaskStartsNeverRunsIt() {
        for (int i = 0; i < 20; i++) { // cancelled before or just after the loop picked it up: either way cancelled
            CompletableFuture<Object> f = start("forever", Object.class);
            f.cancel(false);
            assertTrue(f.isCancelled());
        }
        Object alive = start("answer", Long.class, 2).join(); // the loop is still serving
        assertEquals(4L, alive);
    }

    @Test
    void aTaskCancelledInPythonCancelsTheJavaFuture() {
        CompletableFuture<Object> f = start("cancels_itself", Object.class);
        assertThrows(CancellationException.class, f::join);
        assertTrue(f.isCancelled());
    }

    @Test
    void aJavaFutureIsAwaitableInPython() {
        CompletableFuture<Long> javaSide = new CompletableFuture<>();
        CompletableFuture<Long> f = start("plus_one", Long.class, javaSide);
        assertFalse(f.isDone());
        Thread.ofVirtual().start(() -> javaSide.complete(41L));
        assertEquals(42L, f.join());
        // already complete when awaited
        assertEquals(8L, start("plus_one", Long.class, CompletableFuture.completedFuture(7L)).join());
    }

    @Test
    void aJavaExceptionReachesPythonAndComesBackAsItself() {
        IllegalStateException boom = new IllegalStateException("boom");
        CompletableFuture<Long> failed = CompletableFuture.failedFuture(boom);
        String seen = start("describe_failure", String.class, failed).join();
        assertTrue(seen.contains("JavaException") && seen.contains("java.lang.IllegalStateException") && seen.contains("boom"), seen);
        CompletableFuture<Long> uncaught = start("plus_one", Long.class, CompletableFuture.<Long>failedFuture(boom));
        assertSame(boom, assertThrows(CompletionException.class, uncaught::join).getCause());
    }

    @Test
    void cancellingInPythonCancelsTheJavaFuture() {
        CompletableFuture<Long> never = new CompletableFuture<>();
        assertEquals("timeout", start("gives_up", String.class, never).join());
        assertTrue(never.isCancelled());
    }

    @Test
    void cancellingTheJavaFutureWakesTheAwaitingCoroutine() {
        CompletableFuture<Long> javaSide = new CompletableFuture<>();
        CompletableFuture<Long> f = start("plus_one", Long.class, javaSide);
        javaSide.cancel(true);
        assertThrows(CancellationException.class, f::join); // the awaiting task was cancelled in turn
    }

    /** Timed waits, so that a wait holding the GIL (which the loop's thread needs) fails instead of hanging. */
    private static long waitInScope(Python py, int x) {
        try {
            return fn(py, "answer").call(x).toFuture(Long.class).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("the wait inside the attach scope did not end: " + e, e);
        }
    }

    @Test
    void waitingInsideAnAttachScopeReleasesTheGil() throws Exception {
        long inScope = Python.attach(py -> waitInScope(py, 5));
        assertEquals(10L, inScope);
        long joined = Python.attach(py -> fn(py, "answer").call(7).toFuture(Long.class).join());
        assertEquals(14L, joined);
        try (var virtual = Executors.newVirtualThreadPerTaskExecutor()) {
            long fromVirtual = virtual.submit(() -> Python.attach(py -> waitInScope(py, 6))).get(60, TimeUnit.SECONDS);
            assertEquals(12L, fromVirtual);
        }
    }

    @Test
    void javaCalledFromACoroutineStartsTasksOnThatLoop() {
        long r = Python.attach(py -> {
            PyObject startInJava = py.function("start_in_java", (PyObject coro) -> coro.toFuture(Long.class));
            // On pyjama's loop...
            CompletableFuture<Long> viaPyjamaLoop = fn(py, "outer").call(startInJava).toFuture(Long.class);
            // ...and on a loop Python runs on this very thread (asyncio.run)
            long viaOwnLoop = py.importModule("asyncio").getAttr("run").call(fn(py, "outer").call(startInJava)).toJava(Long.class);
            return viaPyjamaLoop.join() + viaOwnLoop;
        });
        assertEquals(80L, r);
    }

    @Test
    void waitingOnTheLoopsOwnThreadThrowsInsteadOfHanging() {
        CompletableFuture<Long> f = Python.attach(py -> {
            PyObject joinInJava = py.function("join_in_java", (PyObject coro) -> coro.toFuture(Long.class).join());
            return fn(py, "outer").call(joinInJava).toFuture(Long.class);
        });
        Throwable cause = assertThrows(CompletionException.class, f::join).getCause();
        assertInstanceOf(IllegalStateException.class, cause);
    }

    @Test
    void anAsyncGeneratorIsABlockingIterator() {
        Iterator<Long> it = Python.attach(py -> fn(py, "ticker").call(4).asyncIterator(Long.class));
        List<Long> items = new ArrayList<>();
        it.forEachRemaining(items::add);
        assertEquals(List.of(0L, 1L, 2L, 3L), items);
        assertFalse(it.hasNext());
        Iterator<Long> broken = Python.attach(py -> fn(py, "breaks_at").call(2).asyncIterator(Long.class));
        assertEquals(0L, broken.next());
        assertEquals(1L, broken.next());
        PyValueError e = assertThrows(PyValueError.class, broken::hasNext);
        assertTrue(e.getMessage().contains("broken at 2"), e.getMessage());
    }

    @Test
    void anAsyncioServerAnswersJavaVirtualThreadClients() throws Exception {
        int port = start("serve", Integer.class).join();
        int clients = 200;
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> replies = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                String line = "hello " + i + "\n";
                replies.add(pool.submit(() -> {
                    try (Socket s = new Socket("127.0.0.1", port)) {
                        OutputStream out = s.getOutputStream();
                        out.write(line.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
                    } catch (java.io.IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (int i = 0; i < clients; i++) {
                assertEquals("HELLO " + i, replies.get(i).get());
            }
        } finally {
            start("stop_serving", Long.class).join();
        }
    }
}
