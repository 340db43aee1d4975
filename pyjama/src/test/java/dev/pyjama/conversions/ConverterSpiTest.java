package dev.pyjama.conversions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.pyjama.PyConverter;
import dev.pyjama.PyConverters;
import dev.pyjama.PyObject;
import dev.pyjama.Python;
import dev.pyjama.TypeRef;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** User converters: both directions, inside containers, newest registration wins. */
class ConverterSpiTest {

    /** A type pyjama knows nothing about. */
    static final class Money {
        final long cents;

        Money(long cents) {
            this.cents = cents;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Money m && m.cents == cents;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(cents);
        }
    }

    record Fraction(long num, long den) {}

    private static final class MoneyAsStr implements PyConverter<Money> {
        @Override
        public Class<Money> javaType() {
            return Money.class;
        }

        @Override
        public PyObject toPython(Python py, Money value) {
            return py.str(value.cents / 100 + "." + String.format("%02d", value.cents % 100));
        }

        @Override
        public Money toJava(PyObject obj) {
            String[] parts = obj.toJava(String.class).split("\\.");
            return new Money(Long.parseLong(parts[0]) * 100 + Long.parseLong(parts[1]));
        }
    }

    @Test
    void userConvertersWorkBothWaysAndInsideContainers() {
        PyConverters.register(new MoneyAsStr());
        Python.attach(py -> {
            PyObject o = py.toPython(Map.of("price", new Money(1234)));
            assertTrue(py.eval("lambda v: v == {'price': '12.34'}").call(o).isTruthy());
            assertEquals(Map.of("price", new Money(1234)), o.toJava(new TypeRef<Map<String, Money>>() {}));
            return null;
        });
    }

    @Test
    void aLaterRegistrationWinsOverBuiltInsAndEarlierOnes() {
        PyConverters.register(new PyConverter<Fraction>() {
            @Override
            public Class<Fraction> javaType() {
                return Fraction.class;
            }

            @Override
            public PyObject toPython(Python py, Fraction value) {
                return py.importModule("fractions").getAttr("Fraction").call(value.num(), value.den());
            }

            @Override
            public Fraction toJava(PyObject obj) {
                return new Fraction(obj.getAttr("numerator").toJava(long.class),
                        obj.getAttr("denominator").toJava(long.class));
            }
        });
        Python.attach(py -> {
            PyObject o = py.toPython(List.of(new Fraction(2, 4)));
            assertTrue(py.eval("lambda v: v == [__import__('fractions').Fraction(1, 2)]").call(o).isTruthy());
            assertEquals(List.of(new Fraction(1, 2)), o.toJava(new TypeRef<List<Fraction>>() {}));
            return null;
        });
    }
}
