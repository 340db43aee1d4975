package dev.pyjama.reliability;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.DynamicTest;

/**
 * Runs a {@link ScenarioSet} in one forked JVM and turns its report into one JUnit test per
 * scenario, plus one that checks the child ended cleanly (exit code 0, no crash signal, no
 * {@code hs_err} file, no "Fatal Python error"). A scenario the child never finished fails with the
 * child's whole output.
 */
final class ForkedScenarios {

    private ForkedScenarios() {}

    static List<DynamicTest> run(String group, Class<? extends ScenarioSet> set, Predicate<String> which,
            int timeoutSeconds, String... jvmArgs) {
        List<String> names;
        try {
            names = set.getDeclaredConstructor().newInstance().scenarios().keySet().stream().filter(which).toList();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        List<String> args = new ArrayList<>();
        args.add(set.getName());
        args.addAll(names);
        // Runs lazily, once, when the first of the group's tests executes.
        ChildJvm.Result[] result = new ChildJvm.Result[1];
        Runnable ensure = () -> {
            if (result[0] == null) {
                result[0] = ChildJvm.of(ScenarioMain.class).jvmArgs(jvmArgs).args(args).timeout(timeoutSeconds).run();
            }
        };
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : names) {
            tests.add(DynamicTest.dynamicTest(group + ": " + name, () -> {
                ensure.run();
                check(result[0], name);
            }));
        }
        tests.add(DynamicTest.dynamicTest(group + ": child JVM ended cleanly", () -> {
            ensure.run();
            ChildJvm.Result r = result[0];
            r.stdout().lines().filter(l -> !l.startsWith("@@") && !l.startsWith("trying #")).limit(40)
                    .forEach(l -> System.out.println("[" + group + "] " + l));
            if (!r.noCrash() || r.exitCode() != 0 || !r.stdout().contains("@@END")) {
                fail("the child JVM did not end cleanly: " + r.describe());
            }
        }));
        return tests;
    }

    private static void check(ChildJvm.Result r, String name) {
        Map<String, String> failures = new HashMap<>();
        List<String> passed = new ArrayList<>();
        String running = null;
        for (String line : r.stdout().split("\\R")) {
            int at = line.indexOf("@@");
            if (at < 0) {
                continue;
            }
            line = line.substring(at); // Python output without a newline may precede a marker
            if (line.startsWith("@@BEGIN ")) {
                running = line.substring(8);
            } else if (line.startsWith("@@PASS ")) {
                passed.add(line.substring(7).split(" ")[0]);
                running = null;
            } else if (line.startsWith("@@FAIL ")) {
                String[] parts = line.substring(7).split(" ", 2);
                failures.put(parts[0], new String(Base64.getDecoder().decode(parts[1].strip()), StandardCharsets.UTF_8));
                running = null;
            }
        }
        if (passed.contains(name)) {
            return;
        }
        if (failures.containsKey(name)) {
            fail(name + " failed in the child JVM:\n" + failures.get(name));
        }
        if (name.equals(running)) {
            fail(name + " CRASHED or hung the child JVM (it began and never finished): " + r.describe());
        }
        fail(name + " never ran: the child JVM died before it (see the first unfinished scenario); " + r.describe());
    }
}
