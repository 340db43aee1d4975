import dev.pyjama.PyModule;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.exceptions.PyBaseException;
import dev.pyjama.exceptions.PyKeyError;
import dev.pyjama.exceptions.PyLookupError;
import dev.pyjama.exceptions.PyModuleNotFoundError;
import dev.pyjama.exceptions.PyValueError;
import java.util.Map;

/** The pyjama tour: run with bin/tour. Every step prints what it did. */
public class Tour {
    public static void main(String[] args) {
        try (Python py = Python.attach()) {
            PyModule sys = py.importModule("sys");
            System.out.println("1. Python " + sys.getAttr("version").str().split(" ")[0] + " from "
                    + sys.getAttr("executable").str() + " runs inside this JVM");

            long answer = py.eval("6 * 7").toJava(long.class);
            System.out.println("2. eval(\"6 * 7\") = " + answer);

            py.run("""
                    def greet(name, greeting="Hello", punctuation="!"):
                        return f"{greeting}, {name}{punctuation}"
                    """);
            PyObject greet = py.eval("greet");
            String greeting = greet.call(new Object[] {"Java"}, Map.of("greeting", "Bonjour")).toJava(String.class);
            System.out.println("3. greet(\"Java\", greeting=\"Bonjour\") = " + greeting);

            PyModule json = py.importModule("json");
            PyObject data = json.callMethod("loads", "{\"langs\": [\"java\", \"python\"], \"year\": 2026}");
            System.out.println("4. json.loads(...)[\"langs\"] = " + data.getItem("langs").repr()
                    + ", as Java: " + data.toJava(Object.class));

            try {
                PyModule np = py.importModule("numpy");
                PyObject a = np.callMethod("arange", 10);
                System.out.println("5. numpy " + np.getAttr("__version__").str() + ": arange(10).sum() = "
                        + a.callMethod("sum").toJava(long.class));
            } catch (PyModuleNotFoundError e) {
                System.out.println("5. numpy is not installed in this Python (" + e.getMessage() + "), skipped");
            }

            try {
                py.eval("{'a': 1}['b']");
            } catch (PyLookupError e) {
                System.out.println("6. a Python KeyError caught as " + e.getClass().getSimpleName()
                        + " (a PyLookupError): " + e.getMessage() + "; is PyKeyError: " + (e instanceof PyKeyError));
            }

            try {
                py.eval("int('x')");
            } catch (PyValueError e) {
                System.out.println("7. " + e.getMessage() + ", raised at " + e.getStackTrace()[0]);
            }

            py.run("""
                    class InsufficientFunds(ValueError):
                        pass
                    def withdraw(amount):
                        raise InsufficientFunds(f"cannot withdraw {amount}")
                    """);
            try {
                py.eval("withdraw").call(100);
            } catch (PyBaseException e) {
                System.out.println("8. user-defined exception: Java " + e.getClass().getSimpleName() + ", Python type "
                        + e.pythonTypeName() + ", message \"" + e.pythonMessage() + "\"");
            }
        }
    }
}
