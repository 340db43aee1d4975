package dev.pyjama.examples.facades;

import dev.pyjama.Python;
import dev.pyjama.examples.facades.py.AliasGenerators;
import dev.pyjama.examples.facades.py.Category;
import dev.pyjama.examples.facades.py.Inventory;
import dev.pyjama.examples.facades.py.Item;
import dev.pyjama.examples.facades.py.Order;
import dev.pyjama.examples.facades.py.Shelf;
import dev.pyjama.examples.facades.py.Warehouse;
import dev.pyjama.exceptions.PyException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Calls the example's own Python package (inventory, imported from this jar's META-INF/python) and
 * pydantic through the typed facades generated at build time: no strings naming Python functions,
 * no casts; a change in the Python signatures breaks this file at compile time. Exits 1 if a value
 * is not what Python should have computed.
 */
public final class Main {

    private Main() {}

    private static int failures;

    private static void check(String what, Object expected, Object actual) {
        boolean ok = Objects.equals(expected, actual);
        System.out.println((ok ? "ok   " : "FAIL ") + what + " = " + actual + (ok ? "" : " (expected " + expected + ")"));
        if (!ok) {
            failures++;
        }
    }

    /**
     * Runs the example.
     *
     * @param args unused
     */
    public static void main(String[] args) {
        try (Python py = Python.attach()) {
            String file = py.importModule("inventory").getAttr("__file__").toJava(String.class);
            check("inventory imported from the jar", true, file.contains(".jar/META-INF/python/"));

            Warehouse w = Warehouse.create(py, "north");                     // currency="EUR" by default
            w.add(new Item("A-1", "hammer", 12.5, 4, Category.TOOL));
            w.add(new Item("B-2", "apple", 0.5, 100, Category.FOOD));
            check("size (a property)", 2L, w.size());
            check("add returns the SKU count", 3L, w.add(new Item("C-3", "kite", 20.0, 2, Category.TOY)));
            check("value()", 140.0, w.value());                              // keyword-only defaults
            check("value(category, discount)", 45.0, w.value(Category.TOOL, 0.1));
            Optional<Item> found = w.find("A-1");                            // Optional[Item] -> Optional<Item>
            check("find A-1 (a dataclass as a record)", "hammer", found.map(Item::name).orElse(null));
            check("find Z-9", Optional.empty(), w.find("Z-9"));
            List<String> low = new ArrayList<>();
            Iterator<String> lazily = w.lowStock();                          // a generator -> Iterator<String>
            lazily.forEachRemaining(low::add);
            check("lowStock()", List.of("A-1", "C-3"), low);
            try (Stream<String> skus = w.lowStockStream(10)) {               // the same generator as a Stream
                check("lowStockStream(10), first only (the generator is closed)", List.of("A-1"), skus.limit(1).toList());
            }

            check("fulfil (a pydantic model in)", true, w.fulfil(new Order("A-1", 3, Optional.empty())));
            check("stock after", 1L, w.find("A-1").orElseThrow().quantity());
            try {
                w.fulfil(new Order("A-1", 0, Optional.of("zero")));                       // pydantic: quantity > 0
                check("pydantic rejects quantity 0", "ValidationError", "nothing");
            } catch (PyException e) {
                check("pydantic rejects quantity 0", "ValidationError", e.pythonTypeName().replaceAll(".*\\.", ""));
            }
            Order parsed = Inventory.parseOrder(py, "B-2 x 5 rush");            // a pydantic model out
            check("parseOrder", new Order("B-2", 5, Optional.of("rush")), parsed);
            check("parseOrder, no note (None: an empty Optional)", Optional.empty(), Inventory.parseOrder(py, "B-2 x 1").note());

            Shelf<String> shelf = Shelf.create(py, String.class, "first");    // Generic[T] -> Shelf<T>
            check("Shelf.put", 2L, shelf.put("second"));
            check("Shelf.top", "second", shelf.top());

            check("restockPlan (dict[str, int] in, list[str] out)", List.of("A-1:9", "C-3:8"),
                    Inventory.restockPlan(py, Map.of("A-1", 1L, "B-2", 95L, "C-3", 2L)));
            check("restockPlan with target", List.of("A-1:1"), Inventory.restockPlan(py, Map.of("A-1", 1L), 2L));

            // pydantic's own module, typed by its own hints
            check("pydantic to_camel", "orderLineItem", AliasGenerators.toCamel(py, "order_line_item"));
            check("pydantic to_snake", "order_line_item", AliasGenerators.toSnake(py, "OrderLineItem"));
        }
        System.out.println(failures == 0 ? "facades example: all checks passed" : "facades example: " + failures + " check(s) FAILED");
        System.exit(failures == 0 ? 0 : 1);
    }
}
