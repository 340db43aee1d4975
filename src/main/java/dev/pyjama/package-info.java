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
 * <p>Python exceptions arrive as the classes of {@link dev.pyjama.exceptions}; misuse (a closed
 * scope, the wrong thread) as {@link IllegalStateException} and {@link WrongThreadException}.
 */
package dev.pyjama;
