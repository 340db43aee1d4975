package dev.pyjama.arrow;

import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.IntervalUnit;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The C Data Interface's format strings ("l", "u", "tsu:UTC", "+l"...) and Arrow Java's
 * {@link ArrowType}, both ways. A format this module does not take is an
 * {@link UnsupportedOperationException} naming it and the field.
 */
final class Formats {

    private Formats() {}

    static ArrowType toType(String format, String field, long flags) {
        switch (format) {
            case "n": return ArrowType.Null.INSTANCE;
            case "b": return ArrowType.Bool.INSTANCE;
            case "c": return new ArrowType.Int(8, true);
            case "C": return new ArrowType.Int(8, false);
            case "s": return new ArrowType.Int(16, true);
            case "S": return new ArrowType.Int(16, false);
            case "i": return new ArrowType.Int(32, true);
            case "I": return new ArrowType.Int(32, false);
            case "l": return new ArrowType.Int(64, true);
            case "L": return new ArrowType.Int(64, false);
            case "e": return new ArrowType.FloatingPoint(FloatingPointPrecision.HALF);
            case "f": return new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case "g": return new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case "z": return ArrowType.Binary.INSTANCE;
            case "Z": return ArrowType.LargeBinary.INSTANCE;
            case "u": return ArrowType.Utf8.INSTANCE;
            case "U": return ArrowType.LargeUtf8.INSTANCE;
            case "vu": return ArrowType.Utf8View.INSTANCE;
            case "vz": return ArrowType.BinaryView.INSTANCE;
            case "tdD": return new ArrowType.Date(DateUnit.DAY);
            case "tdm": return new ArrowType.Date(DateUnit.MILLISECOND);
            case "tts": return new ArrowType.Time(TimeUnit.SECOND, 32);
            case "ttm": return new ArrowType.Time(TimeUnit.MILLISECOND, 32);
            case "ttu": return new ArrowType.Time(TimeUnit.MICROSECOND, 64);
            case "ttn": return new ArrowType.Time(TimeUnit.NANOSECOND, 64);
            case "tDs": return new ArrowType.Duration(TimeUnit.SECOND);
            case "tDm": return new ArrowType.Duration(TimeUnit.MILLISECOND);
            case "tDu": return new ArrowType.Duration(TimeUnit.MICROSECOND);
            case "tDn": return new ArrowType.Duration(TimeUnit.NANOSECOND);
            case "tiM": return new ArrowType.Interval(IntervalUnit.YEAR_MONTH);
            case "tiD": return new ArrowType.Interval(IntervalUnit.DAY_TIME);
            case "tin": return new ArrowType.Interval(IntervalUnit.MONTH_DAY_NANO);
            case "+l": return ArrowType.List.INSTANCE;
            case "+L": return ArrowType.LargeList.INSTANCE;
            case "+s": return ArrowType.Struct.INSTANCE;
            case "+m": return new ArrowType.Map((flags & CData.FLAG_MAP_KEYS_SORTED) != 0);
            default:
                break;
        }
        if (format.startsWith("ts") && format.length() >= 4 && format.charAt(3) == ':') {
            String tz = format.substring(4);
            return new ArrowType.Timestamp(unit(format.charAt(2), format, field), tz.isEmpty() ? null : tz);
        }
        if (format.startsWith("w:")) {
            return new ArrowType.FixedSizeBinary(Integer.parseInt(format.substring(2)));
        }
        if (format.startsWith("+w:")) {
            return new ArrowType.FixedSizeList(Integer.parseInt(format.substring(3)));
        }
        if (format.startsWith("d:")) {
            String[] p = format.substring(2).split(",");
            int bits = p.length > 2 ? Integer.parseInt(p[2].trim()) : 128;
            if (bits != 128 && bits != 256) {
                throw unsupported(format, field, "decimal" + bits + " (Arrow Java reads decimal128 and decimal256)");
            }
            return new ArrowType.Decimal(Integer.parseInt(p[0].trim()), Integer.parseInt(p[1].trim()), bits);
        }
        String what = switch (format.length() >= 2 ? format.substring(0, 2) : format) {
            case "+u" -> "union";
            case "+r" -> "run-end encoded";
            case "+v" -> "list view";
            default -> "an unknown type";
        };
        throw unsupported(format, field, what);
    }

    private static TimeUnit unit(char c, String format, String field) {
        return switch (c) {
            case 's' -> TimeUnit.SECOND;
            case 'm' -> TimeUnit.MILLISECOND;
            case 'u' -> TimeUnit.MICROSECOND;
            case 'n' -> TimeUnit.NANOSECOND;
            default -> throw unsupported(format, field, "a timestamp of unknown unit");
        };
    }

    static UnsupportedOperationException unsupported(String format, String field, String what) {
        return new UnsupportedOperationException("Arrow type '" + format + "' (" + what + ") of field '" + field
                + "' is not supported by pyjama-arrow");
    }

    static String toFormat(ArrowType type, String field) {
        return switch (type) {
            case ArrowType.Null n -> "n";
            case ArrowType.Bool b -> "b";
            case ArrowType.Int i -> switch (i.getBitWidth()) {
                case 8 -> i.getIsSigned() ? "c" : "C";
                case 16 -> i.getIsSigned() ? "s" : "S";
                case 32 -> i.getIsSigned() ? "i" : "I";
                case 64 -> i.getIsSigned() ? "l" : "L";
                default -> throw new UnsupportedOperationException("int" + i.getBitWidth() + " of field '" + field + "'");
            };
            case ArrowType.FloatingPoint f -> switch (f.getPrecision()) {
                case HALF -> "e";
                case SINGLE -> "f";
                case DOUBLE -> "g";
            };
            case ArrowType.Binary b -> "z";
            case ArrowType.LargeBinary b -> "Z";
            case ArrowType.Utf8 u -> "u";
            case ArrowType.LargeUtf8 u -> "U";
            case ArrowType.Utf8View u -> "vu";
            case ArrowType.BinaryView u -> "vz";
            case ArrowType.FixedSizeBinary b -> "w:" + b.getByteWidth();
            case ArrowType.Decimal d -> "d:" + d.getPrecision() + "," + d.getScale()
                    + (d.getBitWidth() == 128 ? "" : "," + d.getBitWidth());
            case ArrowType.Date d -> d.getUnit() == DateUnit.DAY ? "tdD" : "tdm";
            case ArrowType.Time t -> "tt" + unitChar(t.getUnit());
            case ArrowType.Timestamp t -> "ts" + unitChar(t.getUnit()) + ":" + (t.getTimezone() == null ? "" : t.getTimezone());
            case ArrowType.Duration d -> "tD" + unitChar(d.getUnit());
            case ArrowType.Interval i -> switch (i.getUnit()) {
                case YEAR_MONTH -> "tiM";
                case DAY_TIME -> "tiD";
                case MONTH_DAY_NANO -> "tin";
            };
            case ArrowType.List l -> "+l";
            case ArrowType.LargeList l -> "+L";
            case ArrowType.FixedSizeList l -> "+w:" + l.getListSize();
            case ArrowType.Struct s -> "+s";
            case ArrowType.Map m -> "+m";
            default -> throw new UnsupportedOperationException("Arrow type " + type + " of field '" + field
                    + "' is not supported by pyjama-arrow");
        };
    }

    private static char unitChar(TimeUnit u) {
        return switch (u) {
            case SECOND -> 's';
            case MILLISECOND -> 'm';
            case MICROSECOND -> 'u';
            case NANOSECOND -> 'n';
        };
    }
}
