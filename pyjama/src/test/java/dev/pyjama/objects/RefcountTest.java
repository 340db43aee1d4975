package dev.pyjama.objects;

import static dev.pyjama.testing.PyTesting.refcount;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.pyjama.CompareOp;
import dev.pyjama.Py;
import dev.pyjama.PyCallable;
import dev.pyjama.PyDict;
import dev.pyjama.PyIterator;
import dev.pyjama.PyList;
import dev.pyjama.PyObject;
import dev.pyjama.PySet;
import dev.pyjama.PyTuple;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyValueError;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Reference counting: for each family of operations, the refcount of a probe object
 * ({@code sys.getrefcount}, compared before and after, never as an absolute value) is higher while
 * the nested scope that did the operations is open, and back to its start value once it closes.
 * The "higher inside" check shows the measurement does see the references the operations take.
 */
class RefcountTest {

    private static final String SETUP = """
            class _RcHolder:
                pass
            class _RcL(list):
                pass
            _rc_probe = _RcHolder()
            _rc_holder = _RcHolder()
            _rc_holder.attr = _rc_probe
            _rc_list = [_rc_probe, _rc_probe, 1]
            _rc_dict = {'k': _rc_probe}
            _rc_set = {_rc_probe}
            _rc_plist = _RcL([1])
            def _rc_ident(x):
                return x
            def _rc_pack(*a, **k):
                return (a, k)
            def _rc_raise(x):
                raise ValueError(x)
            def _rc_gen():
                yield _rc_probe
                yield _rc_probe
            """;

    /**
     * Runs {@code body} in a nested scope (made with {@code nesting}), checks the probe's refcount
     * rose by at least {@code minRise} inside, and came back to where it started after.
     */
    private static void family(Python py, PyObject probe, String name, int minRise,
            Function<Python, Function<Function<Python, Object>, Object>> nesting, Consumer<Python> body) {
        long before = refcount(py, probe);
        nesting.apply(py).apply(inner -> {
            body.accept(inner);
            long inside = refcount(inner, probe);
            assertTrue(inside >= before + minRise,
                    name + ": refcount inside the scope should be >= " + (before + minRise) + " but was " + inside);
            return null;
        });
        assertEquals(before, refcount(py, probe), name + ": refcount after the scope closed");
    }

    private static void family(Python py, PyObject probe, String name, int minRise, Consumer<Python> body) {
        // alternate between the two ways of nesting: py.scope(...) and a nested Python.attach(...)
        family(py, probe, name + " [py.scope]", minRise, p -> b -> p.scope(b::apply), body);
        family(py, probe, name + " [nested attach]", minRise, p -> b -> Python.attach(b::apply), body);
    }

    @Test
    void everyOperationFamilyReleasesItsReferencesWhenTheScopeCloses() {
        try (Python py = Python.attach()) {
            py.run(SETUP);
            PyObject probe = py.eval("_rc_probe");
            PyObject holder = py.eval("_rc_holder");
            PyList list = py.eval("_rc_list").as(PyList.class);
            PyDict dict = py.eval("_rc_dict").as(PyDict.class);
            PySet set = py.eval("_rc_set").as(PySet.class);
            PyObject ident = py.eval("_rc_ident");
            PyObject pack = py.eval("_rc_pack");

            family(py, probe, "getAttr", 3, in -> {
                for (int i = 0; i < 3; i++) {
                    holder.getAttr("attr");
                }
                assertTrue(holder.hasAttr("attr"));
                in.eval("_rc_holder").getAttr("attr");
            });
            family(py, probe, "setAttr/delAttr", 0, in -> {
                PyObject h = in.eval("_RcHolder()");
                h.setAttr("a", probe);
                h.setAttr("b", probe);
                h.delAttr("b");
            });
            family(py, probe, "call", 4, in -> {
                ident.call(probe);
                ident.call(probe);
                pack.call(new Object[] {probe, probe}, Map.of("k", probe));
                ident.as(PyCallable.class).call(probe);
                in.eval("lambda: _rc_probe").call();
            });
            family(py, probe, "callMethod", 3, in -> {
                list.callMethod("__getitem__", 0L);
                dict.callMethod("get", "k");
                dict.callMethod("get", new Object[] {"missing", probe}, Map.of());
                py.importModule("builtins").callMethod("id", probe);
            });
            family(py, probe, "call raising (exception value closed)", 0, in -> {
                PyBaseException e = assertThrows(PyValueError.class, () -> in.eval("_rc_raise").call(probe));
                assertNotNull(e.getMessage());
                PyBaseException e2 = assertThrows(PyValueError.class,
                        () -> in.eval("_rc_raise").callMethod("__call__", probe));
                // the Java exceptions stay reachable; only their documented Py<T> value is closed
                keep.add(e);
                keep.add(e2);
                e.value().orElseThrow().close();
                e2.value().orElseThrow().close();
            });
            keep.clear();
            family(py, probe, "getItem/slices", 3, in -> {
                list.getItem(0L);
                list.getItem(-2L);
                dict.getItem("k");
                list.getItem(in.slice(null, 2L, null));
                list.get(1);
                in.tuple(probe, 1L).as(PyTuple.class).get(0);
            });
            family(py, probe, "setItem/delItem", 0, in -> {
                PyList l = in.list(1L, 2L);
                l.setItem(0, probe);
                l.setItem(in.slice(1L, null, null), List.of(probe, probe));
                dict.setItem("k2", probe);
                dict.delItem("k2");
                l.delItem(0);
            });
            family(py, probe, "iteration", 2, in -> {
                List<PyObject> seen = new ArrayList<>();
                for (PyObject o : list) {
                    seen.add(o);
                }
                assertEquals(3, seen.size());
                list.stream().limit(1).forEach(o -> o.repr());
                Iterator<PyObject> abandoned = list.iterator();
                abandoned.next();
                PyIterator gen = in.eval("_rc_gen()").as(PyIterator.class);
                gen.hasNext(); // leaves an item fetched and never taken
                for (PyObject o : set) {
                    o.pyHash();
                }
                for (PyObject o : dict.values()) {
                    o.repr();
                }
            });
            family(py, probe, "conversions", 4, in -> {
                in.toPython(probe);
                in.toPython(List.of(probe, probe));
                in.toPython(Map.of("k", probe));
                in.toPython(new Object[] {probe});
                probe.toJava(PyObject.class);
                Object natural = list.toJava(Object.class);
                assertTrue(natural instanceof List<?>, String.valueOf(natural));
                list.toJava(new TypeRef<List<Object>>() {});
                dict.toJava(Map.class);
                try (Py<PyObject> ref = probe.unbind()) {
                    in.toPython(ref);
                }
            });
            family(py, probe, "typed constructors", 5, in -> {
                in.list(probe, probe);
                in.list(List.of(probe));
                in.tuple(probe);
                in.dict(Map.of("k", probe));
                in.set(probe);
                in.frozenSet(probe);
            });
            family(py, probe, "as/tryAs", 0, in -> {
                PyObject plain = in.eval("_rc_probe");
                plain.as(PyObject.class);
                assertTrue(plain.tryAs(PyList.class).isEmpty());
                assertThrows(ClassCastException.class, () -> plain.as(PyDict.class));
                in.eval("_rc_list").as(PyList.class).as(PyList.class);
            });
            family(py, probe, "unbind/bind", 2, in -> {
                Py<PyObject> ref = probe.unbind();
                ref.bind(in);
                ref.bind(in);
                in.scope(deeper -> ref.bind(deeper));
                ref.close();
            });
            family(py, probe, "views and copies", 3, in -> {
                list.asList().get(0);
                for (PyObject o : list.asList()) {
                    o.isTruthy();
                }
                dict.asMap().get("k");
                for (Map.Entry<PyObject, PyObject> e : dict.asMap().entrySet()) {
                    e.getValue();
                }
                for (PyObject o : set.asSet()) {
                    o.isNone();
                }
                assertTrue(set.asSet().contains(probe));
                list.toList(Object.class);
                dict.toMap(String.class, Object.class);
                dict.keys();
                dict.items();
            });
            family(py, probe, "dict/list/set methods", 2, in -> {
                dict.get("k");
                dict.get("missing", probe);
                dict.setDefault("k", 1L);
                PyDict d = dict.copy();
                d.pop("k");
                d.pop("missing", probe);
                d.update(dict);
                PyList l = in.list();
                l.append(probe);
                l.insert(0, probe);
                l.extend(list);
                l.index(probe);
                l.pop(0);
                l.sort(in.eval("id"), true);
                l.reverse();
                l.slice(0, 2);
                l.toTuple();
                PySet s = in.set();
                s.add(probe);
                s.union(set);
                s.discard(probe);
            });
            family(py, probe, "operators and comparison", 2, in -> {
                PyList one = in.list((Object) probe);
                one.plus(one);
                one.times(3L);
                probe.richCompare(CompareOp.EQ, probe);
                probe.compare(CompareOp.NE, 1L);
                probe.pyEquals(probe);
                set.or(in.set(probe));
                probe.type();
                probe.repr();
                probe.toString();
            });
            family(py, probe, "java functions", 1, in -> {
                PyCallable f = in.function("_rc_fn", (Function<PyObject, Object>) o -> o);
                f.call(probe);
                in.eval("lambda f: f(_rc_probe)").call(f);
            });
        }
    }

    private static final List<Object> keep = new ArrayList<>();

    /**
     * A Python exception thrown as Java holds the exception object only through an unbound
     * {@code Py} ({@code value()}), which keeps the traceback (and so the frames' locals) alive
     * until it is closed or collected.
     */
    @Test
    void anExceptionHoldsPythonObjectsOnlyThroughItsPyValue() {
        try (Python py = Python.attach()) {
            py.run(SETUP);
            PyObject probe = py.eval("_rc_probe");
            long before = refcount(py, probe);
            PyBaseException e = py.scope(in -> assertThrows(PyValueError.class, () -> in.eval("_rc_raise").call(probe)));
            assertTrue(refcount(py, probe) > before, "the exception's args and traceback refer to the probe");
            Py<PyObject> value = e.value().orElseThrow();
            boolean argIsProbe = py.scope(in -> value.bind(in).getAttr("args").getItem(0).equals(probe));
            assertTrue(argIsProbe);
            value.close();
            assertEquals(before, refcount(py, probe), "closing the value releases everything");
            assertTrue(e.getMessage().contains("ValueError"), e.getMessage());
        }
    }

    /**
     * New references to objects that are immortal from 3.12 (None, True, a small int) and to an
     * ordinary one: 3.10/3.11 count every one, 3.12+ leave the immortal ones untouched; all are
     * back where they started once the scope closes.
     */
    @Test
    void newReferencesCountLikeCPythonsOwnIncref() {
        try (Python py = Python.attach()) {
            py.run(SETUP);
            boolean immortals = py.eval("__import__('sys').version_info >= (3, 12)").isTruthy();
            for (String expr : new String[] {"None", "True", "7", "_rc_probe"}) {
                PyObject o = py.eval(expr);
                boolean immortal = immortals && !expr.equals("_rc_probe");
                long before = refcount(py, o);
                long inside = py.scope(in -> {
                    for (int i = 0; i < 1000; i++) {
                        in.toPython(o); // a new reference to the same object, owned by the scope
                    }
                    return refcount(in, o);
                });
                assertEquals(immortal ? before : before + 1000, inside, expr);
                assertEquals(before, refcount(py, o), expr);
            }
        }
    }

    @Test
    void closingAHandleReleasesItsReferenceEarly() {
        try (Python py = Python.attach()) {
            py.run(SETUP);
            PyObject probe = py.eval("_rc_probe");
            PyList list = py.eval("_rc_list").as(PyList.class);
            long before = refcount(py, probe);
            PyObject item = list.getItem(0L);
            assertEquals(before + 1, refcount(py, item));
            item.close();
            assertEquals(before, refcount(py, probe), "close() releases now, in the same scope");
            item.close(); // idempotent
            assertEquals(before, refcount(py, probe));
            assertThrows(IllegalStateException.class, item::repr);
            // closing a typed handle obtained by as() leaves the original handle usable
            PyObject plain = py.eval("_rc_list");
            PyList typed = plain.as(PyList.class);
            typed.close();
            assertEquals(3, plain.len());
            assertThrows(IllegalStateException.class, typed::size);
            // a long loop in one scope stays flat when it closes what it makes
            for (int i = 0; i < 1000; i++) {
                PyObject x = list.getItem(0L);
                x.close();
            }
            assertEquals(before, refcount(py, probe));
        }
    }

    @Test
    void theOutermostScopeReleasesEverythingWhenItCloses() {
        long before = Python.attach(py -> {
            py.run(SETUP);
            return refcount(py, py.eval("_rc_probe"));
        });
        Python.attach(py -> {
            PyObject probe = py.eval("_rc_probe");
            PyList list = py.eval("_rc_list").as(PyList.class);
            for (int i = 0; i < 50; i++) {
                list.getItem(0L);
                py.list(probe, 1L);
                try (Py<PyObject> ref = probe.unbind()) {
                    ref.bind(py);
                }
            }
            assertTrue(refcount(py, probe) >= before + 150);
            return null;
        });
        assertEquals(before, (long) Python.attach(py -> refcount(py, py.eval("_rc_probe"))));
    }

    @Test
    void handlesAreUnusableAfterTheirScopeCloses() {
        PyObject[] escaped = new PyObject[1];
        Python.attach(py -> {
            escaped[0] = py.list(1L);
            return null;
        });
        assertThrows(IllegalStateException.class, () -> escaped[0].repr());
        assertThrows(IllegalStateException.class, () -> escaped[0].unbind());
        try (Python py = Python.attach()) {
            PyObject inner = py.scope(in -> in.list(2L));
            assertThrows(IllegalStateException.class, inner::len, "a nested scope's handle dies with it");
            assertFalse(inner.toString().isEmpty(), "toString of a dead handle does not throw");
        }
        try (Python py = Python.attach()) {
            assertEquals(0, py.list().len());
        } catch (RuntimeException e) {
            fail(e);
        }
    }
}
