package dev.pyjama.internal.abi;

import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * Every C function and variable pyjama uses, bound in one place: its C declaration (as
 * {@code Python.h} or libc declares it), the shape it is called with, whether the downcall is
 * critical and why, and the first CPython minor version that exports it.
 *
 * <p>All functions are called in word form ({@link Native}): each argument and the result is one
 * 64-bit word (pointers, {@code Py_ssize_t}, {@code long long}, {@code unsigned long}, and C
 * {@code int}s sign-extended), a {@code double} where the declaration has one. So a symbol's shape is
 * its arity and where its {@code double} is; {@code SymbolTableTest} checks every entry against the
 * declaration jextract read from the headers.
 *
 * <p>A downcall is critical ({@code Linker.Option.critical(false)}: no thread-state transition) only
 * when the function can neither block, run Python code ({@code __del__}, {@code __eq__},
 * {@code __index__}...) nor call back into Java; the reason is recorded with it.
 *
 * <p>Addresses are looked up on first use: a function an older CPython lacks costs nothing until
 * it is called, and then fails with an {@link UnsatisfiedLinkError} naming the version that added it.
 * Callers check {@link AbiProfile} first.
 */
public enum Symbol {
    PyBuffer_Release(Kind.WORDS, 1, 10, null,
            "void PyBuffer_Release(Py_buffer *view)"),
    PyByteArray_AsString(Kind.WORDS, 1, 10, null,
            "char *PyByteArray_AsString(PyObject *)"),
    PyByteArray_FromStringAndSize(Kind.WORDS, 2, 10, null,
            "PyObject *PyByteArray_FromStringAndSize(const char *, Py_ssize_t)"),
    PyByteArray_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PyByteArray_Size(PyObject *)"),
    PyBytes_AsString(Kind.WORDS, 1, 10, null,
            "char *PyBytes_AsString(PyObject *)"),
    PyBytes_AsStringAndSize(Kind.WORDS, 3, 10, null,
            "int PyBytes_AsStringAndSize(PyObject *obj, char **s, Py_ssize_t *len)"),
    PyBytes_FromStringAndSize(Kind.WORDS, 2, 10, null,
            "PyObject *PyBytes_FromStringAndSize(const char *, Py_ssize_t)"),
    PyCFunction_NewEx(Kind.WORDS, 3, 10, null,
            "PyObject *PyCFunction_NewEx(PyMethodDef *, PyObject *, PyObject *)"),
    PyCallable_Check(Kind.WORDS, 1, 10, null,
            "int PyCallable_Check(PyObject *)"),
    PyCapsule_GetPointer(Kind.WORDS, 2, 10, null,
            "void *PyCapsule_GetPointer(PyObject *capsule, const char *name)"),
    PyCapsule_IsValid(Kind.WORDS, 2, 10, null,
            "int PyCapsule_IsValid(PyObject *capsule, const char *name)"),
    PyCapsule_New(Kind.WORDS, 3, 10, null,
            "PyObject *PyCapsule_New(void *pointer, const char *name, PyCapsule_Destructor destructor)"),
    PyCriticalSection2_Begin(Kind.WORDS, 3, 13, null,
            "void PyCriticalSection2_Begin(PyCriticalSection2 *c, PyObject *a, PyObject *b)"),
    PyCriticalSection2_End(Kind.WORDS, 1, 13, null,
            "void PyCriticalSection2_End(PyCriticalSection2 *c)"),
    PyCriticalSection_Begin(Kind.WORDS, 2, 13, null,
            "void PyCriticalSection_Begin(PyCriticalSection *c, PyObject *op)"),
    PyCriticalSection_End(Kind.WORDS, 1, 13, null,
            "void PyCriticalSection_End(PyCriticalSection *c)"),
    PyDict_Clear(Kind.WORDS, 1, 10, null,
            "void PyDict_Clear(PyObject *mp)"),
    PyDict_Contains(Kind.WORDS, 2, 10, null,
            "int PyDict_Contains(PyObject *mp, PyObject *key)"),
    PyDict_Copy(Kind.WORDS, 1, 10, null,
            "PyObject *PyDict_Copy(PyObject *mp)"),
    PyDict_DelItem(Kind.WORDS, 2, 10, null,
            "int PyDict_DelItem(PyObject *mp, PyObject *key)"),
    PyDict_GetItemRef(Kind.WORDS, 3, 13, null,
            "int PyDict_GetItemRef(PyObject *mp, PyObject *key, PyObject **result)"),
    PyDict_GetItemWithError(Kind.WORDS, 2, 10, null,
            "PyObject *PyDict_GetItemWithError(PyObject *mp, PyObject *key)"),
    PyDict_New(Kind.WORDS, 0, 10, null,
            "PyObject *PyDict_New()"),
    PyDict_Next(Kind.WORDS, 4, 10, null,
            "int PyDict_Next(PyObject *mp, Py_ssize_t *pos, PyObject **key, PyObject **value)"),
    PyDict_SetItem(Kind.WORDS, 3, 10, null,
            "int PyDict_SetItem(PyObject *mp, PyObject *key, PyObject *item)"),
    PyDict_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PyDict_Size(PyObject *mp)"),
    PyDict_Update(Kind.WORDS, 2, 10, null,
            "int PyDict_Update(PyObject *mp, PyObject *other)"),
    PyErr_Clear(Kind.WORDS, 0, 10, null,
            "void PyErr_Clear()"),
    PyErr_ExceptionMatches(Kind.WORDS, 1, 10, null,
            "int PyErr_ExceptionMatches(PyObject *)"),
    PyErr_Fetch(Kind.WORDS, 3, 10, null,
            "void PyErr_Fetch(PyObject **, PyObject **, PyObject **)"),
    PyErr_GetRaisedException(Kind.WORDS, 0, 12, null,
            "PyObject *PyErr_GetRaisedException()"),
    PyErr_NormalizeException(Kind.WORDS, 3, 10, null,
            "void PyErr_NormalizeException(PyObject **, PyObject **, PyObject **)"),
    PyErr_Occurred(Kind.WORDS, 0, 10, "reads the thread state",
            "PyObject *PyErr_Occurred()"),
    PyErr_Restore(Kind.WORDS, 3, 10, null,
            "void PyErr_Restore(PyObject *, PyObject *, PyObject *)"),
    PyErr_SetRaisedException(Kind.WORDS, 1, 12, null,
            "void PyErr_SetRaisedException(PyObject *)"),
    PyErr_SetString(Kind.WORDS, 2, 10, null,
            "void PyErr_SetString(PyObject *exception, const char *string)"),
    PyEval_EvalCode(Kind.WORDS, 3, 10, null,
            "PyObject *PyEval_EvalCode(PyObject *, PyObject *, PyObject *)"),
    PyEval_RestoreThread(Kind.WORDS, 1, 10, null,
            "void PyEval_RestoreThread(PyThreadState *)"),
    PyEval_SaveThread(Kind.WORDS, 0, 10, null,
            "PyThreadState *PyEval_SaveThread()"),
    PyExc_AttributeError(Kind.DATA, 0, 10, null, "PyObject *PyExc_AttributeError"),
    PyExc_BaseException(Kind.DATA, 0, 10, null, "PyObject *PyExc_BaseException"),
    PyExc_BufferError(Kind.DATA, 0, 10, null, "PyObject *PyExc_BufferError"),
    PyExc_KeyboardInterrupt(Kind.DATA, 0, 10, null, "PyObject *PyExc_KeyboardInterrupt"),
    PyExc_MemoryError(Kind.DATA, 0, 10, null, "PyObject *PyExc_MemoryError"),
    PyExc_RecursionError(Kind.DATA, 0, 10, null, "PyObject *PyExc_RecursionError"),
    PyExc_RuntimeError(Kind.DATA, 0, 10, null, "PyObject *PyExc_RuntimeError"),
    PyException_GetCause(Kind.WORDS, 1, 10, null,
            "PyObject *PyException_GetCause(PyObject *)"),
    PyException_GetContext(Kind.WORDS, 1, 10, null,
            "PyObject *PyException_GetContext(PyObject *)"),
    PyException_GetTraceback(Kind.WORDS, 1, 10, null,
            "PyObject *PyException_GetTraceback(PyObject *)"),
    PyException_SetTraceback(Kind.WORDS, 2, 10, null,
            "int PyException_SetTraceback(PyObject *, PyObject *)"),
    PyFloat_AsDouble(Kind.DOUBLE_RESULT, 1, 10, "called only on exact floats, where no __float__ runs",
            "double PyFloat_AsDouble(PyObject *)"),
    PyFloat_FromDouble(Kind.DOUBLE_ARG, 1, 10, "allocates a float; runs no Python code",
            "PyObject *PyFloat_FromDouble(double)"),
    PyFrozenSet_New(Kind.WORDS, 1, 10, null,
            "PyObject *PyFrozenSet_New(PyObject *)"),
    PyGILState_Ensure(Kind.WORDS, 0, 10, null,
            "PyGILState_STATE PyGILState_Ensure()"),
    PyGILState_GetThisThreadState(Kind.WORDS, 0, 10, null,
            "PyThreadState *PyGILState_GetThisThreadState()"),
    PyGILState_Release(Kind.WORDS, 1, 10, null,
            "void PyGILState_Release(PyGILState_STATE)"),
    PyImport_AddModule(Kind.WORDS, 1, 10, null,
            "PyObject *PyImport_AddModule(const char *name)"),
    PyImport_ExecCodeModuleEx(Kind.WORDS, 3, 10, null,
            "PyObject *PyImport_ExecCodeModuleEx(const char *name, PyObject *co, const char *pathname)"),
    PyImport_GetModule(Kind.WORDS, 1, 10, null,
            "PyObject *PyImport_GetModule(PyObject *name)"),
    PyImport_ImportModule(Kind.WORDS, 1, 10, null,
            "PyObject *PyImport_ImportModule(const char *name)"),
    PyIndex_Check(Kind.WORDS, 1, 10, null,
            "int PyIndex_Check(PyObject *)"),
    PyIter_Check(Kind.WORDS, 1, 10, null,
            "int PyIter_Check(PyObject *)"),
    PyIter_Next(Kind.WORDS, 1, 10, null,
            "PyObject *PyIter_Next(PyObject *)"),
    PyList_Append(Kind.WORDS, 2, 10, null,
            "int PyList_Append(PyObject *, PyObject *)"),
    PyList_AsTuple(Kind.WORDS, 1, 10, null,
            "PyObject *PyList_AsTuple(PyObject *)"),
    PyList_GetItem(Kind.WORDS, 2, 10, null,
            "PyObject *PyList_GetItem(PyObject *, Py_ssize_t)"),
    PyList_GetItemRef(Kind.WORDS, 2, 13, null,
            "PyObject *PyList_GetItemRef(PyObject *, Py_ssize_t)"),
    PyList_GetSlice(Kind.WORDS, 3, 10, null,
            "PyObject *PyList_GetSlice(PyObject *, Py_ssize_t, Py_ssize_t)"),
    PyList_Insert(Kind.WORDS, 3, 10, null,
            "int PyList_Insert(PyObject *, Py_ssize_t, PyObject *)"),
    PyList_New(Kind.WORDS, 1, 10, null,
            "PyObject *PyList_New(Py_ssize_t size)"),
    PyList_Reverse(Kind.WORDS, 1, 10, null,
            "int PyList_Reverse(PyObject *)"),
    PyList_SetItem(Kind.WORDS, 3, 10, null,
            "int PyList_SetItem(PyObject *, Py_ssize_t, PyObject *)"),
    PyList_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PyList_Size(PyObject *)"),
    PyList_Sort(Kind.WORDS, 1, 10, null,
            "int PyList_Sort(PyObject *)"),
    PyLong_AsLongLong(Kind.WORDS, 1, 10, "called only on exact ints, where no __index__ runs",
            "long long PyLong_AsLongLong(PyObject *)"),
    PyLong_AsLongLongAndOverflow(Kind.WORDS, 2, 10, null,
            "long long PyLong_AsLongLongAndOverflow(PyObject *, int *)"),
    PyLong_FromLongLong(Kind.WORDS, 1, 10, "allocates an int; runs no Python code",
            "PyObject *PyLong_FromLongLong(long long)"),
    PyLong_FromString(Kind.WORDS, 3, 10, null,
            "PyObject *PyLong_FromString(const char *, char **, int)"),
    PyMapping_Items(Kind.WORDS, 1, 10, null,
            "PyObject *PyMapping_Items(PyObject *o)"),
    PyMemoryView_FromBuffer(Kind.WORDS, 1, 10, null,
            "PyObject *PyMemoryView_FromBuffer(const Py_buffer *info)"),
    PyMemoryView_FromObject(Kind.WORDS, 1, 10, null,
            "PyObject *PyMemoryView_FromObject(PyObject *base)"),
    PyModule_GetDict(Kind.WORDS, 1, 10, null,
            "PyObject *PyModule_GetDict(PyObject *)"),
    PyModule_New(Kind.WORDS, 1, 10, null,
            "PyObject *PyModule_New(const char *name)"),
    PyNumber_Absolute(Kind.WORDS, 1, 10, null,
            "PyObject *PyNumber_Absolute(PyObject *o)"),
    PyNumber_Add(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Add(PyObject *o1, PyObject *o2)"),
    PyNumber_And(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_And(PyObject *o1, PyObject *o2)"),
    PyNumber_FloorDivide(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_FloorDivide(PyObject *o1, PyObject *o2)"),
    PyNumber_Index(Kind.WORDS, 1, 10, null,
            "PyObject *PyNumber_Index(PyObject *o)"),
    PyNumber_Invert(Kind.WORDS, 1, 10, null,
            "PyObject *PyNumber_Invert(PyObject *o)"),
    PyNumber_Lshift(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Lshift(PyObject *o1, PyObject *o2)"),
    PyNumber_MatrixMultiply(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_MatrixMultiply(PyObject *o1, PyObject *o2)"),
    PyNumber_Multiply(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Multiply(PyObject *o1, PyObject *o2)"),
    PyNumber_Negative(Kind.WORDS, 1, 10, null,
            "PyObject *PyNumber_Negative(PyObject *o)"),
    PyNumber_Or(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Or(PyObject *o1, PyObject *o2)"),
    PyNumber_Positive(Kind.WORDS, 1, 10, null,
            "PyObject *PyNumber_Positive(PyObject *o)"),
    PyNumber_Power(Kind.WORDS, 3, 10, null,
            "PyObject *PyNumber_Power(PyObject *o1, PyObject *o2, PyObject *o3)"),
    PyNumber_Remainder(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Remainder(PyObject *o1, PyObject *o2)"),
    PyNumber_Rshift(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Rshift(PyObject *o1, PyObject *o2)"),
    PyNumber_Subtract(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Subtract(PyObject *o1, PyObject *o2)"),
    PyNumber_TrueDivide(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_TrueDivide(PyObject *o1, PyObject *o2)"),
    PyNumber_Xor(Kind.WORDS, 2, 10, null,
            "PyObject *PyNumber_Xor(PyObject *o1, PyObject *o2)"),
    PyObject_Call(Kind.WORDS, 3, 10, null,
            "PyObject *PyObject_Call(PyObject *callable, PyObject *args, PyObject *kwargs)"),
    PyObject_CallNoArgs(Kind.WORDS, 1, 10, null,
            "PyObject *PyObject_CallNoArgs(PyObject *func)"),
    PyObject_CallObject(Kind.WORDS, 2, 10, null,
            "PyObject *PyObject_CallObject(PyObject *callable, PyObject *args)"),
    PyObject_CallOneArg(Kind.WORDS, 2, 11, null,
            "PyObject *PyObject_CallOneArg(PyObject *func, PyObject *arg)"),
    PyObject_DelItem(Kind.WORDS, 2, 10, null,
            "int PyObject_DelItem(PyObject *o, PyObject *key)"),
    PyObject_Format(Kind.WORDS, 2, 10, null,
            "PyObject *PyObject_Format(PyObject *obj, PyObject *format_spec)"),
    PyObject_GetAttr(Kind.WORDS, 2, 10, null,
            "PyObject *PyObject_GetAttr(PyObject *, PyObject *)"),
    PyObject_CheckBuffer(Kind.WORDS, 1, 10, "reads the type's buffer slot",
            "int PyObject_CheckBuffer(PyObject *obj)"),
    PyObject_GetBuffer(Kind.WORDS, 3, 10, null,
            "int PyObject_GetBuffer(PyObject *obj, Py_buffer *view, int flags)"),
    PyObject_GetItem(Kind.WORDS, 2, 10, null,
            "PyObject *PyObject_GetItem(PyObject *o, PyObject *key)"),
    PyObject_GetIter(Kind.WORDS, 1, 10, null,
            "PyObject *PyObject_GetIter(PyObject *)"),
    PyObject_Hash(Kind.WORDS, 1, 10, null,
            "Py_hash_t PyObject_Hash(PyObject *)"),
    PyObject_IsInstance(Kind.WORDS, 2, 10, null,
            "int PyObject_IsInstance(PyObject *object, PyObject *typeorclass)"),
    PyObject_IsSubclass(Kind.WORDS, 2, 10, null,
            "int PyObject_IsSubclass(PyObject *object, PyObject *typeorclass)"),
    PyObject_IsTrue(Kind.WORDS, 1, 10, null,
            "int PyObject_IsTrue(PyObject *)"),
    PyObject_Repr(Kind.WORDS, 1, 10, null,
            "PyObject *PyObject_Repr(PyObject *)"),
    PyObject_RichCompare(Kind.WORDS, 3, 10, null,
            "PyObject *PyObject_RichCompare(PyObject *, PyObject *, int)"),
    PyObject_SetAttr(Kind.WORDS, 3, 10, null,
            "int PyObject_SetAttr(PyObject *, PyObject *, PyObject *)"),
    PyObject_SetItem(Kind.WORDS, 3, 10, null,
            "int PyObject_SetItem(PyObject *o, PyObject *key, PyObject *v)"),
    PyObject_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PyObject_Size(PyObject *o)"),
    PyObject_Str(Kind.WORDS, 1, 10, null,
            "PyObject *PyObject_Str(PyObject *)"),
    PyObject_Vectorcall(Kind.WORDS, 4, 11, null,
            "PyObject *PyObject_Vectorcall(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwnames)"),
    PyObject_VectorcallDict(Kind.WORDS, 4, 10, null,
            "PyObject *PyObject_VectorcallDict(PyObject *callable, PyObject *const *args, size_t nargsf, PyObject *kwdict)"),
    PyObject_VectorcallMethod(Kind.WORDS, 4, 10, null,
            "PyObject *PyObject_VectorcallMethod(PyObject *name, PyObject *const *args, size_t nargsf, PyObject *kwnames)"),
    PySequence_Contains(Kind.WORDS, 2, 10, null,
            "int PySequence_Contains(PyObject *seq, PyObject *ob)"),
    PySequence_GetItem(Kind.WORDS, 2, 10, null,
            "PyObject *PySequence_GetItem(PyObject *o, Py_ssize_t i)"),
    PySequence_GetSlice(Kind.WORDS, 3, 10, null,
            "PyObject *PySequence_GetSlice(PyObject *o, Py_ssize_t i1, Py_ssize_t i2)"),
    PySequence_Index(Kind.WORDS, 2, 10, null,
            "Py_ssize_t PySequence_Index(PyObject *o, PyObject *value)"),
    PySequence_List(Kind.WORDS, 1, 10, null,
            "PyObject *PySequence_List(PyObject *o)"),
    PySequence_Tuple(Kind.WORDS, 1, 10, null,
            "PyObject *PySequence_Tuple(PyObject *o)"),
    PySet_Add(Kind.WORDS, 2, 10, null,
            "int PySet_Add(PyObject *set, PyObject *key)"),
    PySet_Clear(Kind.WORDS, 1, 10, null,
            "int PySet_Clear(PyObject *set)"),
    PySet_Contains(Kind.WORDS, 2, 10, null,
            "int PySet_Contains(PyObject *anyset, PyObject *key)"),
    PySet_Discard(Kind.WORDS, 2, 10, null,
            "int PySet_Discard(PyObject *set, PyObject *key)"),
    PySet_New(Kind.WORDS, 1, 10, null,
            "PyObject *PySet_New(PyObject *)"),
    PySet_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PySet_Size(PyObject *anyset)"),
    PySlice_New(Kind.WORDS, 3, 10, null,
            "PyObject *PySlice_New(PyObject *start, PyObject *stop, PyObject *step)"),
    PyThreadState_Get(Kind.WORDS, 0, 10, null,
            "PyThreadState *PyThreadState_Get()"),
    PyThreadState_SetAsyncExc(Kind.WORDS, 2, 10, null,
            "int PyThreadState_SetAsyncExc(unsigned long, PyObject *)"),
    PyThread_get_thread_ident(Kind.WORDS, 0, 10, null,
            "unsigned long PyThread_get_thread_ident()"),
    PyTuple_GetItem(Kind.WORDS, 2, 10, null,
            "PyObject *PyTuple_GetItem(PyObject *, Py_ssize_t)"),
    PyTuple_New(Kind.WORDS, 1, 10, null,
            "PyObject *PyTuple_New(Py_ssize_t size)"),
    PyTuple_SetItem(Kind.WORDS, 3, 10, null,
            "int PyTuple_SetItem(PyObject *, Py_ssize_t, PyObject *)"),
    PyTuple_Size(Kind.WORDS, 1, 10, null,
            "Py_ssize_t PyTuple_Size(PyObject *)"),
    PyType_GetFlags(Kind.WORDS, 1, 10, "reads a type field",
            "unsigned long PyType_GetFlags(PyTypeObject *)"),
    PyType_IsSubtype(Kind.WORDS, 2, 10, null,
            "int PyType_IsSubtype(PyTypeObject *, PyTypeObject *)"),
    PyUnicode_DecodeUTF16(Kind.WORDS, 4, 10, null,
            "PyObject *PyUnicode_DecodeUTF16(const char *string, Py_ssize_t length, const char *errors, int *byteorder)"),
    PyUnicode_FromStringAndSize(Kind.WORDS, 2, 10, "decodes UTF-8 into a new str; runs no Python code",
            "PyObject *PyUnicode_FromStringAndSize(const char *u, Py_ssize_t size)"),
    PyUnicode_InternInPlace(Kind.WORDS, 1, 10, null,
            "void PyUnicode_InternInPlace(PyObject **)"),
    PyUnicode_New(Kind.WORDS, 2, 10, "allocates a str; runs no Python code",
            "PyObject *PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)"),
    Py_CompileString(Kind.WORDS, 3, 10, null,
            "PyObject *Py_CompileString(const char *, const char *, int)"),
    Py_DecRef(Kind.WORDS, 1, 10, null,
            "void Py_DecRef(PyObject *)"),
    Py_GetRecursionLimit(Kind.WORDS, 0, 10, null,
            "int Py_GetRecursionLimit()"),
    Py_FinalizeEx(Kind.WORDS, 0, 10, null,
            "int Py_FinalizeEx()"),
    Py_GetVersion(Kind.WORDS, 0, 10, null,
            "const char *Py_GetVersion()"),
    Py_IncRef(Kind.WORDS, 1, 10, "increments a count",
            "void Py_IncRef(PyObject *)"),
    Py_InitializeEx(Kind.WORDS, 1, 10, null,
            "void Py_InitializeEx(int)"),
    Py_IsInitialized(Kind.WORDS, 0, 10, null,
            "int Py_IsInitialized()"),
    Py_SetProgramName(Kind.WORDS, 1, 10, null,
            "void Py_SetProgramName(const wchar_t *)"),

    // --- not in the generated bindings' include list (declared in cpython/ headers or libc) ---

    Py_DecRef_plain("Py_DecRef", Kind.WORDS, 1, 10,
            "the last reference of an exact int, float or str only: their deallocators free memory and run no Python code",
            "void Py_DecRef(PyObject *)"),
    PyLong_AsLongLong_any("PyLong_AsLongLong", Kind.WORDS, 1, 10, null,
            "long long PyLong_AsLongLong(PyObject *)"),
    PyFloat_AsDouble_any("PyFloat_AsDouble", Kind.DOUBLE_RESULT, 1, 10, null, "double PyFloat_AsDouble(PyObject *)"),
    PyObject_Type(Kind.WORDS, 1, 10, null, "PyObject *PyObject_Type(PyObject *o)"),
    PyWeakref_NewRef(Kind.WORDS, 2, 10, null, "PyObject *PyWeakref_NewRef(PyObject *ob, PyObject *callback)"),
    /** Deprecated in 3.13 (PyWeakref_GetRef replaces it); used on free-threaded 3.13 only. */
    PyWeakref_GetObject(Kind.WORDS, 1, 10, null, "PyObject *PyWeakref_GetObject(PyObject *ref)"),
    PyUnicode_GetLength(Kind.WORDS, 1, 10, "reads a str's length", "Py_ssize_t PyUnicode_GetLength(PyObject *unicode)"),
    PyUnicode_AsWideChar(Kind.WORDS, 3, 10, "copies a str's code points into a buffer; runs no Python code",
            "Py_ssize_t PyUnicode_AsWideChar(PyObject *unicode, wchar_t *w, Py_ssize_t size)"),
    /** Private but exported on 3.10 to 3.12; renamed {@code PyThreadState_GetUnchecked} in 3.13. */
    _PyThreadState_UncheckedGet(Kind.WORDS, 0, 10, "reads the current thread state",
            "PyThreadState *_PyThreadState_UncheckedGet(void)"),
    PyThreadState_GetUnchecked(Kind.WORDS, 0, 13, "reads the current thread state",
            "PyThreadState *PyThreadState_GetUnchecked(void)"),
    PyThreadState_Clear(Kind.WORDS, 1, 10, null, "void PyThreadState_Clear(PyThreadState *)"),
    PyThreadState_New(Kind.WORDS, 1, 10, null, "PyThreadState *PyThreadState_New(PyInterpreterState *)"),
    PyThreadState_Swap(Kind.WORDS, 1, 10, null, "PyThreadState *PyThreadState_Swap(PyThreadState *)"),
    PyThreadState_DeleteCurrent(Kind.WORDS, 0, 10, null, "void PyThreadState_DeleteCurrent(void)"),
    PyThreadState_GetInterpreter(Kind.WORDS, 1, 10, "reads a field", "PyInterpreterState *PyThreadState_GetInterpreter(PyThreadState *tstate)"),
    PyInterpreterState_Main(Kind.WORDS, 0, 10, "reads a static", "PyInterpreterState *PyInterpreterState_Main(void)"),
    PyThreadState_Delete(Kind.WORDS, 1, 10, null, "void PyThreadState_Delete(PyThreadState *)"),

    // --- objects and variables exported by libpython ---

    _Py_NoneStruct(Kind.OBJECT, 0, 10, null, "PyObject _Py_NoneStruct"),
    _Py_TrueStruct(Kind.OBJECT, 0, 10, null, "PyLongObject _Py_TrueStruct"),
    _Py_FalseStruct(Kind.OBJECT, 0, 10, null, "PyLongObject _Py_FalseStruct"),
    PyLong_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyLong_Type"),
    PyFloat_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyFloat_Type"),
    PyUnicode_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyUnicode_Type"),
    PyBytes_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyBytes_Type"),
    PyByteArray_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyByteArray_Type"),
    PyList_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyList_Type"),
    PyTuple_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyTuple_Type"),
    PyDict_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyDict_Type"),
    PySet_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PySet_Type"),
    PyFrozenSet_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyFrozenSet_Type"),
    PyBool_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyBool_Type"),
    PyModule_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyModule_Type"),
    PyType_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyType_Type"),
    PySlice_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PySlice_Type"),
    PyComplex_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyComplex_Type"),
    PyBaseObject_Type(Kind.OBJECT, 0, 10, null, "PyTypeObject PyBaseObject_Type"),

    // --- the C library ---

    dlopen(Library.LIBC, 2, null, "void *dlopen(const char *filename, int flags)"),
    dlerror(Library.LIBC, 0, null, "char *dlerror(void)"),
    dlsym(Library.LIBC, 2, null, "void *dlsym(void *handle, const char *symbol)"),
    pthread_self(Library.LIBC, 0, null, "pthread_t pthread_self(void)"),
    pthread_getattr_np(Library.LIBC, 2, null, "int pthread_getattr_np(pthread_t, pthread_attr_t *)"),
    pthread_attr_getstacksize(Library.LIBC, 2, null, "int pthread_attr_getstacksize(const pthread_attr_t *, size_t *)"),
    pthread_attr_destroy(Library.LIBC, 1, null, "int pthread_attr_destroy(pthread_attr_t *)"),
    memchr(Library.LIBC, 3, "scans memory", "void *memchr(const void *s, int c, size_t n)"),
    madvise(Library.LIBC, 3, null, "int madvise(void *addr, size_t length, int advice)");

    /** How a symbol is used. */
    enum Kind {
        /** A function whose arguments and result are words. */
        WORDS,
        /** A function of one {@code double} argument and a word result. */
        DOUBLE_ARG,
        /** A function of one word argument and a {@code double} result. */
        DOUBLE_RESULT,
        /** A {@code PyObject *} variable: its value is the object. */
        DATA,
        /** A statically allocated object: its address is the object. */
        OBJECT
    }

    enum Library { PYTHON, LIBC }

    /** The C name (a constant's own name, except for aliases bound a second way). */
    final String cName;
    final Kind kind;
    final int arity;
    /** The first CPython 3.x minor version that exports the symbol. */
    public final int since;
    /** Why the downcall may be critical; null for an ordinary downcall. */
    final String critical;
    /** The C declaration, for messages and the table's test. */
    public final String declaration;
    final Library library;
    /** Whether the result is a C {@code int} (or enum): read from the low half of the word, sign-extended. */
    final boolean intResult;

    /** Resolved on first use; a race only resolves twice. */
    private MemorySegment address;

    Symbol(Kind kind, int arity, int since, String critical, String declaration) {
        this(null, kind, arity, since, critical, declaration);
    }

    Symbol(String cName, Kind kind, int arity, int since, String critical, String declaration) {
        this.cName = cName;
        this.kind = kind;
        this.arity = arity;
        this.since = since;
        this.critical = critical;
        this.declaration = declaration;
        this.library = Library.PYTHON;
        this.intResult = declaration.startsWith("int ") || declaration.startsWith("PyGILState_STATE ");
    }

    Symbol(Library library, int arity, String critical, String declaration) {
        this.cName = null;
        this.kind = Kind.WORDS;
        this.arity = arity;
        this.since = 0;
        this.critical = critical;
        this.declaration = declaration;
        this.library = library;
        this.intResult = declaration.startsWith("int ") || declaration.startsWith("PyGILState_STATE ");
    }

    /** The C name of the symbol. */
    public String cName() {
        return cName != null ? cName : name();
    }

    /** Whether the downcall is critical (see the class comment). */
    public boolean isCritical() {
        return critical != null;
    }

    /** The number of arguments a function takes (0 for variables). */
    public int arity() {
        return arity;
    }

    /** Whether the loaded library exports this symbol. */
    public boolean isExported() {
        return lookup().isPresent();
    }

    /** Whether the loaded libpython exports {@code cName} (for symbols pyjama only asks about, never calls). */
    static boolean isExported(String cName) {
        return inLibpython(cName).isPresent();
    }

    /**
     * The {@code dlopen} handle of the loaded libpython, 0 before {@link Abi#load}. Symbols are found
     * through it rather than through this class loader's library lookup, so that a second copy of
     * pyjama in another class loader, whose {@code System.load} of the same file the JVM refuses,
     * finds them too.
     */
    private static volatile long libpython;

    static void useLibrary(long handle) {
        libpython = handle;
    }

    private static Optional<MemorySegment> inLibpython(String cName) {
        long handle = libpython;
        if (handle == 0) {
            return SymbolLookup.loaderLookup().find(cName);
        }
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            long address = dlsym.call(handle, arena.allocateFrom(cName).address());
            return address == 0 ? Optional.empty() : Optional.of(MemorySegment.ofAddress(address));
        }
    }

    private Optional<MemorySegment> lookup() {
        return library == Library.LIBC ? Linker.nativeLinker().defaultLookup().find(cName()) : inLibpython(cName());
    }

    /** The symbol's address; an UnsatisfiedLinkError when the loaded library does not export it. */
    public MemorySegment address() {
        MemorySegment a = address;
        if (a == null) {
            Optional<MemorySegment> found = lookup(); // no orElseThrow(Supplier): a lambda class at start
            if (found.isEmpty()) {
                throw new UnsatisfiedLinkError((library == Library.LIBC ? "the C library" : "this libpython")
                        + " does not export " + cName() + (since > 10 ? " (exported from CPython 3." + since + ")" : ""));
            }
            a = found.get();
            address = a;
        }
        return a;
    }

    /** The value of a {@code PyObject *} variable ({@link Kind#DATA}), or the address of an object. */
    public long object() {
        long a = address().address();
        return kind == Kind.DATA ? Native.ALL.get(java.lang.foreign.ValueLayout.JAVA_LONG, a) : a;
    }

    private long result(long word) {
        return intResult ? (int) word : word;
    }

    private void expect(int n) {
        if (arity != n || kind != Kind.WORDS) {
            throw new IllegalArgumentException(cName() + " is not called with " + n + " word arguments: " + declaration);
        }
    }

    /** Calls the function with no argument; its result as a word. */
    public long call() {
        expect(0);
        return result(critical != null ? Native.critical(address()) : Native.call(address()));
    }

    /** Calls the function with one word argument. */
    public long call(long a) {
        expect(1);
        return result(critical != null ? Native.critical(address(), a) : Native.call(address(), a));
    }

    /** Calls the function with two word arguments. */
    public long call(long a, long b) {
        expect(2);
        return result(critical != null ? Native.critical(address(), a, b) : Native.call(address(), a, b));
    }

    /** Calls the function with three word arguments. */
    public long call(long a, long b, long c) {
        expect(3);
        return result(critical != null ? Native.critical(address(), a, b, c) : Native.call(address(), a, b, c));
    }

    /** Calls the function with four word arguments (never critical). */
    public long call(long a, long b, long c, long d) {
        expect(4);
        return result(Native.call(address(), a, b, c, d));
    }

    /** Calls a function of one {@code double} argument ({@link Kind#DOUBLE_ARG}, always critical here). */
    public long call(double a) {
        if (kind != Kind.DOUBLE_ARG || critical == null) {
            throw new IllegalArgumentException(cName() + " is not called with a double: " + declaration);
        }
        return Native.criticalFromDouble(address(), a);
    }

    /** Calls a function with a {@code double} result ({@link Kind#DOUBLE_RESULT}, always critical here). */
    public double callDouble(long a) {
        if (kind != Kind.DOUBLE_RESULT || critical == null) {
            throw new IllegalArgumentException(cName() + " does not return a double: " + declaration);
        }
        return Native.criticalToDouble(address(), a);
    }

    /** Calls a function with a {@code double} result as an ordinary downcall (it may run Python code). */
    public double callDoubleOrdinary(long a) {
        if (kind != Kind.DOUBLE_RESULT || critical != null) {
            throw new IllegalArgumentException(cName() + " is not an ordinary function with a double result: " + declaration);
        }
        return Native.toDouble(address(), a);
    }

    /** The address of a function the table binds as an ordinary downcall, for a {@code static final} call site. */
    public MemorySegment ordinary() {
        if (critical != null) {
            throw new IllegalArgumentException(cName() + " is bound critical");
        }
        return address();
    }

    /** The address of a function the table allows to be called critically, for a {@code static final} call site. */
    public MemorySegment criticalAddress() {
        if (critical == null) {
            throw new IllegalArgumentException(cName() + " may not be called critically: " + declaration);
        }
        return address();
    }
}
