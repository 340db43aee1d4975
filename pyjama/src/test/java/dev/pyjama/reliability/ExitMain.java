package dev.pyjama.reliability;

import dev.pyjama.Python;
import java.util.concurrent.CountDownLatch;

/**
 * A child JVM for {@link ExitTest}: uses an extension whose static C++ state holds Python (DuckDB,
 * or {@link #STAND_IN} where DuckDB is not installed), then ends in the way the mode names. Every
 * mode first makes Python print {@code pyout} without flushing it, and registers a Python atexit
 * function that prints {@code atexit-ran}.
 */
public final class ExitMain {

    private ExitMain() {}

    /**
     * What DuckDB does, without DuckDB, for the interpreters it has no wheel for. DuckDB (pybind11)
     * keeps its default connection in a C++ static; the static's destructor, run by libc's
     * {@code exit()}, releases the GIL ({@code PyEval_SaveThread}, pybind11's
     * {@code gil_scoped_release}) and takes it back. It is guarded as DuckDB guards it: the module
     * holds a capsule ({@code _clean_default_connection}) whose destructor empties the static when
     * Python tears the module down in {@code Py_FinalizeEx}, so after a finalisation the exit-time
     * destructor finds nothing to do; without one it calls {@code PyEval_SaveThread} on a thread
     * with no thread state, and CPython aborts the process ("Fatal Python error", status 134).
     *
     * <p>C++ cannot be compiled here at test time, so the two functions are a few bytes of x86-64
     * machine code in memory mapped executable (and never unmapped: the exit handler runs after
     * Python is gone); the handler is registered with {@code __cxa_atexit}, as a C++ static's
     * destructor is. Prints {@code standin=installed}, or {@code standin=unsupported} on another
     * machine architecture.
     */
    static final String STAND_IN = """
            import ctypes, platform, struct, sys, types
            def _install():
                if platform.machine() not in ('x86_64', 'AMD64'):
                    print('standin=unsupported', flush=True)
                    return
                libc = ctypes.CDLL(None)
                libc.mmap.restype = ctypes.c_void_p
                libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
                base = libc.mmap(None, 4096, 7, 0x22, -1, 0)  # PROT_READ|WRITE|EXEC, MAP_PRIVATE|ANONYMOUS
                if base in (None, ctypes.c_void_p(-1).value):
                    raise OSError('mmap failed')
                flag = base + 2048                    # the C++ static: nonzero while it holds the connection
                api = ctypes.pythonapi
                save = ctypes.cast(api.PyEval_SaveThread, ctypes.c_void_p).value
                restore = ctypes.cast(api.PyEval_RestoreThread, ctypes.c_void_p).value
                q = lambda v: struct.pack('<Q', v)
                # the static's destructor: if (static) { ts = PyEval_SaveThread(); PyEval_RestoreThread(ts); }
                dtor = (b'\\x53' + b'\\x48\\xb8' + q(flag) + b'\\x80\\x38\\x00' + b'\\x74\\x1b'
                        + b'\\x48\\xb8' + q(save) + b'\\xff\\xd0' + b'\\x48\\x89\\xc7'
                        + b'\\x48\\xb8' + q(restore) + b'\\xff\\xd0' + b'\\x5b\\xc3')
                # the capsule's destructor, run by module teardown: static = 0
                clean = b'\\x48\\xb8' + q(flag) + b'\\xc6\\x00\\x00' + b'\\xc3'
                ctypes.memmove(base, dtor, len(dtor))
                ctypes.memmove(base + 1024, clean, len(clean))
                ctypes.c_uint8.from_address(flag).value = 1
                libc.__cxa_atexit.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
                if libc.__cxa_atexit(base, None, None) != 0:
                    raise OSError('__cxa_atexit failed')
                api.PyCapsule_New.restype = ctypes.py_object
                api.PyCapsule_New.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
                module = types.ModuleType('_pyjama_static_standin')
                module._clean_default_connection = api.PyCapsule_New(flag, None, base + 1024)
                sys.modules[module.__name__] = module
                print('standin=installed', flush=True)
            _install()
            """;

    public static void main(String[] args) throws Exception {
        String extension = args[0]; // duckdb | standin | none
        String mode = args[1];
        Python.attach(py -> {
            switch (extension) {
                case "duckdb" -> py.run("""
                        import duckdb
                        print('duckdb=' + str(duckdb.sql('select 6 * 7').fetchall()[0][0]), flush=True)
                        """);
                case "standin" -> py.run(STAND_IN);
                case "none" -> { }
                default -> throw new IllegalArgumentException(extension);
            }
            py.run("import atexit\natexit.register(print, 'atexit-ran', flush=True)\nprint('pyout', end='')");
            return null;
        });
        switch (mode) {
            case "return" -> { }
            case "exit-from-other-thread" -> {
                Thread t = new Thread(() -> System.exit(0), "exiter");
                t.start();
                t.join(); // never returns: the exit ends the JVM
            }
            case "daemon-sleeping-in-python" -> sleeperInPython(true);
            case "non-daemon-sleeping-in-python-then-exit" -> {
                sleeperInPython(false);
                System.exit(0);
            }
            case "detached-then-exit" -> {
                // inside a scope, in py.detach: the thread will take the GIL back, so it is inside Python
                CountDownLatch in = new CountDownLatch(1);
                Thread t = new Thread(() -> Python.attach(py -> py.detach(() -> {
                    in.countDown();
                    try {
                        Thread.sleep(100_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                })), "detached");
                t.setDaemon(true);
                t.start();
                in.await();
                System.exit(0);
            }
            case "hook-attaches-after-finalization" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Thread.sleep(2500); // parked (not running): the exit hook finalises meanwhile
                        Python.attach(py -> py.eval("1"));
                        System.out.println("late-attach=worked");
                    } catch (Throwable e) {
                        System.out.println("late-attach=" + e.getClass().getName() + ": " + e.getMessage());
                    }
                    System.out.flush();
                }, "late-hook"));
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    /** A thread blocked inside a Python call (time.sleep releases the GIL). */
    private static void sleeperInPython(boolean daemon) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        Thread t = new Thread(() -> Python.attach(py -> {
            started.countDown();
            return py.eval("__import__('time').sleep(100)");
        }), daemon ? "daemon-sleeper" : "sleeper");
        t.setDaemon(daemon);
        t.start();
        started.await();
        Thread.sleep(200);
    }
}
