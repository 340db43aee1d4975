package dev.pyjama.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The raw floor of JVM start to first Python result: given the path of libpython (no discovery),
 * {@code dlopen(path, RTLD_NOW | RTLD_GLOBAL)} through a libc downcall, {@code dlsym} the few
 * functions needed, {@code Py_InitializeEx(0)}, evaluate {@code 1+1} in {@code __main__} and print
 * it. It uses no pyjama class and not the generated bindings (whose one-class-per-function holders
 * would be a cost of their own), only {@code java.lang.foreign}.
 *
 * <p>Usage: {@code java --enable-native-access=ALL-UNNAMED -cp benchmarks.jar
 * dev.pyjama.bench.StartRaw /path/to/libpython3.x.so}
 */
public final class StartRaw {
    private StartRaw() {}

    private static final int RTLD_NOW_GLOBAL = 0x102;
    private static final int PY_EVAL_INPUT = 258;

    public static void main(String[] args) throws Throwable {
        if (args.length != 1) {
            System.err.println("usage: StartRaw /path/to/libpython3.x.so");
            System.exit(2);
        }
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ValueLayout ptr = ValueLayout.ADDRESS;
        ValueLayout.OfInt i32 = ValueLayout.JAVA_INT;
        MethodHandle dlopen = linker.downcallHandle(libc.find("dlopen").orElseThrow(),
                FunctionDescriptor.of(ptr, ptr, i32));
        MethodHandle dlsym = linker.downcallHandle(libc.find("dlsym").orElseThrow(),
                FunctionDescriptor.of(ptr, ptr, ptr));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment lib = (MemorySegment) dlopen.invokeExact(arena.allocateFrom(args[0]), RTLD_NOW_GLOBAL);
            if (lib.address() == 0) {
                throw new IllegalStateException("dlopen failed: " + args[0]);
            }
            MethodHandle init = downcall(dlsym, lib, arena, "Py_InitializeEx", FunctionDescriptor.ofVoid(i32));
            MethodHandle addModule = downcall(dlsym, lib, arena, "PyImport_AddModule", FunctionDescriptor.of(ptr, ptr));
            MethodHandle getDict = downcall(dlsym, lib, arena, "PyModule_GetDict", FunctionDescriptor.of(ptr, ptr));
            MethodHandle compile = downcall(dlsym, lib, arena, "Py_CompileString", FunctionDescriptor.of(ptr, ptr, ptr, i32));
            MethodHandle evalCode = downcall(dlsym, lib, arena, "PyEval_EvalCode", FunctionDescriptor.of(ptr, ptr, ptr, ptr));
            MethodHandle asLong = downcall(dlsym, lib, arena, "PyLong_AsLongLong", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ptr));

            init.invokeExact(0);
            MemorySegment main = (MemorySegment) addModule.invokeExact(arena.allocateFrom("__main__"));
            MemorySegment globals = (MemorySegment) getDict.invokeExact(main);
            MemorySegment code = (MemorySegment) compile.invokeExact(arena.allocateFrom("1+1"), arena.allocateFrom("<string>"), PY_EVAL_INPUT);
            if (code.address() == 0) {
                throw new IllegalStateException("Py_CompileString failed");
            }
            MemorySegment result = (MemorySegment) evalCode.invokeExact(code, globals, globals);
            if (result.address() == 0) {
                throw new IllegalStateException("PyEval_EvalCode failed");
            }
            long v = (long) asLong.invokeExact(result);
            System.out.println(v);
        }
    }

    private static MethodHandle downcall(MethodHandle dlsym, MemorySegment lib, Arena arena, String name,
            FunctionDescriptor desc) throws Throwable {
        MemorySegment sym = (MemorySegment) dlsym.invokeExact(lib, arena.allocateFrom(name));
        if (sym.address() == 0) {
            throw new IllegalStateException("symbol not found: " + name);
        }
        return Linker.nativeLinker().downcallHandle(sym, desc);
    }
}
