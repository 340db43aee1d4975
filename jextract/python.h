/* Wrapper header for jextract (see jextract/README.md).
 * Generate against the stable ABI as of CPython 3.13; the runtime checks the
 * running version before using symbols newer than 3.10 (see includes.txt). */
#define Py_LIMITED_API 0x030d0000
#include <Python.h>
