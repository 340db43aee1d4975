package dev.pyjama.internal.facade;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The type mapping of the facade generator: a type hint, as the Python half describes it (a "term":
 * a list whose first item names the kind, such as {@code ["dict", ["str"], ["float"]]}), to the Java
 * type of a generated signature. It follows pyjama's conversion table (README, Conversions), so
 * that a result converts with pyjama's own fast paths and an argument needs no code of its own
 * wherever the table already does the right thing.
 *
 * <p>Terms: {@code int float str bytes bool none any} (no argument); {@code list set iterator} (the
 * element); {@code dict} (key, value); {@code tuple} (the items); {@code optional} (the type);
 * {@code union} (the members); {@code literal} (the values); {@code callable} (the parameter terms or
 * null, the result); {@code class} (module, name, type arguments...); {@code typevar} (name);
 * {@code ndarray}; {@code unknown} (why).
 */
final class TypeMapper {

    /** What the generator knows of the Python classes it generates. */
    interface Context {
        /** The generated class for {@code module.name}, or null when it is not generated. */
        ClassInfo lookup(String module, String name);

        /** The Java enum generated for a {@code Literal} of these values; {@code nameHint} names it. */
        String literalEnum(List<Object> values, String nameHint);

        /**
         * The generated functional interface for a callback of {@code arity} parameters (three or
         * more), returning a value or not; the writer emits it once per facade.
         */
        String callbackType(int arity, boolean returns);

        /** An expression for {@code module.attr} as a {@code Py<PyObject>}, looked up once per interpreter. */
        String cell(String module, String attr);
    }

    /**
     * A generated Java type for a Python class.
     *
     * @param javaName its simple name in the generated package
     * @param kind {@code class}, {@code enum}, {@code dataclass}, {@code namedtuple} or {@code typeddict}
     * @param typeParams its type variables (a generic class), in order
     */
    record ClassInfo(String javaName, String kind, List<String> typeParams) {
        boolean isRecord() {
            return kind.equals("dataclass") || kind.equals("namedtuple") || kind.equals("typeddict") || kind.equals("model");
        }
    }

    /** Where a type appears: an argument is read leniently ({@code Object}), a result is kept as a handle. */
    enum Position { PARAM, RETURN }

    private final Context context;

    TypeMapper(Context context) {
        this.context = context;
    }

    /** A context that knows no class and names Literal enums after the hint (for tests). */
    static TypeMapper standalone() {
        return new TypeMapper(new Context() {
            @Override
            public ClassInfo lookup(String module, String name) {
                return null;
            }

            @Override
            public String literalEnum(List<Object> values, String nameHint) {
                return JavaNames.typeName(nameHint);
            }

            @Override
            public String callbackType(int arity, boolean returns) {
                return (returns ? "Function" : "Consumer") + arity;
            }

            @Override
            public String cell(String module, String attr) {
                return module + "." + attr;
            }
        });
    }

    JType map(List<?> term, Position pos, String nameHint) {
        String kind = (String) term.get(0);
        switch (kind) {
            case "int": return JType.direct("long", "Long");
            case "float": return JType.direct("double", "Double");
            case "str": return JType.direct("String", "String");
            case "bytes": return JType.direct("byte[]", "byte[]");
            case "bool": return JType.direct("boolean", "Boolean");
            case "none": return JType.direct("void", "Void");
            case "any":
                return pos == Position.PARAM ? JType.direct("Object", "Object") : opaque("typed Any in Python");
            case "list": case "set": case "iterator": return sequence(kind, map(sub(term, 1), Position.PARAM, nameHint),
                    map(sub(term, 1), Position.RETURN, nameHint), pos);
            case "dict": return dict(sub(term, 1), sub(term, 2), pos, nameHint);
            case "tuple": return tuple(term, pos);
            case "optional": return optional(map(sub(term, 1), pos, nameHint), pos);
            case "union": return unknown("a Union of " + (term.size() - 1) + " types has no single Java type", pos);
            case "literal": return literal(term.subList(1, term.size()), nameHint);
            case "callable": return callable(term, pos, nameHint);
            case "class": return klass(term, pos, nameHint);
            case "typevar": return typeVar((String) term.get(1));
            case "ndarray": return ndarray(pos);
            case "unknown": return unknown((String) term.get(1), pos);
            default: return unknown("hint kind " + kind + " is not mapped", pos);
        }
    }

    private static List<?> sub(List<?> term, int i) {
        return (List<?>) term.get(i);
    }

    private static JType opaque(String why) {
        return new JType("PyObject", "PyObject", false, null, null, why, Set.of());
    }

    private static JType unknown(String why, Position pos) {
        return pos == Position.PARAM ? new JType("Object", "Object", true, null, null, why, Set.of()) : opaque(why);
    }

    private static Set<String> vars(JType... types) {
        Set<String> s = new HashSet<>();
        for (JType t : types) {
            s.addAll(t.typeVars());
        }
        return Set.copyOf(s);
    }

    private JType sequence(String kind, JType asParam, JType asResult, Position pos) {
        JType e = pos == Position.PARAM ? asParam : asResult;
        if (e.decl().equals("void")) {
            return unknown(kind + " of None", pos);
        }
        if (kind.equals("iterator")) {
            if (pos == Position.PARAM) {
                // Java's Iterator converts to a Python iterator... only through py.iterator(); an
                // Iterable is what a Java caller has at hand, and pyjama passes it as a list.
                if (e.toPython() != null) {
                    return unknown("an iterable of " + e.boxed() + " needs per-element conversion, not generated", pos);
                }
                String decl = "Iterable<" + e.boxed() + ">";
                return new JType(decl, decl, true, null, null, e.why(), e.typeVars());
            }
            String decl = "Iterator<" + e.boxed() + ">";
            // A lazy iterator over the Python one: elements are converted as they are asked for.
            return new JType(decl, decl, false, h -> h + ".stream().map($e -> " + e.convertHandle("$e") + ").iterator()",
                    null, e.why(), e.typeVars());
        }
        String coll = kind.equals("list") ? "List" : "Set";
        String decl = coll + "<" + e.boxed() + ">";
        if (pos == Position.PARAM) {
            if (e.toPython() == null) {
                return new JType(decl, decl, true, null, null, e.why(), e.typeVars());
            }
            String collect = kind.equals("list") ? ".toList()" : ".collect(java.util.stream.Collectors.toSet())";
            return new JType(decl, decl, true, null, v -> v + ".stream().map($e -> " + e.pass("$e") + ")" + collect,
                    e.why(), e.typeVars());
        }
        if (e.byConversion()) {
            return new JType(decl, decl, true, null, null, e.why(), e.typeVars());
        }
        String collect = kind.equals("list") ? ".toList()" : ".collect(java.util.stream.Collectors.toSet())";
        return new JType(decl, decl, false, h -> h + ".stream().map($e -> " + e.convertHandle("$e") + ")" + collect,
                null, e.why(), e.typeVars());
    }

    private JType dict(List<?> k, List<?> v, Position pos, String nameHint) {
        JType kt = map(k, pos, nameHint);
        JType vt = map(v, pos, nameHint);
        boolean simple = kt.byConversion() && vt.byConversion() && kt.toPython() == null && vt.toPython() == null
                && !kt.decl().equals("void") && !vt.decl().equals("void");
        if (!simple) {
            return unknown("a dict of " + kt.boxed() + " to " + vt.boxed() + " needs per-entry conversion, not generated", pos);
        }
        String decl = "Map<" + kt.boxed() + ", " + vt.boxed() + ">";
        return new JType(decl, decl, true, null, null, kt.why() != null ? kt.why() : vt.why(), vars(kt, vt));
    }

    private JType tuple(List<?> term, Position pos) {
        if (term.size() == 1) {
            return JType.direct("List<Object>", "List<Object>");
        }
        // A heterogeneous tuple has no Java type short of a generated record per shape: its
        // natural value, a list of the items' natural values, is what callers get.
        return new JType("List<Object>", "List<Object>", true, null, null, null, Set.of());
    }

    private JType optional(JType inner, Position pos) {
        if (inner.decl().equals("void")) {
            return JType.direct("void", "Void");
        }
        if (pos == Position.PARAM) {
            // A nullable parameter: null is None, and callers write no Optional.of(...).
            UnaryOperator<String> tp = inner.toPython() == null ? null : v -> "(" + v + " == null ? null : " + inner.pass(v) + ")";
            return new JType(inner.boxed(), inner.boxed(), true, null, tp, inner.why(), inner.typeVars());
        }
        if (inner.decl().equals("PyObject")) {
            return inner; // a handle can be None itself: isNone() says so
        }
        String decl = "Optional<" + inner.boxed() + ">";
        if (inner.byConversion()) {
            return new JType(decl, decl, true, null, null, inner.why(), inner.typeVars());
        }
        return new JType(decl, decl, false,
                h -> "(" + h + ".isNone() ? Optional.<" + inner.boxed() + ">empty() : Optional.of(" + inner.convertHandle(h) + "))",
                null, inner.why(), inner.typeVars());
    }

    private JType literal(List<?> values, String nameHint) {
        @SuppressWarnings("unchecked")
        String name = context.literalEnum((List<Object>) values, nameHint);
        // Passed as its Python value; read back by value (the generated enum's fromPython).
        return new JType(name, name, false, h -> name + ".fromPython(" + h + ")", v -> v + ".value()", null, Set.of());
    }

    private JType callable(List<?> term, Position pos, String nameHint) {
        JType r = map(sub(term, 2), Position.RETURN, nameHint);
        Object params = term.get(1);
        if (pos == Position.RETURN || params == null) {
            return unknown("a Callable " + (pos == Position.RETURN ? "result" : "of unspecified parameters")
                    + " is kept as a Python object", pos);
        }
        List<?> ps = (List<?>) params;
        String rb = r.decl().equals("void") ? null : r.boxed();
        if (ps.size() == 0) {
            String decl = rb == null ? "Runnable" : "Supplier<" + rb + ">";
            String call = rb == null ? ".run(); return null; }" : ".get(); }";
            return new JType(decl, decl, true, null,
                    v -> "py.function(\"" + nameHint + "\", (java.util.function.Supplier<Object>) () -> { " + (rb == null ? "" : "return ") + v + call + ")",
                    r.why(), r.typeVars());
        }
        if (ps.size() > 2) {
            return callableN(ps, r, rb, nameHint);
        }
        JType a = map(sub(ps, 0), Position.RETURN, nameHint);
        if (ps.size() == 1) {
            String decl = rb == null ? "Consumer<" + a.boxed() + ">" : "Function<" + a.boxed() + ", " + rb + ">";
            return new JType(decl, decl, true, null,
                    v -> "py.function(\"" + nameHint + "\", (PyObject $a) -> { " + (rb == null ? "" : "return ")
                            + v + (rb == null ? ".accept(" : ".apply(") + a.convertHandle("$a") + ");"
                            + (rb == null ? " return null;" : "") + " })",
                    null, vars(a, r));
        }
        JType b = map(sub(ps, 1), Position.RETURN, nameHint);
        String decl = rb == null ? "BiConsumer<" + a.boxed() + ", " + b.boxed() + ">"
                : "BiFunction<" + a.boxed() + ", " + b.boxed() + ", " + rb + ">";
        return new JType(decl, decl, true, null,
                v -> "py.function(\"" + nameHint + "\", (PyObject $a, PyObject $b) -> { " + (rb == null ? "" : "return ")
                        + v + (rb == null ? ".accept(" : ".apply(") + a.convertHandle("$a") + ", " + b.convertHandle("$b") + ");"
                        + (rb == null ? " return null;" : "") + " })",
                null, vars(a, b, r));
    }

    /**
     * A Callable of three or more parameters: java.util.function stops at two, so the facade gets
     * a functional interface of its own per arity ({@link Context#callbackType}). The lambda becomes
     * a Python function whose signature has exactly that many parameters, so that Python itself
     * raises TypeError for a call with another number of arguments, before any Java runs.
     */
    private JType callableN(List<?> ps, JType r, String rb, String nameHint) {
        List<JType> args = new java.util.ArrayList<>();
        StringBuilder typeArgs = new StringBuilder();
        StringBuilder names = new StringBuilder();
        Set<String> tv = new HashSet<>(r.typeVars());
        for (int i = 0; i < ps.size(); i++) {
            JType a = map(sub(ps, i), Position.RETURN, nameHint);
            if (a.decl().equals("void")) {
                return unknown("a Callable with a None parameter is not mapped", Position.PARAM);
            }
            args.add(a);
            tv.addAll(a.typeVars());
            typeArgs.append(i == 0 ? "" : ", ").append(a.boxed());
            names.append(i == 0 ? "" : ", ").append("arg").append(i);
        }
        String type = context.callbackType(ps.size(), rb != null);
        String decl = type + "<" + typeArgs + (rb == null ? "" : ", " + rb) + ">";
        return new JType(decl, decl, true, null, v -> {
            StringBuilder call = new StringBuilder();
            for (int i = 0; i < args.size(); i++) {
                call.append(i == 0 ? "" : ", ").append(args.get(i).convertHandle("$args.get(" + i + ")"));
            }
            String invoke = v + (rb == null ? ".accept(" : ".apply(") + call + ")";
            return "py.function(\"" + nameHint + "\", \"" + names + "\", null, ($p, $args, $kw) -> "
                    + (rb == null ? "{ " + invoke + "; return null; })" : invoke + ")");
        }, r.why(), Set.copyOf(tv));
    }

    /**
     * The {@code Stream} companion of a result hinted as an iterator, iterable or generator of
     * {@code term}'s element, or null when there is none: only elements that pyjama's conversion
     * produces (plain Java values) can be streamed, because each is converted in a scope of its own
     * that closes before the stream hands it on; a wrapper class element lives in a scope.
     *
     * @param term the result's term
     * @param support the generated helper class holding {@code stream}
     * @param nameHint names Literal enums
     * @return the Stream type, or null
     */
    JType streamOf(List<?> term, String support, String nameHint) {
        if (!term.get(0).equals("iterator")) {
            return null;
        }
        JType e = map(sub(term, 1), Position.RETURN, nameHint);
        if (!e.byConversion() || e.decl().equals("void") || e.decl().equals("PyObject") || !e.typeVars().isEmpty()) {
            return null;
        }
        String decl = "Stream<" + e.boxed() + ">";
        return new JType(decl, decl, false, h -> support + ".stream(" + h + ", $e -> " + e.convertHandle("$e") + ")",
                null, e.why(), e.typeVars());
    }

    private JType klass(List<?> term, Position pos, String nameHint) {
        ClassInfo info = context.lookup((String) term.get(1), (String) term.get(2));
        if (info == null) {
            return unknown(term.get(1) + "." + term.get(2) + " is not generated", pos);
        }
        String n = info.javaName();
        switch (info.kind()) {
            case "enum":
                // pyjama reads an enum.Enum member into a Java enum by its name; a Python function
                // wants the member, not its name.
                return new JType(n, n, true, null, v -> v + ".toPython(py)", null, Set.of());
            case "dataclass": case "namedtuple": case "typeddict": case "model":
                // pyjama reads a dataclass, NamedTuple or dict into a record by component names.
                return new JType(n, n, true, null, v -> v + ".toPython(py)", null, Set.of());
            default:
                break;
        }
        // A wrapper class: generic ones carry a Class token per type variable.
        List<String> tps = info.typeParams();
        if (tps.isEmpty()) {
            return new JType(n, n, false, h -> "new " + n + "(py, " + h + ")", v -> v + ".handle()", null, Set.of());
        }
        StringBuilder tokens = new StringBuilder();
        StringBuilder args = new StringBuilder();
        Set<String> tv = new HashSet<>();
        for (int i = 0; i < tps.size(); i++) {
            JType a = term.size() > 3 + i ? map(sub(term, 3 + i), Position.RETURN, nameHint) : JType.direct("Object", "Object");
            if (!a.isPlainClass() && !a.typeVars().contains(a.decl())) {
                a = opaque("generic argument");
            }
            tv.addAll(a.typeVars());
            args.append(i == 0 ? "" : ", ").append(a.boxed());
            tokens.append(", ").append(a.typeVars().contains(a.decl()) ? JavaNames.tokenName(a.decl()) : a.boxed() + ".class");
        }
        String decl = n + "<" + args + ">";
        return new JType(decl, decl, false, h -> "new " + n + "<>(py, " + h + tokens + ")", v -> v + ".handle()", null, Set.copyOf(tv));
    }

    private static JType typeVar(String name) {
        String j = JavaNames.typeVarName(name);
        // An argument of type T is converted by pyjama's own rules; a result needs the Class token.
        return new JType(j, j, false, h -> h + ".toJava(" + JavaNames.tokenName(j) + ")", null, null, Set.of(j));
    }

    private JType ndarray(Position pos) {
        if (pos == Position.PARAM) {
            // Any buffer exporter: a numpy array handle, py.arrayOf(double[]) (a memoryview over one
            // copy) or a PyBuffer's owner. numpy.asarray makes it the ndarray the hint promises,
            // sharing its memory (no copy; an ndarray is passed as it is).
            String asarray = context.cell("numpy", "asarray");
            return new JType("PyObject", "PyObject", true, null, v -> asarray + ".bind(py).call(" + v + ")", null, Set.of());
        }
        return new JType("PyBuffer", "PyBuffer", false, h -> h + ".buffer()", null, null, Set.of());
    }
}
