package dev.pyjama.facade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.internal.facade.FacadeGenerator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Python names that Java cannot have as they map (keywords, java.lang.Object's methods, the
 * members the generated code has, two Python names with one camelCase form) compile, each renamed
 * member calls its own Python function, and a warning names both sides of every clash.
 */
class FacadeNameClashTest {

    @TempDir
    Path tmp;

    private static final String MODULE = """
            import dataclasses
            from typing import Iterator

            class Widget:
                def __init__(self, n: int) -> None:
                    self.n = n

                def handle(self) -> str:
                    return "py handle"

                def create(self) -> str:
                    return "py create"

                def to_string(self) -> str:
                    return "py to_string"

                def hash_code(self) -> int:
                    return 42

                def equals(self, other: int) -> bool:
                    return other == self.n

                def get_class(self) -> str:
                    return "py get_class"

                def wait(self) -> str:
                    return "py wait"

                def notify(self) -> str:
                    return "py notify"

                def foo_bar(self) -> str:
                    return "py foo_bar"

                def fooBar(self) -> str:
                    return "py fooBar"

                def scale(self, k: int = 2) -> int:
                    return self.n * k

                def scale_(self) -> int:
                    return -1

                def default(self) -> str:
                    return "py default"

                @property
                def size(self) -> int:
                    return self.n

                def set_size(self) -> str:
                    return "py set_size"

                @size.setter
                def size(self, v: int) -> None:
                    self.n = v

                @staticmethod
                def clone() -> str:
                    return "py clone"

            @dataclasses.dataclass
            class Row:
                unit_price: float
                qty: int

            @dataclasses.dataclass
            class Odd:
                toString: str
                py: int

            def row() -> Row:
                return Row(2.5, 3)

            def odd_repr(o: Odd) -> str:
                return repr(o)

            def handle() -> str:
                return "py module handle"

            def foo_bar() -> str:
                return "py module foo_bar"

            def fooBar() -> str:
                return "py module fooBar"

            def new() -> str:
                return "py new"

            def new_() -> str:
                return "py new_"

            def to_string() -> str:
                return "py module to_string"

            def both(foo_bar: int, fooBar: int) -> int:
                return foo_bar * 10 + fooBar

            def count(n: int) -> Iterator[int]:
                return iter(range(n))

            def count_stream() -> str:
                return "py count_stream"
            """;

    private static final String CALLER = """
            package gen.use;

            import dev.pyjama.Python;
            import gen.clash.*;
            import java.util.ArrayList;
            import java.util.List;

            /** Calls every renamed member. */
            public final class Caller {
                private Caller() {}

                /**
                 * Runs the calls.
                 *
                 * @return what they returned
                 */
                public static Object run() {
                    List<Object> out = new ArrayList<>();
                    try (Python py = Python.attach()) {
                        Widget w = Widget.create(py, 7);
                        out.add(w.handle_());
                        out.add(w.handle().repr().startsWith("<"));
                        out.add(w.create_());
                        out.add(w.toString_());
                        out.add(w.hashCode_());
                        out.add(w.equals_(7));
                        out.add(w.getClass_());
                        out.add(w.wait_());
                        out.add(w.notify_());
                        out.add(w.fooBar());
                        out.add(w.fooBar_());
                        out.add(w.scale());
                        out.add(w.scale(3));
                        out.add(w.scale_());
                        out.add(w.default_());
                        w.setSize(5);
                        out.add(w.size());
                        out.add(w.setSize_());
                        out.add(Widget.clone_(py));
                        out.add(M.row(py));
                        out.add(M.oddRepr(py, new Odd("s", 1)));
                        out.add(M.handle(py));
                        out.add(M.fooBar(py));
                        out.add(M.fooBar_(py));
                        out.add(M.new_(py));
                        out.add(M.new__(py));
                        out.add(M.toString_(py));
                        out.add(M.both(py, 1, 2));
                        out.add(M.countStream(py, 3).toList());
                        out.add(M.countStream_(py));
                    }
                    return out.toString();
                }
            }
            """;

    @Test
    void clashingNamesCompileRenamedAndCallTheirOwnPythonFunction() throws Exception {
        String module = FacadeTesting.uniqueModule("clash");
        List<String> warnings = new ArrayList<>();
        Map<String, String> files = FacadeTesting.facade(tmp.resolve("py"), module, MODULE, "gen.clash", warnings);
        String cls = FacadeGenerator.moduleClassName(module);
        assertEquals("[py handle, true, py create, py to_string, 42, true, py get_class, py wait, py notify,"
                + " py foo_bar, py fooBar, 14, 21, -1, py default, 5, py set_size, py clone,"
                + " Row[unit_price=2.5, qty=3], Odd(toString='s', py=1), py module handle, py module foo_bar,"
                + " py module fooBar, py new, py new_, py module to_string, 12, [0, 1, 2], py count_stream]",
                FacadeTesting.compileAndRunCaller(tmp, "gen.clash", files, cls, CALLER));
        String all = String.join("\n", warnings);
        String w = module + ".Widget.";
        for (String expected : List.of(
                w + "handle: the Java name handle is the generated handle(); generated as handle_",
                w + "create: the Java name create is the generated create(); generated as create_",
                w + "to_string: the Java name toString is java.lang.Object's toString(); generated as toString_",
                w + "hash_code: the Java name hashCode is java.lang.Object's hashCode(); generated as hashCode_",
                w + "fooBar: the Java name fooBar is taken by Python foo_bar; generated as fooBar_",
                w + "scale_: the Java name scale is taken by Python scale; generated as scale_",
                w + "set_size: the Java name setSize is taken by Python setter of size; generated as setSize_",
                w + "clone: the Java name clone is java.lang.Object's clone(); generated as clone_",
                module + ".fooBar: the Java name fooBar is taken by Python foo_bar; generated as fooBar_",
                module + ".new_: the Java name new_ is taken by Python new; generated as new__",
                module + ".count_stream: the Java name countStream is taken by Python stream of count; generated as countStream_",
                module + ".Odd.toString: not a usable record component name in Java; the component is toString_",
                module + ".Odd.py: not a usable record component name in Java; the component is py_")) {
            assertTrue(all.contains(expected), "missing warning: " + expected + " in\n" + all);
        }
    }
}
