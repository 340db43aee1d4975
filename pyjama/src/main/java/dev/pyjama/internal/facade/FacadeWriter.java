package dev.pyjama.internal.facade;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the Java sources of a facade from the description the Python half made
 * ({@code introspect.py}): a final class per module (a static method per function), a final class
 * per Python class (a wrapper over its handle), a record per dataclass, {@code NamedTuple} and
 * {@code TypedDict}, a Java enum per {@code Enum} and per {@code Literal}.
 *
 * <p>Defaults and keyword-only parameters become overloads: one per defaulted parameter, each
 * leaving out the defaulted parameters after it (Python order, keyword-only ones last), so that
 * Python fills them in. Overloads cost nothing per call (no options object to allocate), their
 * arities all differ (never ambiguous, {@code null} included), and javac checks each one; what
 * they cannot say is "this defaulted parameter but not that earlier one", for which the caller
 * passes the earlier one's default explicitly (it is quoted in the Javadoc).
 *
 * <p>Generated code uses pyjama's public API only: each function or class object is looked up
 * once per interpreter into a {@link dev.pyjama.PyOnceCell}, a call whose result pyjama's
 * conversion produces goes through {@code Py.callAs} (no handle at all), keyword calls and
 * wrapped results through handles.
 */
final class FacadeWriter {

    private final String pkg;
    private final String python;
    private final Set<String> warnings = new LinkedHashSet<>();
    private final Map<String, TypeMapper.ClassInfo> classes = new HashMap<>();
    private final Map<String, String> files = new LinkedHashMap<>();
    /** Every top-level type name of the facade (Python classes, modules, generated support types). */
    private final Set<String> taken = new LinkedHashSet<>();
    /** The callback interfaces the facade uses: arity and whether it returns, to its name. */
    private final Map<List<Object>, String> callbacks = new LinkedHashMap<>();
    /** The helper class of Stream results, named once the facade's own names are known. */
    private String streams;
    private boolean streamsUsed;

    FacadeWriter(String pkg, String python) {
        this.pkg = pkg;
        this.python = python;
    }

    Map<String, String> files() {
        return files;
    }

    Set<String> warnings() {
        return warnings;
    }

    /** Writes the sources of every module of {@code description} (the Python half's result). */
    @SuppressWarnings("unchecked")
    void write(Map<String, Object> description) {
        List<Map<String, Object>> modules = (List<Map<String, Object>>) description.get("modules");
        for (Object w : (List<Object>) description.get("warnings")) {
            warnings.add((String) w);
        }
        for (Map<String, Object> m : modules) {
            for (Map<String, Object> c : (List<Map<String, Object>>) m.get("classes")) {
                String n = JavaNames.typeName((String) c.get("name"));
                if (!taken.add(n)) {
                    n = JavaNames.typeName(last((String) m.get("name"))) + n;
                    taken.add(n);
                }
                classes.put(m.get("name") + "." + c.get("name"), new TypeMapper.ClassInfo(n, (String) c.get("kind"),
                        ((List<String>) c.get("typeparams")).stream().map(JavaNames::typeVarName).toList()));
            }
        }
        List<String> moduleClasses = new ArrayList<>();
        for (Map<String, Object> m : modules) {
            String cls = JavaNames.typeName(last((String) m.get("name")));
            if (taken.contains(cls)) {
                cls = cls + "Module";
            }
            taken.add(cls);
            moduleClasses.add(cls);
        }
        streams = freeTypeName("PyjamaStreams");
        for (int i = 0; i < modules.size(); i++) {
            Map<String, Object> m = modules.get(i);
            String modName = (String) m.get("name");
            writeModule(m, moduleClasses.get(i));
            for (Map<String, Object> c : (List<Map<String, Object>>) m.get("classes")) {
                TypeMapper.ClassInfo info = classes.get(modName + "." + c.get("name"));
                switch (info.kind()) {
                    case "enum" -> writeEnum(modName, c, info);
                    case "dataclass", "namedtuple", "typeddict", "model" -> writeRecord(modName, c, info);
                    default -> writeClass(modName, c, info);
                }
            }
        }
        callbacks.forEach((k, n) -> writeCallback(n, (Integer) k.get(0), (Boolean) k.get(1)));
        if (streamsUsed) {
            writeStreams();
        }
    }

    /** {@code wanted}, or with underscores appended until no type of the facade has the name. */
    private String freeTypeName(String wanted) {
        String n = wanted;
        while (taken.contains(n)) {
            n = n + "_";
        }
        taken.add(n);
        return n;
    }

    private static String last(String dotted) {
        return dotted.substring(dotted.lastIndexOf('.') + 1);
    }

    // --- a generated file ---

    /** One Java source being written: its imports are fixed, its nested enums and constants collected. */
    private final class Unit implements TypeMapper.Context {
        final StringBuilder body = new StringBuilder();
        final StringBuilder nested = new StringBuilder();
        final StringBuilder constants = new StringBuilder();
        final Map<List<Object>, String> literals = new HashMap<>();
        final Set<String> literalNames = new java.util.HashSet<>();
        final String owner;
        final TypeMapper mapper = new TypeMapper(this);
        /** Member names this file's own code has, or that would clash with java.lang.Object's. */
        final Set<String> reserved;
        /** A Java member name given out, to the Python member that has it (for the clash warning). */
        final Map<String, String> memberOwners = new HashMap<>();
        /** A Python member in a role (method, getter, setter, stream), to its Java name. */
        final Map<String, String> memberNames = new HashMap<>();
        /** The constants made by {@link #cell(String, String)}, so that each is declared once. */
        final Map<String, String> cells = new HashMap<>();
        int counter;

        Unit(String owner, Set<String> generated) {
            this.owner = owner;
            Set<String> r = new java.util.HashSet<>(JavaNames.OBJECT_METHODS);
            r.addAll(generated);
            this.reserved = Set.copyOf(r);
        }

        /**
         * The Java name of a Python member in a role. The first member (in the order the file is
         * written) to want a name gets it; a later one, or one wanting a reserved name, gets
         * underscores appended until the name is free, and a warning names both. The same member
         * asking again (an overload) gets the same name.
         */
        String memberName(String role, String pyName, String wanted, String qual) {
            String key = role + ":" + pyName;
            String have = memberNames.get(key);
            if (have != null) {
                return have;
            }
            String n = wanted;
            while (reserved.contains(n) || memberOwners.containsKey(n)) {
                n = n + "_";
            }
            if (!n.equals(wanted)) {
                warnings.add(qual + ": the Java name " + wanted + " "
                        + (reserved.contains(wanted) ? (JavaNames.OBJECT_METHODS.contains(wanted) ? "is java.lang.Object's "
                        + wanted + "()" : "is the generated " + wanted + "()") : "is taken by " + memberOwners.get(wanted))
                        + "; generated as " + n);
            }
            memberOwners.put(n, "Python " + (role.equals("method") ? "" : role + " of ") + pyName);
            memberNames.put(key, n);
            return n;
        }

        @Override
        public String callbackType(int arity, boolean returns) {
            return callbacks.computeIfAbsent(List.of(arity, returns),
                    k -> freeTypeName((returns ? "Function" : "Consumer") + arity));
        }

        @Override
        public TypeMapper.ClassInfo lookup(String module, String name) {
            return classes.get(module + "." + name);
        }

        @Override
        public String literalEnum(List<Object> values, String nameHint) {
            String have = literals.get(values);
            if (have != null) {
                return have;
            }
            String n = JavaNames.typeName(nameHint);
            while (!literalNames.add(n) || n.equals(owner)) {
                n = n + "Value";
            }
            literals.put(values, n);
            nested.append("    /** The values of a {@code Literal} hint, passed to Python as their values. */\n");
            nested.append("    public enum ").append(n).append(" {\n");
            for (int i = 0; i < values.size(); i++) {
                Object v = values.get(i);
                String lit = v instanceof String s ? quote(s) : v + "L";
                nested.append("        /** Python {@code ").append(Javadoc.escape(pyRepr(v))).append("}. */\n");
                nested.append("        ").append(JavaNames.constant(String.valueOf(v))).append("(").append(lit).append(")")
                        .append(i + 1 < values.size() ? ",\n" : ";\n");
            }
            nested.append("\n        private final Object value;\n\n");
            nested.append("        ").append(n).append("(Object value) {\n            this.value = value;\n        }\n\n");
            nested.append("        /**\n         * The Python value.\n         *\n         * @return a String or a Long\n         */\n");
            nested.append("        public Object value() {\n            return value;\n        }\n\n");
            nested.append("        static ").append(n).append(" fromPython(PyObject h) {\n");
            nested.append("            Object v = h.toJava(Object.class);\n");
            nested.append("            for (").append(n).append(" c : values()) {\n");
            nested.append("                if (c.value.equals(v)) {\n                    return c;\n                }\n            }\n");
            nested.append("            throw new IllegalArgumentException(\"not a value of ").append(n).append(": \" + h.repr());\n");
            nested.append("        }\n    }\n\n");
            return n;
        }

        /** A constant: a TypeRef for a generic result type, declared once per file. */
        String typeRef(String type) {
            String n = "TYPE_" + (counter++);
            constants.append("    private static final TypeRef<").append(type).append("> ").append(n)
                    .append(" = new TypeRef<").append(type).append(">() {};\n");
            return n;
        }

        @Override
        public String cell(String module, String attr) {
            return cells.computeIfAbsent(module + "." + attr, k -> {
                String c = cell(module, new String[] {attr});
                return c.substring(0, c.indexOf(".get(")); // the constant; its lookup is below
            }) + ".get(py, $p -> $p.importModule(" + quote(module) + ").getAttr(" + quote(attr) + ").unbind())";
        }

        /** A constant: a function, class or module object, looked up once per interpreter. */
        String cell(String module, String... path) {
            String n = "PY_" + (counter++);
            constants.append("    private static final PyOnceCell<Py<PyObject>> ").append(n).append(" = new PyOnceCell<>();\n");
            StringBuilder lookup = new StringBuilder("$p.importModule(" + quote(module) + ")");
            for (String a : path) {
                lookup.append(".getAttr(").append(quote(a)).append(")");
            }
            return n + ".get(py, $p -> " + lookup + ".unbind())";
        }

        String source(String header) {
            return "// Generated by pyjama's facade generator from Python " + python + ". Do not edit: regenerate.\n"
                    + "package " + pkg + ";\n\n"
                    + "import dev.pyjama.Kwargs;\nimport dev.pyjama.Py;\nimport dev.pyjama.PyBuffer;\n"
                    + "import dev.pyjama.PyObject;\nimport dev.pyjama.PyOnceCell;\nimport dev.pyjama.Python;\n"
                    + "import dev.pyjama.TypeRef;\nimport java.util.Iterator;\nimport java.util.List;\n"
                    + "import java.util.Map;\nimport java.util.Objects;\nimport java.util.Optional;\nimport java.util.Set;\n"
                    + "import java.util.function.BiConsumer;\nimport java.util.function.BiFunction;\n"
                    + "import java.util.function.Consumer;\nimport java.util.function.Function;\n"
                    + "import java.util.function.Supplier;\nimport java.util.stream.Stream;\n\n"
                    + header + constants + (constants.isEmpty() ? "" : "\n") + nested + body + "}\n";
        }
    }

    // --- modules ---

    @SuppressWarnings("unchecked")
    private void writeModule(Map<String, Object> m, String cls) {
        String modName = (String) m.get("name");
        Unit u = new Unit(cls, Set.of());
        for (Map<String, Object> f : (List<Map<String, Object>>) m.get("functions")) {
            String fn = u.cell(modName, (String) f.get("name"));
            writeFunction(u, modName + "." + f.get("name"), f, Kind.STATIC, fn, Set.of());
        }
        String doc = (String) m.get("doc");
        String header = Javadoc.comment("", "The functions of Python module " + modName + ".", doc, null)
                + " */\npublic final class " + cls + " {\n\n    private " + cls + "() {}\n\n";
        files.put(cls, u.source(header));
    }

    private enum Kind { STATIC, INSTANCE, CONSTRUCTOR }

    /**
     * Writes a function's methods (one per overload). {@code target} is the expression of the
     * {@code Py} to call (STATIC, CONSTRUCTOR), unused for INSTANCE (a method call on {@code self}).
     */
    @SuppressWarnings("unchecked")
    private void writeFunction(Unit u, String qual, Map<String, Object> f, Kind kind, String target, Set<String> classVars) {
        String pyName = (String) f.get("name");
        String javaName = kind == Kind.CONSTRUCTOR ? "create" : u.memberName("method", pyName, JavaNames.member(pyName), qual);
        String sig = pyName + f.get("sig");
        String doc = (String) f.get("doc");
        if (f.get("error") != null) {
            warnings.add(qual + ": " + f.get("error") + "; generated as " + javaName + "(Object...) returning PyObject");
            u.body.append(Javadoc.comment("    ", "Python's " + qual + ", untyped: " + f.get("error") + ".", doc, null));
            u.body.append("     *\n     * @param py the attach token\n     * @param args the positional arguments\n"
                    + "     * @return the result, a handle in py's scope\n     */\n");
            u.body.append("    public static PyObject ").append(javaName).append("(Python py, Object... args) {\n");
            u.body.append("        return ").append(target).append(".bind(py).call(args);\n    }\n\n");
            return;
        }
        List<Param> params = new ArrayList<>();
        Set<String> usedParams = new java.util.HashSet<>();
        for (Map<String, Object> p : (List<Map<String, Object>>) f.get("params")) {
            String k = (String) p.get("kind");
            if (k.equals("varpos") || k.equals("varkw")) {
                continue; // not exposed (the Python half warned)
            }
            JType t = u.mapper.map((List<?>) p.get("type"), TypeMapper.Position.PARAM, (String) p.get("name"));
            if (t.why() != null) {
                warnings.add(qual + ": parameter " + p.get("name") + ": " + t.why() + "; typed " + t.decl());
            }
            // foo_bar and fooBar are two Python parameters but one Java name: the later gets a "_"
            String jn = JavaNames.param((String) p.get("name"));
            while (usedParams.contains(jn)) {
                jn = jn + "_";
            }
            usedParams.add(jn);
            params.add(new Param((String) p.get("name"), jn, k.equals("kw"),
                    (Boolean) p.get("default"), (String) p.get("defaultRepr"), t));
        }
        // keyword-only parameters last, as a Java caller lists them
        List<Param> ordered = new ArrayList<>(params.stream().filter(p -> !p.keyword).toList());
        ordered.addAll(params.stream().filter(p -> p.keyword).toList());
        JType ret = kind == Kind.CONSTRUCTOR ? null
                : u.mapper.map((List<?>) f.get("returns"), TypeMapper.Position.RETURN, pyName + "_result");
        if (ret != null && ret.why() != null && !ret.why().startsWith("typed Any")) {
            warnings.add(qual + ": result: " + ret.why() + "; typed " + ret.decl());
        }
        List<List<Param>> variants = new ArrayList<>();
        for (int cut = ordered.size(); cut >= 0; cut--) {
            if (cut < ordered.size() && !ordered.get(cut).hasDefault) {
                continue;
            }
            List<Param> v = new ArrayList<>(ordered.subList(0, cut));
            for (Param p : ordered.subList(cut, ordered.size())) {
                if (!p.hasDefault) {
                    v.add(p);
                }
            }
            if (variants.stream().noneMatch(x -> x.size() == v.size())) {
                variants.add(v);
            }
        }
        for (List<Param> v : variants) {
            writeVariant(u, pyName, "Python's " + qual + ".", sig, doc, kind, javaName, target, v, ordered, ret, classVars);
        }
        JType stream = kind == Kind.CONSTRUCTOR ? null : u.mapper.streamOf((List<?>) f.get("returns"), streams, pyName + "_result");
        if (stream != null) {
            streamsUsed = true;
            String streamName = u.memberName("stream", pyName, javaName + "Stream", qual);
            String summary = "Python's " + qual + " as a lazy Stream: closing it, or consuming it to the end, closes the"
                    + " Python iterator (a generator runs its finally blocks); the GIL is held only while an element is"
                    + " fetched, not while the stream's consumer runs.";
            for (List<Param> v : variants) {
                writeVariant(u, pyName, summary, sig, doc, kind, streamName, target, v, ordered, stream, classVars);
            }
        }
    }

    private record Param(String py, String java, boolean keyword, boolean hasDefault, String defaultRepr, JType type) {}

    private void writeVariant(Unit u, String pyName, String summary, String sig, String doc, Kind kind, String javaName, String target,
                              List<Param> v, List<Param> all, JType ret, Set<String> classVars) {
        Set<String> vars = new LinkedHashSet<>();
        for (Param p : v) {
            vars.addAll(p.type.typeVars());
        }
        Set<String> tokens = new LinkedHashSet<>();
        if (ret != null) {
            vars.addAll(ret.typeVars());
            tokens.addAll(ret.typeVars());
        }
        vars.removeAll(classVars);
        tokens.removeAll(classVars);
        String retDecl = kind == Kind.CONSTRUCTOR ? u.owner + typeArgs(classVars) : ret.decl();
        // Javadoc
        u.body.append(Javadoc.comment("    ", summary, doc, sig));
        List<Param> left = all.stream().filter(p -> !v.contains(p)).toList();
        if (!left.isEmpty()) {
            StringBuilder s = new StringBuilder();
            for (Param p : left) {
                s.append(s.isEmpty() ? "" : ", ").append(p.py).append('=').append(p.defaultRepr);
            }
            u.body.append("     * <p>Python's defaults apply to: <code>").append(Javadoc.escape(s.toString())).append("</code>\n");
        }
        u.body.append("     *\n");
        Set<String> declared = new LinkedHashSet<>(kind == Kind.CONSTRUCTOR ? classVars : Set.of());
        declared.addAll(vars);
        for (String t : declared) {
            u.body.append("     * @param <").append(t).append("> Python's type variable ").append(t).append("\n");
        }
        if (kind != Kind.INSTANCE) {
            u.body.append("     * @param py the attach token of the calling thread\n");
        }
        Set<String> allTokens = new LinkedHashSet<>(kind == Kind.CONSTRUCTOR ? classVars : Set.of());
        allTokens.addAll(tokens);
        for (String t : allTokens) {
            u.body.append("     * @param ").append(JavaNames.tokenName(t)).append(" the Java class of ").append(t).append("\n");
        }
        for (Param p : v) {
            u.body.append("     * @param ").append(p.java).append(" Python's <code>").append(Javadoc.escape(p.py))
                    .append("</code>").append(p.keyword ? " (keyword-only)" : "")
                    .append(p.type.why() != null ? "; " + Javadoc.escape(p.type.decl() + " because " + p.type.why()) : "")
                    .append("\n");
        }
        if (!retDecl.equals("void")) {
            u.body.append("     * @return the result").append(kind == Kind.CONSTRUCTOR ? ", wrapping the new object"
                    : ret.why() != null ? ", " + Javadoc.escape(ret.decl() + " because " + ret.why()) : "").append("\n");
        }
        u.body.append("     */\n");
        // signature
        u.body.append("    public ").append(kind == Kind.INSTANCE ? "" : "static ");
        if (!vars.isEmpty() || (kind == Kind.CONSTRUCTOR && !classVars.isEmpty())) {
            Set<String> decl = new LinkedHashSet<>(kind == Kind.CONSTRUCTOR ? classVars : Set.of());
            decl.addAll(vars);
            u.body.append("<").append(String.join(", ", decl)).append("> ");
        }
        u.body.append(retDecl).append(" ").append(javaName).append("(");
        List<String> ps = new ArrayList<>();
        if (kind != Kind.INSTANCE) {
            ps.add("Python py");
        }
        for (String t : allTokens) {
            ps.add("Class<" + t + "> " + JavaNames.tokenName(t));
        }
        for (Param p : v) {
            ps.add(p.type.decl() + " " + p.java);
        }
        u.body.append(String.join(", ", ps)).append(") {\n");
        // body
        List<String> pos = new ArrayList<>();
        List<Param> kws = new ArrayList<>();
        for (Param p : v) {
            if (p.keyword) {
                kws.add(p);
            } else {
                pos.add(p.type.pass(p.java));
            }
        }
        String args = String.join(", ", pos);
        String b = "        ";
        if (kind == Kind.CONSTRUCTOR) {
            String call = kws.isEmpty() ? "call(" + args + ")" : "call(new Object[] {" + args + "}, " + kwargs(kws) + ")";
            StringBuilder tok = new StringBuilder();
            for (String t : classVars) {
                tok.append(", ").append(JavaNames.tokenName(t));
            }
            u.body.append(b).append("return new ").append(u.owner).append(classVars.isEmpty() ? "" : "<>").append("(py, ")
                    .append(target).append(".bind(py).").append(call).append(tok).append(");\n    }\n\n");
            return;
        }
        String handleCall;
        if (kind == Kind.INSTANCE) {
            handleCall = kws.isEmpty() ? "self.callMethod(" + quote(pyName) + (args.isEmpty() ? "" : ", " + args) + ")"
                    : "self.callMethod(" + quote(pyName) + ", new Object[] {" + args + "}, " + kwargs(kws) + ")";
        } else {
            handleCall = kws.isEmpty() ? target + ".bind(py).call(" + args + ")"
                    : target + ".bind(py).call(new Object[] {" + args + "}, " + kwargs(kws) + ")";
        }
        boolean fast = kind == Kind.STATIC && kws.isEmpty() && (ret.byConversion() || ret.decl().equals("void"));
        if (fast) {
            String as = ret.decl().equals("void") ? "Object.class" : ret.isPlainClass() ? ret.decl() + ".class" : u.typeRef(ret.boxed());
            u.body.append(b).append(ret.decl().equals("void") ? "" : "return ").append(target).append(".callAs(py, ")
                    .append(as).append(args.isEmpty() ? "" : ", " + args).append(");\n    }\n\n");
            return;
        }
        if (ret.decl().equals("void")) {
            // the result handle is closed at once: a loop of calls leaves nothing in the scope
            u.body.append(b).append(handleCall).append(".close();\n    }\n\n");
            return;
        }
        returnConverted(u, handleCall, ret);
    }

    /**
     * Ends a method body that returns {@code t} made from the new handle {@code handleExpr}: closed
     * at once when pyjama's conversion makes the value, else converted by the type's own code
     * (which may keep the handle: a wrapper, an iterator).
     */
    private static void returnConverted(Unit u, String handleExpr, JType t) {
        String b = "        ";
        if (t.byConversion()) {
            String as = t.isPlainClass() ? t.decl() + ".class" : u.typeRef(t.boxed());
            u.body.append(b).append("try (PyObject $r = ").append(handleExpr).append(") {\n");
            u.body.append(b).append("    return $r.toJava(").append(as).append(");\n");
            u.body.append(b).append("}\n    }\n\n");
            return;
        }
        u.body.append(b).append("PyObject $r = ").append(handleExpr).append(";\n");
        u.body.append(b).append("return ").append(t.convertHandle("$r")).append(";\n    }\n\n");
    }

    private static String kwargs(List<Param> kws) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < kws.size(); i++) {
            Param p = kws.get(i);
            s.append(i == 0 ? "Kwargs.kw(" : ".and(").append(quote(p.py)).append(", ").append(p.type.pass(p.java)).append(")");
        }
        return s.toString();
    }

    private static String typeArgs(Set<String> vars) {
        return vars.isEmpty() ? "" : "<" + String.join(", ", vars) + ">";
    }

    // --- classes ---

    @SuppressWarnings("unchecked")
    private void writeClass(String modName, Map<String, Object> c, TypeMapper.ClassInfo info) {
        String n = info.javaName();
        String pyName = (String) c.get("name");
        String qual = modName + "." + pyName;
        Unit u = new Unit(n, Set.of("handle", "create"));
        Set<String> vars = new LinkedHashSet<>(info.typeParams());
        String cls = u.cell(modName, pyName);
        u.body.append("    private final Python py;\n    private final PyObject self;\n");
        for (String t : vars) {
            u.body.append("    private final Class<").append(t).append("> ").append(JavaNames.tokenName(t)).append(";\n");
        }
        u.body.append("\n    ").append(n).append("(Python py, PyObject self");
        for (String t : vars) {
            u.body.append(", Class<").append(t).append("> ").append(JavaNames.tokenName(t));
        }
        u.body.append(") {\n        this.py = py;\n        this.self = Objects.requireNonNull(self, \"self\");\n");
        for (String t : vars) {
            String tk = JavaNames.tokenName(t);
            u.body.append("        this.").append(tk).append(" = ").append(tk).append(";\n");
        }
        u.body.append("    }\n\n");
        u.body.append("    /**\n     * The Python object (a handle in the scope this wrapper was made in).\n     *\n"
                + "     * @return the handle\n     */\n    public PyObject handle() {\n        return self;\n    }\n\n");
        Map<String, Object> init = (Map<String, Object>) c.get("init");
        if (init != null) {
            writeFunction(u, qual, init, Kind.CONSTRUCTOR, cls, vars);
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) c.get("properties")) {
            String pn = (String) p.get("name");
            JType t = u.mapper.map((List<?>) p.get("type"), TypeMapper.Position.RETURN, pn);
            if (t.why() != null && !t.why().startsWith("typed Any")) {
                warnings.add(qual + "." + pn + ": " + t.why() + "; typed " + t.decl());
            }
            String getter = u.memberName("property", pn, JavaNames.member(pn), qual + "." + pn);
            u.body.append(Javadoc.comment("    ", "Python property " + pn + ".", (String) p.get("doc"), null));
            u.body.append("     *\n     * @return the value\n     */\n");
            u.body.append("    public ").append(t.decl()).append(" ").append(getter).append("() {\n");
            returnConverted(u, "self.getAttr(" + quote(pn) + ")", t);
            if (Boolean.TRUE.equals(p.get("settable"))) {
                JType pt = u.mapper.map((List<?>) p.get("type"), TypeMapper.Position.PARAM, pn);
                String setter = u.memberName("setter", pn, "set" + JavaNames.typeName(pn), qual + "." + pn);
                u.body.append("    /**\n     * Sets Python property ").append(Javadoc.escape(pn)).append(".\n     *\n")
                        .append("     * @param value the new value\n     */\n");
                u.body.append("    public void ").append(setter).append("(").append(pt.decl()).append(" value) {\n");
                u.body.append("        self.setAttr(").append(quote(pn)).append(", ").append(pt.pass("value")).append(");\n    }\n\n");
            }
        }
        for (Map<String, Object> f : (List<Map<String, Object>>) c.get("methods")) {
            writeFunction(u, qual + "." + f.get("name"), f, Kind.INSTANCE, null, vars);
        }
        for (String key : List.of("classmethods", "staticmethods")) {
            for (Map<String, Object> f : (List<Map<String, Object>>) c.get(key)) {
                String fn = u.cell(modName, pyName, (String) f.get("name"));
                writeFunction(u, qual + "." + f.get("name"), f, Kind.STATIC, fn, Set.of());
            }
        }
        String header = Javadoc.comment("", "Python class " + qual + ": a wrapper over one of its objects, bound to"
                + " the scope it was made in.", (String) c.get("doc"), null);
        for (String t : vars) {
            header += " * @param <" + t + "> Python's type variable " + t + "\n";
        }
        header += " */\npublic final class " + n + typeArgs(vars) + " {\n\n";
        files.put(n, u.source(header));
    }

    @SuppressWarnings("unchecked")
    private void writeRecord(String modName, Map<String, Object> c, TypeMapper.ClassInfo info) {
        String n = info.javaName();
        String pyName = (String) c.get("name");
        String qual = modName + "." + pyName;
        Unit u = new Unit(n, Set.of());
        String kind = info.kind();
        Set<String> usedComponents = new java.util.HashSet<>();
        List<String> comps = new ArrayList<>();
        StringBuilder params = new StringBuilder();
        StringBuilder kw = new StringBuilder();
        for (Map<String, Object> f : (List<Map<String, Object>>) c.get("fields")) {
            String fn = (String) f.get("name");
            List<?> term = (List<?>) f.get("type");
            JType t = u.mapper.map(term, TypeMapper.Position.PARAM, fn);
            if (term.get(0).equals("optional") && t.byConversion() && t.typeVars().isEmpty()) {
                // pyjama reads None into an Optional component, never into a nullable one
                JType inner = t;
                String decl = "Optional<" + inner.boxed() + ">";
                t = new JType(decl, decl, true, null, inner.toPython() == null ? null
                        : v -> v + ".map($v -> (Object) " + inner.pass("$v") + ").orElse(null)", inner.why(), Set.of());
            }
            if (!t.byConversion() || !t.typeVars().isEmpty()) {
                t = new JType("PyObject", "PyObject", true, null, null,
                        t.why() != null ? t.why() : t.decl() + " is not read by pyjama's record conversion", Set.of());
            }
            if (t.why() != null) {
                warnings.add(qual + "." + fn + ": " + t.why() + "; typed " + t.decl());
            }
            // pyjama reads a record by its components' names, so a component keeps the Python
            // field's name (unit_price stays unit_price: a unitPrice would not be found in Python)
            String jn = JavaNames.component(fn);
            while (!usedComponents.add(jn)) {
                jn = jn + "_";
            }
            if (!jn.equals(fn)) {
                warnings.add(qual + "." + fn + ": not a usable record component name in Java; the component is " + jn
                        + ", so pyjama cannot read this " + kind + " back from Python by name (toPython works)");
            }
            comps.add(t.decl() + " " + jn);
            params.append(" * @param ").append(jn).append(" Python's field <code>").append(Javadoc.escape(fn)).append("</code>\n");
            kw.append(kw.isEmpty() ? "Kwargs.kw(" : ".and(").append(quote(fn)).append(", ").append(t.pass(jn)).append(")");
        }
        String cls = u.cell(modName, pyName);
        String made = kind.equals("typeddict") ? (kw.isEmpty() ? "py.dict()" : "py.dict(" + kw + ")")
                : kw.isEmpty() ? cls + ".bind(py).call()" : cls + ".bind(py).call(new Object[0], " + kw + ")";
        writeToPython(u, "The Python " + Javadoc.escape(kind.equals("typeddict") ? "dict" : pyName)
                + " holding this record's values.", made);
        String header = Javadoc.comment("", "Python " + (kind.equals("model") ? "pydantic model" : kind) + " " + qual + " as a record; pyjama reads the Python"
                + " object into it by field names.", (String) c.get("doc"), null) + " *\n" + params
                + " */\npublic record " + n + "(" + String.join(", ", comps) + ") {\n\n";
        files.put(n, u.source(header));
    }

    @SuppressWarnings("unchecked")
    private void writeEnum(String modName, Map<String, Object> c, TypeMapper.ClassInfo info) {
        String n = info.javaName();
        String pyName = (String) c.get("name");
        String qual = modName + "." + pyName;
        Unit u = new Unit(n, Set.of());
        StringBuilder consts = new StringBuilder();
        List<List<Object>> members = (List<List<Object>>) c.get("members");
        for (int i = 0; i < members.size(); i++) {
            String m = (String) members.get(i).get(0);
            consts.append("    /** Python {@code ").append(Javadoc.escape(pyName + "." + m + " = " + members.get(i).get(1)))
                    .append("}. */\n    ").append(JavaNames.keywordSafe(m)).append(i + 1 < members.size() ? ",\n" : ";\n\n");
        }
        if (members.isEmpty()) {
            consts.append("    ;\n\n");
        }
        String cls = u.cell(modName, pyName);
        writeToPython(u, "The Python member ({@code " + Javadoc.escape(pyName) + "[name()]}).", cls + ".bind(py).getItem(name())");
        String header = Javadoc.comment("", "Python enum " + qual + "; pyjama reads its members into this enum by name.",
                (String) c.get("doc"), null) + " */\npublic enum " + n + " {\n" + consts;
        files.put(n, u.source(header));
    }

    /** A record's or enum's {@code toPython(Python)}: {@code summary} (Javadoc text) and the returned expression. */
    private static void writeToPython(Unit u, String summary, String expression) {
        u.body.append("    /**\n     * ").append(summary).append("\n     *\n")
                .append("     * @param py the attach token of the calling thread\n     * @return a new handle in py's scope\n     */\n");
        u.body.append("    public PyObject toPython(Python py) {\n        return ").append(expression).append(";\n    }\n");
    }

    // --- support types, written once per facade when it uses them ---

    private String supportHeader() {
        return "// Generated by pyjama's facade generator from Python " + python + ". Do not edit: regenerate.\n"
                + "package " + pkg + ";\n\n";
    }

    /** A functional interface for Python callbacks of {@code arity} (three or more) parameters. */
    private void writeCallback(String name, int arity, boolean returns) {
        StringBuilder tps = new StringBuilder();
        StringBuilder tdoc = new StringBuilder();
        StringBuilder ps = new StringBuilder();
        StringBuilder pdoc = new StringBuilder();
        for (int i = 1; i <= arity; i++) {
            tps.append(i == 1 ? "" : ", ").append("A").append(i);
            tdoc.append(" * @param <A").append(i).append("> the type of argument ").append(i).append("\n");
            ps.append(i == 1 ? "" : ", ").append("A").append(i).append(" arg").append(i);
            pdoc.append("     * @param arg").append(i).append(" argument ").append(i).append("\n");
        }
        String src = supportHeader()
                + "/**\n * A Java function Python calls with " + arity + " arguments (a {@code Callable[[...], "
                + (returns ? "R" : "None") + "]} hint of " + arity + " parameters);\n * java.util.function stops at two."
                + " A lambda passed for it becomes a Python function of exactly " + arity + " parameters.\n *\n"
                + tdoc + (returns ? " * @param <R> the result type\n" : "") + " */\n@FunctionalInterface\n"
                + "public interface " + name + "<" + tps + (returns ? ", R" : "") + "> {\n\n"
                + "    /**\n     * Runs the function.\n     *\n" + pdoc + (returns ? "     * @return the result for Python\n" : "")
                + "     */\n    " + (returns ? "R apply(" : "void accept(") + ps + ");\n}\n";
        files.put(name, src);
    }

    /**
     * The helper behind Stream results. A Stream over a Python iterator keeps it as an unbound
     * {@code Py} (thread-safe, outside any scope) and attaches once per element, only to fetch and
     * convert it: the consumer of the stream runs detached. Reaching the end, failing, or closing
     * the stream closes the iterator (a generator's {@code close()}) and releases it.
     */
    private void writeStreams() {
        String src = supportHeader() + """
                import dev.pyjama.Py;
                import dev.pyjama.PyIterator;
                import dev.pyjama.PyObject;
                import dev.pyjama.Python;
                import java.util.Spliterator;
                import java.util.Spliterators;
                import java.util.function.Consumer;
                import java.util.function.Function;
                import java.util.stream.Stream;
                import java.util.stream.StreamSupport;

                /** The Stream results of the facade: lazy, detached between elements, closing the Python iterator. */
                final class $N {

                    private $N() {}

                    /** Stands for the end of the iteration (a converted element may be null: None). */
                    private static final Object END = new Object();

                    /**
                     * A lazy stream over {@code iter(iterable)}, whose handle it closes.
                     *
                     * @param <T> the element type
                     * @param iterable the Python iterable, a new handle that this method closes
                     * @param convert makes an element (a handle valid during the call) a Java value
                     * @return the stream; closing it closes the Python iterator
                     */
                    static <T> Stream<T> stream(PyObject iterable, Function<PyObject, T> convert) {
                        Py<PyIterator> iterator;
                        try (PyObject it = iterable.callMethod("__iter__")) {
                            iterator = it.unbind(PyIterator.class);
                        } finally {
                            iterable.close();
                        }
                        Elements<T> elements = new Elements<>(iterator, convert);
                        return StreamSupport.stream(elements, false).onClose(elements::close);
                    }

                    /** The elements, fetched one attach at a time. */
                    private static final class Elements<T> extends Spliterators.AbstractSpliterator<T> {
                        private final Py<PyIterator> iterator;
                        private final Function<PyObject, T> convert;

                        Elements(Py<PyIterator> iterator, Function<PyObject, T> convert) {
                            super(Long.MAX_VALUE, Spliterator.ORDERED);
                            this.iterator = iterator;
                            this.convert = convert;
                        }

                        @Override
                        public boolean tryAdvance(Consumer<? super T> action) {
                            if (iterator.isClosed()) {
                                return false;
                            }
                            Object next;
                            try {
                                next = Python.attach(py -> {
                                    PyIterator it = iterator.bind(py);
                                    return it.hasNext() ? (Object) convert.apply(it.next()) : END;
                                });
                            } catch (RuntimeException | Error e) {
                                close();
                                throw e;
                            }
                            if (next == END) {
                                close();
                                return false;
                            }
                            @SuppressWarnings("unchecked")
                            T element = (T) next;
                            action.accept(element); // detached: the GIL is free while the consumer runs
                            return true;
                        }

                        /** Closes the Python iterator (a generator runs its finally blocks) and releases it; idempotent. */
                        void close() {
                            if (iterator.isClosed()) {
                                return;
                            }
                            try {
                                Python.attach(py -> {
                                    PyIterator it = iterator.bind(py);
                                    if (it.hasAttr("close")) {
                                        it.callMethod("close").close();
                                    }
                                    return null;
                                });
                            } finally {
                                iterator.close();
                            }
                        }
                    }
                }
                """.replace("$N", streams);
        files.put(streams, src);
    }

    static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (c < 32 || c > 126) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String pyRepr(Object v) {
        return v instanceof String s ? "'" + s + "'" : String.valueOf(v);
    }
}
