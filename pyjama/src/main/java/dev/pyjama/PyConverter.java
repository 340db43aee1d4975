package dev.pyjama;

/**
 * Converts one Java type to Python and back; register it with {@link PyConverters#register} or as
 * a {@link java.util.ServiceLoader} service ({@code provides dev.pyjama.PyConverter with ...}).
 * pyjama's own conversions of {@code java.time}, {@link java.util.UUID}, {@link java.nio.file.Path}
 * and similar types are converters too.
 *
 * <p>A converter is asked in both directions: {@link #toPython} for values whose class is
 * {@link #javaType()} or a subclass of it, and {@link #toJava} when a conversion targets
 * {@link #javaType()} exactly. Converters registered later take precedence over earlier ones and
 * over the built-in ones for the same type.
 *
 * @param <T> the Java type converted
 */
public interface PyConverter<T> {

    /**
     * The Java type this converter handles.
     *
     * @return the class
     */
    Class<T> javaType();

    /**
     * Makes the Python object for {@code value}.
     *
     * @param py the attach token of the calling thread
     * @param value the value, never null
     * @return the Python object, a handle bound to {@code py}
     */
    PyObject toPython(Python py, T value);

    /**
     * Makes the Java value for a Python object.
     *
     * @param obj the Python object, bound to the calling thread's scope
     * @return the Java value
     * @throws dev.pyjama.exceptions.PyTypeError if {@code obj} is not of a kind this converter accepts
     */
    T toJava(PyObject obj);
}
