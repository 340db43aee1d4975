package dev.pyjama;

import dev.pyjama.internal.abi.CApi;
import dev.pyjama.internal.runtime.Scope;
import java.util.Objects;

/**
 * A Python module ({@code types.ModuleType}), bound to its scope like every {@link PyObject}.
 */
public final class PyModule extends PyObject {

    PyModule(Scope scope, long address, int slot) {
        super(scope, address, slot);
    }

    /**
     * Compiles {@code code} and runs it as a new module registered in {@code sys.modules} under
     * {@code moduleName} (PyO3's {@code PyModule::from_code}; {@code PyImport_ExecCodeModuleEx}).
     *
     * @param py the attach token
     * @param code the module's source
     * @param fileName the file name that tracebacks show
     * @param moduleName the module's name
     * @return the module
     * @throws dev.pyjama.exceptions.PySyntaxError if the code does not compile
     * @throws dev.pyjama.exceptions.PyBaseException whatever the module's code raises
     */
    public static PyModule fromCode(Python py, String code, String fileName, String moduleName) {
        Scope scope = py.usableScope();
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(fileName, "fileName");
        Objects.requireNonNull(moduleName, "moduleName");
        long compiled = CApi.newCompile(code, fileName, CApi.FILE_INPUT);
        try {
            return Handles.wrap(scope.innermost(), CApi.newExecCodeModule(moduleName, compiled, fileName), PyModule.class);
        } finally {
            CApi.decRef(compiled);
        }
    }

    /**
     * The module's {@code __name__}.
     *
     * @return the module name
     */
    public String name() {
        return getAttr("__name__").toJava(String.class);
    }

    /**
     * The module's namespace, {@code vars(module)}.
     *
     * @return the module's {@code __dict__}
     */
    public PyObject dict() {
        return getAttr("__dict__");
    }
}
