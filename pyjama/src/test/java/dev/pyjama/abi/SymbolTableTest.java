package dev.pyjama.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.Python;
import dev.pyjama.internal.runtime.Interpreter;
import dev.pyjama.internal.abi.Symbol;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The symbol table against the headers and the running library: every function is called with
 * the shape its C declaration has (as jextract read it from {@code Python.h}), and every symbol the
 * table says this version exports is exported.
 */
class SymbolTableTest {

    /** The descriptors jextract generated, read from its output (loading them would look every symbol up). */
    private static Map<String, List<String>> generatedDescriptors() throws IOException {
        String source = Files.readString(Path.of("../bindings/dev/pyjama/ffi/LibPython.java"));
        Matcher m = Pattern.compile("private static class (\\w+) \\{\\s*public static final FunctionDescriptor DESC = "
                + "FunctionDescriptor\\.(of|ofVoid)\\(([^;]*?)\\);").matcher(source);
        Map<String, List<String>> out = new HashMap<>();
        while (m.find()) {
            List<String> layouts = new ArrayList<>();
            for (String part : m.group(3).split(",")) {
                if (!part.isBlank()) {
                    layouts.add(part.trim().replace("LibPython.", ""));
                }
            }
            if (m.group(2).equals("ofVoid")) {
                layouts.add(0, "void");
            }
            out.put(m.group(1), layouts); // the result first, then the arguments
        }
        return out;
    }

    @Test
    void everyFunctionIsCalledWithTheShapeOfItsDeclaration() throws IOException {
        Map<String, List<String>> generated = generatedDescriptors();
        assertTrue(generated.size() > 200, "descriptors found in the generated bindings: " + generated.size());
        List<String> checked = new ArrayList<>();
        for (Symbol s : Symbol.values()) {
            List<String> layouts = generated.get(s.cName());
            if (!s.declaration.contains("(")) {
                continue; // a variable or an object
            }
            if (layouts == null) {
                // Declared in cpython/ headers or libc, outside the bindings' include list: the
                // declaration in the table gives the arity.
                String args = s.declaration.substring(s.declaration.indexOf('(') + 1, s.declaration.lastIndexOf(')'));
                int arity = args.isBlank() || args.equals("void") ? 0 : args.split(",").length;
                assertEquals(arity, s.arity(), s.declaration);
                continue;
            }
            List<String> args = layouts.subList(1, layouts.size());
            assertEquals(args.size(), s.arity(), s.cName() + ": " + s.declaration);
            for (String arg : args) {
                // Word form: pointers, Py_ssize_t, long long, unsigned long and int are words; a double is not,
                // and only a one-argument double function has a shape for it.
                assertTrue(!arg.equals("C_FLOAT") && (!arg.equals("C_DOUBLE") || s.arity() == 1),
                        s.cName() + " has an argument word form cannot carry: " + arg);
            }
            assertEquals(layouts.get(0).equals("C_INT"), s.declaration.startsWith("int ")
                    || s.declaration.startsWith("PyGILState_STATE "),
                    s.cName() + ": an int result must be read from the low half of its word");
            checked.add(s.cName());
        }
        assertTrue(checked.size() > 100, "the generated bindings cover the table: " + checked.size());
    }

    @Test
    void everySymbolThisVersionShouldExportIsExported() {
        int minor = Python.attach(py -> Interpreter.get().profile().minor());
        for (Symbol s : Symbol.values()) {
            boolean renamed = s == Symbol._PyThreadState_UncheckedGet && minor >= 13; // PyThreadState_GetUnchecked from 3.13
            if (s.since <= minor && !renamed) {
                assertTrue(s.isExported(), s.cName() + " (exported from 3." + s.since + ") is missing on 3." + minor);
            }
        }
    }
}
