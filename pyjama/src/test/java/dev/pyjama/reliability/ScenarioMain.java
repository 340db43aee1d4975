package dev.pyjama.reliability;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * The forked JVM's main class for a {@link ScenarioSet}: {@code ScenarioMain <set class> <name>...}
 * runs the named scenarios in order and prints {@code @@BEGIN name}, then {@code @@PASS name} or
 * {@code @@FAIL name <base64 stack trace>}; at the end {@code @@END}, then {@code System.exit(0)}.
 */
public final class ScenarioMain {

    private ScenarioMain() {}

    public static void main(String[] args) throws Exception {
        ScenarioSet set = (ScenarioSet) Class.forName(args[0]).getDeclaredConstructor().newInstance();
        Map<String, ScenarioSet.Body> all = set.scenarios();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            ScenarioSet.Body body = all.get(name);
            System.out.println("@@BEGIN " + name);
            System.out.flush();
            long t0 = System.nanoTime();
            try {
                if (body == null) {
                    throw new IllegalArgumentException("no scenario " + name);
                }
                body.run();
                System.out.println("@@PASS " + name + " " + (System.nanoTime() - t0) / 1_000_000 + "ms");
            } catch (Throwable t) {
                StringWriter w = new StringWriter();
                t.printStackTrace(new PrintWriter(w));
                System.out.println("@@FAIL " + name + " "
                        + Base64.getEncoder().encodeToString(w.toString().getBytes(StandardCharsets.UTF_8)));
            }
            System.out.flush();
        }
        System.out.println("@@END");
        System.out.flush();
        System.exit(0);
    }
}
