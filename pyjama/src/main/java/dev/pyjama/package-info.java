/**
 * CPython embedded in the JVM: attach a thread, evaluate and call Python, convert values both ways.
 *
 * <p>{@link dev.pyjama.Python} is the attach token and scope; {@link dev.pyjama.PyObject} and its
 * typed subclasses ({@link dev.pyjama.PyList}, {@link dev.pyjama.PyDict}, ...) are handles bound to
 * a scope; {@link dev.pyjama.Py} is a reference that outlives scopes and crosses threads.
 *
 * {@snippet :
 * try (Python py = Python.attach()) {
 *     PyModule math = py.importModule("math");
 *     double root = math.callMethod("sqrt", 2.0).toJava(double.class);
 *
 *     py.run("def greet(name, greeting='Hello'): return f'{greeting}, {name}!'");
 *     String hi = py.eval("greet").call(Kwargs.args("Ada"), Kwargs.kw("greeting", "Hi"))
 *             .toJava(String.class);                                   // "Hi, Ada!"
 *
 *     PyCallable twice = py.function("twice", (PyObject x) -> 2 * x.toJava(long.class));
 *     long sum = py.eval("lambda f: sum(map(f, range(4)))").call(twice).toJava(long.class); // 12
 * }
 * }
 *
 * <p>asyncio both ways: {@link dev.pyjama.PyObject#toFuture} runs a coroutine on pyjama's event
 * loop and gives a {@link java.util.concurrent.CompletableFuture} of its result, waited for without
 * the GIL; a Java {@link java.util.concurrent.CompletionStage} handed to Python is awaitable there;
 * {@link dev.pyjama.PyObject#asyncIterator} reads an async generator as a blocking iterator.
 *
 * {@snippet :
 * CompletableFuture<Long> f = Python.attach(py -> py.eval("__import__('asyncio').sleep(0.1, 42)").toFuture(Long.class));
 * long v = f.join(); // 42
 * }
 *
 * <p>Python exceptions arrive as the classes of {@link dev.pyjama.exceptions}; misuse (a closed
 * scope, the wrong thread) as {@link IllegalStateException} and {@link WrongThreadException}.
 */
package dev.pyjama;
