package dev.pyjama.arrow;

import static dev.pyjama.arrow.CData.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.pyjama.Py;
import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The C functions this module puts in what it exports, made so that none of them ever enters the
 * JVM on a thread the JVM does not know.
 *
 * <p>Why: consumers call an exported struct's callbacks from threads of their own (duckdb's and
 * libarrow's thread pools call {@code get_schema}, {@code get_next} and {@code release}). An FFM
 * upcall on such a thread makes the JVM attach it, and the JVM detaches it only from a TLS
 * destructor when the thread ends. libarrow ends its pool's threads in a static destructor, which
 * libc runs in {@code exit()} on the VM thread while the VM exits; the ending thread's detach then
 * waits for the VM exit to finish ({@code VM_Exit::wait_if_vm_exited}), which waits for the join:
 * the process never ends.
 *
 * <p>So each callback is a ctypes function made in Python (ctypes takes the GIL with
 * {@code PyGILState_Ensure}, no JVM involved). It asks the JVM, with JNI's {@code GetEnv}, which
 * attaches nothing, whether the calling thread is attached already. If it is, the Java callback
 * ({@link Callbacks}' upcall stubs) runs there and then, with the GIL held, as before. If not:
 * <ul>
 *   <li>a {@code release} marks the struct released ({@code release = NULL}, as the C Data
 *       Interface asks), and queues its private id, and returns; the Java side (retained Arrow
 *       Java buffers, this module's C memory, a stream's source) is released later on a Java thread
 *       (a daemon thread of this module, or the next call into the module, whichever comes first);
 *       each id is queued once and removed from its table once, so it is released exactly once;</li>
 *   <li>{@code get_schema}, {@code get_next} and {@code get_last_error} queue a request and wait
 *       (the GIL released) until a Java thread has run the Java callback for them; so does
 *       {@code JavaArrowStream.__arrow_c_stream__} (a Python thread of a consumer may call it), whose
 *       capsule is made in Python with a ctypes destructor for the same reason.</li>
 * </ul>
 * The queue is a pipe: Python writes 8-byte tokens (atomic below {@code PIPE_BUF}) and Java reads
 * them without Python. The daemon thread polls it with sleeps rather than blocking in
 * {@code read()}: a Java thread that has attached once and sits in native code counts as inside
 * Python for pyjama's exit, which would then leave Python unfinalised.
 *
 * <p>The price: a consumer's own thread now takes the GIL for a callback (the upcalls did not).
 * A consumer that calls one while another thread holds the GIL and waits for it would deadlock, as
 * it would with any producer written in Python; and one that calls after Python's finalisation
 * began meets CPython's rule for such threads ({@code PyGILState_Ensure} ends the thread on 3.10 to
 * early 3.13, blocks it on later versions). Neither was seen with pyarrow, polars, pandas or duckdb.
 */
final class ForeignCalls {

    private ForeignCalls() {}

    // Token kinds (the low two bits; the id is the rest).
    private static final long REQUEST = 0, SCHEMA = 1, ARRAY = 2, STREAM = 3;

    private static final String SUPPORT = """
            import ctypes, os, threading

            _r, _w = os.pipe()
            os.set_blocking(_r, False)
            _vp = ctypes.c_void_p
            _GetEnv = ctypes.CFUNCTYPE(ctypes.c_int, _vp, _vp, ctypes.c_int)(%d)
            _VM = %d
            _requests = {}
            _lock = threading.Lock()
            _ids = [0]

            def _known(_GetEnv=_GetEnv, _VM=_VM, _vp=_vp, _ref=ctypes.byref):
                # JNI GetEnv attaches nothing: JNI_OK (0) only on a thread the JVM knows already.
                env = _vp()
                return _GetEnv(_VM, _ref(env), 0x00010008) == 0

            def _post(token, _w=_w, _write=os.write):
                _write(_w, token.to_bytes(8, 'little'))

            def _wait_for_java(fn, args, _lock=_lock, _requests=_requests, _ids=_ids, _post=_post,
                               _Event=threading.Event):
                box = [_Event(), None, None]  # done, result, exception
                with _lock:
                    _ids[0] += 1
                    rid = _ids[0]
                    _requests[rid] = (fn, args, box)
                _post(rid << 2)
                box[0].wait()
                if box[2] is not None:
                    raise box[2]
                return box[1]

            def _serve(rid, _lock=_lock, _requests=_requests):
                with _lock:
                    fn, args, box = _requests.pop(rid)
                try:
                    box[1] = fn(*args)
                except BaseException as e:
                    box[2] = e
                finally:
                    box[0].set()

            def in_java(fn, *args, _known=_known, _wait=_wait_for_java):
                # fn(*args) for fn that runs Java: here on a thread the JVM knows, else on a Java thread.
                return fn(*args) if _known() else _wait(fn, args)

            def _releaser(java, release_at, private_at, kind, _known=_known, _post=_post,
                          _word=ctypes.c_uint64.from_address):
                def release(p):
                    if _known():
                        java(p)
                    else:
                        pid = _word(p + private_at).value
                        _word(p + release_at).value = 0
                        _post(pid << 2 | kind)
                return release

            def _asker(java, failed):
                def ask(*args, _in_java=in_java):
                    try:
                        return _in_java(java, *args)
                    except BaseException:
                        return failed  # the Java callbacks never raise; this is the hand-over failing
                return ask

            _RELEASE = ctypes.CFUNCTYPE(None, _vp)
            _JRELEASE = ctypes.PYFUNCTYPE(None, _vp)
            _GET = ctypes.CFUNCTYPE(ctypes.c_int, _vp, _vp)
            _JGET = ctypes.PYFUNCTYPE(ctypes.c_int, _vp, _vp)
            _ERR = ctypes.CFUNCTYPE(_vp, _vp)
            _JERR = ctypes.PYFUNCTYPE(_vp, _vp)

            _thunks = [
                _RELEASE(_releaser(_JRELEASE(%d), %d, %d, %d)),
                _RELEASE(_releaser(_JRELEASE(%d), %d, %d, %d)),
                _RELEASE(_releaser(_JRELEASE(%d), %d, %d, %d)),
                _GET(_asker(_JGET(%d), 5)),  # EIO
                _GET(_asker(_JGET(%d), 5)),
                _ERR(_asker(_JERR(%d), None)),
            ]
            addresses = [ctypes.cast(_t, _vp).value for _t in _thunks]

            # Stream capsules are made here, their destructor a C function too: Python may drop a
            # capsule on any thread (pyarrow drops it on the thread that imported the stream).
            _NAME = ctypes.create_string_buffer(b"arrow_array_stream")
            _new_capsule = ctypes.PYFUNCTYPE(ctypes.py_object, _vp, _vp, _vp)(("PyCapsule_New", ctypes.pythonapi))
            _capsule_pointer = ctypes.PYFUNCTYPE(_vp, _vp, _vp)(("PyCapsule_GetPointer", ctypes.pythonapi))
            _free = ctypes.CFUNCTYPE(None, _vp)(ctypes.cast(ctypes.CDLL(None).free, _vp).value)

            def _destroy_stream_capsule(capsule, _pointer=_capsule_pointer, _name=ctypes.addressof(_NAME),
                                        _word=ctypes.c_uint64.from_address, _RELEASE=_RELEASE, _free=_free):
                s = _pointer(capsule, _name)
                if s:
                    r = _word(s + %d).value
                    if r:  # not moved out by a consumer: release it here
                        _RELEASE(r)(s)
                    _free(s)

            _DESTROY = ctypes.CFUNCTYPE(None, _vp)(_destroy_stream_capsule)

            def stream_capsule(address, _new=_new_capsule, _name=ctypes.addressof(_NAME),
                               _destroy=ctypes.cast(_DESTROY, _vp).value):
                # A capsule named arrow_array_stream holding the ArrowArrayStream at address.
                return _new(address, _name, _destroy)

            # Kept for the life of the process (never freed, not even by Python's finalisation):
            # a consumer may call these at any time.
            _keep = [_thunks, _NAME, _DESTROY, _free, _new_capsule, _capsule_pointer]
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(_keep))
            """;

    static volatile long releaseSchema, releaseArray, releaseStream, getSchema, getNext, getLastError;
    private static volatile int readFd = -1;
    private static volatile Py<PyObject> serve;

    private static final MethodHandle READ = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final ReentrantLock DRAINING = new ReentrantLock();
    private static final AtomicBoolean STARTED = new AtomicBoolean();

    /** Makes the C functions once (attached); later calls only drain what is queued. */
    static void ensure(Python py) {
        if (serve == null) {
            make(py);
        }
        drain();
    }

    /**
     * No Java lock around this: it runs Python, which may let another attached thread in, and a
     * Java lock held across that could deadlock with it. Threads that race here each make a module;
     * {@code sys.modules.setdefault} keeps the first, and everyone uses that one's functions and
     * pipe (the others' are never handed out).
     */
    private static void make(Python py) {
        long vm = javaVm();
        long getEnv = word(word(vm) + 6 * 8); // JNIInvokeInterface: reserved0-2, DestroyJavaVM, Attach, Detach, GetEnv
        String code = SUPPORT.formatted(getEnv, vm,
                Callbacks.JAVA_RELEASE_SCHEMA.address(), S_RELEASE, S_PRIVATE, SCHEMA,
                Callbacks.JAVA_RELEASE_ARRAY.address(), A_RELEASE, A_PRIVATE, ARRAY,
                Callbacks.JAVA_RELEASE_STREAM.address(), ST_RELEASE, ST_PRIVATE, STREAM,
                Callbacks.JAVA_GET_SCHEMA.address(), Callbacks.JAVA_GET_NEXT.address(),
                Callbacks.JAVA_GET_LAST_ERROR.address(), ST_RELEASE);
        PyModule made = PyModule.fromCode(py, code, "<pyjama-arrow-callbacks>", "pyjama_arrow_callbacks");
        PyObject m = py.importModule("sys").getAttr("modules").callMethod("setdefault", "pyjama_arrow._callbacks", made);
        PyObject a = m.getAttr("addresses");
        releaseSchema = a.getItem(0).toJava(Long.class);
        releaseArray = a.getItem(1).toJava(Long.class);
        releaseStream = a.getItem(2).toJava(Long.class);
        getSchema = a.getItem(3).toJava(Long.class);
        getNext = a.getItem(4).toJava(Long.class);
        getLastError = a.getItem(5).toJava(Long.class);
        readFd = m.getAttr("_r").toJava(Integer.class);
        serve = m.getAttr("_serve").unbind(); // last: a thread that sees it set sees the rest
        if (STARTED.compareAndSet(false, true)) {
            Thread t = new Thread(ForeignCalls::run, "pyjama-arrow-releases");
            t.setDaemon(true);
            t.start();
        }
    }

    /** The JVM's {@code JavaVM*}, from libjvm's {@code JNI_GetCreatedJavaVMs}. */
    private static long javaVm() {
        Linker linker = Linker.nativeLinker();
        SymbolLookup jvm = libjvm();
        MethodHandle created = linker.downcallHandle(jvm.find("JNI_GetCreatedJavaVMs").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment vm = arena.allocate(JAVA_LONG);
            MemorySegment n = arena.allocate(JAVA_INT);
            int rc = (int) created.invokeExact(vm, 1, n);
            if (rc != 0 || n.get(JAVA_INT, 0) < 1) {
                throw new IllegalStateException("JNI_GetCreatedJavaVMs found no JVM (" + rc + ")");
            }
            return vm.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static SymbolLookup libjvm() {
        Path home = Path.of(System.getProperty("java.home"));
        String file = System.mapLibraryName("jvm");
        for (Path p : new Path[] {home.resolve("lib/server").resolve(file), home.resolve("lib/client").resolve(file),
                home.resolve("bin/server").resolve(file)}) {
            if (Files.exists(p)) {
                return SymbolLookup.libraryLookup(p, Arena.global()); // the loaded library: dlopen finds it by path
            }
        }
        return SymbolLookup.libraryLookup(file, Arena.global());
    }

    /** The daemon thread: drains now and then, more often while there is work. */
    private static void run() {
        long sleep = 1;
        while (true) {
            try {
                sleep = drain() ? 1 : Math.min(sleep * 2, 50);
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                return;
            } catch (Throwable t) {
                // keep draining; a failure here must not end the thread that frees everything
            }
        }
    }

    /**
     * Runs the Java side of whatever Python queued: releases, and requests waiting for an answer.
     * Returns whether there was anything. Another thread already draining is left to it.
     */
    static boolean drain() {
        int fd = readFd;
        if (fd < 0 || !DRAINING.tryLock()) {
            return false;
        }
        boolean any = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(4096, 8);
            while (true) {
                long n = (long) READ.invokeExact(fd, buf, buf.byteSize());
                if (n <= 0) {
                    return any; // -1 with EAGAIN: empty (writes are whole 8-byte tokens, so n is a multiple of 8)
                }
                any = true;
                for (long i = 0; i < n; i += 8) {
                    handle(buf.get(JAVA_LONG, i));
                }
            }
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            DRAINING.unlock();
        }
    }

    private static void handle(long token) {
        long id = token >>> 2;
        try {
            switch ((int) (token & 3)) {
                case (int) SCHEMA -> Schemas.releaseExported(id);
                case (int) ARRAY -> Exporter.releaseExported(id);
                case (int) STREAM -> Callbacks.releaseExported(id);
                default -> Python.attach(py -> serve.bind(py).call(id));
            }
        } catch (Throwable t) {
            // one token's failure must not lose the rest
        }
    }
}
