package dev.pyjama;

/**
 * The body of a Java function that Python can call, in its most general form: all positional
 * arguments as a tuple and all keyword arguments as a dict, like a Python
 * {@code def f(*args, **kwargs)}. Made into a Python callable by
 * {@link Python#function(String, JavaCallable)}.
 *
 * <p>The handles it receives (and the {@code py} token) are valid only during the call. What it
 * returns is converted with {@link Python#toPython(Object)}. What it throws is raised in Python: a
 * {@link dev.pyjama.exceptions.PyBaseException} subclass as the matching Python exception
 * ({@code throw new PyValueError("...")} raises {@code ValueError}), any other exception as
 * {@code pyjama.JavaException}, which turns back into the original Java exception if it propagates
 * out of Python to Java again.
 */
@FunctionalInterface
public interface JavaCallable {

    /**
     * Runs the function.
     *
     * @param py the attach token for the duration of the call
     * @param args the positional arguments
     * @param kwargs the keyword arguments (empty when there are none)
     * @return the result, converted to Python; null is None
     * @throws Exception anything, raised in Python as described above
     */
    Object call(Python py, PyTuple args, PyDict kwargs) throws Exception;
}
