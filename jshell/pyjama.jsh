// pyjama's jshell startup: the usual imports, Python's print() shown in jshell, and an attached
// `py` ready to use. Open it with bin/jshell (or see README.md, "jshell").
import dev.pyjama.*;
import dev.pyjama.exceptions.*;
import static dev.pyjama.Kwargs.*;
Python.redirectOutput(true);
Python py = Python.attach();
System.out.println("pyjama: " + Python.info());
System.out.println("`py` is attached. Try: py.eval(\"1 + 1\")   py.run(\"print('hello')\")   py.importModule(\"math\").getAttr(\"pi\")");
